"""Streaks count consecutive *question days* answered, not calendar days.

A day on which none of the user's channels had a question neither extends nor breaks a
streak, so a weekday schedule keeps a streak across the weekend. Days are local dates
in the user's own time zone (the caller converts), which keeps DST out of this module.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

Gap = tuple[date, date]  # the days strictly between two dates: (after, before)


@dataclass(frozen=True)
class Streak:
    current: int
    best: int


def streaks(question_days: Iterable[date], answered_days: Iterable[date], today: date) -> Streak:
    """Current and best run of answered question days up to `today`.

    Today's question, still unanswered, does not break the current streak: the user
    may yet answer it. A day the user answered counts as a question day even when it
    is missing from `question_days` (a practice question, say).
    """
    answered = {day for day in answered_days if day <= today}
    days = sorted({day for day in question_days if day <= today} | answered)
    run = best = 0
    for day in days:
        if day in answered:
            run += 1
            best = max(best, run)
        elif day != today:
            run = 0
    return Streak(current=run, best=best)


def streak_gaps(answered_days: Iterable[date], today: date) -> list[Gap]:
    """The gaps whose question days decide the streaks, for `streaks_over_gaps`.

    Only a question day the user did not answer breaks a run, and such a day lies
    strictly between two consecutive answered days, or after the last one and before
    today. Gaps with no day inside (consecutive dates) are left out.
    """
    days = sorted({day for day in answered_days if day <= today})
    if not days:
        return []
    bounds = [*days, today] if days[-1] != today else days
    return [
        (after, before) for after, before in pairwise(bounds) if before - after > timedelta(days=1)
    ]


def streaks_over_gaps(answered_days: Iterable[date], today: date, broken: Container[Gap]) -> Streak:
    """`streaks(question_days, answered_days, today)` from the gaps alone.

    `broken` holds the gaps of `streak_gaps(answered_days, today)` that contain a
    question day; a user's answered days are few, their channels' questions many.
    """
    days = sorted({day for day in answered_days if day <= today})
    run = best = 0
    previous: date | None = None
    for day in days:
        if previous is not None and (previous, day) in broken:
            run = 0
        run += 1
        best = max(best, run)
        previous = day
    if previous is not None and previous != today and (previous, today) in broken:
        run = 0
    return Streak(current=run, best=best)
