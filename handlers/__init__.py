"""Slack listeners, registered by kind. Each acks first and hands the work to a use case."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.usecases.context import AppContext
from handlers import actions, commands, events, views

# The manifest test checks these are all declared in app_manifest.yml.
REGISTERED_COMMANDS = commands.COMMANDS
REGISTERED_EVENTS = events.EVENTS


def register_listeners(app: AsyncApp, ctx: AppContext) -> None:
    commands.register(app, ctx)
    events.register(app, ctx)
    actions.register(app, ctx)
    views.register(app, ctx)
