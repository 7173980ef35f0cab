"""Channel admin subcommands: schedule, unschedule, pause, resume, post-now, reveal, config."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time

from bot.core.leases import revealed_post_id
from bot.core.records import Lease, OutboxRow, Outgoing, Post, Schedule
from bot.core.schedule import RevealAfter, RevealAt, ScheduleSpec, next_slot, spec_of
from bot.slack.blocks import plain
from bot.slack.parser import admin as parse
from bot.slack.schedule_text import describe, format_local
from bot.slack.text import escape
from bot.usecases import posting, reveal
from bot.usecases.deps import Deps, ReplyTo, reply, reply_message
from bot.usecases.profiles import is_admin, user_tz

log = logging.getLogger("mlquiz.admin")


@dataclass(frozen=True)
class AdminRequest:
    team_id: str
    user_id: str
    channel_id: str
    args: str
    reply_to: ReplyTo


Subcommand = Callable[[Deps, AdminRequest], Awaitable[None]]


async def run(deps: Deps, name: str, request: AdminRequest) -> None:
    if not await is_admin(deps, request.team_id, request.user_id):
        await _say(
            deps,
            request,
            f"Sorry, `{name}` is for workspace admins and the admins configured for mlquiz. "
            "Ask one of them, or try `/mlquiz ask` to practise.",
        )
        return
    try:
        await COMMANDS[name](deps, request)
    except parse.ParseError as exc:
        await _say(deps, request, escape(str(exc)))


async def _say(deps: Deps, request: AdminRequest, text: str) -> None:
    await reply(deps, request.reply_to, plain(text))


def _next_run_line(spec: ScheduleSpec, now: datetime) -> str:
    _, at = next_slot(spec, now)
    return f"Next question: {format_local(at, spec.tz)}."


async def _save(
    deps: Deps, request: AdminRequest, spec: ScheduleSpec, *, paused: bool = False
) -> Schedule:
    rule = spec.reveal_rule
    async with deps.storage.transaction() as uow:
        return await uow.schedules.upsert(
            request.team_id,
            request.channel_id,
            post_time=spec.time.strftime("%H:%M"),
            tz=spec.tz,
            days=spec.days,
            reveal_time=rule.time.strftime("%H:%M") if isinstance(rule, RevealAt) else None,
            reveal_after_hours=rule.hours if isinstance(rule, RevealAfter) else None,
            topics=spec.topics,
            difficulty=spec.difficulty,
            recap_day=spec.recap_day,
            paused=paused,
            created_by=request.user_id,
            now=deps.now(),
        )


async def _existing(deps: Deps, request: AdminRequest) -> Schedule | None:
    async with deps.storage.reading() as uow:
        return await uow.schedules.get(request.team_id, request.channel_id)


async def _require_schedule(deps: Deps, request: AdminRequest) -> Schedule | None:
    existing = await _existing(deps, request)
    if existing is None:
        await _say(
            deps,
            request,
            "This channel has no daily question yet. Start one with "
            "`/mlquiz schedule 09:00 Europe/Berlin weekdays`.",
        )
    return existing


async def schedule(deps: Deps, request: AdminRequest) -> None:
    default_tz = await user_tz(deps, request.team_id, request.user_id)
    when = parse.parse_schedule_args(request.args, default_tz=default_tz)
    existing = await _existing(deps, request)
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
    await _save(deps, request, spec)
    await _say(
        deps,
        request,
        f"✅ Scheduled <#{request.channel_id}>: {escape(describe(spec))}. "
        f"{_next_run_line(spec, deps.now())}",
    )


async def unschedule(deps: Deps, request: AdminRequest) -> None:
    if await _require_schedule(deps, request) is None:
        return
    async with deps.storage.transaction() as uow:
        await uow.schedules.delete(request.team_id, request.channel_id)
    await _say(
        deps,
        request,
        f"🗑️ Removed the daily question from <#{request.channel_id}>. "
        "Leaderboards and past answers are kept.",
    )


async def pause(deps: Deps, request: AdminRequest) -> None:
    if await _require_schedule(deps, request) is None:
        return
    async with deps.storage.transaction() as uow:
        await uow.schedules.set_paused(request.team_id, request.channel_id, True, now=deps.now())
    await _say(
        deps,
        request,
        f"⏸️ Paused the daily question in <#{request.channel_id}>. "
        "`/mlquiz resume` starts it again.",
    )


async def resume(deps: Deps, request: AdminRequest) -> None:
    existing = await _require_schedule(deps, request)
    if existing is None:
        return
    async with deps.storage.transaction() as uow:
        await uow.schedules.set_paused(request.team_id, request.channel_id, False, now=deps.now())
    spec = spec_of(existing)
    await _say(
        deps,
        request,
        f"▶️ Resumed: {escape(describe(spec))}. {_next_run_line(spec, deps.now())}",
    )


async def _open_channel_post(deps: Deps, request: AdminRequest) -> Post | None:
    async with deps.storage.reading() as uow:
        posts = await uow.posts.open_in_channel(request.team_id, request.channel_id)
    posts = [p for p in posts if p.kind == "channel"]
    return posts[-1] if posts else None


async def post_now(deps: Deps, request: AdminRequest) -> None:
    existing = await _existing(deps, request)
    if await _open_channel_post(deps, request) is not None:
        await _say(
            deps,
            request,
            "There is already an open question here. `/mlquiz reveal` closes it first.",
        )
        return
    if existing is not None:
        spec = spec_of(existing)
    else:
        spec = ScheduleSpec(
            time=time(9, 0), tz=await user_tz(deps, request.team_id, request.user_id)
        )
    now = deps.now()

    def confirmation(post: Post) -> Outgoing:
        deadline = format_local(post.deadline_at or now, spec.tz)
        return reply_message(
            request.reply_to,
            plain(f"📮 Posted a question; answers are revealed {deadline}."),
            now=now,
        )

    try:
        # A manual post never takes a scheduled slot's place, so it carries no slot date.
        await posting.post_question(
            deps,
            team_id=request.team_id,
            channel_id=request.channel_id,
            spec=spec,
            schedule_id=None,
            slot_date=None,
            now=now,
            confirm=confirmation,
        )
    except posting.NoQuestionAvailable as exc:
        await _say(deps, request, f"Nothing to post: {exc}.")


async def reveal_now(deps: Deps, request: AdminRequest) -> None:
    open_post = await _open_channel_post(deps, request)
    if open_post is None:
        await _say(deps, request, "There is no open question in this channel to reveal.")
        return
    done = await reveal.reveal_post(deps, open_post, owner=deps.owner)
    text = {
        reveal.RevealOutcome.REVEALED: "🔓 Revealed.",
        reveal.RevealOutcome.BUSY: "A reveal of this question is already running.",
        reveal.RevealOutcome.ALREADY: "This question was revealed already.",
        reveal.RevealOutcome.NOT_POSTED: "That question never reached Slack, so there is "
        "nothing to reveal; it is marked failed.",
        reveal.RevealOutcome.WAITING: "The question is still on its way to Slack; "
        "try again in a moment.",
        reveal.RevealOutcome.GAVE_UP: "Revealing this question failed too many times and "
        "was given up; `/mlquiz config` shows why.",
    }[done.outcome]
    await _say(deps, request, text)


async def config(deps: Deps, request: AdminRequest) -> None:
    existing = await _require_schedule(deps, request)
    if existing is None:
        return
    spec = spec_of(existing)
    if request.args.strip():
        change = parse.parse_config_args(
            request.args, known_topics=set(deps.bank.topics("practice"))
        )
        spec = parse.apply_config_change(spec, change)
        await _save(deps, request, spec, paused=existing.paused)
        await _say(
            deps,
            request,
            f"✅ Updated <#{request.channel_id}>: {escape(describe(spec))}. "
            f"{_next_run_line(spec, deps.now())}",
        )
        return
    await _say(deps, request, await _config_report(deps, request, existing, spec))


def _lease_subject(lease: Lease, post: Post | None) -> str:
    if post is not None:
        return f"the question of {post.day:%d %b} ({escape(post.question_id)})"
    return str(lease.slot_date)


async def _config_report(
    deps: Deps, request: AdminRequest, existing: Schedule, spec: ScheduleSpec
) -> str:
    state = "⏸️ paused" if existing.paused else "▶️ active"
    lines = [f"*Daily question in <#{request.channel_id}>* ({state})", escape(describe(spec))]
    if not existing.paused:
        lines.append(_next_run_line(spec, deps.now()))
    async with deps.storage.reading() as uow:
        leases = []
        for lease in await uow.leases.failed(request.team_id):
            # A reveal's lease names its post, not a schedule: it belongs to the
            # channel the post is in.
            post_id = revealed_post_id(lease.key)
            post = None if post_id is None else await uow.posts.get(post_id)
            if lease.schedule_id == existing.id or (
                post is not None and post.channel_id == request.channel_id
            ):
                leases.append((lease, post))
        messages = await uow.outbox.problems(request.team_id)
        posts: dict[str | None, Post | None] = {
            row.outgoing.subject: await uow.posts.get(int(row.outgoing.subject.split(":")[1]))
            for row in messages
            if row.outgoing.subject and row.outgoing.subject.startswith("post:")
        }
    problems = [
        f"• {lease.kind} for {_lease_subject(lease, post)}: "
        f"{escape(lease.last_error or 'unknown error')} ({lease.attempts} attempts)"
        for lease, post in leases[:10]
    ]
    problems += [
        line for line in (_problem_line(row, posts, request.channel_id) for row in messages) if line
    ][:15]
    if problems:
        lines.append("*Problems* (retried automatically until they succeed or expire)")
        lines += problems
    return "\n".join(lines)


def _problem_line(row: OutboxRow, posts: dict[str | None, Post | None], channel_id: str) -> str:
    what = _what(row, posts)
    error = escape(row.error or row.status)
    if row.outgoing.key.startswith("feedback:"):
        return f"• {what} to <@{row.outgoing.user_id}>: {error} ({row.status})"
    if row.channel_id != channel_id:
        return ""
    state = "retrying" if row.status in ("pending", "sending") else row.status
    return f"• {what}: {error} ({state}, {row.attempts} attempts)"


def _what(row: OutboxRow, posts: dict[str | None, Post | None]) -> str:
    key = row.outgoing.key
    if key.startswith("post:"):
        post = posts.get(row.outgoing.subject)
        day = post.slot_date or post.day if post else None
        return f"post for {day}" if day else "post"
    if key.startswith("reveal-summary:"):
        return f"reveal of post {key.split(':', 1)[1]}"
    if key.startswith("reveal-close:"):
        return f"closing post {key.split(':', 1)[1]}"
    if key.startswith("feedback:"):
        return "feedback DM"
    if key.startswith("recap:"):
        return "weekly recap"
    return row.outgoing.action


COMMANDS: dict[str, Subcommand] = {
    "schedule": schedule,
    "unschedule": unschedule,
    "pause": pause,
    "resume": resume,
    "post-now": post_now,
    "reveal": reveal_now,
    "config": config,
}
