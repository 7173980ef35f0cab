"""Filling the panel modals as a person would, for the scripted demo and the sandbox REPL.

Values are in the shape `LocalWorkspace.submit_modal` takes ({block_id: {action_id:
value}}); the block ids are the ones `bot.slack.blocks.panels` gives its inputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.devtools.sandbox import SandboxUser
from questionbank.loader import Bank

Values = dict[str, dict[str, Any]]
RECOMMENDATIONS = ("strong_no", "no", "yes", "strong_yes")


def inputs(view: Mapping[str, Any]) -> list[tuple[str, dict[str, Any], bool]]:
    """(block id, element, optional) for every input block of a modal, in order."""
    return [
        (str(block.get("block_id")), block.get("element") or {}, bool(block.get("optional")))
        for block in view.get("blocks") or []
        if block.get("type") == "input"
    ]


def preset(element: Mapping[str, Any]) -> Any:
    """What the element submits when the user leaves it as the modal set it, or None."""
    kind = element.get("type")
    if kind in ("static_select", "radio_buttons"):
        option = element.get("initial_option")
        return option.get("value") if option else None
    if kind in ("multi_static_select", "checkboxes"):
        options = element.get("initial_options") or []
        return [o.get("value") for o in options] or None
    return {
        "users_select": element.get("initial_user"),
        "multi_users_select": element.get("initial_users"),
        "datetimepicker": element.get("initial_date_time"),
        "datepicker": element.get("initial_date"),
        "timepicker": element.get("initial_time"),
        "plain_text_input": element.get("initial_value"),
        "number_input": element.get("initial_value"),
    }.get(str(kind))


def presets(view: Mapping[str, Any]) -> Values:
    """Every input the modal filled in itself."""
    found: Values = {}
    for block_id, element, _optional in inputs(view):
        value = preset(element)
        if value is not None:
            found[block_id] = {element["action_id"]: value}
    return found


# ---------------------------------------------------------------- a new panel


@dataclass(frozen=True)
class PanelChoices:
    """What a coordinator types into the new-panel form."""

    interviewers: tuple[str, ...]
    hiring_manager: str
    coordinator: str
    topics: tuple[str, ...]
    starts: datetime
    debrief: datetime
    minutes: int = 45
    role: str = "ML Engineer"
    level: str = "senior"
    candidate: str = "Grace Hopper"


def panel_people(users: Sequence[SandboxUser], coordinator: str) -> tuple[list[str], str]:
    """Sandbox people for a panel the `coordinator` runs: hugo is the hiring manager
    (ada when hugo coordinates), everybody else interviews."""
    hiring_manager = next(
        (u.user_id for u in users if u.name == "hugo" and u.user_id != coordinator),
        next(u.user_id for u in users if u.user_id != coordinator),
    )
    interviewers = [u.user_id for u in users if u.user_id not in (coordinator, hiring_manager)]
    return interviewers[:6], hiring_manager


def busiest_topics(bank: Bank, count: int = 3) -> list[str]:
    """The topics with the most interview questions (a panel on them always plans)."""
    topics = bank.topics("interview")
    return sorted(topics, key=lambda t: (-topics[t], t))[:count]


def soon(now: datetime, minutes: int, interviewers: int) -> tuple[datetime, datetime]:
    """Interviews from the next quarter hour after an hour from `now`, back to back; the
    debrief two hours after the last one ends."""
    start = now + timedelta(hours=1)
    start = start.replace(second=0, microsecond=0) + timedelta(minutes=-start.minute % 15)
    return start, start + timedelta(minutes=minutes * interviewers, hours=2)


def new_panel_values(view: Mapping[str, Any], choices: PanelChoices) -> Values:
    values = presets(view)
    values |= {
        "role": {"role": choices.role},
        "level": {"level": choices.level},
        "candidate": {"candidate": choices.candidate},
        "interviewers": {"interviewers": list(choices.interviewers)},
        "hiring_manager": {"hiring_manager": choices.hiring_manager},
        "coordinator": {"coordinator": choices.coordinator},
        "topics": {"topics": list(choices.topics)},
        "starts": {"starts": int(choices.starts.timestamp())},
        "minutes": {"minutes": str(choices.minutes)},
        "debrief": {"debrief": int(choices.debrief.timestamp())},
    }
    return values


# ---------------------------------------------------------------- a scorecard


def scorecard_questions(view: Mapping[str, Any]) -> list[str]:
    """The ids of the questions a scorecard modal asks to rate, in order."""
    return [b.removeprefix("rating:") for b, _e, _o in inputs(view) if b.startswith("rating:")]


def scorecard_values(
    view: Mapping[str, Any],
    *,
    recommendation: str,
    rating: int,
    evidence: str = "",
    notes: Mapping[str, str] | str = "",
    ticked: Mapping[str, Sequence[int]] | None = None,
    topics: Mapping[str, int | None] | None = None,
) -> Values:
    """Every question rated `rating`, every focus topic too unless `topics` says
    (None: not assessed). Without `ticked`, the key points ticked follow the rating:
    none for a 1, all for a 4."""
    values: Values = {}
    for block_id, element, _optional in inputs(view):
        kind, _, key = block_id.partition(":")
        if kind == "points":
            options = [str(o["value"]) for o in element.get("options") or []]
            if ticked is not None:
                chosen = [options[i] for i in ticked.get(key, ()) if i < len(options)]
            else:
                chosen = options[: round(len(options) * (rating - 1) / 3)]
            if chosen:
                values[block_id] = {"points": chosen}
        elif kind == "rating":
            values[block_id] = {"rating": str(rating)}
        elif kind == "notes":
            text = notes if isinstance(notes, str) else notes.get(key, "")
            if text:
                values[block_id] = {"notes": text}
        elif kind == "topic":
            given = rating if topics is None else topics.get(key, rating)
            values[block_id] = {"topic": "none" if given is None else str(given)}
    values["recommendation"] = {"recommendation": recommendation}
    if evidence:
        values["evidence"] = {"evidence": evidence}
    return values
