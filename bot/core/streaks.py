"""Streaks count consecutive *question days* answered, not calendar days.

A day on which none of the user's channels had a question neither extends nor breaks a
streak, so a weekday schedule keeps a streak across the weekend. Days are local dates
in the user's own time zone (the caller converts), which keeps DST out of this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


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
