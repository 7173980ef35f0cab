"""Parse the arguments of admin subcommands (`schedule`, `config`) into values,
with the usage text each error shows.

Pure: no I/O and no clock. Every failure is a :class:`ParseError` whose message is
one line saying what was wrong and showing the correct usage. Messages quote the
offending token as plain text; escaping for Slack is the renderer's job.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, replace
from datetime import time
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz, process, utils

from bot.core.schedule import (
    EVERY_DAY,
    MAX_REVEAL_HOURS,
    WEEKDAYS,
    WEEKENDS,
    RevealAfter,
    RevealAt,
    RevealRule,
    ScheduleSpec,
)
from bot.slack.parser.suggest import close_matches, did_you_mean
from questionbank.models import DIFFICULTY_NAMES

SCHEDULE_USAGE = "/mlquiz schedule HH:MM [time zone] [weekdays|daily|weekends|mon,wed,fri|mon-thu]"
CONFIG_USAGE = (
    "/mlquiz config reveal 17:00|6h | topics a,b|all | difficulty easy|medium|hard|any"
    " | recap fri|off"
)
REVEAL_USAGE = "/mlquiz config reveal 17:00 | reveal 6h | reveal after 6 hours"
TOPICS_USAGE = "/mlquiz config topics topic-a,topic-b | topics all"
DIFFICULTY_USAGE = "/mlquiz config difficulty easy|medium|hard|any"
RECAP_USAGE = "/mlquiz config recap mon..sun | recap off"

_MAX_ECHO = 40


class ParseError(ValueError):
    """Bad admin input. ``str(error)`` is one line: the problem, then the usage."""

    def __init__(self, problem: str, usage: str) -> None:
        self.problem = problem
        self.usage = usage
        super().__init__(f"{problem} Usage: `{usage}`")


def _echo(token: str) -> str:
    """The user's token for an error message: one line, bounded length."""
    flat = " ".join(token.split())
    if len(flat) > _MAX_ECHO:
        flat = flat[: _MAX_ECHO - 1] + "…"
    return f"`{flat}`"


# ---------------------------------------------------------------- times


_TIME_24H = re.compile(r"^(\d{1,2}):(\d{2})$")
_TIME_12H = re.compile(r"^(\d{1,2})(?::(\d{2}))?(am|pm)$")


def parse_time(token: str) -> time | None:
    """HH:MM / H:MM (24h), or 9am / 5:30pm. None when the token is not a time."""
    text = token.strip().lower().replace(".", "")  # "5 p.m." reaches here as "5pm"
    if match := _TIME_24H.match(text):
        hour, minute = int(match[1]), int(match[2])
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
        return None
    if match := _TIME_12H.match(text):
        hour, minute = int(match[1]), int(match[2] or 0)
        if 1 <= hour <= 12 and minute <= 59:
            return time(hour % 12 + (12 if match[3] == "pm" else 0), minute)
    return None


def _looks_like_time(token: str) -> bool:
    return bool(re.fullmatch(r"\d{1,4}([:.]\d+)?\s*([ap]\.?m\.?)?", token.strip().lower()))


# ---------------------------------------------------------------- days


_DAY_WORDS: dict[str, int] = {}
for _number, _name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
):
    _DAY_WORDS[_name] = _number
    _DAY_WORDS[_name[:3]] = _number
    _DAY_WORDS[_name + "s"] = _number  # "mondays"
_DAY_WORDS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

_DAY_SETS: dict[str, frozenset[int]] = {
    "weekdays": WEEKDAYS,
    "weekday": WEEKDAYS,
    "daily": EVERY_DAY,
    "everyday": EVERY_DAY,
    "every-day": EVERY_DAY,
    "weekends": WEEKENDS,
    "weekend": WEEKENDS,
}


def parse_day(token: str) -> int | None:
    """A single day name (full, 3-letter or common short form) -> 0..6, else None."""
    return _DAY_WORDS.get(token.strip().lower())


