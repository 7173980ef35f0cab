"""The inbox: Slack's requests recorded durably before the ack, then processed.

`InboxWriter.accept` is what a listener awaits before it acks: it records the request
(with the requests arriving at the same moment, in one transaction: a group commit)
and returns once that is committed. `InboxWorker` processes recorded requests in
arrival order per conversation; the use case's transaction that records the
request's outcome also marks it done (`Storage.processing`). A crash at any moment
leaves a request either untouched (processed again after the restart) or done.

Durability: the WAL is written before the ack, so an acknowledged request survives
the process dying (kill -9). With `synchronous=NORMAL` the WAL is not synced to disk
at each commit: a power loss or OS crash may lose the last moments of requests."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bot.core.records import InboxEntry, InboxRow
from bot.jobs.tasks import BackgroundTasks
from bot.jobs.traffic import NoTraffic, Traffic
from bot.ports.inbox import Intake
from bot.ports.requests import (
    REQUEST_KINDS,
    MessageEvent,
    ReplyTo,
    Request,
    conversation_of,
    kind_of,
)
from bot.slack.text import truncate
from bot.usecases import channel_answers, inbound
from bot.usecases.channel_answers import is_thread_reply
from bot.usecases.deps import Deps

log = logging.getLogger("mlquiz.inbox")
MAX_ATTEMPTS = 5
# Rows per batch: all that is due when no request waits for its ack, a few while some do.
BATCH = 32
PRESSED_BATCH = 4
RETRY_AFTER = timedelta(seconds=30)


def encode(request: Request) -> str:
    # Requests are flat dataclasses (a ReplyTo at most inside): their fields as they
    # are, without asdict's deep copy (which was a sizeable part of the ack's CPU).
    return json.dumps(request, default=vars, ensure_ascii=False, separators=(",", ":"))


def decode(kind: str, text: str) -> Request:
    fields = json.loads(text)
    if isinstance(fields.get("reply_to"), dict):
        fields["reply_to"] = ReplyTo(**fields["reply_to"])
    request: Request = REQUEST_KINDS[kind](**fields)
    return request


def entry_for(request: Request, payload: Mapping[str, Any]) -> InboxEntry:
    dedupe = request.event_id if isinstance(request, MessageEvent) else None
    return InboxEntry(
        team_id=request.team_id,
        kind=kind_of(request),
        dedupe_key=dedupe,
        conversation=conversation_of(request),
        payload=json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str),
        request=encode(request),
    )


class InboxWorker:
    def __init__(
        self,
        deps: Deps,
        tasks: BackgroundTasks,
        *,
        concurrency: int = 8,
        traffic: Traffic | None = None,
    ) -> None:
        self.deps = deps
        self.tasks = tasks
        self.traffic = traffic or NoTraffic()
        self._gate = asyncio.Semaphore(concurrency)
        self._draining = False
        self._again = False
        self.processed = 0

    def wake(self) -> None:
        """New requests were recorded: process them soon."""
        if self._draining:
            self._again = True
            return
        self._draining = True
        self.tasks.spawn(self._drain(), name="inbox:drain", urgent=True)

    async def drain(self) -> None:
        """Process everything due now (start-up, ticks), unless a drain is running."""
        if self._draining:
            self._again = True
            return
        self._draining = True
        await self._drain()

    async def _drain(self) -> None:
        try:
            while True:
                self._again = False
                turn = await self.traffic.turn()
                async with self.deps.storage.reading() as uow:
                    ids = await uow.inbox.due(
                        self.deps.now(), self.deps.leases, limit=turn.limit(BATCH, PRESSED_BATCH)
                    )
                if ids:
                    await self._process_batch(ids)
                elif not self._again:
                    return
        finally:
            self._draining = False

    async def _process_batch(self, ids: list[int]) -> None:
        async with self.deps.storage.transaction() as uow:
            rows = await uow.inbox.take(
                ids, owner=self.deps.owner, now=self.deps.now(), policy=self.deps.leases
            )
        groups: dict[str, list[InboxRow]] = defaultdict(list)
        for row in rows:
            groups[row.conversation].append(row)
        # Thread replies that open their conversation's queue are collected together, in
        # one transaction; everything after the first other request of a conversation
        # waits its turn, so each conversation still runs in arrival order.
        leading: list[tuple[int, MessageEvent]] = []
        for group in groups.values():
            while group:
                request = decode(group[0].kind, group[0].request)
                if not (isinstance(request, MessageEvent) and is_thread_reply(request)):
                    break
                leading.append((group.pop(0).id, request))
        if leading:
            await self._collect(leading)
        await asyncio.gather(*(self._process_group(g) for g in groups.values() if g))

    async def _collect(self, replies: list[tuple[int, MessageEvent]]) -> None:
        try:
            handled = await channel_answers.collect_replies(self.deps, replies)
        except Exception:
            log.exception("collecting %d thread replies failed; one by one instead", len(replies))
            handled = set()
        self.processed += len(handled)
        rest = [(i, e) for i, e in replies if i not in handled]
        for inbox_id, event in rest:
            await self._process(
                InboxRow(
                    inbox_id,
                    event.team_id,
                    "message",
                    conversation_of(event),
                    encode(event),
                    "working",
                    1,
                    self.deps.now(),
                )
            )

    async def _process_group(self, rows: list[InboxRow]) -> None:
        for n, row in enumerate(rows):
            if n:
                await self.traffic.give_way()
            async with self._gate:
                await self._process(row)

    async def _process(self, row: InboxRow) -> None:
        try:
            request = decode(row.kind, row.request)
            with self.deps.storage.processing(row.id, self.deps.clock) as receipt:
                await inbound.process(self.deps, request)
        except Exception as exc:
            error = truncate(f"{type(exc).__name__}: {exc}", 300)
            log.exception("request %d (%s) failed: %s", row.id, row.kind, error)
            async with self.deps.storage.transaction() as uow:
                if row.attempts >= MAX_ATTEMPTS:
                    await uow.inbox.failed(row.id, error=error, now=self.deps.now())
                else:
                    await uow.inbox.retry_later(
                        row.id, error=error, not_before=self.deps.now() + RETRY_AFTER
                    )
            return
        if not receipt.done:
            async with self.deps.storage.transaction() as uow:
                # Requests that sent nothing end here (a top-level chat message, a Home).
                await uow.inbox.done(row.id, self.deps.now())
        self.processed += 1


class InboxWriter(Intake):
    """Records requests with a group commit, then wakes the worker."""

    def __init__(self, deps: Deps, worker: InboxWorker) -> None:
        self.deps = deps
        self.worker = worker
        self._queue: list[tuple[InboxEntry, asyncio.Future[bool]]] = []
        self._flushing = False

    async def accept(self, request: Request, payload: Mapping[str, Any]) -> bool:
        if not self.deps.slack.serves(request.team_id):
            # Not a workspace this app is installed in: nothing of it is kept or done.
            log.warning("request for workspace %r refused: not installed", request.team_id[:40])
            return False
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((entry_for(request, payload), future))
        if not self._flushing:
            self._flushing = True
            asyncio.get_running_loop().create_task(self._flush(), name="inbox:flush")
        return await future

    async def _flush(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                try:
                    async with self.deps.storage.transaction() as uow:
                        ids = await uow.inbox.add_many([e for e, _ in batch], self.deps.now())
                except Exception as exc:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), new_id in zip(batch, ids, strict=True):
                    if not future.done():
                        future.set_result(new_id is not None)
                self.worker.wake()
        finally:
            self._flushing = False
