"""Leaderboard periods as ranges of local days in one time zone (weeks start on Monday)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

PeriodKind = Literal["week", "month", "season", "all"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("week", "month", "season", "all")


@dataclass(frozen=True)
class Period:
    """Local days [start, end): `start`/`end` are None for all time."""

    kind: PeriodKind
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None):
            raise ValueError("a period has both bounds or neither")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"period ends ({self.end}) on or before it starts ({self.start})")
        if self.kind == "all" and self.start is not None:
            raise ValueError("the all-time period has no bounds")
        if self.kind != "all" and self.start is None:
            raise ValueError(f"a {self.kind} period needs bounds")

    @property
    def rollup_key(self) -> str | None:
        """Key of the precomputed totals for this period, or None (sum daily rows)."""
        if self.kind == "all":
            return "all"
        assert self.start is not None
        whole_week = self.start == week_start(self.start) and self.end == self.start + timedelta(
            days=7
        )
        if self.kind == "week" and whole_week:
            return f"week:{self.start.isoformat()}"
        whole_month = self.start == month_start(self.start) and self.end == next_month(self.start)
        if self.kind == "month" and whole_month:
            return f"month:{self.start.isoformat()}"
        if self.kind == "season" and self == quarter_of(self.start):
            return f"quarter:{self.start.isoformat()}"
        return None

    def contains(self, day: date) -> bool:
        if self.start is None or self.end is None:
            return True
        return self.start <= day < self.end

    def utc_bounds(self, tz: str) -> tuple[datetime, datetime] | None:
        if self.start is None or self.end is None:
            return None
        zone = ZoneInfo(tz)
        return (
            datetime.combine(self.start, time(), zone).astimezone(ZoneInfo("UTC")),
            datetime.combine(self.end, time(), zone).astimezone(ZoneInfo("UTC")),
        )


def local_day(instant: datetime, tz: str) -> date:
    if instant.tzinfo is None:
        raise ValueError("local_day needs a timezone-aware datetime")
    return instant.astimezone(ZoneInfo(tz)).date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    first = month_start(day)
    return (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )


def this_week(now: datetime, tz: str) -> Period:
    start = week_start(local_day(now, tz))
    return Period("week", start, start + timedelta(days=7))


def this_month(now: datetime, tz: str) -> Period:
    start = month_start(local_day(now, tz))
    return Period("month", start, next_month(start))


def season(start: date, end_inclusive: date) -> Period:
    """A season named by its first and last day, both included."""
    return Period("season", start, end_inclusive + timedelta(days=1))


def this_season(now: datetime, tz: str) -> Period:
    """The current calendar quarter in `tz` (the leaderboard's `season`)."""
    return quarter_of(local_day(now, tz))


def quarter_of(day: date) -> Period:
    """The calendar quarter holding `day`, as a season."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return Period("season", start, end)


ALL_TIME = Period("all")


def resolve(period: str | Period, now: datetime, tz: str) -> Period:
    """`"week"`, `"month"`, `"all"` relative to `now` in `tz`, or a Period as given."""
    if isinstance(period, Period):
        return period
    if period == "week":
        return this_week(now, tz)
    if period == "month":
        return this_month(now, tz)
    if period == "season":
        return this_season(now, tz)
    if period in ("all", "all-time", "alltime"):
        return ALL_TIME
    raise ValueError(f"unknown period {period!r}: use week, month, season or all")


def local_midnight(day: date, tz: str) -> datetime:
    """The first instant of local `day` in `tz`, in UTC."""
    return datetime.combine(day, time(), ZoneInfo(tz)).astimezone(UTC)


@lru_cache(maxsize=512)
def local_dates_in_order(tz: str, year: int) -> bool:
    """False if, during `year` (UTC), a clock change in `tz` turns the local date back:
    falling back across midnight, as Newfoundland did until 2010 (00:01 to 23:01 the
    day before). Then local days are not ranges of instants and `local_midnight`
    bounds would be wrong. Falling back at 24:00 (Chile, Lebanon) keeps dates in order."""
    zone = ZoneInfo(tz)
    step = timedelta(days=1)  # clock changes are months apart
    instant = datetime(year, 1, 1, tzinfo=UTC) - step
    end = datetime(year + 1, 1, 1, tzinfo=UTC) + step
    offset = instant.astimezone(zone).utcoffset()
    while instant < end:
        following = instant + step
        next_offset = following.astimezone(zone).utcoffset()
        if next_offset is not None and offset is not None and next_offset < offset:
            low, high = instant, following  # offset(low) is old, offset(high) is new
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            if high.astimezone(zone).date() < low.astimezone(zone).date():
                return False
        instant, offset = following, next_offset
    return True
