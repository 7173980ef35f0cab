"""A user's numbers: answers, average score, points, rank, streaks, mastery per topic."""

from __future__ import annotations

from datetime import datetime

from bot.core.periods import local_day
from bot.core.streaks import streaks
from bot.services.leaderboards import LeaderboardService
from bot.storage.clock import from_db
from bot.storage.database import Database
from bot.storage.records import TopicMastery, UserStats


class StatsService:
    def __init__(self, db: Database, leaderboards: LeaderboardService) -> None:
        self.db = db
        self.leaderboards = leaderboards

    async def for_user(
        self, team_id: str, user_id: str, *, now: datetime, tz: str | None = None
    ) -> UserStats:
        """Stats over all time; streak days are local to `tz` (else the user's, else UTC).

        `answered` and `average_score` include practice answers; points and rank are
        the workspace's all-time leaderboard.
        """
        if tz is None:
            row = await self.db.fetchone(
                "SELECT tz FROM users WHERE team_id = ? AND user_id = ?", (team_id, user_id)
            )
            tz = row[0] if row and row[0] else "UTC"
        totals = await self.db.fetchone(
            "SELECT COUNT(*), AVG(score) FROM answers"
            " WHERE team_id = ? AND user_id = ? AND status = 'live'",
            (team_id, user_id),
        )
        board = await self.leaderboards.rank(team_id, user_id, period="all", now=now)
        current, best = await self._streaks(team_id, user_id, now, tz)
        mastery = await self._mastery(team_id, user_id)
        return UserStats(
            answered=int(totals[0]) if totals else 0,
            average_score=None if not totals or totals[1] is None else float(totals[1]),
            points=board.points if board else 0,
            rank=board.rank if board else None,
            streak=current,
            best_streak=best,
            topic_mastery=mastery,
        )

    async def _streaks(self, team_id: str, user_id: str, now: datetime, tz: str) -> tuple[int, int]:
        # A question day is a day one of the user's channels had a question, in the
        # user's zone; channels the user never answered in do not count against them.
        # Posting minutes, not posts: many channels post at the same minute, and every
        # zone offset is whole minutes, so the local day is still exact.
        asked = await self.db.fetchall(
            "SELECT DISTINCT substr(opened_at, 1, 16) || ':00+00:00' FROM posts"
            " WHERE team_id = ? AND kind = 'channel' AND status != 'failed' AND channel_id IN"
            " (SELECT DISTINCT channel_id FROM answers"
            "  WHERE team_id = ? AND user_id = ? AND ranked = 1)",
            (team_id, team_id, user_id),
        )
        answered = await self.db.fetchall(
            "SELECT p.opened_at FROM answers AS a JOIN posts AS p ON p.id = a.post_id"
            " WHERE a.team_id = ? AND a.user_id = ? AND a.status = 'live'",
            (team_id, user_id),
        )
        result = streaks(
            (local_day(from_db(row[0]), tz) for row in asked),
            (local_day(from_db(row[0]), tz) for row in answered),
            local_day(now, tz),
        )
        return result.current, result.best

    async def _mastery(self, team_id: str, user_id: str) -> dict[str, TopicMastery]:
        rows = await self.db.fetchall(
            "SELECT t.value, COUNT(*), AVG(a.score)"
            " FROM answers AS a JOIN posts AS p ON p.id = a.post_id, json_each(p.topics) AS t"
            " WHERE a.team_id = ? AND a.user_id = ? AND a.status = 'live'"
            " AND a.score IS NOT NULL GROUP BY t.value ORDER BY t.value",
            (team_id, user_id),
        )
        return {row[0]: TopicMastery(row[0], int(row[1]), float(row[2])) for row in rows}
