"""Answer rows: one per (post, user), rewritten by edits, withdrawn by deletions.

The methods here are the SQL; the decisions (new, replace, duplicate, stale, closed)
live in `bot.services.answers`, which calls them inside one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.clock import from_db, to_db
from bot.storage.database import Database
from bot.storage.records import AnswerRow
from bot.storage.util import dumps, json_list


@dataclass(frozen=True)
class LiveState:
    """What the record path needs to know about an existing answer row."""

    id: int
    post_id: int
    user_id: str
    event_id: str | None
    last_event_at: str
    revision: int
    status: str
    text: str


@dataclass(frozen=True)
class NewAnswerRow:
    team_id: str
    post_id: int
    user_id: str
    channel_id: str
    day: str
    ranked: int
    text: str
    source: str
    message_ts: str | None
    event_id: str | None
    answered_at: str
    score: float | None
    points: int
    grade: str | None
    graded_at: str | None


_INSERT = (
    "INSERT INTO answers (id, team_id, post_id, user_id, channel_id, day, ranked, text, source,"
    " message_ts, event_id, answered_at, last_event_at, score, points, grade, graded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_REPLACE = (
    "UPDATE answers SET text = ?, source = ?, message_ts = ?, event_id = ?, answered_at = ?,"
    " last_event_at = ?, revision = revision + 1, status = 'live', score = ?, points = ?,"
    " grade = ?, graded_at = ? WHERE id = ?"
)


def insert_params(answer_id: int, row: NewAnswerRow) -> tuple[Any, ...]:
    return (
        answer_id,
        row.team_id,
        row.post_id,
        row.user_id,
        row.channel_id,
        row.day,
        row.ranked,
        row.text,
        row.source,
        row.message_ts,
        row.event_id,
        row.answered_at,
        row.answered_at,
        row.score,
        row.points,
        row.grade,
        row.graded_at,
    )


def grade_columns(
    grade: Mapping[str, Any] | None, points: int, now: datetime | None
) -> tuple[float | None, int, str | None, str | None]:
    """(score, points, grade JSON, graded_at) for a grade dict from `Grade.to_dict()`."""
    if grade is None:
        return None, 0, None, None
    score = float(grade["score"])
    return score, points, dumps(dict(grade)), None if now is None else to_db(now)


class AnswerRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def live_states(
        self, keys: Sequence[tuple[int, str]]
    ) -> dict[tuple[int, str], LiveState]:
        rows = await self.db.fetchall(
            "SELECT a.id, a.post_id, a.user_id, a.event_id, a.last_event_at, a.revision,"
            " a.status, a.text FROM json_each(?) AS k"
            " JOIN answers AS a ON a.post_id = k.value ->> 0 AND a.user_id = k.value ->> 1",
            (json.dumps([list(key) for key in keys]),),
        )
        return {(row[1], row[2]): LiveState(*row) for row in rows}

    async def known_event_ids(self, event_ids: Sequence[str]) -> set[str]:
        if not event_ids:
            return set()
        rows = await self.db.fetchall(
            "SELECT event_id FROM answers WHERE event_id IN (SELECT value FROM json_each(?))",
            (json_list(event_ids),),
        )
        return {row[0] for row in rows}

    async def insert_many(self, rows: Sequence[NewAnswerRow]) -> list[int]:
        """Insert rows and return their ids; must run inside a write transaction.

        Ids are assigned here from MAX(id): the write lock taken by BEGIN IMMEDIATE means
        nobody else inserts in between, and it saves reading the ids back afterwards.
        (A server database would use a sequence or INSERT ... RETURNING instead.)
        """
        if not self.db.in_transaction():
            raise RuntimeError("insert_many needs the caller's write transaction")
        row = await self.db.fetchone("SELECT COALESCE(MAX(id), 0) FROM answers")
        first = int(row[0]) + 1 if row else 1
        ids = list(range(first, first + len(rows)))
        await self.db.executemany(
            _INSERT, [insert_params(i, r) for i, r in zip(ids, rows, strict=True)]
        )
        return ids

    async def replace_many(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows of (text, source, message_ts, event_id, answered_at, last_event_at, score,
        points, grade, graded_at, id)."""
        await self.db.executemany(_REPLACE, rows)

    async def set_grades(self, rows: Sequence[tuple[float, int, str, str, int]]) -> None:
        """Rows of (score, points, grade JSON, graded_at, answer id)."""
        await self.db.executemany(
            "UPDATE answers SET score = ?, points = ?, grade = ?, graded_at = ? WHERE id = ?",
            rows,
        )

    async def withdraw(
        self,
        team_id: str,
        post_id: int,
        *,
        user_id: str | None,
        message_ts: str | None,
        now: datetime,
    ) -> bool:
        if user_id is None and message_ts is None:
            raise ValueError("withdraw needs the user id or the answer's message ts")
        changed = await self.db.execute(
            "UPDATE answers SET status = 'withdrawn', last_event_at = ?"
            " WHERE team_id = ? AND post_id = ? AND status = 'live'"
            " AND (? IS NULL OR user_id = ?) AND (? IS NULL OR message_ts = ?)"
            " AND post_id IN (SELECT id FROM posts WHERE id = ? AND status = 'open')",
            (to_db(now), team_id, post_id, user_id, user_id, message_ts, message_ts, post_id),
        )
        return changed > 0

    async def get(self, answer_id: int) -> AnswerRow | None:
        row = await self.db.fetchone("SELECT * FROM answers WHERE id = ?", (answer_id,))
        return None if row is None else answer_row(row)

    async def for_post(self, post_id: int, *, include_withdrawn: bool = False) -> list[AnswerRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM answers WHERE post_id = ? AND (? OR status = 'live')"
            " ORDER BY answered_at, id",
            (post_id, int(include_withdrawn)),
        )
        return [answer_row(row) for row in rows]

    async def for_user(self, team_id: str, user_id: str, *, limit: int = 50) -> list[AnswerRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM answers WHERE team_id = ? AND user_id = ? AND status = 'live'"
            " ORDER BY answered_at DESC, id DESC LIMIT ?",
            (team_id, user_id, limit),
        )
        return [answer_row(row) for row in rows]


def answer_row(row: sqlite3.Row) -> AnswerRow:
    return AnswerRow(
        id=row["id"],
        team_id=row["team_id"],
        post_id=row["post_id"],
        user_id=row["user_id"],
        channel_id=row["channel_id"],
        text=row["text"],
        source=row["source"],
        message_ts=row["message_ts"],
        event_id=row["event_id"],
        answered_at=from_db(row["answered_at"]),
        revision=row["revision"],
        status=row["status"],
        score=row["score"],
        points=row["points"],
        grade=None if row["grade"] is None else json.loads(row["grade"]),
        graded_at=from_db(row["graded_at"]),
    )
