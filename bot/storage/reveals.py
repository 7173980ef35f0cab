"""Reveals claimed per post, with each finished step recorded so a resumed reveal
(after a crash or a Slack outage) repeats nothing that already happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.storage.clock import from_db, to_db
from bot.storage.database import Database

DEFAULT_LEASE = timedelta(minutes=5)
DEFAULT_MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class RevealProgress:
    summary_ts: str | None
    original_closed: bool
    feedback_sent: frozenset[int]


@dataclass(frozen=True)
class RevealFailure:
    """A reveal whose last attempt failed; `id` is the post id."""

    id: int
    team_id: str
    channel_id: str
    error: str | None
    attempts: int
    updated_at: datetime


class RevealRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(
        self,
        post_id: int,
        *,
        owner: str,
        now: datetime,
        lease: timedelta = DEFAULT_LEASE,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> bool:
        """Take the reveal of an open post: first come, a failed attempt, or a lapsed lease."""
        stamp = to_db(now)
        async with self.db.transaction():
            inserted = await self.db.execute(
                "INSERT INTO reveals (post_id, team_id, owner, status, claimed_at, updated_at)"
                " SELECT id, team_id, ?, 'claimed', ?, ? FROM posts"
                " WHERE id = ? AND status = 'open'"
                " ON CONFLICT (post_id) DO NOTHING",
                (owner, stamp, stamp, post_id),
            )
            if inserted:
                return True
            retaken = await self.db.execute(
                "UPDATE reveals SET owner = ?, status = 'claimed', attempts = attempts + 1,"
                " claimed_at = ?, updated_at = ? WHERE post_id = ? AND attempts < ?"
                " AND (status = 'failed' OR (status = 'claimed' AND claimed_at <= ?))"
                " AND post_id IN (SELECT id FROM posts WHERE status = 'open')",
                (owner, stamp, stamp, post_id, max_attempts, to_db(now - lease)),
            )
        return retaken == 1

    async def fail(self, post_id: int, *, error: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE reveals SET status = 'failed', last_error = ?, updated_at = ?"
            " WHERE post_id = ?",
            (error, to_db(now), post_id),
        )

    async def progress(self, post_id: int) -> RevealProgress:
        row = await self.db.fetchone(
            "SELECT summary_ts, original_closed FROM reveals WHERE post_id = ?", (post_id,)
        )
        sent = await self.db.fetchall(
            "SELECT answer_id FROM reveal_feedback WHERE post_id = ?", (post_id,)
        )
        return RevealProgress(
            summary_ts=row[0] if row else None,
            original_closed=bool(row[1]) if row else False,
            feedback_sent=frozenset(r[0] for r in sent),
        )

    async def summary_posted(self, post_id: int, ts: str) -> None:
        await self.db.execute("UPDATE reveals SET summary_ts = ? WHERE post_id = ?", (ts, post_id))

    async def original_closed(self, post_id: int) -> None:
        await self.db.execute(
            "UPDATE reveals SET original_closed = 1 WHERE post_id = ?", (post_id,)
        )

    async def feedback_sent(self, answer_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO reveal_feedback (answer_id, post_id, sent_at)"
            " SELECT id, post_id, ? FROM answers WHERE id = ?"
            " ON CONFLICT (answer_id) DO NOTHING",
            (to_db(now), answer_id),
        )

    async def failing(self, team_id: str, channel_id: str | None = None) -> list[RevealFailure]:
        rows = await self.db.fetchall(
            "SELECT r.post_id, r.team_id, p.channel_id, r.last_error, r.attempts, r.updated_at"
            " FROM reveals AS r JOIN posts AS p ON p.id = r.post_id"
            " WHERE r.team_id = ? AND r.status = 'failed' AND (? IS NULL OR p.channel_id = ?)"
            " ORDER BY r.updated_at, r.post_id",
            (team_id, channel_id, channel_id),
        )
        return [
            RevealFailure(row[0], row[1], row[2], row[3], row[4], from_db(row[5])) for row in rows
        ]
