"""The weekly recap: top scorers, longest streaks and the hardest question."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.core.periods import season
from bot.core.records import Schedule
from bot.core.schedule import ScheduleSpec, local_date_of, recap_window
from bot.slack.blocks import daily as daily_blocks
from bot.usecases.deps import Deps, post_message
from bot.usecases.standings import top, user_stats
from questionbank.models import Question


async def send_recap(
    deps: Deps, schedule: Schedule, spec: ScheduleSpec, recap_date: date, now: datetime
) -> None:
    start, end = recap_window(spec, recap_date)
    # Points are kept per local day, so the board covers the seven whole days that end
    # on the recap's date: consecutive recaps then tile days as the questions tile
    # instants, and no day's points appear in two recaps.
    first_day = local_date_of(start, spec.tz) + timedelta(days=1)
    period = season(first_day, recap_date)
    async with deps.storage.transaction() as uow:
        leaders = await top(
            uow, schedule.team_id, channel_id=schedule.channel_id, period=period, now=now, limit=5
        )
        posts = await uow.posts.revealed_between(schedule.team_id, schedule.channel_id, start, end)
        hardest: tuple[Question, float] | None = None
        for post, average in posts:
            question = deps.bank.get(post.question_id)
            if (
                question is not None
                and average is not None
                and (hardest is None or average < hardest[1])
            ):
                hardest = (question, average)
        streaks = []
        for row in leaders:
            stats = await user_stats(uow, schedule.team_id, row.user_id, now=now, tz=spec.tz)
            if stats.streak:
                streaks.append((row.user_id, stats.streak))
        streaks.sort(key=lambda item: -item[1])
        message = daily_blocks.weekly_recap(
            daily_blocks.RecapData(
                week_label=f"{first_day:%d %b} to {recap_date:%d %b %Y}",
                top=leaders,
                streaks=streaks[:3],
                hardest=hardest,
                questions=len(posts),
            )
        )
        await uow.outbox.add(
            post_message(
                schedule.team_id,
                f"recap:{schedule.id}:{recap_date.isoformat()}",
                schedule.channel_id,
                message,
            ),
            now,
        )
