"""Parse the text after `/mlquiz` into a subcommand and its arguments (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.periods import PERIOD_KINDS
from bot.slack.parser.suggest import Suggestion, closest
from questionbank.models import DIFFICULTY_NAMES

USER_SUBCOMMANDS = ("ask", "review", "stats", "leaderboard", "topics", "help", "panel")
ADMIN_SUBCOMMANDS = (
    "schedule",
    "unschedule",
    "pause",
    "resume",
    "post-now",
    "reveal",
    "config",
)
ALL_SUBCOMMANDS = USER_SUBCOMMANDS + ADMIN_SUBCOMMANDS

_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class ParsedCommand:
    name: str
    args: tuple[str, ...] = ()
    raw_args: str = ""


@dataclass(frozen=True)
class UnknownCommand:
    given: str
    suggestion: str | None


@dataclass(frozen=True)
class AskArgs:
    topic_words: tuple[str, ...] = ()
    difficulty: str | None = None


def parse_command(text: str) -> ParsedCommand | UnknownCommand:
    words = (text or "").strip().split()
    if not words:
        return ParsedCommand("ask")
    head = words[0].lower()
    rest = " ".join(words[1:])
    if head in ALL_SUBCOMMANDS:
        return ParsedCommand(head, tuple(words[1:]), rest)
    if head in ("leaders", "board", "lb"):
        return ParsedCommand("leaderboard", tuple(words[1:]), rest)
    if head in DIFFICULTY_NAMES:
        # `/mlquiz hard` reads naturally as "ask me a hard one".
        return ParsedCommand("ask", tuple(words), " ".join(words))
    suggestion = closest(head, ALL_SUBCOMMANDS, cutoff=60).best
    return UnknownCommand(given=words[0], suggestion=suggestion)


def parse_ask_args(args: tuple[str, ...]) -> AskArgs:
    difficulty = None
    topic_words = []
    for word in args:
        if word.lower() in DIFFICULTY_NAMES and difficulty is None:
            difficulty = word.lower()
        else:
            topic_words.append(word)
    return AskArgs(tuple(topic_words), difficulty)


def parse_period(args: tuple[str, ...]) -> str | None:
    """The leaderboard period, default `week`; None when the word is not a period."""
    if not args:
        return "week"
    word = args[0].lower()
    aliases = {"weekly": "week", "monthly": "month", "alltime": "all", "all-time": "all"}
    word = aliases.get(word, word)
    return word if word in PERIOD_KINDS else None


def typed_name(args: tuple[str, ...]) -> str | None:
    """A person named as plain text ("@ada", "ada", "Ada Lovelace"), or None."""
    text = " ".join(args).strip()
    name = text[1:] if text.startswith("@") else text
    if not name or len(name) > 80 or "<" in name:
        return None
    return name


def mentioned_user(args: tuple[str, ...]) -> str | None:
    for word in args:
        match = _USER_MENTION.fullmatch(word)
        if match:
            return match.group(1)
    return None


def match_topic(
    words: tuple[str, ...],
    topics: dict[str, str],
    aliases: dict[str, str] | None = None,
) -> Suggestion:
    """Match free text against topic slugs, their labels (slug -> label) and the names
    people use for them (alias -> slug, e.g. "pca" -> dimensionality-reduction)."""
    if not words:
        return Suggestion(None)
    query = " ".join(words).lower().replace("_", "-")
    if query in topics:
        return Suggestion(query, [query])
    aliases = {a: slug for a, slug in (aliases or {}).items() if slug in topics}
    if query in aliases:
        return Suggestion(aliases[query], [aliases[query]])
    slug_query = query.replace(" ", "-")
    if slug_query in topics:
        return Suggestion(slug_query, [slug_query])
    candidates: dict[str, str] = {}
    for slug, label in topics.items():
        candidates[slug.replace("-", " ")] = slug
        candidates[label.lower()] = slug
    # Aliases forgive typos only (whole-string ratio): WRatio's partial matching would
    # let "bayes" inside any text pick the Bayes topic.
    typo = process.extractOne(
        query, [a for a in aliases if len(a) > 3], scorer=fuzz.ratio, score_cutoff=85
    )
    if typo is not None:
        slug = aliases[typo[0]]
        return Suggestion(slug, [slug])
    found = process.extract(query, list(candidates), scorer=fuzz.WRatio, limit=6)
    ranked: list[str] = []
    for text, score, _ in found:
        slug = candidates[text]
        if score >= 60 and slug not in ranked:
            ranked.append(slug)
    if found and found[0][1] >= 86:
        return Suggestion(candidates[found[0][0]], ranked)
    return Suggestion(None, ranked)
