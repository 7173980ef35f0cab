"""Spaced-repetition cards: one FSRS card per (user, question), stored as JSON."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.core.records import ReviewCard, ReviewWrite
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.timestamps import from_db, from_db_required, to_db
from bot.storage.sqlite.util import json_list


class ReviewRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def card(self, team_id: str, user_id: str, question_id: str) -> dict[str, Any] | None:
        """The stored FSRS card (its `to_dict()` form), or None for a new question."""
        row = await self.db.fetchone(
            "SELECT card FROM review_cards WHERE team_id = ? AND user_id = ? AND question_id = ?",
            (team_id, user_id, question_id),
        )
        return None if row is None else dict(json.loads(row[0]))

    async def save(
        self,
        team_id: str,
        user_id: str,
        question_id: str,
        *,
        card: Mapping[str, Any],
        due_at: datetime,
        score: float,
        now: datetime,
    ) -> ReviewCard:
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
                json.dumps(dict(card)),
                to_db(due_at),
                score,
                to_db(now),
            ),
        )
        assert stored is not None
        return _card(stored)

    async def cards_for_question(
        self, team_id: str, question_id: str, user_ids: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """The stored cards of these users for one question (a reveal's answerers)."""
        rows = await self.db.fetchall(
            "SELECT user_id, card FROM review_cards WHERE team_id = ? AND question_id = ?"
            " AND user_id IN (SELECT value FROM json_each(?))",
            (team_id, question_id, json_list(user_ids)),
        )
        return {row[0]: dict(json.loads(row[1])) for row in rows}

    async def save_many(
        self, team_id: str, question_id: str, reviews: Sequence[ReviewWrite], now: datetime
    ) -> None:
        """Store many users' reviewed cards for one question in one statement."""
        await self.db.executemany(
            "INSERT INTO review_cards (team_id, user_id, question_id, card, due_at, reviews,"
            " last_score, last_review) VALUES (?, ?, ?, ?, ?, 1, ?, ?)"
            " ON CONFLICT (team_id, user_id, question_id) DO UPDATE SET card = excluded.card,"
            " due_at = excluded.due_at, reviews = reviews + 1,"
            " last_score = excluded.last_score, last_review = excluded.last_review",
            [
                (
                    team_id,
                    r.user_id,
                    question_id,
                    json.dumps(dict(r.card)),
                    to_db(r.due_at),
                    r.score,
                    to_db(now),
                )
                for r in reviews
            ],
        )

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
        due_at=from_db_required(row["due_at"]),
        reviews=row["reviews"],
        last_score=row["last_score"],
        last_review=from_db_required(row["last_review"]),
    )
