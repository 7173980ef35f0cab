"""Which questions come back: FSRS review cards for a user, rotation order for a channel.

FSRS (the `fsrs` library) schedules the next review from a 1-4 rating; a grade score
maps to a rating as below. Learning steps are off: a quiz question comes back after a
day at the soonest, never minutes later. Fuzzing is off so the same inputs always give
the same due date.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from fsrs import Card, Rating, Scheduler

if TYPE_CHECKING:
    from fsrs.card import CardDict

# Score thresholds (lower bound inclusive) for each FSRS rating.
RATING_THRESHOLDS: tuple[tuple[float, Rating], ...] = (
    (0.85, Rating.Easy),
    (0.6, Rating.Good),
    (0.4, Rating.Hard),
    (0.0, Rating.Again),
)

_SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_for_score(score: float) -> Rating:
    if math.isnan(score) or not 0.0 <= score <= 1.0:
        raise ValueError(f"score must be within [0, 1], got {score!r}")
    for threshold, rating in RATING_THRESHOLDS:
        if score >= threshold:
            return rating
    raise AssertionError("unreachable: the last threshold is 0")


@dataclass(frozen=True)
class ReviewedCard:
    card: dict[str, Any]
    due_at: datetime
    rating: Rating


def review(card: Mapping[str, Any] | None, score: float, now: datetime) -> ReviewedCard:
    """The card after reviewing it at `now` with a grade of `score` (a new card if None)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    # card_id is only FSRS's own label; storage keys cards by (user, question).
    # Cards are stored as plain JSON objects, which fsrs types as its CardDict.
    current = (
        Card(card_id=1, due=now) if card is None else Card.from_dict(cast("CardDict", dict(card)))
    )
    rating = rating_for_score(score)
    updated, _log = _SCHEDULER.review_card(current, rating, now)
    stored = cast("dict[str, Any]", updated.to_dict())
    return ReviewedCard(card=stored, due_at=updated.due, rating=rating)


def channel_rotation(pool_ids: Iterable[str], last_posted: Mapping[str, datetime]) -> list[str]:
    """Pool questions in the order a channel should get them next.

    Questions never posted in the channel come first, in pool order; once the pool is
    exhausted the least recently posted comes first (ties by pool order).
    """
    pool = list(dict.fromkeys(pool_ids))
    unused = [qid for qid in pool if qid not in last_posted]
    if unused:
        return unused
    position = {qid: index for index, qid in enumerate(pool)}
    return sorted(pool, key=lambda qid: (last_posted[qid], position[qid]))
