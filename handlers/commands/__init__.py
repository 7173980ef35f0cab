from slack_bolt.async_app import AsyncApp

from bot.jobs.tasks import BackgroundTasks
from bot.usecases.deps import Deps
from handlers.commands import mlquiz

COMMANDS = (mlquiz.COMMAND,)


def register(app: AsyncApp, deps: Deps, tasks: BackgroundTasks) -> None:
    mlquiz.register(app, deps, tasks)
