"""Leaderboards and a user's stats, from the score rollups and the answer history."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core import periods as period_rules
from bot.core.periods import Period, local_dates_in_order, local_day, local_midnight
from bot.core.ranking import Standing, board_order, competition_ranks, rank_of
from bot.core.records import LeaderboardRow, UserStats
from bot.core.streaks import streak_gaps, streaks, streaks_over_gaps
from bot.ports.storage import UnitOfWork

WORKSPACE = ""  # the scope of workspace-wide boards


async def resolve_period(
    uow: UnitOfWork, team_id: str, period: str | Period, now: datetime
) -> Period:
    """Weeks, months and seasons start at midnight in the workspace's zone."""
    if isinstance(period, Period):
        return period
    return period_rules.resolve(period, now, await uow.workspaces.tz(team_id))


async def top(
    uow: UnitOfWork,
    team_id: str,
    *,
    channel_id: str | None = None,
    period: str | Period = "all",
    now: datetime,
    limit: int = 10,
) -> list[LeaderboardRow]:
    """A board by scope (a channel, else the workspace) and period, ranked 1, 2, 2, 4."""
    resolved = await resolve_period(uow, team_id, period, now)
    scope = channel_id or WORKSPACE
    key = resolved.rollup_key
    if key is not None:
        standings = await uow.scores.top_totals(team_id, scope, key, limit)
    else:
        assert resolved.start is not None and resolved.end is not None
        summed = await uow.scores.sum_days(team_id, scope, resolved.start, resolved.end)
        standings = board_order(summed)[:limit]
    return [_row(ranked.rank, ranked.standing) for ranked in competition_ranks(standings)]


async def rank(
    uow: UnitOfWork,
    team_id: str,
    user_id: str,
    *,
    channel_id: str | None = None,
    period: str | Period = "all",
    now: datetime,
) -> LeaderboardRow | None:
    """The user's row on that board, or None if they have no scored answer in it."""
    resolved = await resolve_period(uow, team_id, period, now)
    scope = channel_id or WORKSPACE
    key = resolved.rollup_key
    if key is not None:
        mine = await uow.scores.user_total(team_id, scope, key, user_id)
        if mine is None:
            return None
        above = await uow.scores.count_above(team_id, scope, key, mine.points)
        return _row(rank_of(above), mine)
    assert resolved.start is not None and resolved.end is not None
    summed = await uow.scores.sum_days(team_id, scope, resolved.start, resolved.end)
    found = next((s for s in summed if s.user_id == user_id), None)
    if found is None:
        return None
    return _row(rank_of(sum(1 for s in summed if s.points > found.points)), found)


async def user_stats(
    uow: UnitOfWork, team_id: str, user_id: str, *, now: datetime, tz: str | None = None
) -> UserStats:
    """Stats over all time; streak days are local to `tz` (else the user's, else UTC).

    `answered` and `average_score` include practice answers; points and rank are the
    workspace's all-time leaderboard."""
    if tz is None:
        user = await uow.users.get(team_id, user_id)
        tz = (user.tz if user else None) or "UTC"
    answered, average = await uow.stats.totals(team_id, user_id)
    board = await rank(uow, team_id, user_id, period="all", now=now)
    current, best = await _streaks(uow, team_id, user_id, now, tz)
    return UserStats(
        answered=answered,
        average_score=average,
        points=board.points if board else 0,
        rank=board.rank if board else None,
        streak=current,
        best_streak=best,
        topic_mastery=await uow.stats.mastery(team_id, user_id),
    )


async def _streaks(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime, tz: str
) -> tuple[int, int]:
    # Only the user's answered days are read, then one probe per gap between them: did
    # any of their channels have a question on a day inside it? A gap is a range of
    # UTC instants, exact when the zone's local date never steps back (a DST fall-back
    # across midnight); otherwise every question day is read.
    openings, channels = await uow.stats.answered_posts(team_id, user_id)
    today = local_day(now, tz)
    answered = {local_day(opened, tz) for opened in openings}
    gaps = streak_gaps(answered, today)
    years = range(min(answered, default=today).year, today.year + 1)
    if gaps and not all(local_dates_in_order(tz, year) for year in years):
        return await streaks_from_every_day(uow, team_id, user_id, now, tz)
    ranges = [
        (local_midnight(after + timedelta(days=1), tz), local_midnight(before, tz))
        for after, before in gaps
    ]
    found = await uow.stats.gaps_with_questions(team_id, channels, ranges)
    result = streaks_over_gaps(answered, today, {gaps[n] for n in found})
    return result.current, result.best


async def streaks_from_every_day(
    uow: UnitOfWork, team_id: str, user_id: str, now: datetime, tz: str
) -> tuple[int, int]:
    """The streaks from every question day of the user's channels (the slow, always
    correct way; a question day is a day one of them had a question, in their zone)."""
    asked = await uow.stats.question_minutes(team_id, user_id)
    answered = await uow.stats.answered_openings(team_id, user_id)
    result = streaks(
        (local_day(at, tz) for at in asked),
        (local_day(at, tz) for at in answered),
        local_day(now, tz),
    )
    return result.current, result.best


def _row(position: int, standing: Standing) -> LeaderboardRow:
    return LeaderboardRow(
        rank=position,
        user_id=standing.user_id,
        points=standing.points,
        answered=standing.answered,
        average_score=standing.average_score,
    )
