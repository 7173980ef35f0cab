from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncApp

from handlers.events import app_home, messages

if TYPE_CHECKING:
    from handlers import Listeners

EVENTS = messages.EVENTS + app_home.EVENTS


def register(app: AsyncApp, listeners: Listeners) -> None:
    messages.register(app, listeners)
    app_home.register(app, listeners)
