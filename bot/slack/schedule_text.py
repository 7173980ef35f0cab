"""Schedules in words: the confirmations and config screens admins read (English).

Pure; the schedule rules themselves live in `bot.core.schedule`."""

from __future__ import annotations

from datetime import datetime, time

from bot.core.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    WEEKENDS,
    RevealAfter,
    RevealRule,
    ScheduleSpec,
    zone_for,
)

DAY_NAMES: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
MONTH_ABBREVIATIONS: tuple[str, ...] = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def _join_words(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def describe_days(days: frozenset[int]) -> str:
    """ "daily", "weekdays", "weekends", "Monday to Thursday", "Monday, Wednesday and Friday"."""
    days = frozenset(days)
    if days == EVERY_DAY:
        return "daily"
    if days == WEEKDAYS:
        return "weekdays"
    if days == WEEKENDS:
        return "weekends"
    ordered = sorted(days)
    if len(ordered) >= 3 and ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
    return "on " + _join_words([DAY_NAMES[day] for day in ordered])


def _format_hours(hours: float) -> str:
    text = f"{hours:g}"
    return f"{text} hour" if hours == 1 else f"{text} hours"


def describe_reveal(rule: RevealRule, post_time: time | None = None) -> str:
    if isinstance(rule, RevealAfter):
        return f"answers revealed {_format_hours(rule.hours)} after posting"
    text = f"answers revealed at {rule.time:%H:%M}"
    if post_time is not None and rule.time <= post_time:
        text += " the next day"
    return text


def describe(spec: ScheduleSpec) -> str:
    """Confirmation text, e.g.
    "weekdays at 09:00 (Europe/Berlin); answers revealed at 17:00; weekly recap on Friday".
    """
    parts = [
        f"{describe_days(spec.days)} at {spec.time:%H:%M} ({spec.tz})",
        describe_reveal(spec.reveal_rule, spec.time),
        "no weekly recap"
        if spec.recap_day is None
        else f"weekly recap on {DAY_NAMES[spec.recap_day]}",
    ]
    if spec.topics:
        parts.append("topics: " + ", ".join(spec.topics))
    if spec.difficulty is not None:
        parts.append(f"difficulty: {spec.difficulty}")
    return "; ".join(parts)


def format_local(dt_utc: datetime, tz: str) -> str:
    """An instant as local time, e.g. "Fri 27 Mar 2026 17:00 CET".

    Names come from fixed English tables, not strftime, so the text does not depend
    on the process locale.
    """
    if dt_utc.tzinfo is None or dt_utc.utcoffset() is None:
        raise ValueError("dt_utc must be a timezone-aware datetime")
    local = dt_utc.astimezone(zone_for(tz))
    return (
        f"{DAY_NAMES[local.weekday()][:3]} {local.day} {MONTH_ABBREVIATIONS[local.month - 1]}"
        f" {local.year} {local:%H:%M} {local.tzname()}"
    )
