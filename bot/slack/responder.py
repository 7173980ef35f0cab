"""Replies through an interaction's response_url, on the app's shared HTTP session."""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.ports.slack import Message, NotFound, Responder, SlackError, SlackUnavailable
from bot.slack.webclient import retry_handlers_for


class WebhookResponder(Responder):
    def __init__(
        self,
        session: aiohttp.ClientSession | None,
        *,
        max_retries: int = 2,
        backoff_seconds: float = 0.5,
        timeout_seconds: int = 10,
    ) -> None:
        self.session = session
        self.retry_handlers = retry_handlers_for(max_retries, backoff_seconds)
        self.timeout = timeout_seconds

    async def respond(self, url: str, message: Message) -> None:
        body: dict[str, Any] = {
            "text": message.text,
            "response_type": "ephemeral",
            "replace_original": False,
        }
        if message.blocks:
            body["blocks"] = message.blocks
        webhook = AsyncWebhookClient(
            url, session=self.session, timeout=self.timeout, retry_handlers=self.retry_handlers
        )
        try:
            response = await webhook.send_dict(body)
        except Exception as exc:
            raise SlackUnavailable(type(exc).__name__) from exc
        status = response.status_code
        if status >= 500 or status == 429:
            raise SlackUnavailable(f"http_{status}")
        if status in (404, 410):
            # Expired (30 minutes) or used up: nobody can be answered through it any more.
            raise NotFound(f"http_{status}", _short(response.body))
        if status >= 400:
            raise SlackError(f"http_{status}", _short(response.body))


def _short(body: str | None) -> str:
    return (body or "")[:200]
