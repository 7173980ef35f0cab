from slack_bolt.async_app import AsyncApp

from bot.jobs.tasks import BackgroundTasks
from bot.usecases.deps import Deps
from handlers.events import app_home, messages

EVENTS = messages.EVENTS + app_home.EVENTS


def register(app: AsyncApp, deps: Deps, tasks: BackgroundTasks) -> None:
    messages.register(app, deps, tasks)
    app_home.register(app, deps, tasks)
