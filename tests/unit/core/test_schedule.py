"""Schedule rules away from DST edges: values, next slot, catch-up, reveal, recap, text."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import (
    RevealAfter,
    RevealAt,
    ScheduleError,
    ScheduleSpec,
    Slot,
    default_reveal,
    due_slots,
    local_date_of,
    next_slot,
    recap_datetime,
    recap_due,
    recap_window,
    reveal_deadline,
    slot_datetime,
)

BERLIN = "Europe/Berlin"
WEEKDAYS = frozenset(range(5))


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# ------------------------------------------------------------------ values


@pytest.mark.parametrize(
    ("post_time", "expected"),
    [
        (time(9), RevealAt(time(17))),
        (time(16, 59), RevealAt(time(17))),
        (time(17), RevealAfter(8)),
        (time(21, 30), RevealAfter(8)),
    ],
)
def test_default_reveal(post_time, expected):
    assert default_reveal(post_time) == expected
    assert ScheduleSpec(time=post_time, tz=BERLIN).reveal == expected


def test_explicit_reveal_is_kept():
    spec = ScheduleSpec(time=time(9), tz=BERLIN, reveal=RevealAfter(3))
    assert spec.reveal == RevealAfter(3)


def test_spec_normalises_days_and_topics():
    spec = ScheduleSpec(time=time(9), tz=BERLIN, days={0, 2}, topics=["pca"])  # type: ignore[arg-type]
    assert spec.days == frozenset({0, 2})
    assert spec.topics == ("pca",)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"tz": "Europe/Berln"},
        {"tz": "../etc/passwd"},
        {"days": frozenset()},
        {"days": frozenset({7})},
        {"recap_day": 7},
        {"difficulty": "extreme"},
        {"time": time(9, tzinfo=UTC)},
    ],
)
def test_invalid_spec_is_refused(kwargs):
    values = {"time": time(9), "tz": BERLIN} | kwargs
    with pytest.raises(ScheduleError):
        ScheduleSpec(**values)


@pytest.mark.parametrize("hours", [0, -1, math.nan, math.inf, 168.5])
def test_invalid_reveal_delay_is_refused(hours):
    with pytest.raises(ScheduleError):
        RevealAfter(hours)


def test_naive_datetimes_are_refused():
    spec = ScheduleSpec(time=time(9), tz=BERLIN)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_slot(spec, datetime(2026, 5, 4, 9))
    with pytest.raises(ValueError, match="timezone-aware"):
        due_slots(spec, now=datetime(2026, 5, 4, 9), last_done_date=None, grace=timedelta(0))


def test_non_utc_aware_input_is_accepted_and_output_is_utc():
    spec = ScheduleSpec(time=time(9), tz=BERLIN)
    after = datetime(2026, 5, 4, 8, tzinfo=ZoneInfo(BERLIN))  # 06:00Z
    day, instant = next_slot(spec, after)
    assert (day, instant) == (date(2026, 5, 4), utc(2026, 5, 4, 7))
    assert instant.tzinfo is UTC


# ------------------------------------------------------------------ next_slot


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # 2026-05-01 is a Friday; Berlin is on CEST (UTC+2).
        (utc(2026, 5, 1, 6, 59), (date(2026, 5, 1), utc(2026, 5, 1, 7))),
        (utc(2026, 5, 1, 7), (date(2026, 5, 4), utc(2026, 5, 4, 7))),  # strictly after
        (utc(2026, 5, 2, 12), (date(2026, 5, 4), utc(2026, 5, 4, 7))),  # Saturday
        (utc(2026, 5, 3, 23), (date(2026, 5, 4), utc(2026, 5, 4, 7))),  # Monday 01:00 local
        (utc(2026, 5, 4, 7, 0, 1), (date(2026, 5, 5), utc(2026, 5, 5, 7))),
    ],
)
def test_next_slot_for_weekdays(after, expected):
    spec = ScheduleSpec(time=time(9), tz=BERLIN, days=WEEKDAYS)
    assert next_slot(spec, after) == expected


def test_next_slot_uses_the_local_date_not_the_utc_date():
    # 23:30 in Los Angeles is 07:30 UTC the next day; the slot's date is local.
    spec = ScheduleSpec(time=time(23, 30), tz="America/Los_Angeles", days=frozenset({0}))
    assert next_slot(spec, utc(2026, 5, 4, 0)) == (date(2026, 5, 4), utc(2026, 5, 5, 6, 30))


def test_next_slot_is_monotonic_over_a_month():
    spec = ScheduleSpec(time=time(9, 15), tz=BERLIN, days=frozenset({0, 2, 4}))
    moment = utc(2026, 3, 1)
    seen: list[date] = []
    while moment < utc(2026, 4, 1):
        day, instant = next_slot(spec, moment)
        assert instant > moment
        seen.append(day)
        moment = instant
    assert seen == [date(2026, 3, d) for d in (2, 4, 6, 9, 11, 13, 16, 18, 20, 23, 25, 27, 30)] + [
        date(2026, 4, 1)
    ]


# ------------------------------------------------------------------ due_slots

DAILY_0900 = ScheduleSpec(time=time(9), tz=BERLIN)  # 07:00Z in May
GRACE = timedelta(hours=2)
MAY_4 = date(2026, 5, 4)


def slot(day: int) -> Slot:
    return Slot(date(2026, 5, day), utc(2026, 5, day, 7))


@pytest.mark.parametrize(
    ("now", "last_done", "run", "skipped", "handled_through"),
    [
        # before today's slot: nothing yet
        (utc(2026, 5, 4, 6, 59), date(2026, 5, 3), None, (), None),
        # on time, and at the inclusive edge of the grace window
        (utc(2026, 5, 4, 7), date(2026, 5, 3), slot(4), (), MAY_4),
        (utc(2026, 5, 4, 9), date(2026, 5, 3), slot(4), (), MAY_4),
        # one second past grace: skipped, reported
        (utc(2026, 5, 4, 9, 0, 1), date(2026, 5, 3), None, (slot(4),), MAY_4),
        # down for three days, back within grace of today: catch up today only
        (utc(2026, 5, 4, 8), date(2026, 5, 1), slot(4), (slot(2), slot(3)), MAY_4),
        # down for three days, back too late for today as well
        (utc(2026, 5, 4, 12), date(2026, 5, 1), None, (slot(2), slot(3), slot(4)), MAY_4),
        # already done today
        (utc(2026, 5, 4, 8), MAY_4, None, (), None),
        # a done date in the future (clock moved back) proposes nothing
        (utc(2026, 5, 4, 8), date(2026, 5, 5), None, (), None),
        # no history at all: only the newest slot is considered
        (utc(2026, 5, 4, 8), None, slot(4), (), MAY_4),
        (utc(2026, 5, 4, 10), None, None, (slot(4),), MAY_4),
    ],
)
def test_due_slots_table(now, last_done, run, skipped, handled_through):
    decision = due_slots(DAILY_0900, now=now, last_done_date=last_done, grace=GRACE)
    assert decision.run == run
    assert decision.skipped == skipped
    assert decision.handled_through == handled_through
    assert decision.upcoming.at > now


def test_due_slots_ignores_slots_before_not_before():
    # Scheduled at 08:30 local for a 09:00 slot: that slot is the schedule's first...
    created = utc(2026, 5, 4, 6, 30)
    first = due_slots(
        DAILY_0900, now=utc(2026, 5, 4, 7, 1), last_done_date=None, grace=GRACE, not_before=created
    )
    assert first.run == slot(4)
    # ...scheduled at 10:00 local, today's 09:00 slot predates it and is neither run
    # nor reported as missed.
    late = utc(2026, 5, 4, 8)
    decision = due_slots(
        DAILY_0900, now=utc(2026, 5, 4, 8, 5), last_done_date=None, grace=GRACE, not_before=late
    )
    assert (decision.run, decision.skipped) == (None, ())
    assert decision.upcoming == slot(5)


def test_not_before_hides_a_paused_stretch():
    resumed = utc(2026, 5, 7, 12)
    decision = due_slots(
        DAILY_0900,
        now=utc(2026, 5, 8, 7, 30),
        last_done_date=date(2026, 5, 1),
        grace=GRACE,
        not_before=resumed,
    )
    assert (decision.run, decision.skipped) == (slot(8), ())


def test_due_slots_weekdays_skip_nothing_over_the_weekend():
    spec = ScheduleSpec(time=time(9), tz=BERLIN, days=WEEKDAYS)
    decision = due_slots(
        spec, now=utc(2026, 5, 4, 7, 30), last_done_date=date(2026, 5, 1), grace=GRACE
    )
    assert decision.run == slot(4)
    assert decision.skipped == ()


def test_due_slots_with_zero_grace_runs_only_on_the_instant():
    on_time = due_slots(DAILY_0900, now=utc(2026, 5, 4, 7), last_done_date=None, grace=timedelta())
    late = due_slots(
        DAILY_0900, now=utc(2026, 5, 4, 7, 0, 1), last_done_date=None, grace=timedelta()
    )
    assert on_time.run == slot(4)
    assert late.run is None and late.skipped == (slot(4),)


def test_due_slots_refuses_negative_grace():
    with pytest.raises(ValueError, match="grace"):
        due_slots(DAILY_0900, now=utc(2026, 5, 4), last_done_date=None, grace=timedelta(-1))


def test_a_grace_longer_than_a_day_still_runs_only_the_newest():
    decision = due_slots(
        DAILY_0900, now=utc(2026, 5, 4, 8), last_done_date=date(2026, 5, 2), grace=timedelta(2)
    )
    assert decision.run == slot(4)
    assert decision.skipped == (slot(3),)


# ------------------------------------------------------------------ reveal


@pytest.mark.parametrize(
    ("rule", "posted", "expected"),
    [
        (RevealAt(time(17)), utc(2026, 5, 4, 7), utc(2026, 5, 4, 15)),
        # past at posting time (a manual post at 18:00): next day's 17:00
        (RevealAt(time(17)), utc(2026, 5, 4, 16), utc(2026, 5, 5, 15)),
        # exactly at the reveal time also rolls over, never an instant reveal
        (RevealAt(time(17)), utc(2026, 5, 4, 15), utc(2026, 5, 5, 15)),
        # the posting's local date, not its UTC date (00:30 local = 22:30Z before)
        (RevealAt(time(17)), utc(2026, 5, 3, 22, 30), utc(2026, 5, 4, 15)),
        (RevealAfter(6), utc(2026, 5, 4, 7), utc(2026, 5, 4, 13)),
        (RevealAfter(1.5), utc(2026, 5, 4, 7), utc(2026, 5, 4, 8, 30)),
    ],
)
def test_reveal_deadline(rule, posted, expected):
    assert reveal_deadline(rule, posted, BERLIN) == expected


def test_reveal_deadline_from_a_spec_uses_its_zone_and_rule():
    spec = ScheduleSpec(time=time(9), tz="Asia/Kolkata")  # UTC+5:30, default 17:00
    assert reveal_deadline(spec, utc(2026, 5, 4, 3, 30)) == utc(2026, 5, 4, 11, 30)


def test_reveal_at_needs_a_zone():
    with pytest.raises(ValueError, match="tz"):
        reveal_deadline(RevealAt(time(17)), utc(2026, 5, 4, 7))


# ------------------------------------------------------------------ recap

# Weekdays 09:00 Berlin, reveal 17:00 (15:00Z in May), recap Friday.
RECAP_SPEC = ScheduleSpec(time=time(9), tz=BERLIN, days=WEEKDAYS, recap_day=4)
FRIDAY = date(2026, 5, 8)
FRIDAY_RECAP = utc(2026, 5, 8, 15)


@pytest.mark.parametrize(
    ("now", "last_recap", "kwargs", "expected"),
    [
        (FRIDAY_RECAP - timedelta(seconds=1), date(2026, 5, 1), {}, None),
        (FRIDAY_RECAP, date(2026, 5, 1), {}, FRIDAY),
        (FRIDAY_RECAP, FRIDAY, {}, None),
        (utc(2026, 5, 9, 10), date(2026, 5, 1), {}, FRIDAY),  # late but not stale
        (utc(2026, 5, 9, 10), date(2026, 5, 1), {"grace": timedelta(hours=12)}, None),
        (utc(2026, 5, 12), None, {}, FRIDAY),
        (utc(2026, 5, 12), None, {"not_before": utc(2026, 5, 11)}, None),
        # two weeks missed: only the newest recap, once
        (utc(2026, 5, 16), date(2026, 5, 1), {}, date(2026, 5, 15)),
    ],
)
def test_recap_due_table(now, last_recap, kwargs, expected):
    assert recap_due(RECAP_SPEC, now=now, last_recap_date=last_recap, **kwargs) == expected


def test_recap_due_without_a_recap_day():
    spec = ScheduleSpec(time=time(9), tz=BERLIN)
    assert recap_due(spec, now=utc(2026, 5, 8, 20), last_recap_date=None) is None


def test_recap_goes_out_once_a_week_on_its_day():
    last: date | None = None
    sent: list[tuple[date, datetime]] = []
    now = utc(2026, 3, 1)
    while now < utc(2026, 4, 30):  # spans the spring-forward change
        due = recap_due(RECAP_SPEC, now=now, last_recap_date=last, not_before=utc(2026, 3, 1))
        if due is not None:
            sent.append((due, now))
            last = due
        now += timedelta(minutes=30)
    assert [day for day, _ in sent] == [date(2026, 3, 6) + timedelta(weeks=n) for n in range(8)]
    assert all(day.weekday() == 4 for day, _ in sent)
    assert all(local_date_of(at, BERLIN) == day for day, at in sent)


@pytest.mark.parametrize(
    ("spec", "local_date", "expected"),
    [
        # a question day: after that day's reveal
        (RECAP_SPEC, FRIDAY, utc(2026, 5, 8, 15)),
        (
            ScheduleSpec(time=time(9), tz=BERLIN, reveal=RevealAfter(4), recap_day=4),
            FRIDAY,
            utc(2026, 5, 8, 11),
        ),
        # not a question day: at the slot time
        (RECAP_SPEC, date(2026, 5, 10), utc(2026, 5, 10, 7)),
        # reveal lands the next day (post at 20:00, default 8 h): at the slot time
        (ScheduleSpec(time=time(20), tz=BERLIN, recap_day=4), FRIDAY, utc(2026, 5, 8, 18)),
    ],
)
def test_recap_datetime(spec, local_date, expected):
    assert recap_datetime(spec, local_date) == expected


def test_recap_windows_tile_without_gap_or_overlap():
    spec = ScheduleSpec(time=time(9), tz=BERLIN, recap_day=4)
    windows = [recap_window(spec, date(2026, 3, 6) + timedelta(weeks=n)) for n in range(6)]
    for (_, end), (next_start, _) in itertools.pairwise(windows):
        assert end == next_start
    # A daily schedule's weekend questions land in the Friday recap that follows.
    sunday_slot = slot_datetime(spec, date(2026, 3, 15))
    assert windows[2][0] < sunday_slot <= windows[2][1]  # the recap of 2026-03-20


# ------------------------------------------------------------------ text
