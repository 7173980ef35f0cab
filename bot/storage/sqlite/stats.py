"""The reads behind a user's stats: totals, answered days, question days, mastery."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from bot.core.records import TopicMastery
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.timestamps import from_db_required, to_db


class StatsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def totals(self, team_id: str, user_id: str) -> tuple[int, float | None]:
        """Live answers (practice included) and their average score."""
        row = await self.db.fetchone(
            "SELECT COUNT(*), AVG(score) FROM answers"
            " WHERE team_id = ? AND user_id = ? AND status = 'live'",
            (team_id, user_id),
        )
        if row is None:
            return 0, None
        return int(row[0]), None if row[1] is None else float(row[1])

    async def answered_posts(self, team_id: str, user_id: str) -> tuple[list[datetime], list[str]]:
        """When the posts the user answered were opened (to the minute), and the
        channels they answered a ranked question in."""
        # Posting minutes, not posts: many channels post at the same minute, and every
        # zone offset is whole minutes, so the local day is still exact.
        rows = await self.db.fetchall(
            "SELECT 'day', substr(p.opened_at, 1, 16) || ':00+00:00'"
            " FROM answers AS a JOIN posts AS p ON p.id = a.post_id"
            " WHERE a.team_id = ?1 AND a.user_id = ?2 AND a.status = 'live' GROUP BY 2"
            " UNION ALL SELECT 'channel', channel_id FROM answers"
            " WHERE team_id = ?1 AND user_id = ?2 AND ranked = 1 GROUP BY 2",
            (team_id, user_id),
        )
        days = [from_db_required(row[1]) for row in rows if row[0] == "day"]
        channels = [row[1] for row in rows if row[0] == "channel"]
        return days, channels

    async def gaps_with_questions(
        self,
        team_id: str,
        channels: Sequence[str],
        gaps: Sequence[tuple[datetime, datetime]],
    ) -> set[int]:
        """Indexes of the [start, end) ranges in which one of `channels` had a question."""
        if not gaps or not channels:
            return set()
        bounds = [[n, to_db(start), to_db(end)] for n, (start, end) in enumerate(gaps)]
        found = await self.db.fetchall(
            _GAPS_BY_CHANNEL if len(channels) <= _FEW_CHANNELS else _GAPS_BY_TIME,
            (team_id, json.dumps(list(channels)), json.dumps(bounds)),
        )
        return {int(row[0]) for row in found}

    async def question_minutes(self, team_id: str, user_id: str) -> list[datetime]:
        """Every posting minute of a question in a channel the user answered in."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT substr(opened_at, 1, 16) || ':00+00:00' FROM posts"
            " WHERE team_id = ? AND kind = 'channel' AND status != 'failed' AND channel_id IN"
            " (SELECT DISTINCT channel_id FROM answers"
            "  WHERE team_id = ? AND user_id = ? AND ranked = 1)",
            (team_id, team_id, user_id),
        )
        return [from_db_required(row[0]) for row in rows]

    async def answered_openings(self, team_id: str, user_id: str) -> list[datetime]:
        """When each post the user answered was opened."""
        rows = await self.db.fetchall(
            "SELECT p.opened_at FROM answers AS a JOIN posts AS p ON p.id = a.post_id"
            " WHERE a.team_id = ? AND a.user_id = ? AND a.status = 'live'",
            (team_id, user_id),
        )
        return [from_db_required(row[0]) for row in rows]

    async def mastery(self, team_id: str, user_id: str) -> dict[str, TopicMastery]:
        rows = await self.db.fetchall(
            "SELECT t.value, COUNT(*), AVG(a.score)"
            " FROM answers AS a JOIN posts AS p ON p.id = a.post_id, json_each(p.topics) AS t"
            " WHERE a.team_id = ? AND a.user_id = ? AND a.status = 'live'"
            " AND a.score IS NOT NULL GROUP BY t.value ORDER BY t.value",
            (team_id, user_id),
        )
        return {row[0]: TopicMastery(row[0], int(row[1]), float(row[2])) for row in rows}


# The gaps (n, first instant, end instant) that hold a question of the user's channels
# (?2, a JSON list). With few channels, seek each channel's posts in the gap; with
# many, walk the workspace's posts in time order (posts_team_timeline), where one of
# theirs turns up within a few rows. Either way a gap costs a few index steps.
_FEW_CHANNELS = 16
_GAPS = "WITH gaps(n, lo, hi) AS (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?3))"
_GAPS_BY_CHANNEL = f"""{_GAPS}
SELECT n FROM gaps WHERE EXISTS (
    SELECT 1 FROM json_each(?2) AS c CROSS JOIN posts AS p INDEXED BY posts_channel_history
    WHERE p.team_id = ?1 AND p.channel_id = c.value
      AND p.opened_at >= gaps.lo AND p.opened_at < gaps.hi
      AND p.kind = 'channel' AND p.status != 'failed')
"""
_GAPS_BY_TIME = f"""{_GAPS}
SELECT n FROM gaps WHERE EXISTS (
    SELECT 1 FROM posts AS p INDEXED BY posts_team_timeline
    WHERE p.team_id = ?1 AND p.opened_at >= gaps.lo AND p.opened_at < gaps.hi
      AND p.kind = 'channel' AND p.status != 'failed'
      AND p.channel_id IN (SELECT value FROM json_each(?2)))
"""
