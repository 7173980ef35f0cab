"""The one place a SQLite connection is opened and configured, and writes are framed."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sqlite3
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.sqlite.migrations import Migration, load_migrations

BUSY_TIMEOUT_MS = 5000
log = logging.getLogger("mlquiz.storage")

# The transaction (if any) the current task is inside, so nested use joins it
# through a savepoint instead of deadlocking on the lock.
_current: contextvars.ContextVar[tuple[Database, asyncio.Task | None] | None] = (
    contextvars.ContextVar("mlquiz_current_transaction", default=None)
)


def _inside(db: Database) -> bool:
    # Tasks copy the context they were created in; only the task that opened the
    # transaction may join it, a task spawned inside it must wait its turn.
    current = _current.get()
    return current is not None and current[0] is db and current[1] is asyncio.current_task()


class DatabaseUnusable(Exception):
    """The database file cannot be opened or used; the message says why, in one line."""


class Database:
    """One aiosqlite connection per process: WAL, foreign keys, busy timeout, Row factory.

    Writes go through `transaction()`: BEGIN IMMEDIATE takes SQLite's write lock up
    front (two processes serialise instead of failing on lock upgrade), and an
    asyncio lock keeps coroutines sharing this connection from interleaving.
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._savepoints = 0
        self._listeners: dict[str, list[Callable[[list[object]], None]]] = defaultdict(list)
        self._committed: dict[str, list[object]] | None = None

    def on_commit(self, topic: str, listener: Callable[[list[object]], None]) -> None:
        """Call `listener(values)` after each commit that noted values under `topic`
        (`after_commit`), so work made durable is picked up at once (the outbox)."""
        self._listeners[topic].append(listener)

    def after_commit(self, topic: str, value: object) -> None:
        """Note `value` for `topic`'s listeners, told once the current transaction
        commits (at once outside a transaction); nothing is told on a rollback."""
        if self._committed is not None and _inside(self):
            self._committed.setdefault(topic, []).append(value)
            return
        self._tell({topic: [value]})

    def noted(self, topic: str) -> bool:
        """Whether the current transaction noted values under `topic` so far."""
        return bool(self._committed and _inside(self) and self._committed.get(topic))

    def _tell(self, noted: dict[str, list[object]]) -> None:
        for topic, values in noted.items():
            for listener in self._listeners.get(topic, ()):
                try:
                    listener(values)
                except Exception:
                    # A listener's failure must not undo or hide a commit that happened.
                    log.exception("on-commit listener for %s failed", topic)

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        """Open (creating it if absent) and configure; raises `DatabaseUnusable` with
        a one-line reason for a missing folder or a file that is not SQLite."""
        path = Path(path)
        if not path.parent.exists():
            raise DatabaseUnusable(f"the folder {path.parent} does not exist")
        if path.exists() and path.is_dir():
            raise DatabaseUnusable(f"{path} is a folder, not a database file")
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            # busy_timeout first: the WAL switch itself may wait for another process.
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            db = cls(conn, path)
            if migrate:
                await db.migrate()
        except sqlite3.DatabaseError as exc:
            # Close the connection's thread, or the process could never exit.
            await conn.close()
            raise DatabaseUnusable(f"{path} is not a usable SQLite database ({exc})") from exc
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self.conn.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        if _inside(self):
            async with self._savepoint():
                yield self.conn
            return
        noted: dict[str, list[object]] = {}
        async with self._lock:
            token = _current.set((self, asyncio.current_task()))
            self._committed = noted
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.conn
                except BaseException:
                    await self.conn.rollback()
                    raise
                await self.conn.commit()
            finally:
                self._committed = None
                _current.reset(token)
        if noted:
            self._tell(noted)

    def in_transaction(self) -> bool:
        """True inside a transaction this task opened."""
        return _inside(self)

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[None]:
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        noted = self._committed
        sizes = {topic: len(values) for topic, values in (noted or {}).items()}
        await self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self.conn.execute(f"ROLLBACK TO {name}")
            await self.conn.execute(f"RELEASE {name}")
            if noted is not None:
                # What the rolled-back part noted never happened.
                for topic in list(noted):
                    del noted[topic][sizes.get(topic, 0) :]
            raise
        await self.conn.execute(f"RELEASE {name}")

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[None]:
        # Inside this task's own transaction a read must see its uncommitted writes;
        # otherwise wait so a read never lands in the middle of another task's writes.
        if _inside(self):
            yield
            return
        async with self._lock:
            yield

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._reading():
            cursor = await self.conn.execute(sql, params)
            rows = await cursor.fetchall()
            await cursor.close()
        return list(rows)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._reading():
            cursor = await self.conn.execute(sql, params)
            row = await cursor.fetchone()
            await cursor.close()
        return row

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One write: joins this task's transaction or runs in its own; returns rowcount."""
        if _inside(self):
            return await self._execute(sql, params)
        async with self.transaction():
            return await self._execute(sql, params)

    async def _execute(self, sql: str, params: Sequence[Any]) -> int:
        cursor = await self.conn.execute(sql, params)
        count = cursor.rowcount
        await cursor.close()
        return count

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        if _inside(self):
            await self.conn.executemany(sql, rows)
            return
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One INSERT; returns the new rowid."""
        if _inside(self):
            cursor = await self.conn.execute(sql, params)
            rowid = cursor.lastrowid
            await cursor.close()
        else:
            async with self.transaction() as conn:
                cursor = await conn.execute(sql, params)
                rowid = cursor.lastrowid
                await cursor.close()
        if rowid is None:
            raise RuntimeError("INSERT did not create a row")
        return rowid

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[Migration]:
        """Apply pending migrations in one transaction; returns those applied."""
        migrations = load_migrations() if migrations is None else list(migrations)
        async with self.transaction() as conn:
            # Read the version inside the write lock so two processes starting at once
            # cannot both apply the same migration.
            cursor = await conn.execute("PRAGMA user_version")
            version = int((await cursor.fetchone())[0])
            await cursor.close()
            pending = [m for m in migrations if m.version > version]
            for migration in pending:
                for statement in split_sql(migration.sql):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        return pending

    async def table_counts(self) -> dict[str, int]:
        names = await self.fetchall(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        counts = {}
        for (name,) in names:
            # Table names come from sqlite_schema, not from input; quoted as identifiers.
            row = await self.fetchone(f'SELECT COUNT(*) FROM "{name.replace(chr(34), "")}"')
            counts[name] = int(row[0]) if row else 0
        return counts

    async def backup(self, target: str | Path) -> None:
        """Copy the live database with SQLite's online backup API (consistent snapshot)."""
        target = Path(target)
        if not target.parent.exists():
            raise DatabaseUnusable(f"the folder {target.parent} does not exist")
        destination = await aiosqlite.connect(target)
        try:
            async with self._lock:
                await self.conn.backup(destination)
        finally:
            await destination.close()


def split_sql(script: str) -> list[str]:
    """Split a migration into statements; trigger bodies keep their inner semicolons."""
    statements: list[str] = []
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            statement = _strip_comments(buffer)
            if statement:
                statements.append(statement)
            buffer = ""
    if _strip_comments(buffer.rstrip(";")):
        raise ValueError(f"incomplete SQL statement at end of migration: {buffer[:80]!r}")
    return statements


def _strip_comments(sql: str) -> str:
    # Leading comment lines only; a comment-only chunk is not a statement.
    lines = [line for line in sql.strip().splitlines()]
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    text = "\n".join(lines).strip()
    return "" if text in ("", ";") else text
