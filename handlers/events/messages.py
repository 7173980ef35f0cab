"""Message events: thread replies and DMs are answers; edits replace, deletions withdraw."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.jobs.tasks import BackgroundTasks
from bot.usecases.channel_answers import on_message
from bot.usecases.deps import Deps
from bot.usecases.requests import MessageEvent
from handlers.payload import text_field

# One Events API subscription per conversation type the app reads answers in.
EVENTS = ("message.channels", "message.groups", "message.im")


def message_event(body: Mapping[str, Any], event: Mapping[str, Any]) -> MessageEvent:
    inner = event.get("message") or event.get("previous_message") or {}
    if not isinstance(inner, Mapping):
        inner = {}
    return MessageEvent(
        team_id=text_field(body.get("team_id")),
        event_id=text_field(body.get("event_id")) or None,
        channel_id=text_field(event.get("channel")),
        channel_type=text_field(event.get("channel_type")),
        subtype=text_field(event.get("subtype")) or None,
        user_id=text_field(event.get("user")) or None,
        bot_id=text_field(event.get("bot_id")) or None,
        text=text_field(event.get("text")),
        ts=text_field(event.get("ts")) or None,
        thread_ts=text_field(event.get("thread_ts")) or None,
        inner_user_id=text_field(inner.get("user")) or None,
        inner_bot_id=text_field(inner.get("bot_id")) or None,
        inner_text=text_field(inner.get("text")),
        inner_ts=text_field(inner.get("ts")) or None,
        inner_thread_ts=text_field(inner.get("thread_ts")) or None,
        deleted_ts=text_field(event.get("deleted_ts")) or None,
    )


def register(app: AsyncApp, deps: Deps, tasks: BackgroundTasks) -> None:
    @app.event("message")
    async def on_message_event(body: dict[str, Any], event: dict[str, Any]) -> None:
        request = message_event(body, event)
        if not request.channel_id:
            return
        tasks.spawn(on_message(deps, request), name=f"event:{request.event_id}")
