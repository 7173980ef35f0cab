"""Identifiers shaped like Slack's: message timestamps, view ids, trigger ids, hashes."""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable


class TsClock:
    """Hands out message timestamps ("1700000000.000100") that are unique and increasing.

    Slack's `ts` is epoch seconds with six decimals and doubles as the message id, so two
    messages in one channel never share one.  We follow the wall clock (apps derive times
    from `ts`) but step at least one microsecond past the previous value.
    """

    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self._now = now
        self._last_us = 0

    def next(self) -> str:
        now_us = int(self._now() * 1_000_000)
        self._last_us = max(now_us, self._last_us + 1)
        return format_ts(self._last_us)

    def observe(self, ts: str) -> None:
        """Remember a ts chosen elsewhere (e.g. by a test) so later ones still sort after it."""
        self._last_us = max(self._last_us, parse_ts(ts))


def format_ts(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def parse_ts(ts: str) -> int:
    seconds, _, fraction = ts.partition(".")
    return int(seconds) * 1_000_000 + int((fraction or "0").ljust(6, "0")[:6])


def is_ts(value: object) -> bool:
    if not isinstance(value, str):
        return False
    seconds, dot, fraction = value.partition(".")
    return bool(dot) and seconds.isdigit() and fraction.isdigit() and len(fraction) == 6


class Sequence:
    """Readable, deterministic ids with a Slack-like prefix (V0001, B0001, ...)."""

    def __init__(self, prefix: str, width: int = 8) -> None:
        self._prefix = prefix
        self._width = width
        self._counter = itertools.count(1)

    def next(self) -> str:
        return f"{self._prefix}{next(self._counter):0{self._width}d}"


def new_trigger_id() -> str:
    # Slack trigger ids look like "<digits>.<digits>.<hex>"; apps must treat them as opaque.
    return (
        f"{secrets.randbelow(10**13):013d}.{secrets.randbelow(10**10):010d}.{secrets.token_hex(16)}"
    )


def new_view_hash() -> str:
    return f"{int(time.time())}.{secrets.token_hex(4)}"


class StandinClock:
    """Monotonic seconds that tests can move forward (`advance`) to expire trigger ids and
    response URLs without waiting for them."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self.offset = 0.0

    def __call__(self) -> float:
        return self._now() + self.offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.offset += seconds