def parse_days(token: str) -> frozenset[int] | None:
    """A days token -> weekday numbers; None when the token is not about days at all.

    Accepts the set words (weekdays, daily, everyday, weekends), comma lists of day
    names and ranges ``mon-thu``. A range may wrap past Sunday (``fri-mon``).
    Raises ParseError when it is clearly a day list with a bad part.
    """
    text = token.strip().lower()
    if text in _DAY_SETS:
        return _DAY_SETS[text]
    parts = text.split(",")
    days: set[int] = set()
    for part in parts:
        if "-" in part:
            start_text, _, end_text = part.partition("-")
            start, end = parse_day(start_text), parse_day(end_text)
            if start is None or end is None:
                bad = start_text if start is None else end_text
                _bad_day_part(bad, token, several=len(parts) > 1 or start is not None)
                return None
            span = (end - start) % 7
            days.update((start + offset) % 7 for offset in range(span + 1))
            continue
        day = parse_day(part)
        if day is None:
            _bad_day_part(part, token, several=len(parts) > 1)
            return None
        days.add(day)
    return frozenset(days)


def _bad_day_part(part: str, token: str, *, several: bool) -> None:
    """Raise ParseError when the token is evidently a day list with this bad part;
    otherwise return, and the caller says "not days" (None)."""
    # Plain ratio: WRatio's partial matching would find "mon" inside any long word.
    # A lone token needs a closer match, since it may be a mistyped zone instead.
    suggestions = close_matches(
        part,
        list(_DAY_WORDS) + list(_DAY_SETS),
        limit=1,
        cutoff=60 if several else 75,
        scorer=fuzz.ratio,
    )
    if several or suggestions:
        problem = f"{_echo(part) if part else 'An empty day'} is not a day name"
        if part != token:
            problem += f" (in {_echo(token)})"
        raise ParseError(problem + "." + did_you_mean(suggestions), SCHEDULE_USAGE)
    return None


# ---------------------------------------------------------------- time zones


@lru_cache(maxsize=1)
def _zones() -> tuple[frozenset[str], dict[str, str]]:
    names = frozenset(zoneinfo.available_timezones())
    return names, {name.lower(): name for name in names}


@lru_cache(maxsize=1)
def _zone_aliases() -> tuple[list[str], list[str]]:
    """Search strings and the zone each names: the full name and its city part.

    Matching the city alone lets "Berlin" or "new york" find their zone.
    """
    names, _ = _zones()
    aliases: list[str] = []
    owners: list[str] = []
    for name in sorted(names):
        aliases.append(name.replace("_", " "))
        owners.append(name)
        city = name.rsplit("/", 1)[-1]
        if city != name:
            aliases.append(city.replace("_", " "))
            owners.append(name)
    return aliases, owners


def parse_timezone(token: str) -> str | None:
    """The canonical IANA name for ``token`` (case-insensitive), else None."""
    names, by_lower = _zones()
    text = token.strip()
    if text in names:
        return text
    return by_lower.get(text.lower())


def suggest_timezones(token: str, limit: int = 3) -> list[str]:
    aliases, owners = _zone_aliases()
    query = token.replace("_", " ")
    found: list[str] = []
    matches = process.extract(
        query,
        aliases,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit * 4,
        score_cutoff=80,
    )
    best = matches[0][1] if matches else 0
    for _alias, score, index in matches:
        # Only near-ties with the best match: a clear winner is shown alone.
        if score >= best - 3 and owners[index] not in found:
            found.append(owners[index])
    return found[:limit]


# ---------------------------------------------------------------- schedule


class ScheduleArgs(NamedTuple):
    time: time
    tz: str
    days: frozenset[int]


def _tokens(text: str) -> list[str]:
    # Glue what people naturally space out: "9 am", "mon, wed", "mon - thu".
    text = re.sub(r"(\d)\s+([ap]\.?m\.?)(?=\s|$)", r"\1\2", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"\s*,\s*", ",", text)
    text = re.sub(r"(?<=[A-Za-z])\s+-\s+(?=[A-Za-z])", "-", text)
    return text.split()


def _means_something(token: str) -> bool:
    """Whether a schedule token parses as a time, a zone or days on its own."""
    if parse_time(token) is not None or parse_timezone(token) is not None:
        return True
    try:
        return parse_days(token) is not None
    except ParseError:
        return True


