"""`/mlquiz [subcommand]`: recorded in the inbox, acked, then run by the inbox worker."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.ports.requests import SlashCommand
from bot.slack.parser.panels import opens_modal
from bot.usecases.panels import commands as panel_commands
from handlers.payload import reply_to, text_field

if TYPE_CHECKING:
    from handlers import Listeners

COMMAND = "/mlquiz"
log = logging.getLogger("mlquiz.handlers")


def slash_command(command: dict[str, Any], reply_hosts: frozenset[str]) -> SlashCommand | None:
    user = text_field(command.get("user_id"))
    if not user:
        return None
    channel = text_field(command.get("channel_id"))
    return SlashCommand(
        team_id=text_field(command.get("team_id")),
        user_id=user,
        channel_id=channel,
        text=text_field(command.get("text"))[:4000],
        reply_to=reply_to(command, reply_hosts, channel_id=channel or None),
    )


NO_USER = "This command arrived without a user, so I can't answer it."


async def handle(listeners: Listeners, command: dict[str, Any]) -> str:
    """Record the command (or start its modal) and return the ack's text ("" for none)."""
    request = slash_command(command, listeners.deps.reply_hosts)
    if request is None:
        log.warning("slash command without a user: refused")
        return NO_USER
    if opens_modal(request.text):
        # A modal must be opened with the trigger within three seconds: right after the ack.
        listeners.background.spawn(
            panel_commands.open_from_command(
                listeners.deps, request, text_field(command.get("trigger_id"))
            ),
            name="command:panel-modal",
            urgent=True,
        )
        return ""
    await listeners.intake.accept(request, command)
    return ""


async def accept_fast(listeners: Listeners, body: dict[str, Any], is_json: bool) -> str | None:
    """`/mlquiz` without Bolt's dispatch (the HTTP edge's hot path); None for anything
    else."""
    if is_json or body.get("command") != COMMAND or "payload" in body:
        return None
    return await handle(listeners, body)


def register(app: AsyncApp, listeners: Listeners) -> None:
    @app.command(COMMAND)
    async def handle_mlquiz(ack: AsyncAck, command: dict[str, Any]) -> None:
        text = await handle(listeners, command)
        await ack(text=text) if text else await ack()
