"""Spaced repetition: each answered question becomes an FSRS card for that user."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from bot.core.review import review
from bot.storage.clock import from_db, to_db
from bot.storage.database import Database
from bot.storage.records import ReviewCard


class ReviewService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, team_id: str, user_id: str, question_id: str, score: float, now: datetime
    ) -> ReviewCard:
        """Review the user's card for this question with the grade they just got."""
        async with self.db.transaction():
            row = await self.db.fetchone(
                "SELECT card FROM review_cards"
                " WHERE team_id = ? AND user_id = ? AND question_id = ?",
                (team_id, user_id, question_id),
            )
            reviewed = review(None if row is None else json.loads(row[0]), score, now)
            stored = await self.db.fetchone(
                "INSERT INTO review_cards (team_id, user_id, question_id, card, due_at, reviews,"
                " last_score, last_review) VALUES (?, ?, ?, ?, ?, 1, ?, ?)"
                " ON CONFLICT (team_id, user_id, question_id) DO UPDATE SET card = excluded.card,"
                " due_at = excluded.due_at, reviews = reviews + 1,"
                " last_score = excluded.last_score, last_review = excluded.last_review"
                " RETURNING *",
                (
                    team_id,
                    user_id,
                    question_id,
                    json.dumps(reviewed.card),
                    to_db(reviewed.due_at),
                    score,
                    to_db(now),
                ),
            )
        assert stored is not None
        return _card(stored)

    async def due(self, team_id: str, user_id: str, now: datetime, limit: int = 5) -> list[str]:
        """Question ids due at `now`, most overdue first."""
        rows = await self.db.fetchall(
            "SELECT question_id FROM review_cards WHERE team_id = ? AND user_id = ?"
            " AND due_at <= ? ORDER BY due_at, question_id LIMIT ?",
            (team_id, user_id, to_db(now), limit),
        )
        return [row[0] for row in rows]

    async def cards(self, team_id: str, user_id: str) -> list[ReviewCard]:
        rows = await self.db.fetchall(
            "SELECT * FROM review_cards WHERE team_id = ? AND user_id = ?"
            " ORDER BY due_at, question_id",
            (team_id, user_id),
        )
        return [_card(row) for row in rows]

    async def next_due_at(self, team_id: str, user_id: str) -> datetime | None:
        row = await self.db.fetchone(
            "SELECT MIN(due_at) FROM review_cards WHERE team_id = ? AND user_id = ?",
            (team_id, user_id),
        )
        return None if row is None else from_db(row[0])


def _card(row: sqlite3.Row) -> ReviewCard:
    return ReviewCard(
        team_id=row["team_id"],
        user_id=row["user_id"],
        question_id=row["question_id"],
        due_at=from_db(row["due_at"]),
        reviews=row["reviews"],
        last_score=row["last_score"],
        last_review=from_db(row["last_review"]),
    )
