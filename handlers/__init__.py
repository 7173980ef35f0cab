"""Slack listeners, registered by kind. Each turns the payload into a typed request,
records it in the inbox (durable) and only then acks; the inbox worker runs the use
case. Opening a modal cannot wait (its trigger lasts three seconds): those listeners
ack and start it at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.ports.inbox import Background, Intake
from bot.usecases.deps import Deps
from handlers import actions, commands, events, views
from handlers.commands import mlquiz
from handlers.events import messages

# The manifest test checks these are all declared in app_manifest.yml.
REGISTERED_COMMANDS = commands.COMMANDS
REGISTERED_EVENTS = events.EVENTS


@dataclass(frozen=True)
class Listeners:
    """What every listener hands work to."""

    deps: Deps
    intake: Intake
    background: Background


def fast_paths(listeners: Listeners) -> Callable[[dict[str, Any], bool], Awaitable[str | None]]:
    """The listeners the HTTP edge calls without Bolt's dispatch: thread replies and
    `/mlquiz` arrive by the hundred, and need none of its machinery."""

    async def accept(body: dict[str, Any], is_json: bool) -> str | None:
        acked = await messages.accept_fast(listeners, body, is_json)
        if acked is None:
            acked = await mlquiz.accept_fast(listeners, body, is_json)
        return acked

    return accept


def register_listeners(app: AsyncApp, listeners: Listeners) -> None:
    commands.register(app, listeners)
    events.register(app, listeners)
    actions.register(app, listeners)
    views.register(app, listeners)
