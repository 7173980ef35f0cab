"""A user's numbers: answers, average score, points, rank, streaks, mastery per topic."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core.periods import local_day
from bot.core.streaks import Gap, streak_gaps, streaks, streaks_over_gaps
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
        # Only the user's answered days are read, then one probe per gap between them:
        # did any of their channels have a question on a day inside it? A gap is a
        # range of UTC instants, exact when the zone's local date never steps back
        # (a DST fall-back across midnight); otherwise every question day is read.
        rows = await self.db.fetchall(
            "SELECT 'day', substr(p.opened_at, 1, 16) || ':00+00:00'"
            " FROM answers AS a JOIN posts AS p ON p.id = a.post_id"
            " WHERE a.team_id = ?1 AND a.user_id = ?2 AND a.status = 'live' GROUP BY 2"
            " UNION ALL SELECT 'channel', channel_id FROM answers"
            " WHERE team_id = ?1 AND user_id = ?2 AND ranked = 1 GROUP BY 2",
            (team_id, user_id),
        )
        today = local_day(now, tz)
        answered = {local_day(from_db(row[1]), tz) for row in rows if row[0] == "day"}
        channels = [row[1] for row in rows if row[0] == "channel"]
        gaps = streak_gaps(answered, today)
        years = range(min(answered, default=today).year, today.year + 1)
        if gaps and not all(_local_date_monotone(tz, year) for year in years):
            return await self._streaks_scan(team_id, user_id, now, tz)
        broken: set[Gap] = set()
        if gaps and channels:
            bounds = [
                [n, _day_start(after + timedelta(days=1), tz), _day_start(before, tz)]
                for n, (after, before) in enumerate(gaps)
            ]
            found = await self.db.fetchall(
                _GAPS_BY_CHANNEL if len(channels) <= _FEW_CHANNELS else _GAPS_BY_TIME,
                (team_id, json.dumps(channels), json.dumps(bounds)),
            )
            broken = {gaps[int(row[0])] for row in found}
        result = streaks_over_gaps(answered, today, broken)
        return result.current, result.best

    async def _streaks_scan(
        self, team_id: str, user_id: str, now: datetime, tz: str
    ) -> tuple[int, int]:
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


def _day_start(day: date, tz: str) -> str:
    """The first instant of local `day` in `tz`, as stored text (zone offsets are whole
    minutes, so comparing a posting time with it compares their local days)."""
    return (
        datetime.combine(day, time(), ZoneInfo(tz))
        .astimezone(UTC)
        .isoformat(timespec="microseconds")
    )


@lru_cache(maxsize=512)
def _local_date_monotone(tz: str, year: int) -> bool:
    """False if, during `year` (UTC), a clock change in `tz` turns the local date back:
    falling back across midnight, as Newfoundland did until 2010 (00:01 to 23:01 the
    day before). Then local days are not ranges of instants, and `_day_start` bounds
    would be wrong. Falling back at 24:00 (Chile, Lebanon) keeps dates in order."""
    zone = ZoneInfo(tz)
    step = timedelta(days=1)  # clock changes are months apart
    instant = datetime(year, 1, 1, tzinfo=UTC) - step
    end = datetime(year + 1, 1, 1, tzinfo=UTC) + step
    offset = instant.astimezone(zone).utcoffset()
    while instant < end:
        following = instant + step
        next_offset = following.astimezone(zone).utcoffset()
        if next_offset is not None and offset is not None and next_offset < offset:
            low, high = instant, following  # offset(low) is old, offset(high) is new
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            if high.astimezone(zone).date() < low.astimezone(zone).date():
                return False
        instant, offset = following, next_offset
    return True
