"""The inbox: requests from Slack, recorded before they are acknowledged.

A row is `pending` until a live process takes it (`working`), and `done` in the same
transaction as the change it caused (`SqliteStorage` marks it). A row a dead process
was working on is taken again, so a crash at any point leaves either nothing or
everything of a request."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from bot.core.leases import LeasePolicy
from bot.core.records import InboxEntry, InboxRow
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.leases import LIVE_OWNERS
from bot.storage.sqlite.timestamps import from_db_required, to_db
from bot.storage.sqlite.util import json_list


class InboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_many(self, entries: Sequence[InboxEntry], now: datetime) -> list[int | None]:
        """Record requests in one transaction; an entry whose dedupe key is recorded
        already gives None (Slack retried it)."""
        stamp = to_db(now)
        ids: list[int | None] = []
        async with self.db.transaction():
            for entry in entries:
                row = await self.db.fetchone(
                    "INSERT INTO inbox (team_id, kind, dedupe_key, conversation, payload,"
                    " request, not_before, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
                    (
                        entry.team_id,
                        entry.kind,
                        entry.dedupe_key,
                        entry.conversation,
                        entry.payload,
                        entry.request,
                        stamp,
                        stamp,
                    ),
                )
                ids.append(None if row is None else int(row[0]))
        return ids

    async def due(self, now: datetime, policy: LeasePolicy, limit: int = 200) -> list[int]:
        """Rows to process now, in arrival order: pending and due, or left `working`
        by a process that is no longer alive."""
        rows = await self.db.fetchall(
            "SELECT id FROM inbox WHERE (status = 'pending' AND not_before <= ?)"
            f" OR (status = 'working' AND (owner IS NULL OR owner NOT IN ({LIVE_OWNERS})))"
            " ORDER BY id LIMIT ?",
            (to_db(now), to_db(now - policy.stale_after), limit),
        )
        return [int(row[0]) for row in rows]

    async def take(
        self, ids: Sequence[int], *, owner: str, now: datetime, policy: LeasePolicy
    ) -> list[InboxRow]:
        rows = await self.db.fetchall(
            "UPDATE inbox SET status = 'working', owner = ?, attempts = attempts + 1"
            " WHERE id IN (SELECT value FROM json_each(?)) AND (status = 'pending'"
            f" OR (status = 'working' AND (owner IS NULL OR owner NOT IN ({LIVE_OWNERS}))))"
            " RETURNING id, team_id, kind, conversation, request, status, attempts, received_at",
            (owner, json_list(ids), to_db(now - policy.stale_after)),
        )
        return sorted((_row(row) for row in rows), key=lambda r: r.id)

    async def done(self, row_id: int, now: datetime) -> bool:
        changed = await self.db.execute(
            "UPDATE inbox SET status = 'done', done_at = ?, error = NULL"
            " WHERE id = ? AND status IN ('pending', 'working')",
            (to_db(now), row_id),
        )
        return changed == 1

    async def done_many(self, row_ids: Sequence[int], now: datetime) -> int:
        return await self.db.execute(
            "UPDATE inbox SET status = 'done', done_at = ?, error = NULL"
            " WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('pending', 'working')",
            (to_db(now), json_list(row_ids)),
        )

    async def retry_later(self, row_id: int, *, error: str, not_before: datetime) -> None:
        await self.db.execute(
            "UPDATE inbox SET status = 'pending', owner = NULL, error = ?, not_before = ?"
            " WHERE id = ? AND status = 'working'",
            (error[:500], to_db(not_before), row_id),
        )

    async def failed(self, row_id: int, *, error: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE inbox SET status = 'failed', owner = NULL, error = ?, done_at = ?"
            " WHERE id = ? AND status IN ('pending', 'working')",
            (error[:500], to_db(now), row_id),
        )

    async def status(self, row_id: int) -> str | None:
        row = await self.db.fetchone("SELECT status FROM inbox WHERE id = ?", (row_id,))
        return None if row is None else str(row[0])

    async def forget_done_before(self, cutoff: datetime) -> int:
        """Drop processed requests; their event ids outlive Slack's retries by far."""
        return await self.db.execute(
            "DELETE FROM inbox WHERE status = 'done' AND done_at < ?", (to_db(cutoff),)
        )

    async def counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT status, COUNT(*) FROM inbox GROUP BY status")
        return {row[0]: int(row[1]) for row in rows}


def _row(row: sqlite3.Row) -> InboxRow:
    return InboxRow(
        id=int(row[0]),
        team_id=row[1],
        kind=row[2],
        conversation=row[3],
        request=row[4],
        status=row[5],
        attempts=int(row[6]),
        received_at=from_db_required(row[7]),
    )
