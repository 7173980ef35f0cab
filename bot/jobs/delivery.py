"""Delivering the outbox: every message the app sends reaches Slack once.

A message is taken (`sending`, under this live process), sent with Slack metadata
naming its key, and marked `sent` with Slack's ts in one transaction that also tells
the application (`bot.usecases.delivery`). A message found `sending` under a dead
process, or retried after an attempt whose outcome is unknown (a timeout, a crash),
is first looked for in the conversation's history by its key: found, it is recorded
as sent; not found, it is posted. So a post or DM is never doubled and never lost.

Messages are delivered right after the commit that added them (the storage tells
`wake`), again on each scheduler tick while their backoff allows, and at start-up.
Within one conversation they go out in the order they were added."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.core.records import OutboxRow
from bot.jobs.tasks import BackgroundTasks
from bot.jobs.traffic import NoTraffic, Traffic
from bot.ports.slack import (
    Forbidden,
    Message,
    NotFound,
    Responder,
    SlackError,
    SlackUnavailable,
    TriggerExpired,
    Undeliverable,
)
from bot.usecases.delivery import message_failed, message_sent
from bot.usecases.deps import Deps

log = logging.getLogger("mlquiz.delivery")

# Look for a message in history from a little before it was first recorded.
HISTORY_MARGIN = timedelta(minutes=2)
# Messages per batch: all waiting when no request waits for its ack, a few while some do.
BATCH = 32
PRESSED_BATCH = 4


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: timedelta = timedelta(seconds=5)
    max_delay: timedelta = timedelta(minutes=10)
    max_attempts: int = 30

    def delay(self, attempts: int) -> timedelta:
        """Exponential backoff: 5 s, 10 s, 20 s ... at most 10 minutes."""
        return min(self.first_delay * (2 ** max(0, attempts - 1)), self.max_delay)


class Deliverer:
    def __init__(
        self,
        deps: Deps,
        responder: Responder,
        tasks: BackgroundTasks,
        *,
        concurrency: int = 8,
        retry: RetryPolicy | None = None,
        traffic: Traffic | None = None,
    ) -> None:
        self.deps = deps
        self.responder = responder
        self.tasks = tasks
        self.retry = retry or RetryPolicy()
        self.traffic = traffic or NoTraffic()
        self._gate = asyncio.Semaphore(concurrency)
        self._waiting: set[int] = set()
        self._draining = False
        self.delivered = 0

    # -- entry points -------------------------------------------------------------

    def wake(self, ids: Iterable[int]) -> None:
        """New messages were committed: deliver them soon (called by the storage)."""
        self._waiting.update(ids)
        if not self._draining and self._waiting:
            self._draining = True
            self.tasks.spawn(self._drain(), name="delivery:drain", urgent=True)

    async def deliver_due(self) -> int:
        """Send what is due: messages whose backoff passed, and those a dead process
        left half-sent. Returns how many were attempted."""
        async with self.deps.storage.reading() as uow:
            rows = await uow.outbox.due(self.deps.now(), self.deps.leases)
        await self.deliver([row.id for row in rows])
        return len(rows)

    async def deliver(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        now = self.deps.now()
        async with self.deps.storage.transaction() as uow:
            rows = await uow.outbox.begin(
                ids, owner=self.deps.owner, now=now, policy=self.deps.leases
            )
        groups: dict[str, list[OutboxRow]] = defaultdict(list)
        for row in rows:
            groups[_conversation(row)].append(row)
        sent: list[tuple[OutboxRow, str | None, str | None]] = []
        await asyncio.gather(*(self._deliver_group(group, sent) for group in groups.values()))
        if sent:
            # One transaction records the whole batch: fewer round trips to the database,
            # and a crash before it only leaves messages that reconciliation finds.
            async with self.deps.storage.transaction() as uow:
                for row, channel, ts in sent:
                    done = await uow.outbox.sent(row.id, channel_id=channel, ts=ts, now=now)
                    if done and channel and ts:
                        await message_sent(uow, row, channel, ts)
            self.delivered += len(sent)

    # -- internals --------------------------------------------------------------------

    async def _drain(self) -> None:
        try:
            while self._waiting:
                turn = await self.traffic.turn()
                batch = sorted(self._waiting)[: turn.limit(BATCH, PRESSED_BATCH)]
                self._waiting.difference_update(batch)
                await self.deliver(batch)
        finally:
            self._draining = False
        if self._waiting:
            self.wake(())

    async def _deliver_group(
        self, rows: list[OutboxRow], sent: list[tuple[OutboxRow, str | None, str | None]]
    ) -> None:
        for row in rows:
            async with self._gate:
                try:
                    outcome = await self._deliver_one(row)
                    if outcome is not None:
                        sent.append((row, *outcome))
                except Exception:
                    # A bug must not lose the message: it stays, retried later.
                    log.exception("delivering message %s failed", row.outgoing.key)
                    await self._retry(row, "internal error")

    async def _deliver_one(self, row: OutboxRow) -> tuple[str | None, str | None] | None:
        """(channel, ts) when Slack has the message; None when it failed (recorded)."""
        now = self.deps.now()
        message = row.outgoing
        if message.expires_at is not None and now >= message.expires_at:
            await self._give_up(row, "expired", row.error or "not sent in time")
            return None
        try:
            return await self._send(row)
        except Undeliverable as exc:
            log.warning("message %s undeliverable: %s", message.key, exc.code)
            await self._give_up(row, "undeliverable", exc.code)
        except (NotFound, Forbidden, TriggerExpired) as exc:
            log.error("message %s refused by Slack: %s", message.key, exc.code)
            await self._give_up(row, "failed", exc.code)
        except SlackUnavailable as exc:
            await self._retry(row, exc.code)
        except SlackError as exc:
            log.error("message %s refused by Slack: %s", message.key, exc.code)
            await self._give_up(row, "failed", exc.code)
        return None

    async def _send(self, row: OutboxRow) -> tuple[str | None, str | None]:
        message = row.outgoing
        gateway = self.deps.slack.gateway_for(message.team_id)
        body = Message(text=message.text, blocks=list(message.blocks))
        if message.action == "respond":
            assert message.url is not None
            await self.responder.respond(message.url, body)
            return None, None
        if message.action == "react":
            assert message.channel_id and message.target_ts and message.reaction
            await gateway.react(message.channel_id, message.target_ts, message.reaction)
            return message.channel_id, message.target_ts
        if message.action == "ephemeral":
            assert message.channel_id and message.user_id
            await gateway.ephemeral(message.channel_id, message.user_id, body)
            return message.channel_id, None
        if message.action in ("update", "delete"):
            channel, ts = await self._target(row)
            if message.action == "update":
                await gateway.update(channel, ts, body)
            else:
                await gateway.delete(channel, ts)
            return channel, ts
        # A post or a DM: exactly once, reconciled when an earlier attempt may have landed.
        known = message.channel_id or row.channel_id
        if message.action == "dm" and not known:
            assert message.user_id
            known = await gateway.open_dm(message.user_id)
        assert known
        channel = known
        thread_ts = message.thread_ts
        if row.attempts > 1:
            oldest = row.created_at - HISTORY_MARGIN
            found = await gateway.find_by_key(
                channel, message.key, thread_ts=thread_ts, oldest=f"{oldest.timestamp():.6f}"
            )
            if found is not None:
                log.info("message %s was already in Slack: recorded, not re-posted", message.key)
                return found.channel, found.ts
        posted = await gateway.post(
            channel, body, thread_ts=thread_ts, metadata={"key": message.key}
        )
        return posted.channel, posted.ts

    async def _target(self, row: OutboxRow) -> tuple[str, str]:
        message = row.outgoing
        if message.target_ts and message.channel_id:
            return message.channel_id, message.target_ts
        assert message.target_key
        async with self.deps.storage.reading() as uow:
            target = await uow.outbox.by_key(message.target_key)
        if target is None or target.status != "sent" or not target.ts or not target.channel_id:
            # The message to change is not in Slack (yet): try again later.
            raise SlackUnavailable("target_not_sent")
        return target.channel_id, target.ts

    async def _retry(self, row: OutboxRow, error: str) -> None:
        now = self.deps.now()
        async with self.deps.storage.transaction() as uow:
            if row.attempts >= self.retry.max_attempts:
                if await uow.outbox.give_up(row.id, status="failed", error=error, now=now):
                    await message_failed(uow, row, error, now)
                log.error(
                    "message %s failed for good after %d attempts", row.outgoing.key, row.attempts
                )
                return
            await uow.outbox.retry_later(
                row.id, error=error, not_before=now + self.retry.delay(row.attempts), now=now
            )
        log.warning("message %s will be retried: %s", row.outgoing.key, error)

    async def _give_up(self, row: OutboxRow, status: str, error: str) -> None:
        now = self.deps.now()
        async with self.deps.storage.transaction() as uow:
            if await uow.outbox.give_up(row.id, status=status, error=error, now=now):  # type: ignore[arg-type]
                await message_failed(uow, row, error, now)


def _conversation(row: OutboxRow) -> str:
    """Messages of one conversation go out in order. A reaction marks one message and
    says nothing about the others, so reactions go out side by side: a burst of thread
    replies is acknowledged at the pace of the connection pool, not one by one."""
    message = row.outgoing
    if message.action == "react":
        return f"react:{row.id}"
    if message.action == "respond":
        return f"url:{message.url}"
    if message.channel_id:
        return f"channel:{message.channel_id}"
    return f"user:{message.user_id}"
