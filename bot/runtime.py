"""Start and stop everything a serving process runs, in the right order."""

from __future__ import annotations

import gc
import logging
import random
from dataclasses import dataclass

import aiohttp
from slack_bolt.async_app import AsyncApp

from bot.app import build_app, build_context, identify_bot
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.scheduler import Scheduler
from bot.server import HttpServer, build_web_app
from bot.storage import Database, Store
from bot.usecases.context import AppContext
from questionbank.loader import load_bank

log = logging.getLogger("mlquiz.runtime")
SHUTDOWN_GRACE_SECONDS = 10.0


@dataclass
class Runtime:
    settings: Settings
    db: Database
    ctx: AppContext
    bolt: AsyncApp
    scheduler: Scheduler | None = None
    http: HttpServer | None = None
    url: str = ""

    async def stop(self) -> None:
        """Stop taking requests, let in-flight work finish, then close the database."""
        if self.http is not None:
            await self.http.stop()
        if self.scheduler is not None:
            await self.scheduler.stop()
        await self.ctx.tasks.drain(SHUTDOWN_GRACE_SECONDS)
        if self.ctx.http is not None:
            await self.ctx.http.close()
        await self.db.close()
        log.info("stopped cleanly")


async def start_runtime(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    rng: random.Random | None = None,
    serve_http: bool = True,
    run_scheduler: bool = True,
    owner: str = "",
) -> Runtime:
    bank = load_bank(settings.bank_dirs)
    for error in bank.errors:
        log.error("question bank: %s", error)
    db = await Database.open(settings.database_path)
    store = Store(db)
    http = aiohttp.ClientSession()
    ctx = build_context(settings, store=store, bank=bank, clock=clock, rng=rng, http=http)
    await identify_bot(ctx)
    bolt = build_app(settings, ctx)
    runtime = Runtime(settings=settings, db=db, ctx=ctx, bolt=bolt)
    if run_scheduler:
        runtime.scheduler = Scheduler(ctx, owner=owner)
        runtime.scheduler.start()
    # Everything loaded so far (bank, Bolt, grader tables) lives as long as the process:
    # moving it out of the collector's reach keeps full collections, and the pauses they
    # put in front of acks, short.
    gc.collect()
    gc.freeze()
    if serve_http:

        async def healthy() -> bool:
            try:
                return (await db.fetchone("SELECT 1")) is not None
            except Exception:
                return False

        runtime.http = HttpServer(
            build_web_app(bolt, health=healthy),
            host=settings.host,
            port=settings.port,
        )
        runtime.url = await runtime.http.start()
        log.info("listening on %s/slack/events (%d questions)", runtime.url, len(bank))
    return runtime
