"""The in-process scheduler: posts due questions, reveals, sends weekly recaps, and
retries messages whose backoff has passed.

Every unit of work takes a lease in the database before it is done (one key per
schedule, local date and kind, or per post for reveals), so a restart or a second
process never does it twice; failures are recorded on the lease, shown in
`/mlquiz config`, and retried on later ticks."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.core.leases import slot_key
from bot.core.records import Schedule
from bot.core.schedule import (
    ScheduleSpec,
    due_slots,
    recap_datetime,
    recap_due,
    slot_datetime,
    spec_of,
)
from bot.jobs.delivery import Deliverer
from bot.jobs.inbox import InboxWorker
from bot.jobs.liveness import Liveness
from bot.usecases import posting, recap, reveal
from bot.usecases.deps import Deps
from bot.usecases.panels import kits as panel_kits
from bot.usecases.panels import progress as panel_progress
from bot.usecases.panels import purge as panel_purge
from bot.usecases.panels import reminders as panel_reminders
from bot.usecases.panels import rooms as panel_rooms

log = logging.getLogger("mlquiz.scheduler")
HOUSEKEEPING_EVERY = timedelta(hours=1)
KEEP_SENT_MESSAGES = timedelta(days=7)
KEEP_PROCESSES = timedelta(days=1)
# Slack retries an event for about an hour: a day of event ids is a wide margin.
KEEP_REQUESTS = timedelta(days=1)


@dataclass
class TickReport:
    posted: list[int] = field(default_factory=list)
    revealed: list[int] = field(default_factory=list)
    recaps: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class Scheduler:
    def __init__(
        self,
        deps: Deps,
        deliverer: Deliverer,
        inbox: InboxWorker,
        liveness: Liveness,
        *,
        grace: timedelta,
        tick_seconds: float,
    ) -> None:
        self.deps = deps
        self.deliverer = deliverer
        self.inbox = inbox
        self.liveness = liveness
        self.grace = grace
        self.tick_seconds = tick_seconds
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._next_housekeeping: datetime | None = None

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
        now = self.deps.now()
        report = TickReport()
        await self.liveness.beat()
        async with self.deps.storage.reading() as uow:
            schedules = await uow.schedules.active()
        for schedule in schedules:
            await self._post_due(schedule, now, report)
        # Reveals before recaps, so the recap day's own question is in its recap.
        await self._reveal_due(now, report)
        for schedule in schedules:
            await self._recap_due(schedule, now, report)
        await self._panels(report)
        await self.inbox.drain()
        await self.deliverer.deliver_due()
        await self._housekeeping(now)
        return report

    async def _post_due(self, schedule: Schedule, now: datetime, report: TickReport) -> None:
        spec = spec_of(schedule)
        async with self.deps.storage.reading() as uow:
            last_done = await uow.leases.last_slot_date(schedule.id, "post")
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
            async with self.deps.storage.transaction() as uow:
                await uow.leases.skip(
                    slot_key("post", schedule.id, slot.local_date),
                    team_id=schedule.team_id,
                    kind="post",
                    owner=self.deps.owner,
                    now=now,
                    schedule_id=schedule.id,
                    slot_date=slot.local_date,
                )
            report.skipped.append(f"{schedule.channel_id}:{slot.local_date}")
        slots = [decision.run.local_date] if decision.run is not None else []
        async with self.deps.storage.reading() as uow:
            retryable = await uow.leases.retryable(
                schedule.id, "post", now=now, policy=self.deps.leases
            )
        slots += [
            lease.slot_date
            for lease in retryable
            if lease.slot_date is not None
            and now - slot_datetime(spec, lease.slot_date) <= self.grace
        ]
        for slot_date in dict.fromkeys(slots):
            if await self._take(schedule, "post", slot_date, now):
                await self._post(schedule, spec, slot_date, now, report)

    async def _take(self, schedule: Schedule, kind: str, slot_date: date, now: datetime) -> bool:
        async with self.deps.storage.transaction() as uow:
            return await uow.leases.take(
                slot_key(kind, schedule.id, slot_date),
                team_id=schedule.team_id,
                kind=kind,
                owner=self.deps.owner,
                now=now,
                policy=self.deps.leases,
                schedule_id=schedule.id,
                slot_date=slot_date,
            )

    async def _finish(
        self, schedule: Schedule, kind: str, slot_date: date, error: str | None = None
    ) -> None:
        async with self.deps.storage.transaction() as uow:
            await uow.leases.finish(
                slot_key(kind, schedule.id, slot_date),
                owner=self.deps.owner,
                now=self.deps.now(),
                error=error,
            )

    async def _post(
        self,
        schedule: Schedule,
        spec: ScheduleSpec,
        slot_date: date,
        now: datetime,
        report: TickReport,
    ) -> None:
        try:
            post = await posting.post_question(
                self.deps,
                team_id=schedule.team_id,
                channel_id=schedule.channel_id,
                spec=spec,
                schedule_id=schedule.id,
                slot_date=slot_date,
                now=now,
                # Not worth posting once the catch-up window of its slot has passed.
                expires_at=slot_datetime(spec, slot_date) + self.grace,
            )
        except Exception as exc:
            error = reveal.describe_error(exc)
            log.error("posting slot %s in %s failed: %s", slot_date, schedule.channel_id, error)
            await self._finish(schedule, "post", slot_date, error)
            report.failed.append(f"post:{schedule.channel_id}:{slot_date}")
            return
        await self._finish(schedule, "post", slot_date)
        report.posted.append(post.id)

    async def _reveal_due(self, now: datetime, report: TickReport) -> None:
        async with self.deps.storage.reading() as uow:
            due = await uow.posts.due_for_reveal(now)
        for post in due:
            if post.kind != "channel":
                continue
            try:
                done = await reveal.reveal_post(self.deps, post, owner=self.deps.owner)
            except Exception as exc:
                log.error("reveal of post %d failed: %s", post.id, reveal.describe_error(exc))
                report.failed.append(f"reveal:{post.id}")
                continue
            if done.outcome is reveal.RevealOutcome.REVEALED:
                report.revealed.append(post.id)

    async def _recap_due(self, schedule: Schedule, now: datetime, report: TickReport) -> None:
        spec = spec_of(schedule)
        async with self.deps.storage.reading() as uow:
            last = await uow.leases.last_slot_date(schedule.id, "recap")
        recap_date = recap_due(
            spec, now=now, last_recap_date=last, not_before=schedule.created_at, grace=self.grace
        )
        if recap_date is None:
            # A recap whose attempt failed, or whose process died, is tried again (its
            # message key makes a second attempt the same message).
            async with self.deps.storage.reading() as uow:
                retryable = await uow.leases.retryable(
                    schedule.id, "recap", now=now, policy=self.deps.leases
                )
            recap_date = next(
                (
                    lease.slot_date
                    for lease in retryable
                    if lease.slot_date is not None
                    and now - recap_datetime(spec, lease.slot_date) <= self.grace
                ),
                None,
            )
        if recap_date is None or not await self._take(schedule, "recap", recap_date, now):
            return
        try:
            await recap.send_recap(self.deps, schedule, spec, recap_date, now)
        except Exception as exc:
            await self._finish(schedule, "recap", recap_date, reveal.describe_error(exc))
            report.failed.append(f"recap:{schedule.channel_id}:{recap_date}")
            return
        await self._finish(schedule, "recap", recap_date)
        report.recaps.append(schedule.id)

    async def _panels(self, report: TickReport) -> None:
        """Interview panels' timed work. Each step is exactly once on its own terms
        (a lease for rooms, a conditional status change committed with the message
        for the rest), so one failing step does not stop the others."""
        steps = (
            ("panel rooms", panel_rooms.open_rooms),
            ("panel reminders", panel_reminders.send_due_reminders),
            ("panel packets", panel_progress.open_due_packets),
            ("panel kits", panel_kits.redact_kits),
            ("panel retention", panel_purge.purge_expired),
            ("panel purges", panel_purge.finish_purges),
        )
        for name, step in steps:
            try:
                await step(self.deps)
            except Exception as exc:
                log.exception("%s failed", name)
                report.failed.append(f"{name}: {reveal.describe_error(exc)}")

    async def _housekeeping(self, now: datetime) -> None:
        if self._next_housekeeping is not None and now < self._next_housekeeping:
            return
        self._next_housekeeping = now + HOUSEKEEPING_EVERY
        async with self.deps.storage.transaction() as uow:
            await uow.outbox.forget_sent_before(now - KEEP_SENT_MESSAGES)
            await uow.processes.forget_before(now - KEEP_PROCESSES)
            await uow.inbox.forget_done_before(now - KEEP_REQUESTS)
