"""Questions posted to a channel or a DM, from opening to reveal."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from bot.core.periods import local_day
from bot.core.records import Post, PostKind
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.timestamps import (
    day_from_db,
    day_from_db_required,
    day_to_db,
    from_db,
    from_db_required,
    to_db,
)
from bot.storage.sqlite.util import json_list
from questionbank.models import DIFFICULTY_NAMES


class PostRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        team_id: str,
        channel_id: str,
        question_id: str,
        *,
        kind: PostKind,
        opened_at: datetime,
        deadline_at: datetime | None,
        difficulty: str,
        topics: Sequence[str] = (),
        user_id: str | None = None,
        schedule_id: int | None = None,
        slot_date: date | None = None,
    ) -> Post:
        """Record a question before it is sent to Slack (`set_message` adds the ts).

        A scheduled post is unique per (schedule, slot date): asking again returns the
        post already recorded for that slot, so a restart never posts a slot twice.
        """
        if kind not in ("channel", "dm"):
            raise ValueError(f"kind must be channel or dm, got {kind!r}")
        if difficulty not in DIFFICULTY_NAMES:
            raise ValueError(f"difficulty must be one of {DIFFICULTY_NAMES}, got {difficulty!r}")
        if (schedule_id is None) != (slot_date is None):
            raise ValueError("schedule_id and slot_date go together")
        async with self.db.transaction():
            await self.db.execute(
                "INSERT INTO workspaces (team_id, created_at) VALUES (?, ?) "
                "ON CONFLICT (team_id) DO NOTHING",
                (team_id, to_db(opened_at)),
            )
            tz_row = await self.db.fetchone(
                "SELECT tz FROM workspaces WHERE team_id = ?", (team_id,)
            )
            day = local_day(opened_at, tz_row[0] if tz_row else "UTC")
            row = await self.db.fetchone(
                "INSERT INTO posts (team_id, channel_id, question_id, topics, difficulty, kind,"
                " user_id, schedule_id, slot_date, day, opened_at, deadline_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (schedule_id, slot_date) WHERE schedule_id IS NOT NULL DO NOTHING"
                " RETURNING *",
                (
                    team_id,
                    channel_id,
                    question_id,
                    json.dumps(list(topics)),
                    difficulty,
                    kind,
                    user_id,
                    schedule_id,
                    None if slot_date is None else day_to_db(slot_date),
                    day_to_db(day),
                    to_db(opened_at),
                    None if deadline_at is None else to_db(deadline_at),
                ),
            )
            if row is None:
                assert schedule_id is not None and slot_date is not None
                existing = await self.for_slot(schedule_id, slot_date)
                assert existing is not None
                return existing
        return _post(row)

    async def set_message(self, post_id: int, channel_id: str, ts: str) -> None:
        """Where Slack put the question (a DM's channel id is known only after posting)."""
        await self.db.execute(
            "UPDATE posts SET channel_id = ?, message_ts = ? WHERE id = ?",
            (channel_id, ts, post_id),
        )

    async def get(self, post_id: int) -> Post | None:
        row = await self.db.fetchone("SELECT * FROM posts WHERE id = ?", (post_id,))
        return None if row is None else _post(row)

    async def get_many(self, post_ids: Sequence[int]) -> dict[int, Post]:
        rows = await self.db.fetchall(
            "SELECT * FROM posts WHERE id IN (SELECT value FROM json_each(?))",
            (json_list(post_ids),),
        )
        return {row["id"]: _post(row) for row in rows}

    async def by_message(self, team_id: str, channel_id: str, ts: str) -> Post | None:
        row = await self.db.fetchone(
            "SELECT * FROM posts WHERE team_id = ? AND channel_id = ? AND message_ts = ?",
            (team_id, channel_id, ts),
        )
        return None if row is None else _post(row)

    async def by_messages(
        self, team_id: str, messages: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], Post]:
        """The posts of these (channel, ts) messages, in one query."""
        if not messages:
            return {}
        rows = await self.db.fetchall(
            "SELECT p.* FROM json_each(?) AS m JOIN posts AS p ON p.team_id = ?"
            " AND p.channel_id = m.value ->> 0 AND p.message_ts = m.value ->> 1",
            (json.dumps([list(m) for m in messages]), team_id),
        )
        return {(row["channel_id"], row["message_ts"]): _post(row) for row in rows}

    async def for_slot(self, schedule_id: int, slot_date: date) -> Post | None:
        row = await self.db.fetchone(
            "SELECT * FROM posts WHERE schedule_id = ? AND slot_date = ?",
            (schedule_id, day_to_db(slot_date)),
        )
        return None if row is None else _post(row)

    async def open_in_channel(self, team_id: str, channel_id: str) -> list[Post]:
        rows = await self.db.fetchall(
            "SELECT * FROM posts WHERE team_id = ? AND channel_id = ? AND status = 'open' "
            "ORDER BY opened_at, id",
            (team_id, channel_id),
        )
        return [_post(row) for row in rows]

    async def revealed_between(
        self, team_id: str, channel_id: str, start: datetime, end: datetime
    ) -> list[tuple[Post, float | None]]:
        """Revealed posts opened in [start, end) with the average score of their answers."""
        rows = await self.db.fetchall(
            "SELECT p.*, (SELECT AVG(a.score) FROM answers AS a"
            "  WHERE a.post_id = p.id AND a.status = 'live') AS average_score"
            " FROM posts AS p WHERE p.team_id = ? AND p.channel_id = ? AND p.status = 'revealed'"
            " AND p.opened_at >= ? AND p.opened_at < ? ORDER BY p.opened_at, p.id",
            (team_id, channel_id, to_db(start), to_db(end)),
        )
        return [(_post(row), row["average_score"]) for row in rows]

    async def due_for_reveal(self, now: datetime) -> list[Post]:
        rows = await self.db.fetchall(
            "SELECT * FROM posts WHERE status = 'open'"
            " AND (deadline_at <= ? OR closed_at IS NOT NULL) ORDER BY deadline_at, id",
            (to_db(now),),
        )
        return [_post(row) for row in rows]

    async def close(self, post_id: int, now: datetime) -> bool:
        """Stop taking answers (a reveal begins); False if it was already closed."""
        changed = await self.db.execute(
            "UPDATE posts SET closed_at = ? WHERE id = ? AND status = 'open' AND closed_at IS NULL",
            (to_db(now), post_id),
        )
        return changed == 1

    async def mark_revealed(self, post_id: int, now: datetime) -> bool:
        """Close an open post for good; False if it was not open (revealed elsewhere)."""
        changed = await self.db.execute(
            "UPDATE posts SET status = 'revealed', revealed_at = ?,"
            " closed_at = COALESCE(closed_at, ?) WHERE id = ? AND status = 'open'",
            (to_db(now), to_db(now), post_id),
        )
        return changed == 1

    async def mark_failed(self, post_id: int, error: str, now: datetime) -> None:
        """A post Slack finally refused: kept, visible, never silently lost."""
        await self.db.execute(
            "UPDATE posts SET status = 'failed', error = ?, revealed_at = NULL,"
            " closed_at = COALESCE(closed_at, ?) WHERE id = ? AND status = 'open'",
            (f"{to_db(now)} {error}", to_db(now), post_id),
        )

    async def failed(self, team_id: str) -> list[Post]:
        rows = await self.db.fetchall(
            "SELECT * FROM posts WHERE team_id = ? AND status = 'failed' ORDER BY opened_at",
            (team_id,),
        )
        return [_post(row) for row in rows]

    async def channel_history(self, team_id: str, channel_id: str) -> dict[str, datetime]:
        """When each question was last asked in the channel; failed posts do not count."""
        rows = await self.db.fetchall(
            "SELECT question_id, MAX(opened_at) FROM posts"
            " WHERE team_id = ? AND channel_id = ? AND kind = 'channel' AND status != 'failed'"
            " GROUP BY question_id",
            (team_id, channel_id),
        )
        return {row[0]: from_db_required(row[1]) for row in rows}

    async def user_history(self, team_id: str, user_id: str) -> dict[str, datetime]:
        """When each question was last asked of a user in a DM, or answered by them."""
        rows = await self.db.fetchall(
            "SELECT question_id, MAX(at) FROM ("
            " SELECT question_id, opened_at AS at FROM posts"
            "  WHERE team_id = ? AND user_id = ? AND kind = 'dm'"
            " UNION ALL"
            " SELECT p.question_id, a.answered_at FROM answers AS a"
            "  JOIN posts AS p ON p.id = a.post_id WHERE a.team_id = ? AND a.user_id = ?"
            ") GROUP BY question_id",
            (team_id, user_id, team_id, user_id),
        )
        return {row[0]: from_db_required(row[1]) for row in rows}


def _post(row: sqlite3.Row) -> Post:
    return Post(
        id=row["id"],
        team_id=row["team_id"],
        channel_id=row["channel_id"],
        message_ts=row["message_ts"],
        question_id=row["question_id"],
        topics=tuple(json.loads(row["topics"])),
        difficulty=row["difficulty"],
        kind=row["kind"],
        user_id=row["user_id"],
        schedule_id=row["schedule_id"],
        slot_date=day_from_db(row["slot_date"]),
        day=day_from_db_required(row["day"]),
        opened_at=from_db_required(row["opened_at"]),
        deadline_at=from_db(row["deadline_at"]),
        revealed_at=from_db(row["revealed_at"]),
        status=row["status"],
        error=row["error"],
        closed_at=from_db(row["closed_at"]),
    )
