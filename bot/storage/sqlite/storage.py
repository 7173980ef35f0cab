"""The SQLite implementation of the storage port: a unit of work over one connection."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from bot.storage.sqlite.answers import AnswerRepository
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.events import EventRepository
from bot.storage.sqlite.feedback import FeedbackRepository
from bot.storage.sqlite.leases import LeaseRepository, ProcessRepository
from bot.storage.sqlite.outbox import OutboxRepository
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
        self.events = EventRepository(db)
        self.leases = LeaseRepository(db)
        self.processes = ProcessRepository(db)
        self.outbox = OutboxRepository(db)
        self.scores = ScoreRepository(db)
        self.stats = StatsRepository(db)
        self.reviews = ReviewRepository(db)
        self.feedback = FeedbackRepository(db)


class SqliteStorage:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._uow = SqliteUnitOfWork(db)

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> SqliteStorage:
        return cls(await Database.open(path, migrate=migrate))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteUnitOfWork]:
        """One write transaction (BEGIN IMMEDIATE): everything commits or nothing."""
        async with self.db.transaction():
            yield self._uow

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
