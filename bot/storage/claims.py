"""Claims on scheduled work: a slot's post, reveal or recap is done once.

A claim is taken before the work starts. It can be taken again only when the last
attempt failed (up to `max_attempts`) or when its owner held it past the lease
(the process died mid-way), so failures stay visible and are retried.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from bot.storage.clock import day_from_db, day_to_db, from_db, to_db
from bot.storage.database import Database
from bot.storage.records import Claim, ClaimKind

DEFAULT_LEASE = timedelta(minutes=10)
DEFAULT_MAX_ATTEMPTS = 5


class ClaimRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def try_claim(
        self,
        schedule_id: int,
        slot_date: date,
        kind: ClaimKind,
        owner: str,
        now: datetime,
        *,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> bool:
        if kind not in ("post", "reveal", "recap"):
            raise ValueError(f"claim kind must be post, reveal or recap, got {kind!r}")
        stamp = to_db(now)
        async with self.db.transaction():
            inserted = await self.db.execute(
                "INSERT INTO claims (team_id, schedule_id, slot_date, kind, owner, status,"
                " claimed_at, updated_at)"
                " SELECT team_id, id, ?, ?, ?, 'claimed', ?, ? FROM schedules WHERE id = ?"
                " ON CONFLICT (schedule_id, slot_date, kind) DO NOTHING",
                (day_to_db(slot_date), kind, owner, stamp, stamp, schedule_id),
            )
            if inserted:
                return True
            retaken = await self.db.execute(
                "UPDATE claims SET owner = ?, status = 'claimed', attempts = attempts + 1,"
                " claimed_at = ?, updated_at = ?"
                " WHERE schedule_id = ? AND slot_date = ? AND kind = ? AND attempts < ?"
                " AND (status = 'failed' OR (status = 'claimed' AND claimed_at <= ?))",
                (
                    owner,
                    stamp,
                    stamp,
                    schedule_id,
                    day_to_db(slot_date),
                    kind,
                    max_attempts,
                    to_db(now - lease),
                ),
            )
        return retaken == 1

    async def reclaim(
        self,
        claim_id: int,
        *,
        owner: str,
        now: datetime,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> bool:
        """Retake one claim listed by `retryable`; False if someone else got there first."""
        stamp = to_db(now)
        changed = await self.db.execute(
            "UPDATE claims SET owner = ?, status = 'claimed', attempts = attempts + 1,"
            " claimed_at = ?, updated_at = ? WHERE id = ? AND attempts < ?"
            " AND (status = 'failed' OR (status = 'claimed' AND claimed_at <= ?))",
            (owner, stamp, stamp, claim_id, max_attempts, to_db(now - lease)),
        )
        return changed == 1

    async def retryable(
        self,
        schedule_id: int,
        kind: ClaimKind,
        *,
        now: datetime,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> list[Claim]:
        """Failed claims with attempts left, and claims whose owner outlived its lease."""
        rows = await self.db.fetchall(
            "SELECT * FROM claims WHERE schedule_id = ? AND kind = ? AND attempts < ?"
            " AND (status = 'failed' OR (status = 'claimed' AND claimed_at <= ?))"
            " ORDER BY slot_date",
            (schedule_id, kind, max_attempts, to_db(now - lease)),
        )
        return [_claim(row) for row in rows]

    async def record_skipped(
        self,
        team_id: str,
        schedule_id: int,
        slot_date: date,
        kind: ClaimKind,
        *,
        owner: str,
        now: datetime,
    ) -> bool:
        """Mark a slot missed beyond the catch-up window, so it is neither run nor lost."""
        stamp = to_db(now)
        inserted = await self.db.execute(
            "INSERT INTO claims (team_id, schedule_id, slot_date, kind, owner, status, attempts,"
            " claimed_at, updated_at) VALUES (?, ?, ?, ?, ?, 'skipped', 0, ?, ?)"
            " ON CONFLICT (schedule_id, slot_date, kind) DO NOTHING",
            (team_id, schedule_id, day_to_db(slot_date), kind, owner, stamp, stamp),
        )
        return inserted == 1

    async def last_slot_date(self, schedule_id: int, kind: ClaimKind) -> date | None:
        """The latest slot with any claim (done, failed, running or skipped)."""
        row = await self.db.fetchone(
            "SELECT MAX(slot_date) FROM claims WHERE schedule_id = ? AND kind = ?",
            (schedule_id, kind),
        )
        return None if row is None else day_from_db(row[0])

    async def complete(
        self,
        schedule_id: int,
        slot_date: date,
        kind: ClaimKind,
        *,
        now: datetime,
        owner: str | None = None,
    ) -> bool:
        return await self._finish(schedule_id, slot_date, kind, owner, now, "done", None)

    async def fail(
        self,
        schedule_id: int,
        slot_date: date,
        kind: ClaimKind,
        *,
        error: str,
        now: datetime,
        owner: str | None = None,
    ) -> bool:
        return await self._finish(schedule_id, slot_date, kind, owner, now, "failed", error)

    async def _finish(
        self,
        schedule_id: int,
        slot_date: date,
        kind: ClaimKind,
        owner: str | None,
        now: datetime,
        status: str,
        error: str | None,
    ) -> bool:
        # Given an owner, only that owner finishes the claim: a process whose lease was
        # taken over must not mark someone else's attempt.
        changed = await self.db.execute(
            "UPDATE claims SET status = ?, last_error = COALESCE(?, last_error), updated_at = ?"
            " WHERE schedule_id = ? AND slot_date = ? AND kind = ? AND status = 'claimed'"
            " AND (? IS NULL OR owner = ?)",
            (status, error, to_db(now), schedule_id, day_to_db(slot_date), kind, owner, owner),
        )
        return changed == 1

    async def get(self, schedule_id: int, slot_date: date, kind: ClaimKind) -> Claim | None:
        row = await self.db.fetchone(
            "SELECT * FROM claims WHERE schedule_id = ? AND slot_date = ? AND kind = ?",
            (schedule_id, day_to_db(slot_date), kind),
        )
        return None if row is None else _claim(row)

    async def failed(self, team_id: str) -> list[Claim]:
        rows = await self.db.fetchall(
            "SELECT * FROM claims WHERE team_id = ? AND status = 'failed' ORDER BY slot_date, kind",
            (team_id,),
        )
        return [_claim(row) for row in rows]


def _claim(row: sqlite3.Row) -> Claim:
    return Claim(
        id=row["id"],
        team_id=row["team_id"],
        schedule_id=row["schedule_id"],
        slot_date=day_from_db(row["slot_date"]),
        kind=row["kind"],
        owner=row["owner"],
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        claimed_at=from_db(row["claimed_at"]),
        updated_at=from_db(row["updated_at"]),
    )
