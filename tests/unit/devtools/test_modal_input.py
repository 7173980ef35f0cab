"""What a person types at the sandbox's modal prompts, as the input would submit it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.devtools.modal_input import BadAnswer, answer, hint
from bot.devtools.panels import presets

PEOPLE = {"ada": "U0ADA", "bayes": "U0BAYES"}


def opt(label: str, value: str) -> dict:
    return {"text": {"type": "plain_text", "text": label}, "value": value}


LEVEL = {
    "type": "static_select",
    "action_id": "level",
    "options": [opt("Junior", "junior"), opt("Senior", "senior"), opt("Staff", "staff")],
    "initial_option": opt("Senior", "senior"),
}
DECISION = {
    "type": "radio_buttons",
    "action_id": "decision",
    "options": [opt("Hire", "hire"), opt("No hire", "no_hire"), opt("Hold", "hold")],
}
POINTS = {"type": "checkboxes", "action_id": "points", "options": [opt("A", "k0"), opt("B", "k1")]}


@pytest.mark.parametrize(
    ("element", "typed", "value"),
    [
        (LEVEL, "2", "senior"),  # by number
        (LEVEL, "staff", "staff"),  # by value
        (LEVEL, "Junior", "junior"),  # by label
        (LEVEL, "jun", "junior"),  # by the start of one label
        (DECISION, "hire", "hire"),  # a label equal to the word wins over "No hire"
        (DECISION, "no", "no_hire"),
        (POINTS, "1, 2", ["k0", "k1"]),
        (POINTS, "b", ["k1"]),
        ({"type": "users_select"}, "@bayes", "U0BAYES"),
        ({"type": "multi_users_select"}, "ada, bayes", ["U0ADA", "U0BAYES"]),
        ({"type": "plain_text_input"}, "  ML Engineer ", "ML Engineer"),
        ({"type": "plain_text_input"}, "", None),  # Enter: the caller keeps the preset
        ({"type": "datepicker"}, "2026-03-03", "2026-03-03"),
        ({"type": "timepicker"}, "9:30", "09:30"),
    ],
)
def test_typed_answers_become_what_the_input_submits(element, typed, value):
    assert answer(element, typed, people=PEOPLE, tz="Europe/Berlin") == value


def test_a_date_and_time_is_read_in_the_persons_zone():
    epoch = answer({"type": "datetimepicker"}, "2026-03-03 10:00", people={}, tz="Europe/Berlin")
    assert datetime.fromtimestamp(epoch, UTC) == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("element", "typed"),
    [
        (LEVEL, "9"),
        (LEVEL, "principal"),
        (DECISION, "h"),  # Hire and Hold both start with it
        ({"type": "users_select"}, "zed"),
        ({"type": "datetimepicker"}, "tomorrow"),
    ],
)
def test_answers_that_do_not_fit_say_what_would(element, typed):
    with pytest.raises(BadAnswer):
        answer(element, typed, people=PEOPLE, tz="Europe/Berlin")


def test_the_hint_lists_choices_and_what_enter_keeps():
    assert hint(LEVEL, "senior", optional=False, tz="UTC") == (
        " [1 Junior, 2 Senior, 3 Staff; Enter keeps Senior]"
    )
    assert (
        hint({"type": "users_select"}, "U0ADA", optional=False, tz="UTC", names={"U0ADA": "ada"})
        == " [a name; Enter keeps ada]"
    )
    assert hint({"type": "plain_text_input"}, None, optional=True, tz="UTC") == " [Enter skips]"


def test_presets_are_what_the_modal_filled_in():
    view = {
        "blocks": [
            {"type": "input", "block_id": "level", "element": LEVEL},
            {"type": "input", "block_id": "decision", "element": DECISION},
            {
                "type": "input",
                "block_id": "starts",
                "element": {
                    "type": "datetimepicker",
                    "action_id": "starts",
                    "initial_date_time": 1772528400,
                },
            },
        ]
    }
    assert presets(view) == {"level": {"level": "senior"}, "starts": {"starts": 1772528400}}
