"""Acks first: background work gives way while Slack's requests are being answered.

Slack gives every request three seconds for its ack, and the ack is what a user waits
on; the work behind it (grading a reply, sending a command's answer, reactions) shares
the one event loop. So the HTTP edge counts requests in flight, and the inbox worker and
the outbox deliverer ask `Traffic.turn()` before each batch: at once when no request is
in flight and none arrived or was answered for `settle`; else they wait for that moment, at most
`max_wait`, and then take a small batch (`pressed`), so that a long burst of requests
never starves the work behind them.

Measured with bench/ack.py (README, Performance): without this, the work of earlier
requests ran between the acks of later ones and tripled their time to ack at 50 clients."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Turn:
    """What a batch may take: everything due, or a small share while requests wait."""

    pressed: bool

    def limit(self, quiet: int, pressed: int) -> int:
        return pressed if self.pressed else quiet


QUIET = Turn(pressed=False)
PRESSED = Turn(pressed=True)


class Traffic:
    def __init__(
        self,
        *,
        settle: float = 0.01,
        max_wait: float = 0.25,
        poll: float = 0.002,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock
        self.settle = settle
        self.max_wait = max_wait
        self.poll = poll
        self.in_flight = 0
        self._last_seen = float("-inf")

    def arrived(self) -> None:
        self.in_flight += 1
        self._last_seen = self.clock()

    def answered(self) -> None:
        # Counted from the answer too: a client answered just now is likely to send its
        # next request in a moment, and a slow answer must not look like a quiet spell.
        self.in_flight = max(0, self.in_flight - 1)
        self._last_seen = self.clock()

    def quiet(self) -> bool:
        return self.in_flight == 0 and self.clock() - self._last_seen >= self.settle

    async def turn(self) -> Turn:
        """Wait until requests are answered (at most `max_wait`); say how much to take."""
        if self.quiet():
            return QUIET
        deadline = self.clock() + self.max_wait
        while self.clock() < deadline:
            # Polling costs a few microseconds a round; an event per request would cost
            # more on the hot path than it saves here.
            await asyncio.sleep(self.poll)
            if self.quiet():
                return QUIET
        return PRESSED

    async def give_way(self) -> None:
        """Between two pieces of work: let waiting requests go first. A use case's step
        runs on the loop without pausing (its SQL is synchronous), so a batch of them
        would otherwise hold every ack that arrived meanwhile until it ends."""
        await asyncio.sleep(0)
        if not self.quiet():
            await self.turn()


class NoTraffic(Traffic):
    """For processes that answer no requests (the command line, tests of the jobs)."""

    async def turn(self) -> Turn:
        return QUIET

    async def give_way(self) -> None:
        await asyncio.sleep(0)
