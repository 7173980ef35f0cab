"""Leaderboards and a person's stats, from the stored answers."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from bot.core.periods import season
from bot.usecases import standings
from tests.unit.builders import (
    CHANNEL,
    USER,
    channel_post,
    channel_question,
    dm_post,
    stored_answer,
)
from tests.unit.fakes import TEAM

A, B, C, D = "UA", "UB", "UC", "UD"


async def four_players(deps, channel=CHANNEL):
    """Points 30, 20, 20, 10 on medium questions (20 points for a perfect answer)."""
    first = await channel_post(deps, channel=channel)
    second = await channel_post(deps, channel=channel)
    for post, user, score in [
        (first, A, 1.0),
        (second, A, 0.5),
        (first, B, 1.0),
        (second, C, 1.0),
        (first, D, 0.5),
    ]:
        await stored_answer(deps, post, user=user, score=score)


async def board(deps, **kwargs):
    async with deps.storage.reading() as uow:
        rows = await standings.top(uow, TEAM, now=deps.now(), **kwargs)
    return [(row.rank, row.user_id, row.points, row.answered) for row in rows]


async def rank_of(deps, user, **kwargs):
    async with deps.storage.reading() as uow:
        return await standings.rank(uow, TEAM, user, now=deps.now(), **kwargs)


@pytest.mark.parametrize("period", ["all", "week", "month", "season"])
async def test_boards_rank_equal_points_together(deps, period):
    await four_players(deps)
    assert await board(deps, period=period) == [
        (1, A, 30, 2),
        (2, B, 20, 1),
        (2, C, 20, 1),
        (4, D, 10, 1),
    ]
    assert await board(deps, period=period, limit=2) == [(1, A, 30, 2), (2, B, 20, 1)]


async def test_a_board_by_channel_counts_only_that_channel(deps):
    await four_players(deps)
    other = await channel_post(deps, channel="C2")
    await stored_answer(deps, other, user=D, score=1.0)
    assert await board(deps, channel_id="C2") == [(1, D, 20, 1)]
    assert await board(deps, channel_id=CHANNEL) == [
        (1, A, 30, 2),
        (2, B, 20, 1),
        (2, C, 20, 1),
        (4, D, 10, 1),
    ]
    assert await board(deps) == [(1, A, 30, 2), (1, D, 30, 2), (3, B, 20, 1), (3, C, 20, 1)]


async def test_practice_answers_are_not_on_the_board(deps):
    practice = await dm_post(deps, user=A)
    await stored_answer(deps, practice, user=A, score=1.0)
    assert await board(deps) == []


async def test_last_weeks_points_are_not_this_weeks(deps):
    await four_players(deps)
    deps.clock.advance(days=7)
    assert await board(deps, period="week") == []
    assert len(await board(deps, period="all")) == 4


async def test_a_season_given_as_days_sums_those_days(deps):
    await four_players(deps)
    today = deps.now().date()
    assert await board(deps, period=season(today, today)) == await board(deps)
    tomorrow = today + timedelta(days=1)
    assert await board(deps, period=season(tomorrow, tomorrow)) == []


@pytest.mark.parametrize("period", ["all", "season"])
async def test_a_persons_rank(deps, period):
    await four_players(deps)
    row = await rank_of(deps, C, period=period)
    assert row is not None and (row.rank, row.points, row.average_score) == (2, 20, 1.0)
    d = await rank_of(deps, D, period=period)
    assert d is not None and d.rank == 4
    assert await rank_of(deps, "UNOBODY", period=period) is None


async def test_stats_count_practice_but_rank_by_the_board(deps):
    await four_players(deps)
    practice = await dm_post(deps, user=D)
    await stored_answer(deps, practice, user=D, score=1.0)
    async with deps.storage.reading() as uow:
        stats = await standings.user_stats(uow, TEAM, D, now=deps.now(), tz="UTC")
    assert (stats.answered, stats.average_score) == (2, 0.75)
    assert (stats.points, stats.rank) == (10, 4)
    assert (stats.streak, stats.best_streak) == (1, 1)
    expected = Counter([*channel_question(deps).topics, *practice.topics])
    assert {topic: m.answered for topic, m in stats.topic_mastery.items()} == expected


async def test_stats_of_someone_without_answers(deps):
    async with deps.storage.reading() as uow:
        stats = await standings.user_stats(uow, TEAM, USER, now=deps.now())
    assert (stats.answered, stats.average_score, stats.points, stats.rank) == (0, None, 0, None)
    assert (stats.streak, stats.best_streak, dict(stats.topic_mastery)) == (0, 0, {})


async def daily_answers(deps, days_answered, *, days=7, user=USER):
    """A question a day in the channel; `user` answers on the given day numbers."""
    start = deps.now()
    for day in range(days):
        post = await channel_post(deps, opened_at=start + timedelta(days=day))
        if day in days_answered:
            await stored_answer(deps, post, user=user, score=1.0)
    deps.clock.set(start + timedelta(days=days - 1, hours=1))


async def test_streaks_count_question_days_answered_in_a_row(deps):
    await daily_answers(deps, {0, 1, 2, 4, 5, 6})
    async with deps.storage.reading() as uow:
        stats = await standings.user_stats(uow, TEAM, USER, now=deps.now(), tz="UTC")
        slow = await standings.streaks_from_every_day(uow, TEAM, USER, deps.now(), "UTC")
    assert (stats.streak, stats.best_streak) == (3, 3) == slow


async def test_a_missed_day_ends_the_current_streak(deps):
    await daily_answers(deps, {0, 1, 2, 3, 4})
    async with deps.storage.reading() as uow:
        stats = await standings.user_stats(uow, TEAM, USER, now=deps.now(), tz="UTC")
        slow = await standings.streaks_from_every_day(uow, TEAM, USER, deps.now(), "UTC")
    assert (stats.streak, stats.best_streak) == (0, 5) == slow  # day 5 went unanswered


async def test_todays_unanswered_question_does_not_break_the_streak(deps):
    await daily_answers(deps, {0, 1, 2, 3, 4, 5})
    async with deps.storage.reading() as uow:
        stats = await standings.user_stats(uow, TEAM, USER, now=deps.now(), tz="UTC")
    assert (stats.streak, stats.best_streak) == (6, 6)


async def test_streak_days_are_the_persons_own_local_days(deps):
    async with deps.storage.transaction() as uow:
        await uow.users.upsert(TEAM, USER, tz="Pacific/Kiritimati", now=deps.now())  # UTC+14
    await daily_answers(deps, set(range(7)))
    async with deps.storage.reading() as uow:
        stats = await standings.user_stats(uow, TEAM, USER, now=deps.now())
    assert stats.streak == 7


async def test_a_zone_whose_dates_step_back_reads_every_question_day(deps, monkeypatch):
    # Newfoundland fell back across midnight until 2010: local days are no UTC ranges.
    async with deps.storage.transaction() as uow:
        await uow.users.upsert(TEAM, USER, tz="America/St_Johns", now=deps.now())
    deps.clock.set(deps.now().replace(year=2009))
    await daily_answers(deps, {0, 1, 3, 4})
    slow_path = []
    every_day = standings.streaks_from_every_day

    async def spy(*args):
        slow_path.append(args[2])
        return await every_day(*args)

    monkeypatch.setattr(standings, "streaks_from_every_day", spy)
    async with deps.storage.reading() as uow:
        stats = await standings.user_stats(uow, TEAM, USER, now=deps.now())
    assert slow_path == [USER]
    assert (stats.streak, stats.best_streak) == (0, 2)  # day 5 went unanswered
