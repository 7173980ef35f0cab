from slack_bolt.async_app import AsyncApp

from bot.usecases.context import AppContext
from handlers.events import app_home, messages

EVENTS = messages.EVENTS + app_home.EVENTS


def register(app: AsyncApp, ctx: AppContext) -> None:
    messages.register(app, ctx)
    app_home.register(app, ctx)
