"""Channel admin subcommands: schedule, unschedule, pause, resume, post-now, reveal, config."""

from __future__ import annotations

import logging
from datetime import time

from bot.blocks.practice import plain
from bot.core import admin_commands as parse
from bot.core.schedule import (
    RevealAfter,
    RevealAt,
    ScheduleSpec,
    describe,
    format_local,
    next_slot,
)
from bot.slack_text import escape
from bot.usecases import daily
from bot.usecases.context import AppContext
from bot.usecases.replies import Reply
from bot.usecases.users import ensure_user, user_tz

log = logging.getLogger("mlquiz.admin")


def spec_of(schedule) -> ScheduleSpec:
    reveal = (
        RevealAt(time.fromisoformat(schedule.reveal_time))
        if schedule.reveal_time
        else RevealAfter(schedule.reveal_after_hours)
    )
    return ScheduleSpec(
        time=time.fromisoformat(schedule.post_time),
        tz=schedule.tz,
        days=schedule.days,
        reveal=reveal,
        recap_day=schedule.recap_day,
        topics=tuple(schedule.topics),
        difficulty=schedule.difficulty,
    )


async def is_admin(ctx: AppContext, team_id: str, user_id: str) -> bool:
    if user_id in ctx.settings.admin_user_ids:
        return True
    user = await ensure_user(ctx, team_id, user_id)
    return bool(user and user.is_admin)


async def run(
    ctx: AppContext,
    *,
    team_id: str,
    user_id: str,
    channel_id: str,
    name: str,
    raw_args: str,
    reply: Reply,
) -> None:
    if not await is_admin(ctx, team_id, user_id):
        await reply(
            plain(
                f"Sorry, `{name}` is for workspace admins and the admins configured for mlquiz. "
                "Ask one of them, or try `/mlquiz ask` to practise."
            )
        )
        return
    handler = COMMANDS[name]
    try:
        await handler(
            ctx, team_id=team_id, user_id=user_id, channel_id=channel_id, args=raw_args, reply=reply
        )
    except parse.ParseError as exc:
        await reply(plain(str(exc)))


def _next_run_line(spec: ScheduleSpec, now) -> str:
    _, at = next_slot(spec, now)
    return f"Next question: {format_local(at, spec.tz)}."


async def _save(
    ctx: AppContext,
    *,
    team_id: str,
    channel_id: str,
    user_id: str,
    spec: ScheduleSpec,
    paused: bool = False,
):
    reveal = spec.reveal_rule
    return await ctx.store.schedules.upsert(
        team_id,
        channel_id,
        post_time=spec.time.strftime("%H:%M"),
        tz=spec.tz,
        days=spec.days,
        reveal_time=reveal.time.strftime("%H:%M") if isinstance(reveal, RevealAt) else None,
        reveal_after_hours=reveal.hours if isinstance(reveal, RevealAfter) else None,
        topics=spec.topics,
        difficulty=spec.difficulty,
        recap_day=spec.recap_day,
        paused=paused,
        created_by=user_id,
        now=ctx.now(),
    )


async def schedule(ctx, *, team_id, user_id, channel_id, args, reply) -> None:
    default_tz = await user_tz(ctx, team_id, user_id)
    when = parse.parse_schedule_args(args, default_tz=default_tz)
    existing = await ctx.store.schedules.get(team_id, channel_id)
    if existing is not None:
        old = spec_of(existing)
        spec = ScheduleSpec(
            time=when.time,
            tz=when.tz,
            days=when.days,
            reveal=old.reveal,
            recap_day=old.recap_day,
            topics=old.topics,
            difficulty=old.difficulty,
        )
    else:
        spec = ScheduleSpec(time=when.time, tz=when.tz, days=when.days)
    await _save(ctx, team_id=team_id, channel_id=channel_id, user_id=user_id, spec=spec)
    await reply(
        plain(f"✅ Scheduled <#{channel_id}>: {describe(spec)}. {_next_run_line(spec, ctx.now())}")
    )


async def _require_schedule(ctx, team_id, channel_id, reply):
    existing = await ctx.store.schedules.get(team_id, channel_id)
    if existing is None:
        await reply(
            plain(
                "This channel has no daily question yet. Start one with "
                "`/mlquiz schedule 09:00 Europe/Berlin weekdays`."
            )
        )
    return existing


async def unschedule(ctx, *, team_id, user_id, channel_id, args, reply) -> None:
    if await _require_schedule(ctx, team_id, channel_id, reply) is None:
        return
    await ctx.store.schedules.delete(team_id, channel_id)
    await reply(
        plain(
            f"🗑️ Removed the daily question from <#{channel_id}>. "
            "Leaderboards and past answers are kept."
        )
    )


