"""App Home: publish the user's dashboard whenever they open the Home tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from bot.ports.requests import HomeOpened
from handlers.payload import text_field

if TYPE_CHECKING:
    from handlers import Listeners

EVENTS = ("app_home_opened",)


def register(app: AsyncApp, listeners: Listeners) -> None:
    @app.event("app_home_opened")
    async def on_home_opened(body: dict[str, Any], event: dict[str, Any]) -> None:
        user = text_field(event.get("user"))
        if event.get("tab", "home") != "home" or not user:
            return
        request = HomeOpened(team_id=text_field(body.get("team_id")), user_id=user)
        await listeners.intake.accept(request, body)
