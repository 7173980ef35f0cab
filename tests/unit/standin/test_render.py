from __future__ import annotations

from slack_sdk.models import blocks as sdk

from slack_standin.render import buttons, render_blocks, render_message, render_view, text_of

QUESTION = [
    sdk.HeaderBlock(text="Question of the day").to_dict(),
    sdk.SectionBlock(
        text="*What does PCA maximise?* <@U123|ada> see <https://ex.com/pca|the notes>",
        fields=["Topic: PCA", "Difficulty: easy"],
    ).to_dict(),
    sdk.DividerBlock().to_dict(),
    sdk.ContextBlock(elements=[sdk.MarkdownTextObject(text="Closes 17:00 &amp; then")]).to_dict(),
    sdk.ActionsBlock(
        elements=[
            sdk.ButtonElement(text="Answer privately", action_id="answer", value="p1"),
            sdk.ButtonElement(text="Skip", action_id="skip", value="p1"),
        ]
    ).to_dict(),
]


def test_render_shows_header_text_fields_context_and_numbered_buttons():
    text = render_blocks(QUESTION)
    assert text.splitlines()[0] == "QUESTION OF THE DAY"
    assert "*What does PCA maximise?* @ada see the notes (https://ex.com/pca)" in text
    assert "  • Topic: PCA" in text
    assert "-" * 78 in text
    assert "Closes 17:00 & then" in text
    assert "[1] Answer privately  [2] Skip" in text


def test_buttons_follow_the_rendered_numbers():
    found = buttons(QUESTION)
    assert [(b.number, b.action_id, b.text, b.value) for b in found] == [
        (1, "answer", "Answer privately", "p1"),
        (2, "skip", "Skip", "p1"),
    ]


def test_render_view_shows_title_inputs_and_footer():
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Your answer"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "a",
                "optional": True,
                "label": {"type": "plain_text", "text": "Answer"},
                "element": {"type": "plain_text_input", "action_id": "t", "multiline": True},
            }
        ],
    }
    text = render_view(view)
    assert "Your answer" in text.splitlines()[0]
    assert "Answer (optional):" in text
    assert "(multi-line)" in text
    assert text.splitlines()[-1] == "<Cancel>  <Send>"


def test_message_without_blocks_renders_its_text_and_mentions():
    assert render_message({"text": "Thanks <@U1>, <!here>"}) == "Thanks @U1, @here"


def test_text_of_keeps_plain_text_as_is():
    assert text_of({"type": "plain_text", "text": "<@U1> *x*"}) == "<@U1> *x*"
    assert text_of(None) == ""


def test_long_text_wraps_and_rich_text_reads():
    text = render_blocks(
        [
            {"type": "section", "text": {"type": "mrkdwn", "text": "word " * 40}},
            {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [
                            {"type": "text", "text": "typed "},
                            {"type": "user", "user_id": "U9"},
                        ],
                    }
                ],
            },
        ]
    )
    lines = text.splitlines()
    assert all(len(line) <= 78 for line in lines)
    assert lines[-1] == "typed @U9"


def test_render_view_lists_the_options_of_choice_inputs():
    from slack_standin.render import render_view

    def opt(value):
        return {"text": {"type": "plain_text", "text": value.title()}, "value": value}

    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Debrief"},
        "blocks": [
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Verdict"},
                "element": {"type": "radio_buttons", "options": [opt("hire"), opt("pass")]},
            },
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Topics"},
                "element": {
                    "type": "multi_static_select",
                    "option_groups": [
                        {"label": {"type": "plain_text", "text": "g"}, "options": [opt("ml")]}
                    ],
                },
            },
        ],
    }
    text = render_view(view)
    assert "radio_buttons: ( ) Hire  ( ) Pass" in text
    assert "multi_static_select: [ ] Ml" in text


def test_a_slack_date_shows_its_fallback():
    text = "Debrief <!date^1772534700^{date_short_pretty} at {time}|2026-03-03 10:45 UTC> · <!here>"
    assert text_of({"type": "mrkdwn", "text": text}) == "Debrief 2026-03-03 10:45 UTC · @here"


def test_a_long_list_of_options_wraps_between_options():
    many = [
        {"text": {"type": "plain_text", "text": f"Topic number {n}"}, "value": str(n)}
        for n in range(12)
    ]
    view = {
        "type": "modal",
        "blocks": [
            {
                "type": "input",
                "block_id": "t",
                "label": {"type": "plain_text", "text": "Topics"},
                "element": {"type": "checkboxes", "action_id": "t", "options": many},
            }
        ],
    }
    lines = render_view(view).splitlines()[2:]
    assert len(lines) > 1 and all(len(line) <= 78 for line in lines)
    assert lines[0].startswith("  checkboxes: [ ] Topic number 0  [ ] Topic number 1")
    assert all(line.startswith("    [ ] Topic number") for line in lines[1:])
