"""Message events: thread replies and DMs are answers; edits replace, deletions withdraw."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.usecases.answers import handle_message_event
from bot.usecases.context import AppContext

# One Events API subscription per conversation type the app reads answers in.
EVENTS = ("message.channels", "message.groups", "message.im")


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.event("message")
    async def on_message(body, event):
        ctx.tasks.spawn(
            handle_message_event(
                ctx,
                team_id=body.get("team_id", ""),
                event_id=body.get("event_id"),
                event=event,
            ),
            name=f"event:{body.get('event_id')}",
        )
