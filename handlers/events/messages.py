"""Message events: thread replies and DMs are answers; edits replace, deletions withdraw."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from bot.ports.requests import MessageEvent
from handlers.payload import text_field

if TYPE_CHECKING:
    from handlers import Listeners

# One Events API subscription per conversation type the app reads answers in.
EVENTS = ("message.channels", "message.groups", "message.im")
# Slack caps a message at 40,000 characters; anything longer is not from Slack.
MAX_TEXT = 40_000


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
        text=text_field(event.get("text"))[:MAX_TEXT],
        ts=text_field(event.get("ts")) or None,
        thread_ts=text_field(event.get("thread_ts")) or None,
        inner_user_id=text_field(inner.get("user")) or None,
        inner_bot_id=text_field(inner.get("bot_id")) or None,
        inner_text=text_field(inner.get("text"))[:MAX_TEXT],
        inner_ts=text_field(inner.get("ts")) or None,
        inner_thread_ts=text_field(inner.get("thread_ts")) or None,
        deleted_ts=text_field(event.get("deleted_ts")) or None,
    )


async def accept_fast(listeners: Listeners, body: dict[str, Any], is_json: bool) -> str | None:
    """The same hand-over as the Bolt listener below, for the HTTP edge to call without
    Bolt's dispatch: "" (a bare ack) when the body was a message event, else None."""
    event = body.get("event")
    if not is_json or body.get("type") != "event_callback" or not isinstance(event, dict):
        return None
    if event.get("type") != "message":
        return None
    request = message_event(body, event)
    if request.channel_id:
        await listeners.intake.accept(request, body)
    return ""


def register(app: AsyncApp, listeners: Listeners) -> None:
    @app.event("message")
    async def on_message_event(body: dict[str, Any], event: dict[str, Any]) -> None:
        request = message_event(body, event)
        if not request.channel_id:
            return
        # A retried delivery of a recorded event id is dropped by the inbox.
        await listeners.intake.accept(request, body)
