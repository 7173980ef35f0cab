"""`/mlquiz panel …` and the new-panel modal's values, parsed (pure).

The one-line form, for people who plan many panels:

    panel new "ML Engineer" senior @a @b @c hm=@d topics=nlp,deep-learning
              start=2026-12-03T10:00 minutes=45 debrief=2026-12-03T16:00 coordinator=@e

Times are read in the creator's zone; the role may be quoted to hold spaces. The
candidate's name is never taken on the command line (it would sit in the command's
text): it is given in the modal."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.panel_form import PanelForm
from bot.core.panel_plan import LEVELS
from bot.slack.parser.suggest import closest

PANEL_ACTIONS = (
    "new",
    "list",
    "show",
    "kit",
    "scorecard",
    "debrief",
    "decide",
    "close",
    "purge",
    "replace",
    "move",
    "help",
)
NEEDS_PANEL = tuple(a for a in PANEL_ACTIONS if a not in ("new", "list", "help"))
# Subcommands answered with a modal, whose trigger lasts three seconds.
OPENS_MODAL = ("scorecard", "decide", "show", "debrief")
_CODE = re.compile(r"(?:C-?)?([A-Z0-9]{5})")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# `code=` names an earlier round's candidate code; the use case reads it (the form has
# no field for it).
_KEYS = ("hm", "coordinator", "topics", "start", "minutes", "debrief", "level", "role", "code")
_KEY_ALIASES = {
    "hiring_manager": "hm",
    "manager": "hm",
    "coord": "coordinator",
    "topic": "topics",
    "starts": "start",
    "at": "start",
    "length": "minutes",
    "mins": "minutes",
}


@dataclass(frozen=True)
class PanelCommand:
    action: str
    panel_ref: str = ""  # a panel id or candidate code, as typed
    rest: tuple[str, ...] = ()
    raw: str = ""


@dataclass(frozen=True)
class UnknownPanelCommand:
    given: str
    suggestion: str | None


def parse_panel_command(raw: str) -> PanelCommand | UnknownPanelCommand:
    """`raw` is what follows `panel`."""
    words = raw.split()
    if not words:
        return PanelCommand("list")
    head = words[0].lower()
    if head not in PANEL_ACTIONS:
        aliases = {"create": "new", "ls": "list", "view": "show", "card": "scorecard"}
        if head in aliases:
            head = aliases[head]
        else:
            guess = closest(head, PANEL_ACTIONS, cutoff=70).best
            return UnknownPanelCommand(words[0], guess)
    rest = raw.strip()[len(words[0]) :].strip()
    if head in NEEDS_PANEL:
        ref = words[1] if len(words) > 1 else ""
        return PanelCommand(head, ref, tuple(words[2:]), rest)
    return PanelCommand(head, "", tuple(words[1:]), rest)


def opens_modal(text: str) -> bool:
    """Whether `/mlquiz <text>` answers with a modal (so the listener uses the trigger
    at once): `panel new` without arguments, `panel scorecard|decide|show|debrief ID`."""
    words = text.split()
    if len(words) < 2 or words[0].lower() != "panel":
        return False
    parsed = parse_panel_command(" ".join(words[1:]))
    if not isinstance(parsed, PanelCommand):
        return False
    if parsed.action == "new":
        return not parsed.rest
    return parsed.action in OPENS_MODAL and bool(parsed.panel_ref)


def _digits(text: str) -> bool:
    """0-9 only: `str.isdigit` also takes digits `int` refuses, such as `¹`."""
    return text.isascii() and text.isdigit()


def mention(word: str) -> str | None:
    match = _MENTION.fullmatch(word.strip())
    return match.group(1) if match else None


def parse_local_time(text: str, tz: str) -> datetime | None:
    """`2026-12-03T10:00`, `2026-12-03 10:00` or `2026-12-03T10:00+01:00`; a time
    without a zone is in `tz`."""
    value = text.strip().replace(" ", "T", 1)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class ParsedLine:
    form: PanelForm
    problems: dict[str, str]


def parse_panel_line(
    rest: str, *, creator: str, tz: str, topic_names: Mapping[str, str]
) -> ParsedLine:
    """The one-line `panel new` form. `topic_names` maps every name a topic goes by
    (slug, label) to its slug."""
    problems: dict[str, str] = {}
    try:
        words = shlex.split(rest)
    except ValueError:
        words = rest.replace('"', " ").split()
        problems["role"] = "A quote is not closed: put the role in double quotes."
    options: dict[str, str] = {}
    interviewers: list[str] = []
    loose: list[str] = []
    for word in words:
        key, sep, value = word.partition("=")
        key = _KEY_ALIASES.get(key.lower(), key.lower())
        if sep and key in _KEYS:
            options[key] = value
            continue
        if sep:
            guess = closest(key, _KEYS, cutoff=70).best
            hint = f" Did you mean `{guess}=`?" if guess else ""
            problems.setdefault("options", f"I don't know `{key}=`.{hint}")
            continue
        who = mention(word)
        if who:
            interviewers.append(who)
        elif word.startswith("@"):
            problems["interviewers"] = (
                f"`{word}` is not a Slack mention: pick people from the @ menu."
            )
        else:
            loose.append(word)
    level = options.get("level", "")
    role_words = []
    for word in loose:
        if not level and word.lower() in LEVELS:
            level = word.lower()
        else:
            role_words.append(word)
    role = options.get("role") or " ".join(role_words)
    hiring_manager = mention(options.get("hm", "")) or ""
    if options.get("hm") and not hiring_manager:
        problems["hiring_manager"] = "Give the hiring manager as an @mention: `hm=@name`."
    coordinator = mention(options.get("coordinator", "")) or ""
    if options.get("coordinator") and not coordinator:
        problems["coordinator"] = "Give the coordinator as an @mention: `coordinator=@name`."
    topics: list[str] = []
    for name in filter(None, (t.strip() for t in options.get("topics", "").split(","))):
        slug = topic_names.get(name.lower())
        if slug is None:
            guess = closest(name, list(topic_names), cutoff=80).best
            slug = topic_names.get(guess) if guess else None
        if slug is None:
            problems["topics"] = f"I don't know the topic `{name}` (see `/mlquiz topics`)."
        elif slug not in topics:
            topics.append(slug)
    starts = parse_local_time(options["start"], tz) if options.get("start") else None
    if options.get("start") and starts is None:
        problems["starts"] = "Write the start as 2026-12-03T10:00 (your time zone)."
    debrief = parse_local_time(options["debrief"], tz) if options.get("debrief") else None
    if options.get("debrief") and debrief is None:
        problems["debrief"] = "Write the debrief as 2026-12-03T16:00 (your time zone)."
    minutes_text = options.get("minutes", "45")
    minutes = int(minutes_text) if _digits(minutes_text) and len(minutes_text) < 4 else 0
    form = PanelForm(
        role=role[:200],
        level=level or "senior",
        interviewers=tuple(interviewers),
        hiring_manager=hiring_manager,
        coordinator=coordinator or creator,
        topics=tuple(topics),
        starts_at=starts,
        minutes=minutes,
        debrief_at=debrief,
    )
    return ParsedLine(form, problems)


def _one(values: Mapping[str, str | list[str]], key: str) -> str:
    value = values.get(key, "")
    return value if isinstance(value, str) else ""


def _many(values: Mapping[str, str | list[str]], key: str) -> tuple[str, ...]:
    value = values.get(key, [])
    return tuple(v for v in value if v) if isinstance(value, list) else ()


def _stamp(text: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(text), UTC) if text else None
    except (ValueError, OverflowError, OSError):
        return None


def form_from_modal(values: Mapping[str, str | list[str]]) -> PanelForm:
    """The new-panel modal's state (`"block.action": value`) as a form."""
    minutes = _one(values, "minutes.minutes")
    return PanelForm(
        role=_one(values, "role.role"),
        level=_one(values, "level.level"),
        interviewers=_many(values, "interviewers.interviewers"),
        hiring_manager=_one(values, "hiring_manager.hiring_manager"),
        coordinator=_one(values, "coordinator.coordinator"),
        topics=_many(values, "topics.topics"),
        starts_at=_stamp(_one(values, "starts.starts")),
        minutes=int(minutes) if _digits(minutes) and len(minutes) < 4 else 0,
        debrief_at=_stamp(_one(values, "debrief.debrief")),
        candidate_name=_one(values, "candidate.candidate").strip(),
    )


def panel_ref(text: str) -> int | str | None:
    """A panel id (digits) or a candidate code (`C-7KQ4M`, any case, the `C-` optional),
    else None."""
    value = text.strip().lstrip("#").upper()
    if _digits(value) and len(value) < 10:
        return int(value)
    match = _CODE.fullmatch(value)
    return f"C-{match.group(1)}" if match else None
