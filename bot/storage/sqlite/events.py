"""Slack event ids already handled, so a retried delivery is handled once."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.storage.sqlite.database import Database
from bot.storage.sqlite.timestamps import to_db

# Slack retries within minutes; a day is a wide margin that keeps the table small.
DEFAULT_TTL = timedelta(hours=24)
PURGE_EVERY = timedelta(minutes=10)


class EventRepository:
    def __init__(self, db: Database, *, ttl: timedelta = DEFAULT_TTL) -> None:
        self.db = db
        self.ttl = ttl
        self._next_purge: datetime | None = None

    async def first_seen(self, event_id: str, now: datetime) -> bool:
        """True the first time an event id is offered (until it expires), False after."""
        async with self.db.transaction():
            if self._next_purge is None or now >= self._next_purge:
                await self.purge(now)
                self._next_purge = now + PURGE_EVERY
            inserted = await self.db.execute(
                "INSERT INTO processed_events (event_id, seen_at, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT (event_id) DO UPDATE SET seen_at = excluded.seen_at, "
                "expires_at = excluded.expires_at WHERE expires_at <= excluded.seen_at",
                (event_id, to_db(now), to_db(now + self.ttl)),
            )
        return inserted == 1

    async def purge(self, now: datetime) -> int:
        return await self.db.execute(
            "DELETE FROM processed_events WHERE expires_at <= ?", (to_db(now),)
        )
