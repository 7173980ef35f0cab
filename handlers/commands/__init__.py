from slack_bolt.async_app import AsyncApp

from bot.usecases.context import AppContext
from handlers.commands import mlquiz

COMMANDS = (mlquiz.COMMAND,)


def register(app: AsyncApp, ctx: AppContext) -> None:
    mlquiz.register(app, ctx)