def parse_schedule_args(text: str, default_tz: str) -> ScheduleArgs:
    """``"09:00 Europe/Berlin weekdays"`` -> (time, tz, days).

    The time is required; the zone defaults to ``default_tz`` and days to daily.
    Zone and day tokens may come in any order.
    """
    tokens = _tokens(text)
    if not tokens:
        raise ParseError(
            "Tell me when to post, e.g. `09:00 Europe/Berlin weekdays`.", SCHEDULE_USAGE
        )
    post_time: time | None = None
    tz: str | None = None
    days: set[int] = set()
    saw_days = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if (parsed_time := parse_time(token)) is not None:
            if post_time is not None:
                raise ParseError(
                    f"Two times given ({post_time:%H:%M} and {_echo(token)}); give one.",
                    SCHEDULE_USAGE,
                )
            post_time = parsed_time
            continue
        if _looks_like_time(token):
            raise ParseError(
                f"{_echo(token)} is not a valid time; use 24-hour HH:MM like 09:00 or 17:30,"
                " or 9am / 5:30pm.",
                SCHEDULE_USAGE,
            )
        zone = parse_timezone(token)
        if zone is None and index < len(tokens):
            # "America/New York": a zone typed with a space for the underscore.
            zone = parse_timezone(f"{token}_{tokens[index]}")
            if zone is not None:
                index += 1
        if zone is not None:
            if tz is not None and zone != tz:
                raise ParseError(
                    f"Two time zones given ({tz} and {_echo(token)}); give one.", SCHEDULE_USAGE
                )
            tz = zone
            continue
        if (parsed_days := parse_days(token)) is not None:
            days |= parsed_days
            saw_days = True
            continue
        # "new york": when the next token means nothing on its own, search for both.
        query = token
        if index < len(tokens) and not _means_something(tokens[index]):
            query = f"{token} {tokens[index]}"
        suggestions = suggest_timezones(query)
        raise ParseError(
            f"{_echo(token)} is not a time zone or a day list." + did_you_mean(suggestions),
            SCHEDULE_USAGE,
        )
    if post_time is None:
        raise ParseError("Missing the post time (HH:MM, e.g. 09:00).", SCHEDULE_USAGE)
    if parse_timezone(default_tz) is None and tz is None:
        raise ParseError(
            f"No time zone given and the default {default_tz!r} is not valid; name one,"
            " e.g. Europe/Berlin.",
            SCHEDULE_USAGE,
        )
    return ScheduleArgs(
        time=post_time,
        tz=tz or parse_timezone(default_tz) or default_tz,
        days=frozenset(days) if saw_days else EVERY_DAY,
    )


# ---------------------------------------------------------------- config


@dataclass(frozen=True)
class SetReveal:
    rule: RevealRule


@dataclass(frozen=True)
class SetTopics:
    """Empty ``topics`` means every topic."""

    topics: tuple[str, ...]


@dataclass(frozen=True)
class SetDifficulty:
    """``None`` means any difficulty."""

    difficulty: str | None


@dataclass(frozen=True)
class SetRecap:
    """``None`` turns the weekly recap off."""

    day: int | None


ConfigChange = SetReveal | SetTopics | SetDifficulty | SetRecap

_CONFIG_KEYS = ("reveal", "topics", "difficulty", "recap")
_KEY_ALIASES = {"topic": "topics", "level": "difficulty", "recaps": "recap"}
_ALL_WORDS = frozenset({"all", "any", "every", "everything"})
_OFF_WORDS = frozenset({"off", "none", "no", "never", "disable", "disabled"})

_DURATION = re.compile(
    r"^(\d+(?:\.\d+)?)\s*(h|hr|hrs|hour|hours|m|min|mins|minute|minutes)$", re.IGNORECASE
)


def parse_reveal(text: str) -> RevealRule:
    """``17:00`` / ``5pm`` / ``at 17:00`` / ``6h`` / ``after 6 hours`` / ``in 90 minutes``."""
    words = text.strip().split()
    if words and words[0].lower() in {"at", "after", "in"}:
        lead, words = words[0].lower(), words[1:]
    else:
        lead = ""
    rest = " ".join(words)
    if not rest:
        raise ParseError("Say when to reveal answers.", REVEAL_USAGE)
    if lead != "after" and lead != "in" and (at := parse_time(rest.replace(" ", ""))) is not None:
        return RevealAt(at)
    if lead != "at" and (match := _DURATION.match(rest)):
        amount = float(match[1])
        hours = amount if match[2].lower().startswith("h") else amount / 60
        if not 0 < hours <= MAX_REVEAL_HOURS:
            raise ParseError(
                f"A reveal delay must be more than 0 and at most {MAX_REVEAL_HOURS:g} hours,"
                f" not {_echo(rest)}.",
                REVEAL_USAGE,
            )
        return RevealAfter(hours)
    raise ParseError(
        f"{_echo(text.strip())} is neither a time (17:00) nor a delay (6h).", REVEAL_USAGE
    )


