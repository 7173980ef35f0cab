"""App Home: publish the user's dashboard whenever they open the Home tab."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.usecases.context import AppContext
from bot.usecases.info import publish_home

EVENTS = ("app_home_opened",)


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.event("app_home_opened")
    async def on_home_opened(body, event):
        if event.get("tab", "home") != "home":
            return
        ctx.tasks.spawn(
            publish_home(ctx, team_id=body.get("team_id", ""), user_id=event["user"]),
            name="home:publish",
        )
