"""Read-only screens: stats, leaderboard, topics, help and App Home."""

from __future__ import annotations

from bot.core.periods import ALL_TIME, PERIOD_KINDS
from bot.ports.slack import SlackError
from bot.slack.blocks import info as info_blocks
from bot.slack.blocks import plain
from bot.slack.parser.commands import mentioned_user, parse_period, typed_name
from bot.slack.parser.suggest import closest, did_you_mean
from bot.slack.text import escape
from bot.usecases.deps import Deps, ReplyTo, reply
from bot.usecases.panels import views as panel_views
from bot.usecases.profiles import ensure_user, is_admin, user_tz
from bot.usecases.standings import resolve_period, top, user_stats

STATS_USAGE = "Usage: `/mlquiz stats` or `/mlquiz stats @someone`."


async def stats(
    deps: Deps, *, team_id: str, user_id: str, args: tuple[str, ...], reply_to: ReplyTo
) -> None:
    target = mentioned_user(args)
    if args and target is None:
        # With mentions sent as plain text, "@ada" arrives as typed: look the name up.
        name = typed_name(args)
        if name is None:
            await reply(deps, reply_to, plain(STATS_USAGE))
            return
        try:
            found = await deps.slack.gateway_for(team_id).find_user(name)
        except SlackError:
            found = None
        if found is None:
            await reply(
                deps,
                reply_to,
                plain(f"I can't find anyone called “{escape(name)}” here. {STATS_USAGE}"),
            )
            return
        target = found.user_id
    target = target or user_id
    profile = await ensure_user(deps, team_id, target)
    tz = await user_tz(deps, team_id, target)
    async with deps.storage.reading() as uow:
        result = await user_stats(uow, team_id, target, now=deps.now(), tz=tz)
    name = escape((profile.display_name if profile else None) or "Their")
    await reply(
        deps,
        reply_to,
        info_blocks.stats_message(result, user_id=target, is_self=target == user_id, name=name),
    )


async def leaderboard(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    channel_id: str,
    args: tuple[str, ...],
    reply_to: ReplyTo,
) -> None:
    period_name = parse_period(args)
    if period_name is None:
        guess = closest(args[0], PERIOD_KINDS, cutoff=60).best
        hint = did_you_mean([guess] if guess else [])
        await reply(
            deps,
            reply_to,
            plain(f"Unknown period “{escape(args[0])}”.{hint} Use week, month, season or all."),
        )
        return
    now = deps.now()
    async with deps.storage.reading() as uow:
        # Points are kept per workspace-local day, so the board's week is the
        # workspace's week whoever asks (an asker ahead of it would see an empty one).
        period = await resolve_period(uow, team_id, period_name, now)
        # In a channel that runs the daily question, its own board is the one people mean.
        here = bool(channel_id) and await uow.schedules.get(team_id, channel_id) is not None
        rows = await top(
            uow, team_id, channel_id=channel_id if here else None, period=period, now=now
        )
    scope = f"<#{channel_id}>" if here else "workspace"
    await reply(
        deps, reply_to, info_blocks.leaderboard_message(rows, period=period_name, scope=scope)
    )


async def topics(deps: Deps, *, reply_to: ReplyTo) -> None:
    await reply(deps, reply_to, info_blocks.topics_message(deps.bank.topics("practice")))


async def help_screen(deps: Deps, *, reply_to: ReplyTo, prefix: str = "") -> None:
    await reply(deps, reply_to, info_blocks.help_message(prefix))


async def publish_home(deps: Deps, *, team_id: str, user_id: str) -> None:
    tz = await user_tz(deps, team_id, user_id)
    now = deps.now()
    admin = await is_admin(deps, team_id, user_id)
    async with deps.storage.reading() as uow:
        result = await user_stats(uow, team_id, user_id, now=now, tz=tz)
        leaders = await top(uow, team_id, period=ALL_TIME, now=now, limit=10)
        panel_part = await panel_views.home_blocks(
            deps, uow, team_id, user_id, admin=admin, now=now
        )
    view = info_blocks.home_view(result, leaders, user_id=user_id, extra=panel_part)
    # Publishing the same Home twice is harmless, and it is only for the person looking.
    await deps.slack.gateway_for(team_id).publish_home(user_id, view)
