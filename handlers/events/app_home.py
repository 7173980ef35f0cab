"""App Home: publish the user's dashboard whenever they open the Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.jobs.tasks import BackgroundTasks
from bot.usecases.deps import Deps
from bot.usecases.info import publish_home
from handlers.payload import text_field

EVENTS = ("app_home_opened",)


def register(app: AsyncApp, deps: Deps, tasks: BackgroundTasks) -> None:
    @app.event("app_home_opened")
    async def on_home_opened(body: dict[str, Any], event: dict[str, Any]) -> None:
        user = text_field(event.get("user"))
        if event.get("tab", "home") != "home" or not user:
            return
        tasks.spawn(
            publish_home(deps, team_id=text_field(body.get("team_id")), user_id=user),
            name="home:publish",
        )
