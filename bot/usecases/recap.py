"""The weekly recap: top scorers, longest streaks and the hardest question."""

from __future__ import annotations

from datetime import date, datetime

from bot.blocks import daily as daily_blocks
from bot.core.periods import season
from bot.core.schedule import ScheduleSpec, local_date_of, recap_window
from bot.usecases.context import AppContext


async def send_recap(
    ctx: AppContext, schedule, spec: ScheduleSpec, recap_date: date, now: datetime
) -> None:
    start, end = recap_window(spec, recap_date)
    first_day = local_date_of(start, spec.tz)
    period = season(first_day, recap_date)
    top = await ctx.store.leaderboards.top(
        schedule.team_id, channel_id=schedule.channel_id, period=period, now=now, limit=5
    )
    posts = await ctx.store.posts.revealed_between(
        schedule.team_id, schedule.channel_id, start, end
    )
    hardest = None
    for post, average in posts:
        question = ctx.bank.get(post.question_id)
        if (
            question is not None
            and average is not None
            and (hardest is None or average < hardest[1])
        ):
            hardest = (question, average)
    streaks = []
    for row in top:
        stats = await ctx.store.stats.for_user(schedule.team_id, row.user_id, now=now, tz=spec.tz)
        if stats.streak:
            streaks.append((row.user_id, stats.streak))
    streaks.sort(key=lambda item: -item[1])
    message = daily_blocks.weekly_recap(
        daily_blocks.RecapData(
            week_label=f"{first_day:%d %b} to {recap_date:%d %b %Y}",
            top=top,
            streaks=streaks[:3],
            hardest=hardest,
            questions=len(posts),
        )
    )
    await ctx.client.chat_postMessage(channel=schedule.channel_id, **message.as_kwargs())
