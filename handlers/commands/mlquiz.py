"""`/mlquiz [subcommand]`: ack at once, then run the subcommand in the background."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.usecases.commands import SlashCommand, run_command
from bot.usecases.context import AppContext
from bot.usecases.replies import reply_for

COMMAND = "/mlquiz"


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.command(COMMAND)
    async def handle_mlquiz(ack, command, respond):
        await ack()
        request = SlashCommand(
            team_id=command.get("team_id", ""),
            user_id=command["user_id"],
            channel_id=command.get("channel_id", ""),
            text=command.get("text", ""),
        )
        reply = reply_for(ctx, respond, command.get("response_url"))
        ctx.tasks.spawn(run_command(ctx, request, reply), name="slash:/mlquiz")
