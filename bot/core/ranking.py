"""Ranks: standard competition ranking (1, 2, 2, 4) on points, with a stable order.

Leaderboards and the reveal summary both rank here, on the same tie key (points):
two people with equal points share a rank wherever they are shown."""

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
    ranks = rank_numbers([s.points for s in ordered], first_rank=first_rank, above=points_above)
    return [RankedStanding(rank, standing) for rank, standing in zip(ranks, ordered, strict=True)]


def rank_numbers(
    points: Sequence[int], *, first_rank: int = 1, above: int | None = None
) -> list[int]:
    """Competition ranks of points sorted from most to fewest."""
    ranks: list[int] = []
    rank = first_rank
    previous = above
    for position, value in enumerate(points):
        if previous is None or value != previous:
            rank = first_rank + position
        ranks.append(rank)
        previous = value
    return ranks


def rank_of(count_above: int) -> int:
    """Rank of someone when `count_above` people have strictly more points."""
    if count_above < 0:
        raise ValueError("a count of people cannot be negative")
    return count_above + 1


@dataclass(frozen=True)
class RevealResult:
    """One participant's line in a reveal summary."""

    user_id: str
    covered: int
    total: int
    score: float
    points: int


@dataclass(frozen=True)
class RankedResult:
    rank: int
    user_id: str
    covered: int
    total: int
    score: float
    points: int


def rank_results(results: Iterable[RevealResult]) -> list[RankedResult]:
    """Most points first (then the higher score, then user id, for a stable order);
    equal points share a rank, as on the leaderboard."""
    ordered = sorted(results, key=lambda r: (-r.points, -r.score, r.user_id))
    ranks = rank_numbers([r.points for r in ordered])
    return [
        RankedResult(rank, r.user_id, r.covered, r.total, r.score, r.points)
        for rank, r in zip(ranks, ordered, strict=True)
    ]
