"""The SQLite implementation of the storage port: a unit of work over one connection."""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.storage.sqlite.answers import AnswerRepository
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.feedback import FeedbackRepository
from bot.storage.sqlite.inbox import InboxRepository
from bot.storage.sqlite.leases import LeaseRepository, ProcessRepository
from bot.storage.sqlite.outbox import OutboxRepository
from bot.storage.sqlite.panels import PanelRepository
from bot.storage.sqlite.posts import PostRepository
from bot.storage.sqlite.reviews import ReviewRepository
from bot.storage.sqlite.schedules import ScheduleRepository
from bot.storage.sqlite.scores import ScoreRepository
from bot.storage.sqlite.stats import StatsRepository
from bot.storage.sqlite.workspaces import UserRepository, WorkspaceRepository


class SqliteUnitOfWork:
    """Every repository, bound to one database. Inside `SqliteStorage.transaction()`
    all of their statements run in that one transaction."""

    def __init__(self, db: Database) -> None:
        self.workspaces = WorkspaceRepository(db)
        self.users = UserRepository(db)
        self.schedules = ScheduleRepository(db)
        self.posts = PostRepository(db)
        self.answers = AnswerRepository(db)
        self.leases = LeaseRepository(db)
        self.processes = ProcessRepository(db)
        self.outbox = OutboxRepository(db)
        self.inbox = InboxRepository(db)
        self.panels = PanelRepository(db)
        self.scores = ScoreRepository(db)
        self.stats = StatsRepository(db)
        self.reviews = ReviewRepository(db)
        self.feedback = FeedbackRepository(db)


@dataclass
class Receipt:
    """The inbox row the current task is processing."""

    inbox_id: int
    clock: Callable[[], datetime]
    done: bool = False


_receipt: contextvars.ContextVar[Receipt | None] = contextvars.ContextVar(
    "mlquiz_inbox_receipt", default=None
)


class SqliteStorage:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._uow = SqliteUnitOfWork(db)

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> SqliteStorage:
        return cls(await Database.open(path, migrate=migrate))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteUnitOfWork]:
        """One write transaction (BEGIN IMMEDIATE): everything commits or nothing.

        While a task processes an inbox row (`processing`), the first transaction that
        records a message to send (the request's visible outcome) also marks the row
        done, so the change and the end of the request commit together."""
        async with self.db.transaction():
            yield self._uow
            receipt = _receipt.get()
            if receipt is not None and not receipt.done and self.db.noted("outbox"):
                await self._uow.inbox.done(receipt.inbox_id, receipt.clock())
                receipt.done = True

    @contextmanager
    def processing(self, inbox_id: int, clock: Callable[[], datetime]) -> Iterator[Receipt]:
        """Mark the inbox row done with the transaction that completes its request."""
        receipt = Receipt(inbox_id, clock)
        token = _receipt.set(receipt)
        try:
            yield receipt
        finally:
            _receipt.reset(token)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[SqliteUnitOfWork]:
        """Reads only. Each statement sees committed data; writes here would autocommit
        one by one, so use `transaction()` for anything that changes rows."""
        yield self._uow

    def on_new_messages(self, listener: Callable[[list[int]], None]) -> None:
        """`listener(outbox ids)` after each commit that added messages to send."""

        def tell(values: list[object]) -> None:
            listener([int(v) for v in values if isinstance(v, int)])

        self.db.on_commit("outbox", tell)

    async def healthy(self) -> bool:
        try:
            return (await self.db.fetchone("SELECT 1")) is not None
        except Exception:
            return False

    async def close(self) -> None:
        await self.db.close()
