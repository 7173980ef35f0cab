"""Leaderboards by scope (a channel or the workspace) and period, ranked 1, 2, 2, 4."""

from __future__ import annotations

from datetime import datetime

from bot.core import periods as period_rules
from bot.core.periods import Period
from bot.core.ranking import Standing, board_order, competition_ranks, rank_of
from bot.storage.database import Database
from bot.storage.records import LeaderboardRow
from bot.storage.scores import WORKSPACE, ScoreRepository
from bot.storage.workspaces import WorkspaceRepository


class LeaderboardService:
    """Weeks and months start at midnight in the workspace's zone (`workspaces.tz`)."""

    def __init__(self, db: Database) -> None:
        self.scores = ScoreRepository(db)
        self.workspaces = WorkspaceRepository(db)

    async def period(self, team_id: str, period: str | Period, now: datetime) -> Period:
        if isinstance(period, Period):
            return period
        return period_rules.resolve(period, now, await self.workspaces.tz(team_id))

    async def top(
        self,
        team_id: str,
        *,
        channel_id: str | None = None,
        period: str | Period = "all",
        now: datetime,
        limit: int = 10,
    ) -> list[LeaderboardRow]:
        resolved = await self.period(team_id, period, now)
        scope = channel_id or WORKSPACE
        key = resolved.rollup_key
        if key is not None:
            standings = await self.scores.top_totals(team_id, scope, key, limit)
        else:
            assert resolved.start is not None and resolved.end is not None
            summed = await self.scores.sum_days(team_id, scope, resolved.start, resolved.end)
            standings = board_order(summed)[:limit]
        return [_row(ranked.rank, ranked.standing) for ranked in competition_ranks(standings)]

    async def rank(
        self,
        team_id: str,
        user_id: str,
        *,
        channel_id: str | None = None,
        period: str | Period = "all",
        now: datetime,
    ) -> LeaderboardRow | None:
        """The user's row on that board, or None if they have no scored answer in it."""
        resolved = await self.period(team_id, period, now)
        scope = channel_id or WORKSPACE
        key = resolved.rollup_key
        if key is not None:
            mine = await self.scores.user_total(team_id, scope, key, user_id)
            if mine is None:
                return None
            above = await self.scores.count_above(team_id, scope, key, mine.points)
            return _row(rank_of(above), mine)
        assert resolved.start is not None and resolved.end is not None
        summed = await self.scores.sum_days(team_id, scope, resolved.start, resolved.end)
        mine = next((s for s in summed if s.user_id == user_id), None)
        if mine is None:
            return None
        return _row(rank_of(sum(1 for s in summed if s.points > mine.points)), mine)

    async def rebuild(self, team_id: str | None = None) -> None:
        await self.scores.rebuild(team_id)


def _row(rank: int, standing: Standing) -> LeaderboardRow:
    return LeaderboardRow(
        rank=rank,
        user_id=standing.user_id,
        points=standing.points,
        answered=standing.answered,
        average_score=standing.average_score,
    )
