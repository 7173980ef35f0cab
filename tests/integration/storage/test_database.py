import asyncio
import sqlite3

from bot.storage.sqlite.database import Database
from bot.storage.sqlite.migrations import load_migrations

from .conftest import T0, answer, channel_post, graded
from .store import Store


async def test_open_sets_wal_foreign_keys_and_never_blocks_on_a_lock(db):
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    # Busy is waited for asynchronously (the event loop keeps running), not in SQLite.
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 0
    assert (await db.fetchone("PRAGMA synchronous"))[0] == 1  # NORMAL


async def test_a_transaction_waits_for_another_process_without_blocking_the_loop(tmp_path):
    path = tmp_path / "busy.db"
    database = await Database.open(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    ticks = 0

    async def loop_keeps_running():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    ticker = asyncio.create_task(loop_keeps_running())

    async def write():
        async with database.transaction():
            await database.execute(
                "INSERT INTO workspaces (team_id, created_at) VALUES ('TBUSY', 'x')"
            )

    writing = asyncio.create_task(write())
    await asyncio.sleep(0.2)
    assert not writing.done(), "it waits while the lock is held"
    assert ticks >= 10, "and the event loop is not blocked meanwhile"
    other.execute("COMMIT")
    await asyncio.wait_for(writing, 5)
    ticker.cancel()
    row = await database.fetchone("SELECT team_id FROM workspaces WHERE team_id = 'TBUSY'")
    assert row is not None
    other.close()
    await database.close()


async def test_migrations_from_zero_then_idempotent(tmp_path):
    path = tmp_path / "fresh.db"
    database = await Database.open(path, migrate=False)
    assert await database.schema_version() == 0
    applied = await database.migrate()
    assert [m.version for m in applied] == [m.version for m in load_migrations()]
    assert await database.schema_version() == len(load_migrations())
    assert await database.migrate() == []
    await database.close()
    again = await Database.open(path)  # opening migrates again: nothing to do
    assert await again.schema_version() == len(load_migrations())
    assert "answers" in await again.table_counts()
    await again.close()


async def test_a_failing_migration_leaves_the_previous_version(tmp_path):
    from bot.storage.sqlite.migrations import Migration

    database = await Database.open(tmp_path / "x.db", migrate=False)
    good = load_migrations()[0]
    broken = Migration(2, "0002_broken.sql", "CREATE TABLE ok (x); CREATE TABLE ok (x);")
    try:
        await database.migrate([good, broken])
    except sqlite3.OperationalError:
        pass
    else:
        raise AssertionError("a broken migration must raise")
    assert await database.schema_version() == 0  # one transaction: nothing half-applied
    assert "answers" not in await database.table_counts()
    await database.close()


async def test_two_connections_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.db"
    first, second = await Database.open(path), await Database.open(path)
    post = await channel_post(Store(first))

    async def write(database, prefix):
        store = Store(database)
        for n in range(40):
            await store.answers.record(
                answer(post, f"{prefix}{n}", event=f"E{prefix}{n}"), graded(0.5)
            )

    await asyncio.gather(write(first, "A"), write(second, "B"))
    rows = await first.fetchone("SELECT COUNT(*), SUM(points) FROM answers")
    assert tuple(rows) == (80, 80 * 10)
    board = await first.fetchone(
        "SELECT answered, points FROM score_totals WHERE channel_id = '' AND period = 'all'"
        " AND user_id = 'A7'"
    )
    assert tuple(board) == (1, 10)
    await first.close()
    await second.close()


async def test_concurrent_coroutines_on_one_connection_do_not_interleave(db):
    async def write(n):
        async with db.transaction():
            await db.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
            await db.execute("INSERT INTO t VALUES (?)", (n,))
            await asyncio.sleep(0)
            await db.execute("INSERT INTO t VALUES (?)", (-n,))

    await asyncio.gather(*(write(n) for n in range(1, 20)))
    assert (await db.fetchone("SELECT COUNT(*), SUM(n) FROM t"))[:] == (38, 0)


async def test_transaction_rolls_back_on_error_and_nests_as_savepoint(db):
    await db.execute("CREATE TABLE t (n INTEGER)")
    try:
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    async with db.transaction():
        await db.execute("INSERT INTO t VALUES (2)")
        try:
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (3)")
                raise RuntimeError("inner")
        except RuntimeError:
            pass
    assert [r[0] for r in await db.fetchall("SELECT n FROM t")] == [2]


async def test_backup_is_a_complete_copy(db, store, tmp_path):
    post = await channel_post(store)
    await store.answers.record(answer(post, event="E1"), graded(1.0))
    target = tmp_path / "copy.db"
    await db.backup(target)
    copy = await Database.open(target)
    assert (await copy.table_counts())["answers"] == 1
    top = await Store(copy).leaderboards.top("T1", now=T0)
    assert [(r.user_id, r.points) for r in top] == [("U1", 20)]
    await copy.close()


async def test_foreign_keys_are_enforced(store):
    import pytest

    with pytest.raises(sqlite3.IntegrityError):
        await store.db.execute(
            "INSERT INTO answers (team_id, post_id, user_id, channel_id, day, ranked, text,"
            " source, answered_at, last_event_at) VALUES"
            " ('T1', 999, 'U1', 'C1', '2024-01-01', 1, 'x', 'thread', 'x', 'x')"
        )


async def test_checkpoints_run_off_the_loop_every_few_hundred_commits(tmp_path, monkeypatch):
    from bot.storage.sqlite import database

    monkeypatch.setattr(database, "CHECKPOINT_EVERY", 20)
    db = await Database.open(tmp_path / "ckpt.db", migrate=False)
    try:
        # SQLite's own checkpoint would run inside a commit, on the event loop.
        assert (await db.fetchone("PRAGMA wal_autocheckpoint"))[0] == 0
        await db.execute("CREATE TABLE t (x TEXT)")
        for _ in range(19):
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (?)", ("x" * 2000,))
        assert db._checkpoint is not None  # the 20th commit started one
        assert (tmp_path / "ckpt.db").stat().st_size < 19 * 2000  # all still in the WAL
        await db._checkpoint
        # What the WAL held was copied into the database file itself.
        assert (tmp_path / "ckpt.db").stat().st_size >= 19 * 2000
    finally:
        await db.close()
