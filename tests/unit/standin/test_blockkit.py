"""The Block Kit validator agrees with slack_sdk.models and rejects each limit violation."""

from __future__ import annotations

import copy

import pytest
from slack_sdk.models import blocks as sdk
from slack_sdk.models.views import View

from slack_standin.blockkit import validate_blocks, validate_message, validate_view


def button(action_id: str = "go", text: str = "Go", value: str = "v") -> dict:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        "value": value,
    }


def section(text: str = "hello", **extra) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def modal(blocks: list[dict], **extra) -> dict:
    return {
        "type": "modal",
        "callback_id": "answer",
        "title": {"type": "plain_text", "text": "Answer"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": blocks,
        **extra,
    }


def text_input(block_id: str = "answer", **element) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": "Your answer"},
        "element": {"type": "plain_text_input", "action_id": "text", **element},
    }


SDK_MESSAGE = [
    sdk.HeaderBlock(text="Question of the day"),
    sdk.SectionBlock(
        text=sdk.MarkdownTextObject(text="*What does PCA maximise?*"),
        fields=["Topic: dimensionality reduction", "Difficulty: easy"],
        accessory=sdk.ButtonElement(text="Answer privately", action_id="answer", value="p1"),
    ),
    sdk.DividerBlock(),
    sdk.ContextBlock(
        elements=[
            sdk.MarkdownTextObject(text="Deadline 17:00"),
            sdk.ImageElement(image_url="https://example.com/a.png", alt_text="clock"),
        ]
    ),
    sdk.ActionsBlock(
        elements=[
            sdk.ButtonElement(text="Hint", action_id="hint", value="p1", style="primary"),
            sdk.StaticSelectElement(
                placeholder="Rate it",
                action_id="rate",
                options=[
                    sdk.Option(text="Good", value="good"),
                    sdk.Option(text="Bad", value="bad"),
                ],
            ),
            sdk.OverflowMenuElement(
                action_id="more",
                options=[
                    sdk.Option(text="Skip", value="skip"),
                    sdk.Option(text="Report", value="r"),
                ],
            ),
        ]
    ),
    sdk.ImageBlock(image_url="https://example.com/b.png", alt_text="chart", title="Chart"),
    sdk.RichTextBlock(
        elements=[sdk.RichTextSectionElement(elements=[sdk.RichTextElementParts.Text(text="hi")])]
    ),
]


def test_accepts_a_message_built_with_slack_sdk_models():
    assert validate_blocks([b.to_dict() for b in SDK_MESSAGE]) == []


def test_accepts_a_modal_and_a_home_built_with_slack_sdk_models():
    view = View(
        type="modal",
        title="Your answer",
        submit="Send",
        close="Cancel",
        callback_id="answer",
        private_metadata="post=1",
        blocks=[
            sdk.SectionBlock(text="Explain PCA in two sentences."),
            sdk.InputBlock(
                block_id="answer",
                label="Answer",
                element=sdk.PlainTextInputElement(
                    action_id="text", multiline=True, max_length=3000
                ),
            ),
            sdk.InputBlock(
                label="Confidence",
                optional=True,
                element=sdk.CheckboxesElement(
                    action_id="sure", options=[sdk.Option(text="Sure", value="yes")]
                ),
            ),
        ],
    )
    home = View(type="home", blocks=[b for b in SDK_MESSAGE])
    assert validate_view(view.to_dict()) == []
    assert validate_view(home.to_dict()) == []


@pytest.mark.parametrize(
    ("sdk_limit", "make", "surface"),
    [
        (sdk.SectionBlock.text_max_length, lambda n: [section("x" * n)], "message"),
        (
            sdk.SectionBlock.fields_max_length,
            lambda n: [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * n}],
            "message",
        ),
        (
            sdk.HeaderBlock.text_max_length,
            lambda n: [{"type": "header", "text": {"type": "plain_text", "text": "h" * n}}],
            "message",
        ),
        (
            sdk.ContextBlock.elements_max_length,
            lambda n: [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * n}],
            "message",
        ),
        (
            sdk.ActionsBlock.elements_max_length,
            lambda n: [{"type": "actions", "elements": [button(f"b{i}") for i in range(n)]}],
            "message",
        ),
        (
            sdk.ButtonElement.text_max_length,
            lambda n: [section(accessory=button(text="t" * n))],
            "message",
        ),
        (
            sdk.ButtonElement.value_max_length,
            lambda n: [section(accessory=button(value="v" * n))],
            "message",
        ),
        (
            sdk.ButtonElement.action_id_max_length,
            lambda n: [section(accessory=button(action_id="a" * n))],
            "message",
        ),
        (sdk.Block.block_id_max_length, lambda n: [section(block_id="b" * n)], "message"),
        (View.blocks_max_length, lambda n: [{"type": "divider"}] * n, "home"),
        (View.blocks_max_length, lambda n: [{"type": "divider"}] * n, "modal"),
    ],
)
def test_limits_match_slack_sdk(sdk_limit, make, surface):
    assert validate_blocks(make(sdk_limit), surface=surface) == []
    assert validate_blocks(make(sdk_limit + 1), surface=surface) != []


def test_message_block_limit_is_fifty():
    assert validate_blocks([{"type": "divider"}] * 50) == []
    [problem] = validate_blocks([{"type": "divider"}] * 51)
    assert "50" in problem


