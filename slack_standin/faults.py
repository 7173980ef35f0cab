"""Scripted failures for the next calls of a Web API method (rate limits, 5xx, slowness)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass
class Fault:
    """What the next call gets: HTTP `status` (429 adds Retry-After), an `ok: false`
    `error` with HTTP 200, or - with neither - a normal answer after `delay` seconds."""

    status: int | None
    retry_after: int
    delay: float
    error: str | None
    remaining: int


class FaultBook:
    def __init__(self) -> None:
        self._faults: dict[str, deque[Fault]] = {}

    def inject(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
        delay: float = 0.0,
        error: str | None = None,
    ) -> Fault:
        if times < 1:
            raise ValueError("times must be at least 1")
        if status is None and error is None and not delay:
            # The fault Slack apps meet most: a rate limit.
            status = 429
        fault = Fault(
            status=status,
            retry_after=retry_after,
            delay=delay,
            error=error,
            remaining=times,
        )
        self._faults.setdefault(method, deque()).append(fault)
        return fault

    def take(self, method: str) -> Fault | None:
        """The fault for this call, if one is scripted; consumes one of its `times`."""
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.popleft()
        return fault

    def pending(self, method: str) -> int:
        return sum(f.remaining for f in self._faults.get(method, ()))

    def clear(self) -> None:
        self._faults.clear()
