"""Schedule rules on the 2026 DST change days in Europe/Berlin and America/New_York.

Spring forward: Berlin 2026-03-29 (02:00 CET -> 03:00 CEST), New York 2026-03-08
(02:00 EST -> 03:00 EDT). Fall back: Berlin 2026-10-25 (03:00 CEST -> 02:00 CET),
New York 2026-11-01 (02:00 EDT -> 01:00 EST).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import (
    RevealAfter,
    RevealAt,
    ScheduleSpec,
    due_slots,
    next_slot,
    reveal_deadline,
    slot_datetime,
    week_bounds,
)

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def daily(at: time, tz: str) -> ScheduleSpec:
    return ScheduleSpec(time=at, tz=tz)


@pytest.mark.parametrize(
    ("tz", "local_date", "at", "expected_utc", "expected_local"),
    [
        # Berlin, spring forward
        (BERLIN, date(2026, 3, 28), time(9), utc(2026, 3, 28, 8), "09:00+01:00"),
        (BERLIN, date(2026, 3, 29), time(9), utc(2026, 3, 29, 7), "09:00+02:00"),
        (BERLIN, date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1, 30), "03:30+02:00"),
        (BERLIN, date(2026, 3, 30), time(2, 30), utc(2026, 3, 30, 0, 30), "02:30+02:00"),
        # Berlin, fall back: 02:30 happens twice, the first (CEST) one counts
        (BERLIN, date(2026, 10, 24), time(9), utc(2026, 10, 24, 7), "09:00+02:00"),
        (BERLIN, date(2026, 10, 25), time(9), utc(2026, 10, 25, 8), "09:00+01:00"),
        (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30), "02:30+02:00"),
        # New York, spring forward
        (NEW_YORK, date(2026, 3, 7), time(9), utc(2026, 3, 7, 14), "09:00-05:00"),
        (NEW_YORK, date(2026, 3, 8), time(9), utc(2026, 3, 8, 13), "09:00-04:00"),
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30), "03:30-04:00"),
        # New York, fall back: 01:30 is the ambiguous hour there, 02:30 is not
        (NEW_YORK, date(2026, 10, 31), time(9), utc(2026, 10, 31, 13), "09:00-04:00"),
        (NEW_YORK, date(2026, 11, 1), time(9), utc(2026, 11, 1, 14), "09:00-05:00"),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30), "01:30-04:00"),
        (NEW_YORK, date(2026, 11, 1), time(2, 30), utc(2026, 11, 1, 7, 30), "02:30-05:00"),
    ],
)
def test_slot_datetime_on_dst_days(tz, local_date, at, expected_utc, expected_local):
    instant = slot_datetime(daily(at, tz), local_date)
    assert instant == expected_utc
    assert instant.tzinfo is UTC
    local = instant.astimezone(ZoneInfo(tz))
    assert local.date() == local_date
    assert local.isoformat(timespec="minutes")[11:] == expected_local


def run_scheduler(
    spec: ScheduleSpec, start: datetime, end: datetime, step: timedelta, grace: timedelta
) -> tuple[list[tuple[date, datetime]], list[date]]:
    """Tick like the scheduler loop; return (local date, tick time) of runs and skips."""
    last_done: date | None = None
    runs: list[tuple[date, datetime]] = []
    skipped: list[date] = []
    now = start
    while now <= end:
        decision = due_slots(spec, now=now, last_done_date=last_done, grace=grace, not_before=start)
        if decision.run is not None:
            runs.append((decision.run.local_date, now))
        skipped.extend(slot.local_date for slot in decision.skipped)
        if decision.handled_through is not None:
            last_done = decision.handled_through
        now += step
    return runs, skipped


@pytest.mark.parametrize(
    ("tz", "at", "change_day", "expected_run_utc"),
    [
        (BERLIN, time(2, 30), date(2026, 3, 29), utc(2026, 3, 29, 1, 30)),
        (BERLIN, time(2, 30), date(2026, 10, 25), utc(2026, 10, 25, 0, 30)),
        (BERLIN, time(9), date(2026, 3, 29), utc(2026, 3, 29, 7)),
        (BERLIN, time(9), date(2026, 10, 25), utc(2026, 10, 25, 8)),
        (NEW_YORK, time(2, 30), date(2026, 3, 8), utc(2026, 3, 8, 7, 30)),
        (NEW_YORK, time(1, 30), date(2026, 11, 1), utc(2026, 11, 1, 5, 30)),
        (NEW_YORK, time(2, 30), date(2026, 11, 1), utc(2026, 11, 1, 7, 30)),
        (NEW_YORK, time(9), date(2026, 3, 8), utc(2026, 3, 8, 13)),
        (NEW_YORK, time(9), date(2026, 11, 1), utc(2026, 11, 1, 14)),
    ],
)
def test_slot_runs_exactly_once_on_dst_day(tz, at, change_day, expected_run_utc):
    spec = daily(at, tz)
    start = datetime.combine(change_day - timedelta(days=2), time(12), UTC)
    end = start + timedelta(days=4)
    runs, skipped = run_scheduler(spec, start, end, timedelta(minutes=5), timedelta(hours=1))

    assert skipped == []
    counts = Counter(day for day, _ in runs)
    assert all(count == 1 for count in counts.values())
    nearby = [change_day + timedelta(days=n) for n in range(-3, 4)]
    assert sorted(counts) == [d for d in nearby if start <= slot_datetime(spec, d) <= end]
    assert change_day in counts
    # The first tick at or after the slot instant is the one that posts.
    assert dict(runs)[change_day] == expected_run_utc


@pytest.mark.parametrize(
    ("tz", "after", "expected"),
    [
        # The repeated 02:30 (second pass, CET) must not produce a second slot.
        (BERLIN, utc(2026, 10, 25, 0, 30), (date(2026, 10, 26), utc(2026, 10, 26, 1, 30))),
        (BERLIN, utc(2026, 10, 25, 1, 29), (date(2026, 10, 26), utc(2026, 10, 26, 1, 30))),
        (BERLIN, utc(2026, 10, 25, 0, 29), (date(2026, 10, 25), utc(2026, 10, 25, 0, 30))),
        (BERLIN, utc(2026, 3, 28, 23), (date(2026, 3, 29), utc(2026, 3, 29, 1, 30))),
        (NEW_YORK, utc(2026, 3, 8, 5), (date(2026, 3, 8), utc(2026, 3, 8, 7, 30))),
        (NEW_YORK, utc(2026, 3, 8, 7, 30), (date(2026, 3, 9), utc(2026, 3, 9, 6, 30))),
    ],
)
def test_next_slot_for_0230_around_dst(tz, after, expected):
    assert next_slot(daily(time(2, 30), tz), after) == expected


def test_weekday_schedule_over_the_spring_forward_weekend():
    spec = ScheduleSpec(time=time(9), tz=BERLIN, days=frozenset(range(5)))
    friday_slot = utc(2026, 3, 27, 8)  # 09:00 CET
    assert next_slot(spec, friday_slot) == (date(2026, 3, 30), utc(2026, 3, 30, 7))  # CEST


@pytest.mark.parametrize(
    ("tz", "posted", "hours", "expected", "wall_hours"),
    [
        # Overnight across spring forward: 8 real hours are 9 wall-clock hours.
        (BERLIN, utc(2026, 3, 28, 19), 8, utc(2026, 3, 29, 3), 9),
        # Overnight across fall back: 8 real hours are 7 wall-clock hours.
        (BERLIN, utc(2026, 10, 24, 18), 8, utc(2026, 10, 25, 2), 7),
        (NEW_YORK, utc(2026, 3, 8, 4), 6, utc(2026, 3, 8, 10), 7),
        (NEW_YORK, utc(2026, 11, 1, 3), 6, utc(2026, 11, 1, 9), 5),
    ],
)
def test_reveal_after_is_absolute_across_dst(tz, posted, hours, expected, wall_hours):
    deadline = reveal_deadline(RevealAfter(hours), posted, tz)
    assert deadline == expected
    zone = ZoneInfo(tz)
    wall = deadline.astimezone(zone).replace(tzinfo=None) - posted.astimezone(zone).replace(
        tzinfo=None
    )
    assert wall == timedelta(hours=wall_hours)


@pytest.mark.parametrize(
    ("tz", "posted", "reveal_at", "expected"),
    [
        # Posted before the change, revealed after it: the local 17:00 is kept.
        (BERLIN, utc(2026, 3, 29, 0), time(17), utc(2026, 3, 29, 15)),
        (BERLIN, utc(2026, 10, 25, 0), time(17), utc(2026, 10, 25, 16)),
        # A reveal time inside the gap moves forward like a slot does.
        (BERLIN, utc(2026, 3, 28, 20), time(2, 30), utc(2026, 3, 29, 1, 30)),
        (NEW_YORK, utc(2026, 11, 1, 4), time(9), utc(2026, 11, 1, 14)),
    ],
)
def test_reveal_at_on_dst_days(tz, posted, reveal_at, expected):
    assert reveal_deadline(RevealAt(reveal_at), posted, tz) == expected


@pytest.mark.parametrize(
    ("tz", "local_date", "start", "end", "hours"),
    [
        (BERLIN, date(2026, 3, 29), utc(2026, 3, 22, 23), utc(2026, 3, 29, 22), 167),
        (BERLIN, date(2026, 10, 21), utc(2026, 10, 18, 22), utc(2026, 10, 25, 23), 169),
        (NEW_YORK, date(2026, 3, 8), utc(2026, 3, 2, 5), utc(2026, 3, 9, 4), 167),
        (NEW_YORK, date(2026, 10, 26), utc(2026, 10, 26, 4), utc(2026, 11, 2, 5), 169),
    ],
)
def test_week_bounds_over_dst_weeks(tz, local_date, start, end, hours):
    assert week_bounds(local_date, tz) == (start, end)
    assert end - start == timedelta(hours=hours)
