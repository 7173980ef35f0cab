"""Answer rows: one per (post, user), rewritten by edits, withdrawn by deletions.

The methods here are the SQL; the decisions (new, replace, duplicate, stale, closed)
are `bot.core.answer_plan`'s, applied by the use case inside one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.core.answer_plan import plan_answers, with_new_ids
from bot.core.records import (
    AnswerRow,
    AnswerState,
    AnswerToRecord,
    AnswerWrite,
    GradeWrite,
    RecordResult,
)
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.posts import PostRepository
from bot.storage.sqlite.timestamps import day_to_db, from_db, from_db_required, to_db
from bot.storage.sqlite.util import dumps, json_list

_INSERT = (
    "INSERT INTO answers (team_id, post_id, user_id, channel_id, day, ranked, text, source,"
    " message_ts, event_id, answered_at, last_event_at, score, points, grade, graded_at)"
)
_VALUES = "(" + ", ".join(["?"] * 16) + ")"
# 16 parameters a row stay well under SQLite's 32,766 variables per statement.
_INSERT_CHUNK = 500
_REPLACE = (
    "UPDATE answers SET text = ?, source = ?, message_ts = ?, event_id = ?, answered_at = ?,"
    " last_event_at = ?, revision = revision + 1, status = 'live', score = ?, points = ?,"
    " grade = ?, graded_at = ? WHERE id = ?"
)


def _stamp(instant: datetime | None) -> str | None:
    return None if instant is None else to_db(instant)


def _grade_json(grade: Mapping[str, Any] | None) -> str | None:
    return None if grade is None else dumps(dict(grade))


def insert_params(row: AnswerWrite) -> tuple[Any, ...]:
    stamp = to_db(row.answered_at)
    return (
        row.team_id,
        row.post_id,
        row.user_id,
        row.channel_id,
        day_to_db(row.day),
        int(row.ranked),
        row.text,
        row.source,
        row.message_ts,
        row.event_id,
        stamp,
        stamp,
        row.score,
        row.points,
        _grade_json(row.grade),
        _stamp(row.graded_at),
    )


def _replace_params(row: AnswerWrite) -> tuple[Any, ...]:
    stamp = to_db(row.answered_at)
    return (
        row.text,
        row.source,
        row.message_ts,
        row.event_id,
        stamp,
        stamp,
        row.score,
        row.points,
        _grade_json(row.grade),
        _stamp(row.graded_at),
        row.answer_id,
    )


class AnswerRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, items: Sequence[AnswerToRecord]) -> list[RecordResult]:
        """Record a batch idempotently with a fixed number of statements, as the answer
        plan (`bot.core.answer_plan`) decides; run it inside a write transaction, so
        the post's status it reads cannot change before the rows are written."""
        keys = [(item.answer.post_id, item.answer.user_id) for item in items]
        event_ids = [item.answer.event_id for item in items if item.answer.event_id]
        posts = await PostRepository(self.db).get_many(sorted({key[0] for key in keys}))
        states = await self.states(keys)
        seen = await self.known_event_ids(event_ids)
        plan = plan_answers(items, posts, states, seen)
        new_ids = await self.insert_many(plan.inserts) if plan.inserts else []
        if plan.replaces:
            await self.replace_many(plan.replaces)
        return with_new_ids(plan, new_ids)

    async def states(self, keys: Sequence[tuple[int, str]]) -> dict[tuple[int, str], AnswerState]:
        """The existing answer of each (post, user), if any."""
        rows = await self.db.fetchall(
            "SELECT a.id, a.post_id, a.user_id, a.event_id, a.last_event_at, a.revision,"
            " a.status, a.text FROM json_each(?) AS k"
            " JOIN answers AS a ON a.post_id = k.value ->> 0 AND a.user_id = k.value ->> 1",
            (json.dumps([list(key) for key in keys]),),
        )
        return {
            (row[1], row[2]): AnswerState(
                row[0], row[1], row[2], row[3], from_db_required(row[4]), row[5], row[6], row[7]
            )
            for row in rows
        }

    async def known_event_ids(self, event_ids: Sequence[str]) -> set[str]:
        if not event_ids:
            return set()
        rows = await self.db.fetchall(
            "SELECT event_id FROM answers WHERE event_id IN (SELECT value FROM json_each(?))",
            (json_list(event_ids),),
        )
        return {row[0] for row in rows}

    async def insert_many(self, rows: Sequence[AnswerWrite]) -> list[int]:
        """Insert rows (one per (post, user)) and return their new ids in row order.

        Multi-row INSERTs with RETURNING: the ids come from the database, matched to the
        rows by their (post, user) key, since RETURNING does not promise an order."""
        ids: dict[tuple[int, str], int] = {}
        for start in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[start : start + _INSERT_CHUNK]
            values = ", ".join([_VALUES] * len(chunk))
            params = [value for row in chunk for value in insert_params(row)]
            returned = await self.db.fetchall(
                f"{_INSERT} VALUES {values} RETURNING id, post_id, user_id", params
            )
            ids.update({(r[1], r[2]): r[0] for r in returned})
        return [ids[(row.post_id, row.user_id)] for row in rows]

    async def replace_many(self, rows: Sequence[AnswerWrite]) -> None:
        await self.db.executemany(_REPLACE, [_replace_params(row) for row in rows])

    async def set_grades(self, grades: Sequence[GradeWrite]) -> None:
        await self.db.executemany(
            "UPDATE answers SET score = ?, points = ?, grade = COALESCE(?, grade), graded_at = ?"
            " WHERE id = ?",
            [
                (g.score, g.points, _grade_json(g.grade), to_db(g.graded_at), g.answer_id)
                for g in grades
            ],
        )

    async def post_facts(self, answer_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
        """(team id, difficulty, post kind) of each answer's post: what points depend on."""
        rows = await self.db.fetchall(
            "SELECT a.id, a.team_id, p.difficulty, p.kind FROM json_each(?) AS k"
            " JOIN answers AS a ON a.id = k.value JOIN posts AS p ON p.id = a.post_id",
            (json_list([int(i) for i in answer_ids]),),
        )
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

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
            " AND post_id IN (SELECT id FROM posts WHERE id = ? AND status = 'open'"
            " AND closed_at IS NULL)",
            (to_db(now), team_id, post_id, user_id, user_id, message_ts, message_ts, post_id),
        )
        return changed > 0

    async def seen_reference(
        self, team_id: str, question_id: str, user_ids: Sequence[str], before: datetime
    ) -> set[str]:
        """Who of `user_ids` could have seen this question's published answer before
        `before`: they were graded on it (feedback shows the expected answer), or it was
        revealed in a channel they answer in."""
        if not user_ids:
            return set()
        rows = await self.db.fetchall(
            "WITH people(user_id) AS (SELECT value FROM json_each(?1))"
            " SELECT DISTINCT a.user_id FROM answers AS a JOIN posts AS p ON p.id = a.post_id"
            " WHERE a.team_id = ?2 AND p.question_id = ?3 AND a.graded_at < ?4"
            " AND a.user_id IN people"
            " UNION SELECT DISTINCT mine.user_id FROM posts AS p"
            " JOIN answers AS mine ON mine.team_id = p.team_id AND mine.channel_id = p.channel_id"
            " AND mine.ranked = 1"
            " WHERE p.team_id = ?2 AND p.question_id = ?3 AND p.kind = 'channel'"
            " AND p.status = 'revealed' AND p.revealed_at < ?4 AND mine.user_id IN people",
            (json_list(user_ids), team_id, question_id, to_db(before)),
        )
        return {row[0] for row in rows}

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
        answered_at=from_db_required(row["answered_at"]),
        revision=row["revision"],
        status=row["status"],
        score=row["score"],
        points=row["points"],
        grade=None if row["grade"] is None else json.loads(row["grade"]),
        graded_at=from_db(row["graded_at"]),
    )
