"""Points for a graded answer: a difficulty base times the grade score, rounded half up.

    easy 10, medium 20, hard 30 points for a perfect answer (score 1.0);
    points = floor(base * score + 0.5), so 0.75 on a medium question earns 15.

Practice answers in a DM earn no leaderboard points: the board compares people on the
same shared questions, and a DM question can be asked again and again. This module is
the only place points are computed.
"""

from __future__ import annotations

import math

POINTS_BASE: dict[str, int] = {"easy": 10, "medium": 20, "hard": 30}


def points_for(score: float, difficulty: str) -> int:
    if not 0.0 <= score <= 1.0 or math.isnan(score):
        raise ValueError(f"score must be within [0, 1], got {score!r}")
    try:
        base = POINTS_BASE[str(difficulty)]
    except KeyError:
        raise ValueError(f"unknown difficulty {difficulty!r}") from None
    # Half up rather than Python's banker's rounding: 0.25 * 10 is 3, never 2.
    return math.floor(base * score + 0.5)


def is_ranked(post_kind: str) -> bool:
    """Only channel questions count on leaderboards."""
    return post_kind == "channel"


def points_for_post(score: float, difficulty: str, post_kind: str) -> int:
    return points_for(score, difficulty) if is_ranked(post_kind) else 0
