"""Property tests for the schedule rules over zones with unusual DST rules.

The zones cover: ordinary one-hour shifts (Berlin, New York, London), the southern
hemisphere (Auckland, Sao Paulo's history), a 30-minute shift (Lord Howe), shifts at
local midnight (Santiago), Ramadan-time changes (Casablanca), and zones with no DST.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.schedule import ScheduleSpec, due_slots, next_slot, slot_datetime

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Europe/London",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Africa/Casablanca",
    "Asia/Kolkata",
    "UTC",
)
# Times near the usual transition hours, plus any minute of the day.
EDGE_TIMES = [time(0, 0), time(0, 30), time(1, 30), time(2, 0), time(2, 15), time(2, 30)]
EDGE_TIMES += [time(3, 0), time(23, 30)]

times = st.one_of(
    st.sampled_from(EDGE_TIMES),
    st.builds(time, st.integers(0, 23), st.integers(0, 59)),
)
specs = st.builds(
    ScheduleSpec,
    time=times,
    tz=st.sampled_from(ZONES),
    days=st.frozensets(st.integers(0, 6), min_size=1),
)
instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda naive: naive.replace(tzinfo=UTC)
)

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)


def scheduled_dates(spec: ScheduleSpec, first: date, last: date) -> list[date]:
    count = (last - first).days + 1
    days = (first + timedelta(days=n) for n in range(count))
    return [day for day in days if day.weekday() in spec.days]


@PROPERTY_SETTINGS
@given(spec=specs, after=instants)
def test_next_slot_is_the_first_scheduled_slot_strictly_after(spec, after):
    day, instant = next_slot(spec, after)
    assert instant > after
    assert day.weekday() in spec.days
    assert instant == slot_datetime(spec, day)
    assert instant.astimezone(ZoneInfo(spec.tz)).date() == day
    # Nothing scheduled was passed over on the way there.
    previous = day - timedelta(days=1)
    while previous.weekday() not in spec.days:
        previous -= timedelta(days=1)
    assert slot_datetime(spec, previous) <= after


@PROPERTY_SETTINGS
@given(spec=specs, start=instants, steps=st.integers(2, 20))
def test_iterating_next_slot_never_repeats_or_skips_a_day(spec, start, steps):
    moment = start
    seen: list[tuple[date, datetime]] = []
    for _ in range(steps):
        day, instant = next_slot(spec, moment)
        seen.append((day, instant))
        moment = instant
    days = [day for day, _ in seen]
    assert len(set(days)) == len(days)
    assert [instant for _, instant in seen] == sorted(instant for _, instant in seen)
    assert days == scheduled_dates(spec, days[0], days[-1])


@PROPERTY_SETTINGS
@given(spec=specs, start=instants, length=st.integers(0, 40))
def test_every_scheduled_date_in_a_range_appears_exactly_once(spec, start, length):
    zone = ZoneInfo(spec.tz)
    first = start.astimezone(zone).date()
    last = first + timedelta(days=length)
    # Start just before local midnight of the first date, which precedes its slot.
    moment = datetime.combine(first, time(0), zone).astimezone(UTC) - timedelta(seconds=1)
    found: list[date] = []
    while True:
        day, moment = next_slot(spec, moment)
        if day > last:
            break
        found.append(day)
    assert Counter(found) == Counter(scheduled_dates(spec, first, last))


@PROPERTY_SETTINGS
@given(
    spec=specs,
    start=instants,
    grace_minutes=st.integers(0, 6 * 60),
    gaps=st.lists(st.integers(1, 3 * 24 * 60), min_size=1, max_size=25),
)
def test_scheduler_loop_handles_each_slot_exactly_once(spec, start, grace_minutes, gaps):
    """Tick at random intervals: each slot is run or reported skipped once, never both.

    Ticks at most ``grace`` apart never skip anything.
    """
    grace = timedelta(minutes=grace_minutes)
    last_done: date | None = None
    handled: list[date] = []
    ran: list[date] = []
    now = start
    for gap in [0, *gaps]:
        now += timedelta(minutes=gap)
        decision = due_slots(spec, now=now, last_done_date=last_done, grace=grace, not_before=start)
        if decision.run is not None:
            assert decision.run.at <= now <= decision.run.at + grace
            ran.append(decision.run.local_date)
            handled.append(decision.run.local_date)
        handled.extend(slot.local_date for slot in decision.skipped)
        for slot in decision.skipped:
            assert slot.at <= now
        assert decision.upcoming.at > now
        if decision.handled_through is not None:
            last_done = decision.handled_through

    zone = ZoneInfo(spec.tz)
    window = scheduled_dates(
        spec, start.astimezone(zone).date() - timedelta(days=1), now.astimezone(zone).date()
    )
    expected = [day for day in window if start <= slot_datetime(spec, day) <= now]
    assert sorted(handled) == expected  # each exactly once: no loss, no repeat
    if all(timedelta(minutes=gap) <= grace for gap in gaps):
        assert ran == expected
