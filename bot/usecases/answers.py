"""Turn Slack message events into answers: new, edited, deleted."""

from __future__ import annotations

import logging
from typing import Any

from bot.usecases import daily, practice
from bot.usecases.context import AppContext
from bot.usecases.practice import IncomingAnswer

log = logging.getLogger("mlquiz.answers")
IGNORED_SUBTYPES = {"bot_message", "channel_join", "channel_leave", "thread_broadcast_hidden"}


def _is_from_bot(message: dict[str, Any], bot_user_id: str) -> bool:
    return bool(message.get("bot_id")) or message.get("user") in (None, bot_user_id)


async def handle_message_event(
    ctx: AppContext, *, team_id: str, event_id: str | None, event: dict[str, Any]
) -> None:
    # Slack re-delivers events it thinks were not acknowledged: handle each id once.
    if event_id and not await ctx.store.events.first_seen(event_id, ctx.now()):
        return
    subtype = event.get("subtype")
    if subtype == "message_changed":
        await _on_edit(ctx, team_id, event_id, event)
    elif subtype == "message_deleted":
        await _on_delete(ctx, team_id, event)
    elif subtype is None or subtype in ("file_share",):
        await _on_new(ctx, team_id, event_id, event)


async def _on_new(ctx: AppContext, team_id: str, event_id: str | None, event: dict) -> None:
    if _is_from_bot(event, ctx.bot_user_id):
        return
    incoming = IncomingAnswer(
        team_id=team_id,
        user_id=event["user"],
        channel_id=event["channel"],
        text=event.get("text") or "",
        source="dm" if event.get("channel_type") == "im" else "thread",
        message_ts=event.get("ts"),
        event_id=event_id,
        thread_ts=event.get("thread_ts"),
    )
    if event.get("channel_type") == "im":
        post = await practice.find_practice_post(ctx, incoming)
        if post is not None:
            await practice.answer_practice(ctx, incoming, post)
        else:
            await practice.no_open_question(ctx, incoming)
        return
    if not incoming.thread_ts or incoming.thread_ts == incoming.message_ts:
        return  # top-level channel chatter is not an answer
    post = await ctx.store.posts.by_message(team_id, incoming.channel_id, incoming.thread_ts)
    if post is not None and post.kind == "channel":
        await daily.collect_answer(ctx, incoming, post)


async def _on_edit(ctx: AppContext, team_id: str, event_id: str | None, event: dict) -> None:
    message = event.get("message") or {}
    if _is_from_bot(message, ctx.bot_user_id) or not message.get("thread_ts"):
        return
    post = await ctx.store.posts.by_message(team_id, event["channel"], message["thread_ts"])
    if post is None or post.kind != "channel":
        return  # practice answers are graded at once; a later edit does not re-grade
    incoming = IncomingAnswer(
        team_id=team_id,
        user_id=message["user"],
        channel_id=event["channel"],
        text=message.get("text") or "",
        source="thread",
        message_ts=message.get("ts"),
        event_id=event_id,
        thread_ts=message["thread_ts"],
    )
    await daily.collect_edit(ctx, incoming, post)


async def _on_delete(ctx: AppContext, team_id: str, event: dict) -> None:
    previous = event.get("previous_message") or {}
    thread_ts = previous.get("thread_ts")
    if not thread_ts or not previous.get("user"):
        return
    post = await ctx.store.posts.by_message(team_id, event["channel"], thread_ts)
    if post is None or post.kind != "channel":
        return
    await daily.withdraw_answer(
        ctx,
        post,
        user_id=previous["user"],
        message_ts=event.get("deleted_ts") or previous.get("ts"),
    )