@pytest.mark.parametrize(
    ("field", "sdk_limit"),
    [
        ("title", View.title_max_length),
        ("submit", View.submit_max_length),
        ("close", View.close_max_length),
    ],
)
def test_modal_button_and_title_limits_match_slack_sdk(field, sdk_limit):
    ok = modal([section()], **{field: {"type": "plain_text", "text": "t" * sdk_limit}})
    too_long = modal([section()], **{field: {"type": "plain_text", "text": "t" * (sdk_limit + 1)}})
    assert validate_view(ok) == []
    assert any(p.startswith(f"view.{field}.text") for p in validate_view(too_long))


@pytest.mark.parametrize(
    ("field", "sdk_limit"),
    [
        ("callback_id", View.callback_id_max_length),
        ("private_metadata", View.private_metadata_max_length),
    ],
)
def test_modal_string_limits_match_slack_sdk(field, sdk_limit):
    assert validate_view(modal([section()], **{field: "x" * sdk_limit})) == []
    assert validate_view(modal([section()], **{field: "x" * (sdk_limit + 1)})) == [
        f"view.{field}: must be at most {sdk_limit} characters (got {sdk_limit + 1})"
    ]


INVALID_MESSAGES = {
    "unknown block type": [{"type": "table"}],
    "section without text or fields": [{"type": "section"}],
    "field too long": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
    "bad text object type": [{"type": "section", "text": {"type": "markdown", "text": "x"}}],
    "empty text": [{"type": "section", "text": {"type": "mrkdwn", "text": ""}}],
    "header in mrkdwn": [{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}],
    "button text in mrkdwn": [
        section(accessory=dict(button(), text={"type": "mrkdwn", "text": "x"}))
    ],
    "button without text": [section(accessory={"type": "button", "action_id": "x"})],
    "bad button style": [section(accessory=dict(button(), style="warning"))],
    "duplicate block_id": [section(block_id="q"), section(block_id="q")],
    "duplicate action_id": [
        {"type": "actions", "elements": [button("same"), button("same")]},
    ],
    "empty actions": [{"type": "actions", "elements": []}],
    "empty context": [{"type": "context", "elements": []}],
    "input in a message": [text_input()],
    "text input outside an input block": [
        {"type": "actions", "elements": [{"type": "plain_text_input", "action_id": "t"}]}
    ],
    "image without alt_text": [{"type": "image", "image_url": "https://example.com/a.png"}],
    "unknown element": [{"type": "actions", "elements": [{"type": "slider", "action_id": "s"}]}],
    "overflow with six options": [
        {
            "type": "actions",
            "elements": [
                {
                    "type": "overflow",
                    "action_id": "o",
                    "options": [
                        {"text": {"type": "plain_text", "text": str(i)}, "value": str(i)}
                        for i in range(6)
                    ],
                }
            ],
        }
    ],
    "option value too long": [
        {
            "type": "actions",
            "elements": [
                {
                    "type": "static_select",
                    "action_id": "s",
                    "options": [{"text": {"type": "plain_text", "text": "a"}, "value": "v" * 151}],
                }
            ],
        }
    ],
    "blocks not a list": {"type": "section"},
}


@pytest.mark.parametrize("name", sorted(INVALID_MESSAGES))
def test_rejects_invalid_message_blocks(name):
    assert validate_blocks(INVALID_MESSAGES[name]) != []


def test_problems_name_the_path():
    problems = validate_blocks([section(), section("x" * 3001)])
    assert problems == ["blocks[1].text.text: must be at most 3000 characters (got 3001)"]


def test_duplicate_ids_are_reported_once_with_both_places():
    [problem] = validate_blocks([section(block_id="q"), section(block_id="q")])
    assert problem == "blocks[1].block_id: duplicate block_id 'q' (also blocks[0])"


INVALID_VIEWS = {
    "no title": {k: v for k, v in modal([section()]).items() if k != "title"},
    "title in mrkdwn": modal([section()], title={"type": "mrkdwn", "text": "T"}),
    "inputs without submit": {k: v for k, v in modal([text_input()]).items() if k != "submit"},
    "input without label": modal([{k: v for k, v in text_input().items() if k != "label"}]),
    "input without element": modal([{k: v for k, v in text_input().items() if k != "element"}]),
    "max_length above 3000": modal([text_input(max_length=3001)]),
    "input on the home tab": {"type": "home", "blocks": [text_input()]},
    "101 blocks": modal([{"type": "divider"}] * 101),
    "no blocks": {k: v for k, v in modal([]).items() if k != "blocks"},
    "unknown view type": {"type": "workflow_step", "blocks": []},
    "external_id too long": modal([section()], external_id="e" * 256),
}


@pytest.mark.parametrize("name", sorted(INVALID_VIEWS))
def test_rejects_invalid_views(name):
    assert validate_view(INVALID_VIEWS[name]) != []


def test_action_ids_may_repeat_in_different_blocks():
    # Slack keys view state by block_id, then action_id: only the block must be unambiguous.
    assert (
        validate_blocks([section(accessory=button("same")), section(accessory=button("same"))])
        == []
    )
    assert validate_view(modal([text_input("first"), text_input("second")])) == []


def test_modal_with_inputs_and_submit_is_valid():
    assert validate_view(modal([text_input(max_length=3000), text_input("other")])) == []


def test_validate_message_checks_blocks_and_types():
    assert validate_message(text="hi") == []
    assert validate_message(text="hi", blocks=[section()]) == []
    assert validate_message(text=5) == ["text: must be a string"]
    assert validate_message(blocks=[{"type": "nope"}]) != []


def test_validator_does_not_change_its_input():
    blocks = [section(block_id="a"), section(block_id="a")]
    before = copy.deepcopy(blocks)
    validate_blocks(blocks)
    assert blocks == before


def test_unknown_surface_is_a_programming_error():
    with pytest.raises(ValueError, match="surface"):
        validate_blocks([], surface="canvas")
