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
# Commits between checkpoints: a few hundred WAL pages, copied off the event loop.
CHECKPOINT_EVERY = 200
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
    """The process's SQLite database: WAL, foreign keys, Row factory.

    Short statements run inline on the event loop thread: they take microseconds, far
    less than a round trip to a worker thread would (measured: about 190 µs a hop with
    aiosqlite, which made every transaction of a busy inbox wait on the last). Reads that
    can be heavy at scale (stats, leaderboards: `heavy=True`) run on aiosqlite's thread
    over a second connection, so they never stall the loop. No statement ever blocks on
    another process's lock: a busy database is waited for asynchronously.

    Writes go through `transaction()`: BEGIN IMMEDIATE takes SQLite's write lock up
    front (two processes take turns instead of failing on lock upgrade), and an asyncio
    lock keeps coroutines sharing the connection from interleaving.

    Checkpoints (copying the WAL into the database file, with an fsync) run on the
    reader's thread every `CHECKPOINT_EVERY` commits, not inside a commit on the loop:
    SQLite's automatic checkpoint stalled the loop for 10-30 ms every few hundred
    commits, which was most of the slowest acks (bench/ack.py)."""

    def __init__(self, sync: sqlite3.Connection, path: Path) -> None:
        self.sync = sync
        self.path = path
        self._lock = asyncio.Lock()
        self._savepoints = 0
        self._reader: aiosqlite.Connection | None = None
        self._listeners: dict[str, list[Callable[[list[object]], None]]] = defaultdict(list)
        self._committed: dict[str, list[object]] | None = None
        self._commits = 0
        self._checkpoint: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: str | Path, *, migrate: bool = True) -> Database:
        """Open (creating it if absent) and configure; raises `DatabaseUnusable` with
        a one-line reason for a missing folder or a file that is not SQLite."""
        path = Path(path)
        if not path.parent.exists():
            raise DatabaseUnusable(f"the folder {path.parent} does not exist")
        if path.exists() and path.is_dir():
            raise DatabaseUnusable(f"{path} is a folder, not a database file")
        try:
            sync = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise DatabaseUnusable(f"{path} cannot be opened ({exc})") from exc
        sync.row_factory = sqlite3.Row
        db = cls(sync, path)
        try:
            # The WAL switch itself may wait for another process: wait asynchronously.
            await db._run(_statement, "PRAGMA busy_timeout = 0", ())
            await db._run(_statement, "PRAGMA journal_mode = WAL", ())
            await db._run(_statement, "PRAGMA synchronous = NORMAL", ())
            await db._run(_statement, "PRAGMA wal_autocheckpoint = 0", ())
            await db._run(_statement, "PRAGMA foreign_keys = ON", ())
            if migrate:
                await db.migrate()
        except sqlite3.DatabaseError as exc:
            await db.close()
            raise DatabaseUnusable(f"{path} is not a usable SQLite database ({exc})") from exc
        except BaseException:
            await db.close()
            raise
        return db

    async def close(self) -> None:
        if self._checkpoint is not None:
            await asyncio.gather(self._checkpoint, return_exceptions=True)
            self._checkpoint = None
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
        self.sync.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

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

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        if _inside(self):
            async with self._savepoint():
                yield self
            return
        noted: dict[str, list[object]] = {}
        async with self._lock:
            token = _current.set((self, asyncio.current_task()))
            self._committed = noted
            try:
                await self._run(_statement, "BEGIN IMMEDIATE", ())
                try:
                    yield self
                except BaseException:
                    _statement(self.sync, "ROLLBACK", ())
                    raise
                _statement(self.sync, "COMMIT", ())
                self._committed_one()
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
        _statement(self.sync, f"SAVEPOINT {name}", ())
        try:
            yield
        except BaseException:
            _statement(self.sync, f"ROLLBACK TO {name}", ())
            _statement(self.sync, f"RELEASE {name}", ())
            if noted is not None:
                # What the rolled-back part noted never happened.
                for topic in list(noted):
                    del noted[topic][sizes.get(topic, 0) :]
            raise
        _statement(self.sync, f"RELEASE {name}", ())

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[None]:
        # Inside this task's own transaction a read must see its uncommitted writes;
        # otherwise wait so a read never lands in the middle of another task's writes.
        if _inside(self):
            yield
            return
        async with self._lock:
            yield

    async def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """`fn(connection, *args)` now, on this thread. Outside a transaction, a
        database another process has locked is waited for (without blocking the loop)
        and the statement tried again; it had no effect when it was refused."""
        if _inside(self) and args and args[0] != "BEGIN IMMEDIATE":
            return fn(self.sync, *args)
        delay, waited = 0.001, 0.0
        while True:
            try:
                return fn(self.sync, *args)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or waited >= BUSY_TIMEOUT_MS / 1000:
                    raise
            await asyncio.sleep(delay)
            waited += delay
            delay = min(delay * 2, 0.05)

    async def fetchall(
        self, sql: str, params: Sequence[Any] = (), *, heavy: bool = False
    ) -> list[sqlite3.Row]:
        """Rows of a query. `heavy` reads outside a transaction run on a reader
        connection in its own thread, keeping the event loop free while they scan."""
        if heavy and not _inside(self):
            reader = await self._reading_connection()
            rows = await reader.execute_fetchall(sql, params)
            return list(rows)
        async with self._reading():
            result: list[sqlite3.Row] = await self._run(_rows, sql, params)
        return result

    async def fetchone(
        self, sql: str, params: Sequence[Any] = (), *, heavy: bool = False
    ) -> sqlite3.Row | None:
        if heavy and not _inside(self):
            rows = await self.fetchall(sql, params, heavy=True)
            return rows[0] if rows else None
        async with self._reading():
            row: sqlite3.Row | None = await self._run(_row, sql, params)
        return row

    async def _reading_connection(self) -> aiosqlite.Connection:
        if self._reader is None:
            reader = await aiosqlite.connect(self.path)
            reader.row_factory = aiosqlite.Row
            await reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._reader = reader
        return self._reader

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One write: joins this task's transaction, or commits on its own (a single
        statement is atomic); returns the number of rows changed."""
        if _inside(self):
            return int(await self._run(_statement, sql, params))
        async with self._lock:
            changed = int(await self._run(_statement, sql, params))
        self._committed_one()
        return changed

    def _committed_one(self) -> None:
        self._commits += 1
        if self._commits % CHECKPOINT_EVERY == 0 and self._checkpoint is None:
            self._checkpoint = asyncio.get_running_loop().create_task(
                self._checkpoint_off_loop(), name="sqlite:checkpoint"
            )

    async def _checkpoint_off_loop(self) -> None:
        try:
            reader = await self._reading_connection()
            # PASSIVE never waits for readers or writers: what it cannot copy now,
            # the next one does.
            await reader.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:
            log.warning("checkpoint failed; the next one tries again", exc_info=True)
        finally:
            self._checkpoint = None

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        if _inside(self):
            _many(self.sync, sql, rows)
            return
        async with self.transaction():
            _many(self.sync, sql, rows)

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self, migrations: Sequence[Migration] | None = None) -> list[Migration]:
        """Apply pending migrations in one transaction; returns those applied."""
        migrations = load_migrations() if migrations is None else list(migrations)
        async with self.transaction():
            # Read the version inside the write lock so two processes starting at once
            # cannot both apply the same migration.
            row = _row(self.sync, "PRAGMA user_version", ())
            version = int(row[0]) if row else 0
            pending = [m for m in migrations if m.version > version]
            for migration in pending:
                for statement in split_sql(migration.sql):
                    _statement(self.sync, statement, ())
                _statement(self.sync, f"PRAGMA user_version = {int(migration.version)}", ())
        return pending

    async def table_counts(self) -> dict[str, int]:
        names = await self.fetchall(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        counts = {}
        for (name,) in names:
            # Table names come from sqlite_schema, not from input; quoted as identifiers.
            row = await self.fetchone(
                f'SELECT COUNT(*) FROM "{name.replace(chr(34), "")}"', heavy=True
            )
            counts[name] = int(row[0]) if row else 0
        return counts

    async def backup(self, target: str | Path) -> None:
        """Copy the live database with SQLite's online backup API (consistent snapshot)."""
        target = Path(target)
        if not target.parent.exists():
            raise DatabaseUnusable(f"the folder {target.parent} does not exist")
        destination = sqlite3.connect(target, check_same_thread=False)
        try:
            async with self._lock:
                await asyncio.to_thread(self.sync.backup, destination)
        finally:
            destination.close()


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _many(conn: sqlite3.Connection, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    conn.executemany(sql, rows).close()


def _statement(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> int:
    cursor = conn.execute(sql, params)
    try:
        return cursor.rowcount
    finally:
        cursor.close()


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
    cursor = conn.execute(sql, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def _row(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> sqlite3.Row | None:
    cursor = conn.execute(sql, params)
    try:
        return cursor.fetchone()
    finally:
        cursor.close()


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