def parse_topics(text: str, known_topics: set[str] | frozenset[str]) -> tuple[str, ...]:
    """A comma/space separated list of known topic slugs, or ``all`` (-> empty tuple)."""
    items = [item for item in re.split(r"[,\s]+", text.strip()) if item]
    if not items:
        raise ParseError("Name at least one topic, or `all`.", TOPICS_USAGE)
    if len(items) == 1 and items[0].lower() in _ALL_WORDS:
        return ()
    by_lower = {topic.lower(): topic for topic in known_topics}
    chosen: list[str] = []
    for item in items:
        topic = by_lower.get(item.lower()) or by_lower.get(item.lower().replace("_", "-"))
        if topic is None:
            suggestions = close_matches(item, sorted(known_topics))
            hint = (
                did_you_mean(suggestions) if suggestions else " `/mlquiz topics` lists the topics."
            )
            raise ParseError(f"Unknown topic {_echo(item)}.{hint}", TOPICS_USAGE)
        if topic not in chosen:
            chosen.append(topic)
    return tuple(chosen)


def parse_difficulty(text: str) -> str | None:
    word = text.strip().lower()
    if word in DIFFICULTY_NAMES:
        return word
    if word in _ALL_WORDS:
        return None
    if not word:
        raise ParseError("Name a difficulty.", DIFFICULTY_USAGE)
    suggestions = close_matches(word, sorted(DIFFICULTY_NAMES), limit=1)
    raise ParseError(
        f"Unknown difficulty {_echo(word)}.{did_you_mean(suggestions)}", DIFFICULTY_USAGE
    )


def parse_recap(text: str) -> int | None:
    word = text.strip().lower()
    if word in _OFF_WORDS:
        return None
    if (day := parse_day(word)) is not None:
        return day
    if not word:
        raise ParseError("Name a day for the weekly recap, or `off`.", RECAP_USAGE)
    suggestions = close_matches(word, [*_DAY_WORDS, "off"], limit=1, cutoff=70, scorer=fuzz.ratio)
    raise ParseError(
        f"{_echo(word)} is not a day of the week.{did_you_mean(suggestions)}", RECAP_USAGE
    )


def parse_config_args(text: str, known_topics: set[str] | frozenset[str]) -> ConfigChange:
    """``"reveal 17:00"``, ``"topics pca,regularization"``, ``"difficulty any"``,
    ``"recap fri"`` ... -> one ConfigChange."""
    key, _, rest = text.strip().partition(" ")
    key = key.lower()
    key = _KEY_ALIASES.get(key, key)
    if not key:
        raise ParseError("Say what to change: reveal, topics, difficulty or recap.", CONFIG_USAGE)
    if key == "reveal":
        return SetReveal(parse_reveal(rest))
    if key == "topics":
        return SetTopics(parse_topics(rest, known_topics))
    if key == "difficulty":
        return SetDifficulty(parse_difficulty(rest))
    if key == "recap":
        return SetRecap(parse_recap(rest))
    suggestions = close_matches(key, list(_CONFIG_KEYS), limit=1)
    raise ParseError(f"Unknown setting {_echo(key)}.{did_you_mean(suggestions)}", CONFIG_USAGE)


def apply_config_change(spec: ScheduleSpec, change: ConfigChange) -> ScheduleSpec:
    """The spec with one change applied (a new value; the input is unchanged)."""
    match change:
        case SetReveal(rule):
            return replace(spec, reveal=rule)
        case SetTopics(topics):
            return replace(spec, topics=topics)
        case SetDifficulty(difficulty):
            return replace(spec, difficulty=difficulty)
        case SetRecap(day):
            return replace(spec, recap_day=day)
    raise TypeError(f"not a ConfigChange: {change!r}")
