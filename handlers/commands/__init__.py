from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncApp

from handlers.commands import mlquiz

if TYPE_CHECKING:
    from handlers import Listeners

COMMANDS = (mlquiz.COMMAND,)


def register(app: AsyncApp, listeners: Listeners) -> None:
    mlquiz.register(app, listeners)
