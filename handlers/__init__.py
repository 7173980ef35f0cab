"""Slack listeners, registered by kind. Each acks first, turns the payload into typed
values and hands them to one use case in the background."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp

from bot.jobs.tasks import BackgroundTasks
from bot.usecases.deps import Deps
from handlers import actions, commands, events, views

# The manifest test checks these are all declared in app_manifest.yml.
REGISTERED_COMMANDS = commands.COMMANDS
REGISTERED_EVENTS = events.EVENTS


@dataclass(frozen=True)
class Listeners:
    """What every listener hands work to."""

    deps: Deps
    tasks: BackgroundTasks


def register_listeners(app: AsyncApp, listeners: Listeners) -> None:
    commands.register(app, listeners.deps, listeners.tasks)
    events.register(app, listeners.deps, listeners.tasks)
    actions.register(app, listeners.deps, listeners.tasks)
    views.register(app, listeners.deps, listeners.tasks)
