"""Schedules in words: confirmations and config screens."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.core.schedule import RevealAfter, RevealAt, ScheduleSpec
from bot.slack.schedule_text import describe, format_local

BERLIN = "Europe/Berlin"
WEEKDAYS = frozenset(range(5))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        (
            ScheduleSpec(time=time(9), tz=BERLIN, days=WEEKDAYS, recap_day=4),
            "weekdays at 09:00 (Europe/Berlin); answers revealed at 17:00; weekly recap on Friday",
        ),
        (
            ScheduleSpec(time=time(18), tz="UTC"),
            "daily at 18:00 (UTC); answers revealed 8 hours after posting; no weekly recap",
        ),
        (
            ScheduleSpec(
                time=time(7, 5),
                tz="America/New_York",
                days=frozenset({0, 2, 4}),
                reveal=RevealAfter(1),
                topics=("pca", "regularization"),
                difficulty="hard",
            ),
            "on Monday, Wednesday and Friday at 07:05 (America/New_York);"
            " answers revealed 1 hour after posting; no weekly recap;"
            " topics: pca, regularization; difficulty: hard",
        ),
        (
            ScheduleSpec(
                time=time(10),
                tz=BERLIN,
                days=frozenset({0, 1, 2, 3}),
                reveal=RevealAt(time(9)),
                recap_day=0,
            ),
            "Monday to Thursday at 10:00 (Europe/Berlin); answers revealed at 09:00 the next"
            " day; weekly recap on Monday",
        ),
        (
            ScheduleSpec(time=time(12), tz=BERLIN, days=frozenset({5, 6}), reveal=RevealAfter(2.5)),
            "weekends at 12:00 (Europe/Berlin); answers revealed 2.5 hours after posting;"
            " no weekly recap",
        ),
        (
            ScheduleSpec(time=time(12), tz=BERLIN, days=frozenset({1, 3})),
            "on Tuesday and Thursday at 12:00 (Europe/Berlin); answers revealed at 17:00;"
            " no weekly recap",
        ),
    ],
)
def test_describe(spec, text):
    assert describe(spec) == text


@pytest.mark.parametrize(
    ("instant", "tz", "text"),
    [
        (utc(2026, 3, 27, 16), BERLIN, "Fri 27 Mar 2026 17:00 CET"),
        (utc(2026, 3, 29, 1, 30), BERLIN, "Sun 29 Mar 2026 03:30 CEST"),
        (utc(2026, 11, 1, 5, 30), "America/New_York", "Sun 1 Nov 2026 01:30 EDT"),
        (utc(2026, 11, 1, 6, 30), "America/New_York", "Sun 1 Nov 2026 01:30 EST"),
    ],
)
def test_format_local(instant, tz, text):
    assert format_local(instant, tz) == text
