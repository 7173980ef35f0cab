"""Leases on scheduled and resumable work, and the processes that hold them.

A lease is taken before the work starts. It can be taken again when the last attempt
failed (while attempts remain) or when its holder is no longer a live process (it
stopped, or has not beaten its heartbeat within the policy's `stale_after`), so
failures stay visible and are retried, and nothing waits on the dead."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from bot.core.leases import LeasePolicy
from bot.core.records import Lease
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.timestamps import day_from_db, from_db_required, to_db

# A holder is live when its process row has beaten recently and has not stopped.
LIVE_OWNERS = "SELECT owner FROM processes WHERE stopped_at IS NULL AND heartbeat_at > ?"


class LeaseRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def take(
        self,
        key: str,
        *,
        team_id: str,
        kind: str,
        owner: str,
        now: datetime,
        policy: LeasePolicy,
        schedule_id: int | None = None,
        slot_date: date | None = None,
    ) -> bool:
        """True if this owner now holds the lease: it was free, its last attempt failed
        with attempts left, or its holder is not a live process."""
        stamp = to_db(now)
        async with self.db.transaction():
            inserted = await self.db.execute(
                "INSERT INTO leases (key, team_id, kind, schedule_id, slot_date, owner, status,"
                " claimed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'claimed', ?, ?)"
                " ON CONFLICT (key) DO NOTHING",
                (
                    key,
                    team_id,
                    kind,
                    schedule_id,
                    None if slot_date is None else slot_date.isoformat(),
                    owner,
                    stamp,
                    stamp,
                ),
            )
            if inserted:
                return True
            retaken = await self.db.execute(
                "UPDATE leases SET owner = ?, status = 'claimed', attempts = attempts + 1,"
                " claimed_at = ?, updated_at = ? WHERE key = ? AND attempts < ?"
                " AND (status = 'failed' OR (status = 'claimed' AND owner != ?"
                f" AND owner NOT IN ({LIVE_OWNERS})))",
                (
                    owner,
                    stamp,
                    stamp,
                    key,
                    policy.max_attempts,
                    owner,
                    to_db(now - policy.stale_after),
                ),
            )
        return retaken == 1

    async def held_by_live(self, key: str, now: datetime, policy: LeasePolicy) -> bool:
        """Whether a live process is working on this right now."""
        row = await self.db.fetchone(
            "SELECT 1 FROM leases WHERE key = ? AND status = 'claimed'"
            f" AND owner IN ({LIVE_OWNERS})",
            (key, to_db(now - policy.stale_after)),
        )
        return row is not None

    async def finish(
        self, key: str, *, owner: str, now: datetime, error: str | None = None
    ) -> bool:
        """Done (no error) or failed (with the error); only by the lease's holder, so a
        process whose lease was taken over cannot mark someone else's attempt."""
        changed = await self.db.execute(
            "UPDATE leases SET status = ?, last_error = COALESCE(?, last_error), updated_at = ?"
            " WHERE key = ? AND status = 'claimed' AND owner = ?",
            ("done" if error is None else "failed", error, to_db(now), key, owner),
        )
        return changed == 1

    async def skip(
        self,
        key: str,
        *,
        team_id: str,
        kind: str,
        owner: str,
        now: datetime,
        schedule_id: int | None = None,
        slot_date: date | None = None,
    ) -> bool:
        """Record work deliberately not done (a slot missed beyond the grace window)."""
        stamp = to_db(now)
        inserted = await self.db.execute(
            "INSERT INTO leases (key, team_id, kind, schedule_id, slot_date, owner, status,"
            " attempts, claimed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'skipped', 0, ?, ?)"
            " ON CONFLICT (key) DO NOTHING",
            (
                key,
                team_id,
                kind,
                schedule_id,
                None if slot_date is None else slot_date.isoformat(),
                owner,
                stamp,
                stamp,
            ),
        )
        return inserted == 1

    async def retryable(
        self, schedule_id: int, kind: str, *, now: datetime, policy: LeasePolicy
    ) -> list[Lease]:
        """A schedule's failed leases with attempts left, and those held by the dead."""
        rows = await self.db.fetchall(
            "SELECT * FROM leases WHERE schedule_id = ? AND kind = ? AND attempts < ?"
            " AND (status = 'failed'"
            f" OR (status = 'claimed' AND owner NOT IN ({LIVE_OWNERS}))) ORDER BY slot_date",
            (schedule_id, kind, policy.max_attempts, to_db(now - policy.stale_after)),
        )
        return [_lease(row) for row in rows]

    async def abandoned(self, kind: str, *, now: datetime, policy: LeasePolicy) -> list[Lease]:
        """Leases of this kind whose holder is not a live process, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM leases WHERE kind = ? AND status = 'claimed'"
            f" AND owner NOT IN ({LIVE_OWNERS}) ORDER BY claimed_at",
            (kind, to_db(now - policy.stale_after)),
        )
        return [_lease(row) for row in rows]

    async def last_slot_date(self, schedule_id: int, kind: str) -> date | None:
        """The latest slot with any lease (done, failed, running or skipped)."""
        row = await self.db.fetchone(
            "SELECT MAX(slot_date) FROM leases WHERE schedule_id = ? AND kind = ?",
            (schedule_id, kind),
        )
        return None if row is None else day_from_db(row[0])

    async def get(self, key: str) -> Lease | None:
        row = await self.db.fetchone("SELECT * FROM leases WHERE key = ?", (key,))
        return None if row is None else _lease(row)

    async def failed(self, team_id: str) -> list[Lease]:
        rows = await self.db.fetchall(
            "SELECT * FROM leases WHERE team_id = ? AND status = 'failed'"
            " ORDER BY slot_date, kind, key",
            (team_id,),
        )
        return [_lease(row) for row in rows]


class ProcessRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def beat(self, owner: str, *, host: str, pid: int, now: datetime) -> None:
        """Register this process or say it is still alive."""
        stamp = to_db(now)
        await self.db.execute(
            "INSERT INTO processes (owner, host, pid, started_at, heartbeat_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (owner) DO UPDATE"
            " SET heartbeat_at = excluded.heartbeat_at",
            (owner, host, pid, stamp, stamp),
        )

    async def stopped(self, owner: str, now: datetime) -> None:
        """A stop (clean, or found dead): whatever it held is free for others at once."""
        await self.db.execute(
            "UPDATE processes SET stopped_at = ? WHERE owner = ? AND stopped_at IS NULL",
            (to_db(now), owner),
        )

    async def running_on(self, host: str) -> list[tuple[str, int]]:
        """(owner, pid) of the processes on `host` not known to have stopped."""
        rows = await self.db.fetchall(
            "SELECT owner, pid FROM processes WHERE host = ? AND stopped_at IS NULL", (host,)
        )
        return [(row[0], int(row[1])) for row in rows]

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop rows of processes gone since before `cutoff` that hold nothing."""
        return await self.db.execute(
            "DELETE FROM processes WHERE COALESCE(stopped_at, heartbeat_at) < ?"
            " AND owner NOT IN (SELECT owner FROM leases WHERE status = 'claimed')"
            " AND owner NOT IN (SELECT owner FROM outbox WHERE status = 'sending'"
            " AND owner IS NOT NULL)",
            (to_db(cutoff),),
        )


def _lease(row: sqlite3.Row) -> Lease:
    return Lease(
        key=row["key"],
        team_id=row["team_id"],
        kind=row["kind"],
        schedule_id=row["schedule_id"],
        slot_date=day_from_db(row["slot_date"]),
        owner=row["owner"],
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        claimed_at=from_db_required(row["claimed_at"]),
        updated_at=from_db_required(row["updated_at"]),
    )
