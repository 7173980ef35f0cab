"""How a use case talks back to the person who asked, whatever the entry point."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.webhook.async_client import AsyncWebhookClient

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


def response_url_reply(url: str, session, retry_handlers=None) -> Reply:
    """Ephemeral reply through the interaction's response_url, on the shared session."""
    webhook = AsyncWebhookClient(url, session=session, retry_handlers=retry_handlers)

    async def reply(message: Message) -> None:
        await webhook.send(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=False,
        )

    return reply


def reply_for(ctx, respond, response_url: str | None) -> Reply:
    """The cheapest way to answer this interaction that the context allows."""
    if response_url and ctx.http is not None:
        return response_url_reply(response_url, ctx.http)
    return bolt_reply(respond)
