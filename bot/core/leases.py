"""How long work may be held, and how often it is retried (pure).

A lease is held by a process; the process is alive while it beats its heartbeat.
Work whose holder stopped beating is taken over at once by the next process that
looks, not after a fixed wait; failed work is retried until `max_attempts`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class LeasePolicy:
    # A process that has not beaten for this long is taken for dead.
    stale_after: timedelta = timedelta(seconds=60)
    max_attempts: int = 30


HEARTBEAT_EVERY = timedelta(seconds=10)


def slot_key(kind: str, schedule_id: int, slot_date: date) -> str:
    return f"{kind}:{schedule_id}:{slot_date.isoformat()}"


def reveal_key(post_id: int) -> str:
    return f"reveal:{post_id}"


def revealed_post_id(key: str) -> int | None:
    """The post a reveal lease is for, or None for any other lease."""
    kind, _, rest = key.partition(":")
    return int(rest) if kind == "reveal" and rest.isdigit() else None
