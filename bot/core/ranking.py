"""Leaderboard ranks: standard competition ranking (1, 2, 2, 4) with a stable order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Standing:
    user_id: str
    points: int
    answered: int
    score_sum: float

    @property
    def average_score(self) -> float:
        return self.score_sum / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class RankedStanding:
    rank: int
    standing: Standing


def board_order(standings: Iterable[Standing]) -> list[Standing]:
    """Most points first; equal points by user id so every reader sees the same order."""
    return sorted(standings, key=lambda s: (-s.points, s.user_id))


def competition_ranks(
    ordered: Sequence[Standing], *, first_rank: int = 1, points_above: int | None = None
) -> list[RankedStanding]:
    """Rank an already ordered slice; equal points share the rank of the first of them.

    `first_rank` is the rank of `ordered[0]` when the slice does not start at the top.
    """
    ranked: list[RankedStanding] = []
    rank = first_rank
    previous = points_above
    for position, standing in enumerate(ordered):
        if previous is None or standing.points != previous:
            rank = first_rank + position
        ranked.append(RankedStanding(rank, standing))
        previous = standing.points
    return ranked


def rank_of(count_above: int) -> int:
    """Rank of someone when `count_above` people have strictly more points."""
    if count_above < 0:
        raise ValueError("a count of people cannot be negative")
    return count_above + 1
