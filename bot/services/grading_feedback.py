"""Human overrides of a grade and appeals against one; both feed calibration."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.core.scoring import points_for_post
from bot.storage.clock import from_db, to_db
from bot.storage.database import Database
from bot.storage.records import Appeal, HumanLabel, Override


class OverrideService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def set(
        self,
        team_id: str,
        answer_id: int,
        by_user_id: str,
        score: float,
        now: datetime,
        note: str = "",
    ) -> Override:
        """A person's score replaces the machine's; points and leaderboards follow."""
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"score must be within [0, 1], got {score!r}")
        async with self.db.transaction():
            row = await self.db.fetchone(
                "SELECT a.score, p.difficulty, p.kind FROM answers AS a"
                " JOIN posts AS p ON p.id = a.post_id WHERE a.id = ? AND a.team_id = ?",
                (answer_id, team_id),
            )
            if row is None:
                raise LookupError(f"no answer {answer_id} in workspace {team_id}")
            old_score, difficulty, kind = row
            await self.db.execute(
                "UPDATE answers SET score = ?, points = ?, graded_at = ? WHERE id = ?",
                (score, points_for_post(score, difficulty, kind), to_db(now), answer_id),
            )
            created = await self.db.fetchone(
                "INSERT INTO overrides (team_id, answer_id, by_user_id, old_score, score, note,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
                (team_id, answer_id, by_user_id, old_score, score, note, to_db(now)),
            )
        assert created is not None
        return _override(created)

    async def for_answer(self, answer_id: int) -> list[Override]:
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


class AppealService:
    def __init__(self, db: Database, overrides: OverrideService) -> None:
        self.db = db
        self.overrides = overrides

    async def create(
        self, team_id: str, answer_id: int, user_id: str, note: str, now: datetime
    ) -> Appeal:
        """Appeal one's own grade; appealing again while open updates the note."""
        async with self.db.transaction():
            owner = await self.db.fetchone(
                "SELECT user_id FROM answers WHERE id = ? AND team_id = ?", (answer_id, team_id)
            )
            if owner is None:
                raise LookupError(f"no answer {answer_id} in workspace {team_id}")
            if owner[0] != user_id:
                raise PermissionError("only the author of an answer can appeal its grade")
            await self.db.execute(
                "INSERT INTO appeals (team_id, answer_id, user_id, note, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (answer_id, user_id) DO UPDATE"
                " SET note = excluded.note WHERE status = 'open'",
                (team_id, answer_id, user_id, note, to_db(now)),
            )
            row = await self.db.fetchone(
                "SELECT * FROM appeals WHERE answer_id = ? AND user_id = ?", (answer_id, user_id)
            )
        assert row is not None
        return _appeal(row)

    async def resolve(
        self,
        appeal_id: int,
        *,
        accepted: bool,
        by_user_id: str,
        now: datetime,
        note: str = "",
        score: float | None = None,
    ) -> Appeal:
        """Close an appeal; accepting it with a score overrides the grade."""
        async with self.db.transaction():
            row = await self.db.fetchone("SELECT * FROM appeals WHERE id = ?", (appeal_id,))
            if row is None:
                raise LookupError(f"no appeal {appeal_id}")
            if row["status"] != "open":
                raise ValueError(f"appeal {appeal_id} is already {row['status']}")
            await self.db.execute(
                "UPDATE appeals SET status = ?, resolved_by = ?, resolved_at = ?,"
                " resolution_note = ? WHERE id = ?",
                ("accepted" if accepted else "rejected", by_user_id, to_db(now), note, appeal_id),
            )
            if accepted and score is not None:
                await self.overrides.set(
                    row["team_id"], row["answer_id"], by_user_id, score, now, note
                )
            updated = await self.db.fetchone("SELECT * FROM appeals WHERE id = ?", (appeal_id,))
        assert updated is not None
        return _appeal(updated)

    async def open(self, team_id: str) -> list[Appeal]:
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
        created_at=from_db(row["created_at"]),
    )


def _appeal(row: sqlite3.Row) -> Appeal:
    return Appeal(
        id=row["id"],
        team_id=row["team_id"],
        answer_id=row["answer_id"],
        user_id=row["user_id"],
        note=row["note"],
        status=row["status"],
        created_at=from_db(row["created_at"]),
        resolved_by=row["resolved_by"],
        resolved_at=from_db(row["resolved_at"]),
        resolution_note=row["resolution_note"],
    )