async def pause(ctx, *, team_id, user_id, channel_id, args, reply) -> None:
    existing = await _require_schedule(ctx, team_id, channel_id, reply)
    if existing is None:
        return
    await ctx.store.schedules.set_paused(team_id, channel_id, True, now=ctx.now())
    await reply(
        plain(f"⏸️ Paused the daily question in <#{channel_id}>. `/mlquiz resume` starts it again.")
    )


async def resume(ctx, *, team_id, user_id, channel_id, args, reply) -> None:
    existing = await _require_schedule(ctx, team_id, channel_id, reply)
    if existing is None:
        return
    await ctx.store.schedules.set_paused(team_id, channel_id, False, now=ctx.now())
    spec = spec_of(existing)
    await reply(plain(f"▶️ Resumed: {describe(spec)}. {_next_run_line(spec, ctx.now())}"))


async def post_now(ctx, *, team_id, user_id, channel_id, args, reply) -> None:
    existing = await ctx.store.schedules.get(team_id, channel_id)
    if await _open_channel_post(ctx, team_id, channel_id) is not None:
        await reply(
            plain("There is already an open question here. `/mlquiz reveal` closes it first.")
        )
        return
    if existing is not None:
        spec = spec_of(existing)
    else:
        now_local_tz = await user_tz(ctx, team_id, user_id)
        spec = ScheduleSpec(time=time(9, 0), tz=now_local_tz)
    now = ctx.now()
    # A manual post never takes a scheduled slot's place, so it carries no slot date.
    try:
        post = await daily.post_question(
            ctx,
            team_id=team_id,
            channel_id=channel_id,
            spec=spec,
            schedule_id=None,  # a manual post never takes a slot
            slot_date=None,
            now=now,
        )
    except daily.NoQuestionAvailable as exc:
        await reply(plain(f"Nothing to post: {exc}."))
        return
    await reply(
        plain(
            f"📮 Posted a question; answers are revealed {format_local(post.deadline_at, spec.tz)}."
        )
    )


async def _open_channel_post(ctx, team_id: str, channel_id: str):
    posts = [
        p for p in await ctx.store.posts.open_in_channel(team_id, channel_id) if p.kind == "channel"
    ]
    return posts[-1] if posts else None


async def reveal(ctx, *, team_id, user_id, channel_id, args, reply) -> None:
    open_post = await _open_channel_post(ctx, team_id, channel_id)
    if open_post is None:
        await reply(plain("There is no open question in this channel to reveal."))
        return
    done = await daily.reveal_post(ctx, open_post, owner=f"manual:{user_id}")
    await reply(plain("🔓 Revealed." if done else "A reveal of this question is already running."))


async def config(ctx, *, team_id, user_id, channel_id, args, reply) -> None:
    existing = await _require_schedule(ctx, team_id, channel_id, reply)
    if existing is None:
        return
    spec = spec_of(existing)
    if args.strip():
        change = parse.parse_config_args(args, known_topics=set(ctx.bank.topics("practice")))
        spec = parse.apply_config_change(spec, change)
        await _save(
            ctx,
            team_id=team_id,
            channel_id=channel_id,
            user_id=user_id,
            spec=spec,
            paused=existing.paused,
        )
        await reply(
            plain(
                f"✅ Updated <#{channel_id}>: {describe(spec)}. {_next_run_line(spec, ctx.now())}"
            )
        )
        return
    await reply(plain(await _config_report(ctx, team_id, channel_id, existing, spec)))


async def _config_report(ctx, team_id, channel_id, existing, spec) -> str:
    state = "⏸️ paused" if existing.paused else "▶️ active"
    lines = [f"*Daily question in <#{channel_id}>* ({state})", describe(spec)]
    if not existing.paused:
        lines.append(_next_run_line(spec, ctx.now()))
    problems = await ctx.store.claims.failed(team_id)
    mine = [c for c in problems if c.schedule_id == existing.id]
    if mine:
        lines.append("*Problems (retried automatically)*")
        lines += [
            f"• {c.kind} for {c.slot_date}: {escape(c.last_error or 'unknown error')} "
            f"({c.attempts} attempts)"
            for c in mine[:10]
        ]
    failed_posts = await ctx.store.reveals.failing(team_id, channel_id)
    lines += [f"• reveal of post {p.id}: {escape(p.error or '')}" for p in failed_posts[:10]]
    return "\n".join(lines)


COMMANDS = {
    "schedule": schedule,
    "unschedule": unschedule,
    "pause": pause,
    "resume": resume,
    "post-now": post_now,
    "reveal": reveal,
    "config": config,
}
