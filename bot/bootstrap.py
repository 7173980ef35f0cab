"""The composition root: the one place that builds and wires everything.

settings -> question bank -> storage -> Slack gateways -> use-case dependencies ->
outbox delivery and heartbeat -> Bolt app and listeners -> scheduler -> HTTP server
(or Socket Mode, from `mlquiz serve`). Nothing else constructs adapters."""

from __future__ import annotations

import errno
import gc
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock, shifted_clock, system_clock
from bot.config import Settings
from bot.core.leases import LeasePolicy
from bot.jobs.delivery import Deliverer
from bot.jobs.inbox import InboxWorker, InboxWriter
from bot.jobs.liveness import Liveness, new_owner
from bot.jobs.scheduler import Scheduler
from bot.jobs.tasks import BackgroundTasks
from bot.jobs.traffic import Traffic
from bot.ports.slack import Forbidden, SlackError, SlackUnavailable
from bot.slack.gateway import SingleWorkspace
from bot.slack.http import HttpServer, build_web_app, wait_for_shutdown_signal
from bot.slack.responder import WebhookResponder
from bot.slack.webclient import build_web_client
from bot.storage.sqlite.database import Database, DatabaseUnusable
from bot.storage.sqlite.storage import SqliteStorage
from bot.usecases.deps import Deps
from handlers import Listeners, fast_paths, register_listeners
from questionbank.loader import Bank, load_bank

log = logging.getLogger("mlquiz.bootstrap")
SHUTDOWN_GRACE_SECONDS = 10.0
# At start-up Slack either answers quickly or the problem is named: no long retries.
STARTUP_SLACK_TIMEOUT_SECONDS = 4


class StartupError(Exception):
    """The app cannot start; the message is one line naming the problem."""


@dataclass
class Runtime:
    """A running app: what `mlquiz serve`, the sandbox and the tests hold on to."""

    settings: Settings
    storage: SqliteStorage
    deps: Deps
    bolt: AsyncApp
    tasks: BackgroundTasks
    deliverer: Deliverer
    worker: InboxWorker
    liveness: Liveness
    session: aiohttp.ClientSession
    scheduler: Scheduler | None = None
    http: HttpServer | None = None
    socket_mode: AsyncSocketModeHandler | None = None
    url: str = ""

    async def settle(self, timeout: float = 60.0) -> None:
        """Wait until the work handed to the background (and its messages) is done."""
        await self.tasks.wait_idle(timeout)

    async def stop(self) -> None:
        """Stop taking requests, let in-flight work finish, then close the database."""
        if self.http is not None:
            await self.http.stop()
        if self.socket_mode is not None:
            await self.socket_mode.close_async()
        if self.scheduler is not None:
            await self.scheduler.stop()
        await self.tasks.drain(SHUTDOWN_GRACE_SECONDS)
        await self.liveness.stop()
        await self.session.close()
        await self.storage.close()
        log.info("stopped cleanly")


def build_bolt_app(settings: Settings, client: AsyncWebClient, listeners: Listeners) -> AsyncApp:
    """A Bolt app with every listener registered.

    `process_before_response=True` makes Bolt answer as soon as the listener returns,
    instead of polling for the ack every 10 ms; listeners ack and hand slow work to
    the background, so Slack's 3-second limit is met with room to spare."""
    bolt_log = logging.getLogger("mlquiz.bolt")
    level = bolt_log.level
    # Bolt warns that SLACK_BOT_TOKEN from the environment goes unused when a client
    # is given; it is the same token, already in the client.
    bolt_log.setLevel(logging.ERROR)
    app = AsyncApp(
        client=client,
        process_before_response=True,
        # The HTTP edge (`bot.slack.http`) verifies every request's signature before
        # Bolt sees it; Socket Mode requests come over Slack's own authenticated socket.
        request_verification_enabled=False,
        # Middleware this app has no use for, each paid on every request: the use cases
        # skip the bot's own messages, and nothing here uses assistant threads, workflow
        # function tokens or conversation kwargs.
        ignoring_self_events_enabled=False,
        ignoring_self_assistant_message_events_enabled=False,
        attaching_function_token_enabled=False,
        attaching_conversation_kwargs_enabled=False,
        logger=bolt_log,
    )
    bolt_log.setLevel(level)
    register_listeners(app, listeners)

    @app.error
    async def on_error(error: Exception) -> None:
        log.error("listener error: %s", type(error).__name__, exc_info=error)

    return app


async def open_storage(path: Path, *, migrate: bool = True) -> SqliteStorage:
    return await SqliteStorage.open(path, migrate=migrate)


async def open_database(path: Path, *, migrate: bool = True) -> Database:
    """The raw SQLite database, for `mlquiz db` maintenance commands."""
    return await Database.open(path, migrate=migrate)


def load_question_bank(settings: Settings) -> Bank:
    bank = load_bank(settings.bank_dirs)
    for error in bank.errors:
        log.error("question bank: %s", error)
    return bank


