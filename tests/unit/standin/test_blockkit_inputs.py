"""The Block Kit validator on modals with every input element: where each element may go,
Slack's limits on options and texts, initial values, pickers and number inputs."""

from __future__ import annotations

import copy

import pytest
from slack_sdk.models import blocks as sdk
from slack_sdk.models.views import View

from slack_standin.blockkit import validate_blocks, validate_view


def opt(value: str, text: str | None = None) -> dict:
    return {"text": {"type": "plain_text", "text": text or value}, "value": value}


def modal(*elements: dict, extra_blocks: list | None = None) -> dict:
    blocks = [
        {
            "type": "input",
            "block_id": f"b{i}",
            "label": {"type": "plain_text", "text": "Label"},
            "element": {"action_id": "a", **element},
        }
        for i, element in enumerate(elements)
    ]
    return {
        "type": "modal",
        "callback_id": "debrief",
        "title": {"type": "plain_text", "text": "Debrief"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": blocks + (extra_blocks or []),
    }


EVERY_ELEMENT = [
    {"type": "checkboxes", "options": [opt("a"), opt("b")], "initial_options": [opt("a")]},
    {"type": "radio_buttons", "options": [opt("a"), opt("b")], "initial_option": opt("b")},
    {"type": "static_select", "options": [opt("a")], "initial_option": opt("a")},
    {
        "type": "multi_static_select",
        "max_selected_items": 2,
        "option_groups": [
            {"label": {"type": "plain_text", "text": "G1"}, "options": [opt("a"), opt("b")]},
            {"label": {"type": "plain_text", "text": "G2"}, "options": [opt("c")]},
        ],
        "initial_options": [opt("c")],
    },
    {"type": "users_select", "initial_user": "U1"},
    {"type": "multi_users_select", "initial_users": ["U1", "U2"], "max_selected_items": 3},
    {"type": "datetimepicker", "initial_date_time": 1628633820},
    {"type": "datepicker", "initial_date": "2024-02-29"},
    {"type": "timepicker", "initial_time": "23:59", "timezone": "Europe/Berlin"},
    {
        "type": "number_input",
        "is_decimal_allowed": True,
        "min_value": "0",
        "max_value": "10.5",
        "initial_value": "2.5",
    },
    {"type": "number_input", "is_decimal_allowed": False, "min_value": "-3", "max_value": "3"},
    {"type": "plain_text_input", "multiline": True, "min_length": 10, "max_length": 3000},
    {"type": "email_text_input"},
    {"type": "url_text_input"},
]


def test_a_modal_with_every_input_element_is_valid():
    assert validate_view(modal(*EVERY_ELEMENT)) == []


def test_the_same_modal_built_with_slack_sdk_models_is_valid():
    view = View(
        type="modal",
        callback_id="debrief",
        title="Debrief",
        submit="Save",
        blocks=[
            sdk.InputBlock(
                label="Topics",
                element=sdk.CheckboxesElement(
                    action_id="t", options=[sdk.Option(text="ML", value="ml", description="x")]
                ),
            ),
            sdk.InputBlock(
                label="Verdict",
                element=sdk.RadioButtonsElement(
                    action_id="v", options=[sdk.Option(text="Hire", value="hire")]
                ),
            ),
            sdk.InputBlock(
                label="Level",
                element=sdk.StaticSelectElement(
                    action_id="l", options=[sdk.Option(text="Senior", value="senior")]
                ),
            ),
            sdk.InputBlock(
                label="Skills",
                element=sdk.StaticMultiSelectElement(
                    action_id="s",
                    max_selected_items=2,
                    options=[sdk.Option(text="Python", value="py")],
                ),
            ),
            sdk.InputBlock(label="Lead", element=sdk.UserSelectElement(action_id="u")),
            sdk.InputBlock(label="Panel", element=sdk.UserMultiSelectElement(action_id="p")),
            sdk.InputBlock(label="When", element=sdk.DateTimePickerElement(action_id="w")),
            sdk.InputBlock(label="Day", element=sdk.DatePickerElement(action_id="d")),
            sdk.InputBlock(label="At", element=sdk.TimePickerElement(action_id="at")),
            sdk.InputBlock(
                label="Score",
                element=sdk.NumberInputElement(
                    action_id="n", is_decimal_allowed=False, min_value="1", max_value="5"
                ),
            ),
            sdk.InputBlock(label="Notes", element=sdk.PlainTextInputElement(action_id="x")),
        ],
    )
    assert validate_view(view.to_dict()) == []


def many(n: int) -> list[dict]:
    return [opt(f"v{i}") for i in range(n)]


@pytest.mark.parametrize(
    ("make", "limit"),
    [
        (lambda n: {"type": "checkboxes", "options": many(n)}, 10),
        (lambda n: {"type": "radio_buttons", "options": many(n)}, 10),
        (lambda n: {"type": "static_select", "options": many(n)}, 100),
        (lambda n: {"type": "multi_static_select", "options": many(n)}, 100),
        (
            lambda n: {
                "type": "static_select",
                "option_groups": [
                    {"label": {"type": "plain_text", "text": f"g{i}"}, "options": [opt(f"o{i}")]}
                    for i in range(n)
                ],
            },
            100,
        ),
        (
            lambda n: {
                "type": "static_select",
                "option_groups": [
                    {"label": {"type": "plain_text", "text": "g"}, "options": many(n)}
                ],
            },
            100,
        ),
        (lambda n: {"type": "static_select", "options": [opt("v", "t" * n)]}, 75),
        (lambda n: {"type": "static_select", "options": [opt("v" * n, "t")]}, 150),
        (
            lambda n: {
                "type": "checkboxes",
                "options": [opt("v") | {"description": {"type": "plain_text", "text": "d" * n}}],
            },
            75,
        ),
        (
            lambda n: {
                "type": "static_select",
                "option_groups": [
                    {"label": {"type": "plain_text", "text": "g" * n}, "options": [opt("v")]}
                ],
            },
            75,
        ),
        (
            lambda n: {
                "type": "users_select",
                "placeholder": {"type": "plain_text", "text": "p" * n},
            },
            150,
        ),
        (lambda n: {"type": "plain_text_input", "max_length": n}, 3000),
        (lambda n: {"type": "plain_text_input", "initial_value": "x" * n}, 3000),
    ],
)
def test_element_limits(make, limit):
    assert validate_view(modal(make(limit))) == []
    assert validate_view(modal(make(limit + 1))) != []


@pytest.mark.parametrize(("field", "limit"), [("label", 2000), ("hint", 2000)])
def test_input_label_and_hint_limits(field, limit):
    def with_text(n: int) -> dict:
        view = modal({"type": "plain_text_input"})
        view["blocks"][0][field] = {"type": "plain_text", "text": "x" * n}
        return view

    assert validate_view(with_text(limit)) == []
    assert any(
        p.startswith(f"view.blocks[0].{field}.text") for p in validate_view(with_text(limit + 1))
    )


def test_block_limits_per_surface():
    inputs = [{"type": "plain_text_input", "action_id": "a"}] * 1
    assert validate_view(modal(*inputs, extra_blocks=[{"type": "divider"}] * 99)) == []
    assert validate_view(modal(*inputs, extra_blocks=[{"type": "divider"}] * 100)) != []
    assert validate_blocks([{"type": "divider"}] * 50, surface="message") == []
    assert validate_blocks([{"type": "divider"}] * 51, surface="message") != []
    assert validate_blocks([{"type": "divider"}] * 100, surface="home") == []


def section_with(accessory: dict) -> list[dict]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "accessory": accessory}]


