"""What a person types at the sandbox's modal prompts, turned into what the input would
submit: text, an option (by number, label or value), several (comma-separated), people
by name, a date and time in their own zone. Enter keeps what the modal shows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_standin.render import text_of

CHOICE_KINDS = ("static_select", "radio_buttons")
MULTI_KINDS = ("multi_static_select", "checkboxes")
SHOWN_CHOICES = 6  # a hint lists this many options, then "…"
HINT_LABEL = 24  # characters of an option's label in a hint


class BadAnswer(ValueError):
    """The typed answer does not fit the input (the message says what would)."""


def options(element: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of every option, option groups flattened."""
    found = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found += group.get("options") or []
    return [(text_of(o.get("text")), str(o.get("value"))) for o in found]


def _short(label: str) -> str:
    return label if len(label) <= HINT_LABEL else label[: HINT_LABEL - 1].rstrip() + "…"


def _when(epoch: int, tz: str) -> str:
    return datetime.fromtimestamp(epoch, ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def hint(
    element: Mapping[str, Any],
    current: Any,
    *,
    optional: bool,
    tz: str,
    names: Mapping[str, str] | None = None,
) -> str:
    """The short help after an input's label: what to type, and what Enter keeps
    (`names`: user id -> name, to show a preset person)."""
    kind = element.get("type")
    parts: list[str] = []
    if kind in CHOICE_KINDS or kind in MULTI_KINDS:
        labels = [f"{n} {_short(label)}" for n, (label, _value) in enumerate(options(element), 1)]
        shown = ", ".join(labels[:SHOWN_CHOICES]) + (", …" if len(labels) > SHOWN_CHOICES else "")
        parts.append(shown + ("; several: 1,3" if kind in MULTI_KINDS else ""))
    elif kind == "users_select":
        parts.append("a name")
    elif kind == "multi_users_select":
        parts.append("names, comma-separated")
    elif kind == "datetimepicker":
        parts.append(f"YYYY-MM-DD HH:MM in {tz}")
    elif kind == "datepicker":
        parts.append("YYYY-MM-DD")
    elif kind == "timepicker":
        parts.append("HH:MM")
    if current not in (None, [], ""):
        parts.append("Enter keeps " + shown_value(element, current, tz=tz, names=names))
    elif optional:
        parts.append("Enter skips")
    return f" [{'; '.join(parts)}]" if parts else ""


def shown_value(
    element: Mapping[str, Any], value: Any, *, tz: str, names: Mapping[str, str] | None = None
) -> str:
    kind = element.get("type")
    if kind == "datetimepicker":
        return _when(int(value), tz)
    labels = dict(names or {}) | {v: label for label, v in options(element)}
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    return labels.get(str(value), str(value))


def _option(element: Mapping[str, Any], word: str) -> str:
    word = word.strip()
    choices = options(element)
    if word.isdigit() and 1 <= int(word) <= len(choices):
        return choices[int(word) - 1][1]
    folded = word.casefold()
    for label, value in choices:
        if folded in (value.casefold(), label.casefold()):
            return value
    starting = [value for label, value in choices if label.casefold().startswith(folded)]
    if len(starting) == 1:
        return starting[0]
    raise BadAnswer(f"choose one of: {', '.join(label for label, _v in choices)}")


def _person(word: str, people: Mapping[str, str]) -> str:
    name = word.strip().lstrip("@").lower()
    if name in people:
        return people[name]
    if name.upper() in people.values():
        return name.upper()
    raise BadAnswer(f"no one called {word.strip()!r}; try {', '.join(people)}")


def answer(element: Mapping[str, Any], typed: str, *, people: Mapping[str, str], tz: str) -> Any:
    """The value `typed` gives the input (None for nothing); BadAnswer when it fits not.

    `people` maps a sandbox name to its user id; times are read in `tz`."""
    kind = element.get("type")
    typed = typed.strip()
    if not typed:
        return None
    if kind in CHOICE_KINDS:
        return _option(element, typed)
    if kind in MULTI_KINDS:
        return [_option(element, word) for word in typed.split(",") if word.strip()]
    if kind == "users_select":
        return _person(typed, people)
    if kind == "multi_users_select":
        return [_person(word, people) for word in typed.split(",") if word.strip()]
    try:
        if kind == "datetimepicker":
            moment = datetime.strptime(typed, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(tz))
            return int(moment.timestamp())
        if kind == "datepicker":
            return date.fromisoformat(typed).isoformat()
        if kind == "timepicker":
            return datetime.strptime(typed, "%H:%M").strftime("%H:%M")
    except ValueError as exc:
        raise BadAnswer(hint(element, None, optional=False, tz=tz).strip(" []")) from exc
    return typed
