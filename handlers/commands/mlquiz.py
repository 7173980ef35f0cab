"""`/mlquiz [subcommand]`: ack at once, then run the subcommand in the background."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.jobs.tasks import BackgroundTasks
from bot.usecases.commands import run_command
from bot.usecases.deps import Deps
from bot.usecases.requests import SlashCommand
from handlers.payload import reply_to, text_field

COMMAND = "/mlquiz"
log = logging.getLogger("mlquiz.handlers")


def register(app: AsyncApp, deps: Deps, tasks: BackgroundTasks) -> None:
    @app.command(COMMAND)
    async def handle_mlquiz(ack: AsyncAck, command: dict[str, Any]) -> None:
        user = text_field(command.get("user_id"))
        if not user:
            log.warning("slash command without a user: ignored")
            await ack()
            return
        await ack()
        channel = text_field(command.get("channel_id"))
        request = SlashCommand(
            team_id=text_field(command.get("team_id")),
            user_id=user,
            channel_id=channel,
            text=text_field(command.get("text")),
            reply_to=reply_to(command, channel_id=channel or None),
        )
        tasks.spawn(run_command(deps, request), name="slash:/mlquiz")
