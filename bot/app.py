"""Bootstrap: the one place that wires settings, storage, bank, grader and Slack together."""

from __future__ import annotations

import logging
import random

from slack_bolt.async_app import AsyncApp

from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.slack_client import build_web_client
from bot.tasks import BackgroundTasks
from bot.usecases.context import AppContext
from handlers import register_listeners
from questionbank.loader import Bank

log = logging.getLogger("mlquiz.app")


def build_context(
    settings: Settings,
    *,
    store,
    bank: Bank,
    clock: Clock = system_clock,
    rng: random.Random | None = None,
    client=None,
    http=None,
) -> AppContext:
    if client is None:
        if settings.slack_bot_token is None:
            raise ValueError("SLACK_BOT_TOKEN is required to talk to Slack or the stand-in")
        client = build_web_client(
            settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_url,
            max_retries=settings.slack_max_retries,
            backoff_seconds=settings.slack_retry_backoff_seconds,
            session=http,
        )
    return AppContext(
        settings=settings,
        store=store,
        bank=bank,
        client=client,
        clock=clock,
        tasks=BackgroundTasks(),
        rng=rng or random.Random(),
        http=http,
    )


def build_app(settings: Settings, ctx: AppContext) -> AsyncApp:
    """A Bolt app with every listener registered against `ctx`.

    `process_before_response=True` makes Bolt answer as soon as the listener returns,
    instead of polling for the ack every 10 ms; listeners ack and hand slow work to
    `ctx.tasks`, so Slack's 3-second limit is met with room to spare."""
    signing_secret = settings.slack_signing_secret
    app = AsyncApp(
        client=ctx.client,
        signing_secret=signing_secret.get_secret_value() if signing_secret else None,
        process_before_response=True,
        request_verification_enabled=signing_secret is not None,
        logger=logging.getLogger("mlquiz.bolt"),
    )
    register_listeners(app, ctx)

    @app.error
    async def on_error(error, body):
        log.error("listener error: %s", type(error).__name__, exc_info=error)

    return app


async def identify_bot(ctx: AppContext) -> None:
    """Learn the bot's own ids so its messages are never taken for answers."""
    response = await ctx.client.auth_test()
    ctx.bot_user_id = response.get("user_id", "")
    ctx.team_id = response.get("team_id", "")
