"""Fuzzy suggestions over closed vocabularies, and how they are phrased (one place)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils


@dataclass(frozen=True)
class Suggestion:
    """A fuzzy match over a closed vocabulary."""

    best: str | None
    alternatives: list[str] = field(default_factory=list)


def closest(given: str, choices: Sequence[str], *, cutoff: float) -> Suggestion:
    """The choices within `cutoff` (0-100, rapidfuzz WRatio) of `given`, best first."""
    if not given or not choices:
        return Suggestion(None)
    found = process.extract(given.lower(), list(choices), scorer=fuzz.WRatio, limit=3)
    good = [choice for choice, score, _ in found if score >= cutoff]
    return Suggestion(good[0] if good else None, good)


def close_matches(
    word: str,
    choices: Sequence[str],
    *,
    limit: int = 3,
    cutoff: float = 60,
    scorer: Callable[..., Any] = fuzz.WRatio,
) -> list[str]:
    """Like `closest`, case- and punctuation-insensitive, with a choice of scorer."""
    return [
        match
        for match, _score, _index in process.extract(
            word,
            list(choices),
            scorer=scorer,
            processor=utils.default_process,
            limit=limit,
            score_cutoff=cutoff,
        )
    ]


def did_you_mean(suggestions: Sequence[str]) -> str:
    """ " Did you mean `a`?", " Did you mean `a`, `b` or `c`?", or "" for none."""
    if not suggestions:
        return ""
    quoted = [f"`{s}`" for s in suggestions]
    if len(quoted) == 1:
        return f" Did you mean {quoted[0]}?"
    return f" Did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"
