"""The in-process scheduler: posts due questions, reveals, and sends weekly recaps.

Every unit of work is claimed in the database before it is done (a unique row per
schedule, local date and kind), so a restart or a second process never does it twice;
failures are recorded on the claim, shown in `/mlquiz config`, and retried on later
ticks."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.schedule import due_slots, recap_due, slot_datetime
from bot.usecases import daily, recap
from bot.usecases.admin import spec_of
from bot.usecases.context import AppContext

log = logging.getLogger("mlquiz.scheduler")
CLAIM_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 30


@dataclass
class TickReport:
    posted: list[int] = field(default_factory=list)
    revealed: list[int] = field(default_factory=list)
    recaps: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Scheduler:
    def __init__(self, ctx: AppContext, *, owner: str = "") -> None:
        self.ctx = ctx
        self.owner = owner or default_owner()
        self.grace = timedelta(minutes=ctx.settings.catch_up_grace_minutes)
        self.tick_seconds = ctx.settings.scheduler_tick_seconds
        self._stopping = asyncio.Event()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="scheduler")

    async def stop(self) -> None:
        """Let the current tick finish, then stop."""
        self._stopping.set()
        if self._task is not None:
            with suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.tick()
            except Exception:
                log.exception("scheduler tick failed")
            with suppress(TimeoutError):
                async with asyncio.timeout(self.tick_seconds):
                    await self._stopping.wait()

    async def tick(self) -> TickReport:
        now = self.ctx.now()
        report = TickReport()
        schedules = await self.ctx.store.schedules.active()
        for schedule in schedules:
            await self._post_due(schedule, now, report)
        # Reveals before recaps, so the recap day's own question is in its recap.
        await self._reveal_due(now, report)
        for schedule in schedules:
            await self._recap_due(schedule, now, report)
        return report

    async def _post_due(self, schedule, now: datetime, report: TickReport) -> None:
        spec = spec_of(schedule)
        claims = self.ctx.store.claims
        last_done = await claims.last_slot_date(schedule.id, "post")
        decision = due_slots(
            spec,
            now=now,
            last_done_date=last_done,
            grace=self.grace,
            not_before=schedule.created_at,
        )
        for slot in decision.skipped:
            log.warning(
                "skipping missed slot %s of schedule %d in %s: older than the %s grace window",
                slot.local_date,
                schedule.id,
                schedule.channel_id,
                self.grace,
            )
            await claims.record_skipped(
                schedule.team_id, schedule.id, slot.local_date, "post", owner=self.owner, now=now
            )
            report.skipped.append(f"{schedule.channel_id}:{slot.local_date}")
        if decision.run is not None:
            claimed = await claims.try_claim(
                schedule.id,
                decision.run.local_date,
                "post",
                owner=self.owner,
                now=now,
            )
            if claimed:
                await self._post(schedule, spec, decision.run.local_date, now, report)
        for claim in await claims.retryable(
            schedule.id, "post", now=now, lease=CLAIM_LEASE, max_attempts=MAX_ATTEMPTS
        ):
            if now - slot_datetime(spec, claim.slot_date) > self.grace:
                continue  # too late to be worth posting; it stays visible as failed
            if await claims.reclaim(claim.id, owner=self.owner, now=now, lease=CLAIM_LEASE):
                await self._post(schedule, spec, claim.slot_date, now, report)

    async def _post(self, schedule, spec, slot_date, now, report: TickReport) -> None:
        claims = self.ctx.store.claims
        try:
            post = await daily.post_question(
                self.ctx,
                team_id=schedule.team_id,
                channel_id=schedule.channel_id,
                spec=spec,
                schedule_id=schedule.id,
                slot_date=slot_date,
                now=now,
            )
        except Exception as exc:
            error = daily.describe_error(exc)
            log.error("posting slot %s in %s failed: %s", slot_date, schedule.channel_id, error)
            await claims.fail(schedule.id, slot_date, "post", error=error, now=now)
            report.failed.append(f"post:{schedule.channel_id}:{slot_date}")
            return
        await claims.complete(schedule.id, slot_date, "post", now=now)
        report.posted.append(post.id)

    async def _reveal_due(self, now: datetime, report: TickReport) -> None:
        for post in await self.ctx.store.posts.due_for_reveal(now):
            if post.kind != "channel":
                continue
            try:
                if await daily.reveal_post(self.ctx, post, owner=self.owner):
                    report.revealed.append(post.id)
            except Exception as exc:
                log.error("reveal of post %d failed: %s", post.id, daily.describe_error(exc))
                report.failed.append(f"reveal:{post.id}")

    async def _recap_due(self, schedule, now: datetime, report: TickReport) -> None:
        spec = spec_of(schedule)
        claims = self.ctx.store.claims
        last = await claims.last_slot_date(schedule.id, "recap")
        recap_date = recap_due(
            spec, now=now, last_recap_date=last, not_before=schedule.created_at, grace=self.grace
        )
        if recap_date is None:
            return
        if not await claims.try_claim(schedule.id, recap_date, "recap", owner=self.owner, now=now):
            return
        try:
            await recap.send_recap(self.ctx, schedule, spec, recap_date, now)
        except Exception as exc:
            await claims.fail(
                schedule.id, recap_date, "recap", error=daily.describe_error(exc), now=now
            )
            report.failed.append(f"recap:{schedule.channel_id}:{recap_date}")
            return
        await claims.complete(schedule.id, recap_date, "recap", now=now)
        report.recaps.append(schedule.id)
