from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.periods import (
    ALL_TIME,
    Period,
    local_day,
    quarter_of,
    resolve,
    season,
    this_month,
    this_season,
    this_week,
    week_start,
)


def test_week_starts_monday_in_the_given_zone():
    # Sunday 23:30 UTC is already Monday in Berlin: a new week there, not in UTC.
    now = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)
    assert this_week(now, "UTC") == Period("week", date(2024, 3, 4), date(2024, 3, 11))
    assert this_week(now, "Europe/Berlin") == Period("week", date(2024, 3, 11), date(2024, 3, 18))


def test_month_boundary_depends_on_the_zone():
    now = datetime(2024, 3, 1, 2, tzinfo=UTC)  # still February in New York
    assert this_month(now, "UTC").start == date(2024, 3, 1)
    assert this_month(now, "America/New_York") == Period(
        "month", date(2024, 2, 1), date(2024, 3, 1)
    )


def test_december_rolls_into_next_year():
    now = datetime(2024, 12, 31, 12, tzinfo=UTC)
    assert this_month(now, "UTC").end == date(2025, 1, 1)


def test_utc_bounds_follow_dst():
    # The week of the spring change in Berlin: starts at UTC+1, ends at UTC+2.
    week = Period("week", date(2024, 3, 25), date(2024, 4, 1))
    start, end = week.utc_bounds("Europe/Berlin")
    assert start == datetime(2024, 3, 24, 23, tzinfo=UTC)
    assert end == datetime(2024, 3, 31, 22, tzinfo=UTC)


def test_season_includes_its_last_day():
    spring = season(date(2024, 3, 1), date(2024, 5, 31))
    assert spring.contains(date(2024, 5, 31))
    assert not spring.contains(date(2024, 6, 1))
    assert not spring.contains(date(2024, 2, 29))
    assert spring.rollup_key is None


def test_rollup_keys_only_for_whole_weeks_and_months():
    assert ALL_TIME.rollup_key == "all"
    assert Period("week", date(2024, 1, 1), date(2024, 1, 8)).rollup_key == "week:2024-01-01"
    assert Period("week", date(2024, 1, 2), date(2024, 1, 9)).rollup_key is None
    assert Period("month", date(2024, 2, 1), date(2024, 3, 1)).rollup_key == "month:2024-02-01"
    assert Period("month", date(2024, 2, 1), date(2024, 2, 28)).rollup_key is None


def test_a_whole_calendar_quarter_has_a_rollup_and_no_other_season_does():
    assert quarter_of(date(2024, 11, 30)) == Period("season", date(2024, 10, 1), date(2025, 1, 1))
    assert quarter_of(date(2024, 1, 1)).rollup_key == "quarter:2024-01-01"
    assert quarter_of(date(2024, 6, 30)).rollup_key == "quarter:2024-04-01"
    assert Period("season", date(2024, 4, 1), date(2024, 6, 30)).rollup_key is None
    assert Period("season", date(2024, 4, 2), date(2024, 7, 1)).rollup_key is None
    assert this_season(datetime(2024, 12, 31, 23, 30, tzinfo=UTC), "Europe/Berlin").rollup_key == (
        "quarter:2025-01-01"
    )


@pytest.mark.parametrize(
    "bad",
    [
        lambda: Period("season", date(2024, 2, 1), date(2024, 2, 1)),
        lambda: Period("season", date(2024, 2, 1), None),
        lambda: Period("all", date(2024, 1, 1), date(2024, 2, 1)),
        lambda: Period("week"),
        lambda: resolve("fortnight", datetime(2024, 1, 1, tzinfo=UTC), "UTC"),
        lambda: local_day(datetime(2024, 1, 1), "UTC"),
    ],
)
def test_malformed_periods_are_refused(bad):
    with pytest.raises(ValueError):
        bad()


def test_resolve_names():
    now = datetime(2024, 5, 15, 12, tzinfo=UTC)
    assert resolve("all", now, "UTC") is ALL_TIME
    assert resolve("week", now, "UTC").start == date(2024, 5, 13)
    given_period = season(date(2024, 1, 1), date(2024, 1, 31))
    assert resolve(given_period, now, "UTC") is given_period


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(["UTC", "Europe/Berlin", "Asia/Kolkata", "Pacific/Chatham", "America/Denver"]),
)
def test_now_falls_inside_its_own_week_and_month(now, tz):
    day = local_day(now, tz)
    for period in (this_week(now, tz), this_month(now, tz)):
        assert period.contains(day)
        assert period.rollup_key is not None
    assert week_start(day).weekday() == 0