BUTTON = {"type": "button", "action_id": "b", "text": {"type": "plain_text", "text": "Go"}}

INVALID = {
    "button in an input block": modal(BUTTON),
    "overflow in an input block": modal({"type": "overflow", "options": [opt("a"), opt("b")]}),
    "number_input without is_decimal_allowed": modal({"type": "number_input"}),
    "number_input with a number, not a string": modal(
        {"type": "number_input", "is_decimal_allowed": False, "min_value": 1}
    ),
    "number_input min above max": modal(
        {"type": "number_input", "is_decimal_allowed": True, "min_value": "5", "max_value": "1"}
    ),
    "number_input initial outside the range": modal(
        {"type": "number_input", "is_decimal_allowed": True, "max_value": "5", "initial_value": "6"}
    ),
    "number_input decimal when not allowed": modal(
        {"type": "number_input", "is_decimal_allowed": False, "initial_value": "1.5"}
    ),
    "number_input not a number": modal(
        {"type": "number_input", "is_decimal_allowed": True, "initial_value": "lots"}
    ),
    "datepicker bad initial_date": modal({"type": "datepicker", "initial_date": "02/29/2024"}),
    "datepicker impossible date": modal({"type": "datepicker", "initial_date": "2023-02-29"}),
    "timepicker 12-hour time": modal({"type": "timepicker", "initial_time": "3:30pm"}),
    "datetimepicker in milliseconds": modal(
        {"type": "datetimepicker", "initial_date_time": 1628633820000}
    ),
    "datetimepicker as a string": modal(
        {"type": "datetimepicker", "initial_date_time": "1628633820"}
    ),
    "radio initial_option not offered": modal(
        {"type": "radio_buttons", "options": [opt("a")], "initial_option": opt("z")}
    ),
    "checkbox initial_options not offered": modal(
        {"type": "checkboxes", "options": [opt("a")], "initial_options": [opt("a", "other text")]}
    ),
    "select initial_option not offered": modal(
        {"type": "static_select", "options": [opt("a")], "initial_option": opt("b")}
    ),
    "options and option_groups": modal(
        {
            "type": "static_select",
            "options": [opt("a")],
            "option_groups": [
                {"label": {"type": "plain_text", "text": "g"}, "options": [opt("b")]}
            ],
        }
    ),
    "no options": modal({"type": "checkboxes", "options": []}),
    "radio with option_groups": modal(
        {
            "type": "radio_buttons",
            "option_groups": [
                {"label": {"type": "plain_text", "text": "g"}, "options": [opt("b")]}
            ],
        }
    ),
    "group without options": modal(
        {"type": "static_select", "option_groups": [{"label": {"type": "plain_text", "text": "g"}}]}
    ),
    "max_selected_items zero": modal(
        {"type": "multi_static_select", "options": [opt("a")], "max_selected_items": 0}
    ),
    "more initial options than max_selected_items": modal(
        {
            "type": "multi_static_select",
            "options": [opt("a"), opt("b")],
            "initial_options": [opt("a"), opt("b")],
            "max_selected_items": 1,
        }
    ),
    "two elements focus on load": modal(
        {"type": "plain_text_input", "focus_on_load": True},
        {"type": "users_select", "focus_on_load": True},
    ),
    "min_length above max_length": modal(
        {"type": "plain_text_input", "min_length": 10, "max_length": 5}
    ),
    "max_length zero": modal({"type": "plain_text_input", "max_length": 0}),
    "url on a checkbox option": modal(
        {"type": "checkboxes", "options": [opt("a") | {"url": "https://example.com"}]}
    ),
    "select option text in mrkdwn": modal(
        {
            "type": "static_select",
            "options": [{"text": {"type": "mrkdwn", "text": "*a*"}, "value": "a"}],
        }
    ),
    "optional not a boolean": {
        **modal({"type": "plain_text_input"}),
        "blocks": [
            {
                "type": "input",
                "optional": "yes",
                "label": {"type": "plain_text", "text": "L"},
                "element": {"type": "plain_text_input", "action_id": "a"},
            }
        ],
    },
    "confirm text too long": modal(
        {
            "type": "static_select",
            "options": [opt("a")],
            "confirm": {
                "title": {"type": "plain_text", "text": "Sure?"},
                "text": {"type": "plain_text", "text": "t" * 301},
                "confirm": {"type": "plain_text", "text": "Yes"},
                "deny": {"type": "plain_text", "text": "No"},
            },
        }
    ),
    "confirm without deny": modal(
        {
            "type": "static_select",
            "options": [opt("a")],
            "confirm": {
                "title": {"type": "plain_text", "text": "Sure?"},
                "text": {"type": "plain_text", "text": "t"},
                "confirm": {"type": "plain_text", "text": "Yes"},
            },
        }
    ),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_rejects(name):
    assert validate_view(INVALID[name]) != [], name


@pytest.mark.parametrize(
    "blocks",
    [
        section_with({"type": "datetimepicker", "action_id": "d"}),
        section_with({"type": "plain_text_input", "action_id": "t"}),
        section_with({"type": "file_input", "action_id": "f"}),
        [
            {
                "type": "actions",
                "elements": [
                    {"type": "number_input", "action_id": "n", "is_decimal_allowed": True}
                ],
            }
        ],
        [
            {
                "type": "actions",
                "elements": [{"type": "image", "image_url": "https://x/a.png", "alt_text": "a"}],
            }
        ],
    ],
)
def test_elements_outside_their_containers(blocks):
    assert validate_blocks(blocks, surface="home") != []


@pytest.mark.parametrize(
    "blocks",
    [
        section_with({"type": "radio_buttons", "action_id": "r", "options": [opt("a")]}),
        section_with({"type": "multi_users_select", "action_id": "m"}),
        section_with({"type": "timepicker", "action_id": "t"}),
        [
            {
                "type": "actions",
                "elements": [
                    {"type": "datetimepicker", "action_id": "d"},
                    {"type": "checkboxes", "action_id": "c", "options": [opt("a")]},
                    {"type": "users_select", "action_id": "u"},
                    BUTTON,
                ],
            }
        ],
    ],
)
def test_elements_inside_their_containers(blocks):
    assert validate_blocks(blocks, surface="home") == []


def test_option_text_may_be_mrkdwn_for_checkboxes_and_radio_buttons():
    mrkdwn = {"text": {"type": "mrkdwn", "text": "*ML*"}, "value": "ml"}
    assert validate_view(modal({"type": "checkboxes", "options": [mrkdwn]})) == []
    assert validate_view(modal({"type": "radio_buttons", "options": [mrkdwn]})) == []


def test_validator_leaves_the_view_alone():
    view = modal(*EVERY_ELEMENT)
    before = copy.deepcopy(view)
    validate_view(view)
    assert view == before