async def start_runtime(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    rng: random.Random | None = None,
    serve_http: bool = True,
    run_scheduler: bool = True,
    owner: str | None = None,
) -> Runtime:
    if settings.slack_bot_token is None:
        raise ValueError("SLACK_BOT_TOKEN is required to talk to Slack or the stand-in")
    bank = load_question_bank(settings)
    try:
        storage = await open_storage(settings.database_path)
    except DatabaseUnusable as exc:
        raise StartupError(f"database: {exc}") from exc
    session = aiohttp.ClientSession()
    try:
        token = settings.slack_bot_token.get_secret_value()
        client = build_web_client(
            token,
            base_url=settings.slack_api_url,
            max_retries=settings.slack_max_retries,
            backoff_seconds=settings.slack_retry_backoff_seconds,
            session=session,
        )
        probe = build_web_client(
            token,
            base_url=settings.slack_api_url,
            max_retries=1,
            backoff_seconds=0.2,
            timeout_seconds=STARTUP_SLACK_TIMEOUT_SECONDS,
            session=session,
        )
        workspaces = await _connect(client, probe, settings.slack_api_url)
    except BaseException:
        await session.close()
        await storage.close()
        raise
    deps = Deps(
        storage=storage,
        slack=workspaces,
        bank=bank,
        clock=clock,
        rng=rng or random.Random(),
        admin_user_ids=frozenset(settings.admin_user_ids),
        leases=LeasePolicy(),
        owner=owner or new_owner(),
        reply_hosts=frozenset({"hooks.slack.com", urlsplit(settings.slack_api_url).netloc}),
    )
    tasks = BackgroundTasks()
    responder = WebhookResponder(
        session,
        max_retries=min(2, settings.slack_max_retries),
        backoff_seconds=settings.slack_retry_backoff_seconds,
    )
    traffic = Traffic()
    deliverer = Deliverer(deps, responder, tasks, traffic=traffic)
    storage.on_new_messages(deliverer.wake)
    worker = InboxWorker(deps, tasks, traffic=traffic)
    intake = InboxWriter(deps, worker)
    liveness = Liveness(deps)
    await liveness.start()
    listeners = Listeners(deps=deps, intake=intake, background=tasks)
    bolt = build_bolt_app(settings, client, listeners)
    runtime = Runtime(
        settings=settings,
        storage=storage,
        deps=deps,
        bolt=bolt,
        tasks=tasks,
        deliverer=deliverer,
        worker=worker,
        liveness=liveness,
        session=session,
    )
    if run_scheduler:
        runtime.scheduler = Scheduler(
            deps,
            deliverer,
            worker,
            liveness,
            grace=timedelta(minutes=settings.catch_up_grace_minutes),
            tick_seconds=settings.scheduler_tick_seconds,
        )
        runtime.scheduler.start()
    # Requests a crash left unprocessed run now, in arrival order; messages it left
    # unsent (or half-sent) go out, reconciled first.
    tasks.spawn(worker.drain(), name="inbox:resume")
    tasks.spawn(deliverer.deliver_due(), name="delivery:resume")
    # Everything loaded so far (bank, Bolt, grader tables) lives as long as the process:
    # moving it out of the collector's reach keeps full collections, and the pauses they
    # put in front of acks, short.
    gc.collect()
    gc.freeze()
    if serve_http:
        runtime.http = HttpServer(
            build_web_app(
                bolt,
                signing_secret=(
                    settings.slack_signing_secret.get_secret_value()
                    if settings.slack_signing_secret
                    else None
                ),
                health=storage.healthy,
                fast_events=fast_paths(listeners),
                traffic=traffic,
            ),
            host=settings.host,
            port=settings.port,
        )
        try:
            runtime.url = await runtime.http.start()
        except OSError as exc:
            await runtime.stop()
            raise StartupError(
                f"cannot listen on {settings.host}:{settings.port}: "
                + ("the port is already in use" if exc.errno == errno.EADDRINUSE else str(exc))
            ) from exc
        log.info("listening on %s/slack/events (%d questions)", runtime.url, len(bank))
    return runtime


async def _connect(client: AsyncWebClient, probe: AsyncWebClient, url: str) -> SingleWorkspace:
    try:
        return await SingleWorkspace.connect(client, probe=probe)
    except SlackUnavailable as exc:
        raise StartupError(f"cannot reach Slack at {url} ({exc.code})") from exc
    except Forbidden as exc:
        raise StartupError(
            f"Slack refused SLACK_BOT_TOKEN ({exc.code}): check the bot token"
        ) from exc
    except SlackError as exc:
        raise StartupError(f"Slack answered auth.test with an error ({exc.code})") from exc


async def serve(
    settings: Settings,
    *,
    socket_mode: bool,
    on_started: Callable[[Runtime], None] | None = None,
) -> None:
    """Serve Slack until SIGTERM or SIGINT: over Socket Mode (an app-level token, no
    public URL) or over HTTP (`/slack/events`, `/healthz`)."""
    runtime = await start_runtime(
        settings, clock=shifted_clock(settings.clock_offset_seconds), serve_http=not socket_mode
    )
    try:
        if socket_mode:
            assert settings.slack_app_token is not None
            runtime.socket_mode = AsyncSocketModeHandler(
                runtime.bolt, settings.slack_app_token.get_secret_value()
            )
            await runtime.socket_mode.connect_async()
            log.info("connected to Slack over Socket Mode")
        if on_started is not None:
            on_started(runtime)
        await wait_for_shutdown_signal()
    finally:
        await runtime.stop()
