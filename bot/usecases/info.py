"""Read-only screens: stats, leaderboard, topics, help and App Home."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.blocks import info as info_blocks
from bot.blocks.practice import plain
from bot.commands import closest, mentioned_user, parse_period
from bot.core.periods import ALL_TIME, resolve, season
from bot.slack_text import escape
from bot.usecases.context import AppContext
from bot.usecases.replies import Reply
from bot.usecases.users import ensure_user, user_tz


async def stats(
    ctx: AppContext, *, team_id: str, user_id: str, args: tuple[str, ...], reply: Reply
) -> None:
    target = mentioned_user(args) or user_id
    if args and target == user_id and not mentioned_user(args):
        await reply(plain("Usage: `/mlquiz stats` or `/mlquiz stats @someone`."))
        return
    profile = await ensure_user(ctx, team_id, target)
    tz = await user_tz(ctx, team_id, target)
    result = await ctx.store.stats.for_user(team_id, target, now=ctx.now(), tz=tz)
    name = escape((profile.display_name if profile else None) or "Their")
    await reply(
        info_blocks.stats_message(result, user_id=target, is_self=target == user_id, name=name)
    )


async def leaderboard(
    ctx: AppContext,
    *,
    team_id: str,
    user_id: str,
    channel_id: str,
    args: tuple[str, ...],
    reply: Reply,
) -> None:
    period_name = parse_period(args)
    if period_name is None:
        guess = closest(args[0], ("week", "month", "season", "all"), cutoff=60).best
        hint = f" Did you mean `{guess}`?" if guess else ""
        await reply(
            plain(f"Unknown period “{escape(args[0])}”.{hint} Use week, month, season or all.")
        )
        return
    tz = await user_tz(ctx, team_id, user_id)
    period = _period(period_name, ctx.now(), tz)
    # In a channel that runs the daily question, its own board is the one people mean.
    here = channel_id and await ctx.store.schedules.get(team_id, channel_id) is not None
    rows = await ctx.store.leaderboards.top(
        team_id, channel_id=channel_id if here else None, period=period, now=ctx.now(), limit=10
    )
    scope = f"<#{channel_id}>" if here else "workspace"
    await reply(info_blocks.leaderboard_message(rows, period=period_name, scope=scope))


async def topics(ctx: AppContext, *, reply: Reply) -> None:
    await reply(info_blocks.topics_message(ctx.bank.topics("practice")))


async def help_screen(ctx: AppContext, *, reply: Reply, prefix: str = "") -> None:
    await reply(info_blocks.help_message(prefix))


async def publish_home(ctx: AppContext, *, team_id: str, user_id: str) -> None:
    await ensure_user(ctx, team_id, user_id)
    tz = await user_tz(ctx, team_id, user_id)
    now = ctx.now()
    result = await ctx.store.stats.for_user(team_id, user_id, now=now, tz=tz)
    top = await ctx.store.leaderboards.top(team_id, period=ALL_TIME, now=now, limit=10)
    view = info_blocks.home_view(result, top, user_id=user_id)
    await ctx.client.views_publish(user_id=user_id, view=view)


def _period(name: str, now, tz: str):
    """`season` is the current calendar quarter in the caller's zone."""
    if name != "season":
        return resolve(name, now, tz)
    local = now.astimezone(ZoneInfo(tz)).date()
    first_month = 3 * ((local.month - 1) // 3) + 1
    start = date(local.year, first_month, 1)
    end = date(local.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return season(start, end - timedelta(days=1))
