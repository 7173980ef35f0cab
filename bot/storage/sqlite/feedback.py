"""People's judgements of grades: overrides by reviewers and appeals by answerers."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.core.records import Appeal, HumanLabel, Override
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.timestamps import from_db, from_db_required, to_db


class FeedbackRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_override(
        self,
        team_id: str,
        answer_id: int,
        by_user_id: str,
        *,
        old_score: float | None,
        score: float,
        note: str,
        now: datetime,
    ) -> Override:
        created = await self.db.fetchone(
            "INSERT INTO overrides (team_id, answer_id, by_user_id, old_score, score, note,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (team_id, answer_id, by_user_id, old_score, score, note, to_db(now)),
        )
        assert created is not None
        return _override(created)

    async def overrides_for(self, answer_id: int) -> list[Override]:
        rows = await self.db.fetchall(
            "SELECT * FROM overrides WHERE answer_id = ? ORDER BY id", (answer_id,)
        )
        return [_override(row) for row in rows]

    async def labels(self, team_id: str | None = None) -> list[HumanLabel]:
        """The latest human score of each overridden answer, with the question and text."""
        rows = await self.db.fetchall(
            "SELECT o.answer_id, p.question_id, a.text, o.old_score, o.score"
            " FROM overrides AS o JOIN answers AS a ON a.id = o.answer_id"
            " JOIN posts AS p ON p.id = a.post_id"
            " WHERE o.id IN (SELECT MAX(id) FROM overrides GROUP BY answer_id)"
            " AND (? IS NULL OR o.team_id = ?) ORDER BY o.answer_id",
            (team_id, team_id),
        )
        return [HumanLabel(*row) for row in rows]

    async def save_appeal(
        self, team_id: str, answer_id: int, user_id: str, note: str, now: datetime
    ) -> Appeal:
        """Create the appeal; appealing again while it is open updates the note."""
        row = await self.db.fetchone(
            "INSERT INTO appeals (team_id, answer_id, user_id, note, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_id) DO UPDATE"
            " SET note = CASE WHEN status = 'open' THEN excluded.note ELSE note END"
            " RETURNING *",
            (team_id, answer_id, user_id, note, to_db(now)),
        )
        assert row is not None
        return _appeal(row)

    async def appeal(self, appeal_id: int) -> Appeal | None:
        row = await self.db.fetchone("SELECT * FROM appeals WHERE id = ?", (appeal_id,))
        return None if row is None else _appeal(row)

    async def close_appeal(
        self, appeal_id: int, *, accepted: bool, by_user_id: str, note: str, now: datetime
    ) -> Appeal:
        row = await self.db.fetchone(
            "UPDATE appeals SET status = ?, resolved_by = ?, resolved_at = ?,"
            " resolution_note = ? WHERE id = ? RETURNING *",
            ("accepted" if accepted else "rejected", by_user_id, to_db(now), note, appeal_id),
        )
        assert row is not None
        return _appeal(row)

    async def open_appeals(self, team_id: str) -> list[Appeal]:
        rows = await self.db.fetchall(
            "SELECT * FROM appeals WHERE team_id = ? AND status = 'open' ORDER BY created_at, id",
            (team_id,),
        )
        return [_appeal(row) for row in rows]


def _override(row: sqlite3.Row) -> Override:
    return Override(
        id=row["id"],
        team_id=row["team_id"],
        answer_id=row["answer_id"],
        by_user_id=row["by_user_id"],
        old_score=row["old_score"],
        score=row["score"],
        note=row["note"],
        created_at=from_db_required(row["created_at"]),
    )


def _appeal(row: sqlite3.Row) -> Appeal:
    return Appeal(
        id=row["id"],
        team_id=row["team_id"],
        answer_id=row["answer_id"],
        user_id=row["user_id"],
        note=row["note"],
        status=row["status"],
        created_at=from_db_required(row["created_at"]),
        resolved_by=row["resolved_by"],
        resolved_at=from_db(row["resolved_at"]),
        resolution_note=row["resolution_note"],
    )
