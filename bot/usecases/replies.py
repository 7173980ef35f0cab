"""How a use case talks back to the person who asked, whatever the entry point."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.blocks import Message

# Replies that concern only the caller are ephemeral (slash commands, buttons) or DMs.
Reply = Callable[[Message], Awaitable[None]]


def bolt_reply(respond) -> Reply:
    """Wrap Bolt's `respond` (the request's response_url) as an ephemeral reply."""

    async def reply(message: Message) -> None:
        await respond(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=False,
        )

    return reply


def ephemeral_reply(client, *, channel: str, user: str) -> Reply:
    async def reply(message: Message) -> None:
        await client.chat_postEphemeral(channel=channel, user=user, **message.as_kwargs())

    return reply
