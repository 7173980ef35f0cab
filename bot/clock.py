"""The one place the app reads the wall clock; everything else receives `now`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def shifted_clock(seconds: float) -> Clock:
    """The wall clock moved by `seconds` (see the CLOCK_OFFSET_SECONDS setting)."""
    if not seconds:
        return system_clock
    offset = timedelta(seconds=seconds)

    def clock() -> datetime:
        return datetime.now(UTC) + offset

    return clock
