"""Route `/mlquiz <subcommand>` to its use case."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.blocks.practice import plain
from bot.commands import (
    ADMIN_SUBCOMMANDS,
    ParsedCommand,
    UnknownCommand,
    parse_ask_args,
    parse_command,
)
from bot.slack_text import escape
from bot.usecases import admin, info, practice
from bot.usecases.context import AppContext
from bot.usecases.replies import Reply

log = logging.getLogger("mlquiz.commands")


@dataclass(frozen=True)
class SlashCommand:
    team_id: str
    user_id: str
    channel_id: str
    text: str


async def run_command(ctx: AppContext, request: SlashCommand, reply: Reply) -> None:
    try:
        await _dispatch(ctx, request, reply)
    except Exception:
        # The user gets a friendly line, never a stack trace; the log keeps the details.
        log.exception("/mlquiz %r failed", request.text[:100])
        await reply(plain("Sorry, something went wrong on our side. Please try again."))


async def _dispatch(ctx: AppContext, request: SlashCommand, reply: Reply) -> None:
    parsed = parse_command(request.text)
    if isinstance(parsed, UnknownCommand):
        hint = f"Did you mean `{parsed.suggestion}`? " if parsed.suggestion else ""
        await info.help_screen(
            ctx,
            reply=reply,
            prefix=f"I don't know `{escape(parsed.given)}`. {hint}Here is what I can do:",
        )
        return
    await _run(ctx, request, parsed, reply)


async def _run(ctx: AppContext, request: SlashCommand, parsed: ParsedCommand, reply: Reply) -> None:
    team, user = request.team_id, request.user_id
    match parsed.name:
        case "ask":
            await practice.ask(
                ctx, team_id=team, user_id=user, args=parse_ask_args(parsed.args), reply=reply
            )
        case "review":
            await practice.review(ctx, team_id=team, user_id=user, reply=reply)
        case "stats":
            await info.stats(ctx, team_id=team, user_id=user, args=parsed.args, reply=reply)
        case "leaderboard":
            await info.leaderboard(
                ctx,
                team_id=team,
                user_id=user,
                channel_id=request.channel_id,
                args=parsed.args,
                reply=reply,
            )
        case "topics":
            await info.topics(ctx, reply=reply)
        case "help":
            await info.help_screen(ctx, reply=reply)
        case name if name in ADMIN_SUBCOMMANDS:
            await admin.run(
                ctx,
                team_id=team,
                user_id=user,
                channel_id=request.channel_id,
                name=name,
                raw_args=parsed.raw_args,
                reply=reply,
            )
        case _:
            await info.help_screen(ctx, reply=reply)
