"""Route `/mlquiz <subcommand>` to its use case."""

from __future__ import annotations

import logging

from bot.ports.requests import SlashCommand
from bot.slack.blocks import plain
from bot.slack.parser.commands import (
    ADMIN_SUBCOMMANDS,
    ParsedCommand,
    UnknownCommand,
    parse_ask_args,
    parse_command,
)
from bot.slack.parser.suggest import did_you_mean
from bot.slack.text import escape, truncate
from bot.usecases import admin, info, practice
from bot.usecases.deps import Deps, reply
from bot.usecases.panels import commands as panel_commands
from bot.usecases.panels import settings as panel_settings

log = logging.getLogger("mlquiz.commands")


async def run_command(deps: Deps, request: SlashCommand) -> None:
    try:
        await _dispatch(deps, request)
    except Exception:
        # The user gets a friendly line, never a stack trace; the log keeps the details.
        log.exception("/mlquiz %r failed", truncate(request.text, 200))
        await reply(
            deps,
            request.reply_to,
            plain("Sorry, something went wrong on our side. Please try again."),
        )


async def _dispatch(deps: Deps, request: SlashCommand) -> None:
    parsed = parse_command(request.text)
    if isinstance(parsed, UnknownCommand):
        hint = did_you_mean([parsed.suggestion] if parsed.suggestion else [])
        await info.help_screen(
            deps,
            reply_to=request.reply_to,
            prefix=f"I don't know `{escape(parsed.given)}`.{hint} Here is what I can do:",
        )
        return
    await _run(deps, request, parsed)


async def _run(deps: Deps, request: SlashCommand, parsed: ParsedCommand) -> None:
    team, user, to = request.team_id, request.user_id, request.reply_to
    match parsed.name:
        case "ask":
            await practice.ask(
                deps, team_id=team, user_id=user, args=parse_ask_args(parsed.args), reply_to=to
            )
        case "review":
            await practice.review(deps, team_id=team, user_id=user, reply_to=to)
        case "stats":
            await info.stats(deps, team_id=team, user_id=user, args=parsed.args, reply_to=to)
        case "leaderboard":
            await info.leaderboard(
                deps,
                team_id=team,
                user_id=user,
                channel_id=request.channel_id,
                args=parsed.args,
                reply_to=to,
            )
        case "topics":
            await info.topics(deps, reply_to=to)
        case "help":
            await info.help_screen(deps, reply_to=to)
        case "panel":
            await panel_commands.run(deps, request)
        case "config" if parsed.args and parsed.args[0].lower() == "panel":
            await panel_settings.configure(
                deps, team_id=team, user_id=user, args=parsed.args[1:], reply_to=to
            )
        case name if name in ADMIN_SUBCOMMANDS:
            await admin.run(
                deps,
                name,
                admin.AdminRequest(team, user, request.channel_id, parsed.raw_args, to),
            )
        case _:
            await info.help_screen(deps, reply_to=to)
