"""Which question a channel (or a practising user) gets next."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.review import channel_rotation
from bot.storage.clock import from_db
from bot.storage.database import Database


class QuestionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def unused_for_channel(
        self, team_id: str, channel_id: str, pool_ids: Sequence[str]
    ) -> list[str]:
        """Pool ids the channel has not had, in pool order; once none are left, the
        whole pool, least recently posted first. Failed posts do not count as asked."""
        rows = await self.db.fetchall(
            "SELECT question_id, MAX(opened_at) FROM posts"
            " WHERE team_id = ? AND channel_id = ? AND kind = 'channel' AND status != 'failed'"
            " GROUP BY question_id",
            (team_id, channel_id),
        )
        return channel_rotation(pool_ids, {row[0]: from_db(row[1]) for row in rows})

    async def unused_for_user(
        self, team_id: str, user_id: str, pool_ids: Sequence[str]
    ) -> list[str]:
        """The same rotation over the questions a user was asked in DMs or answered."""
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
        return channel_rotation(pool_ids, {row[0]: from_db(row[1]) for row in rows})
