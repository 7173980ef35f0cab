"""Graceful shutdown: in-flight work finishes and the database closes cleanly."""

from __future__ import annotations

import asyncio
import random

from bot.storage.sqlite.database import Database
from tests.e2e.conftest import e2e_settings
from tests.e2e.harness import OfflineApp


async def test_stop_lets_in_flight_work_finish(tmp_path, clock):
    app = await OfflineApp(e2e_settings(tmp_path), clock=clock, rng=random.Random(1)).start()
    finished = asyncio.Event()

    async def slow_work() -> None:
        await asyncio.sleep(0.2)
        async with app.app.storage.transaction() as uow:
            await uow.users.upsert("T0001", "USHUTDOWN", now=clock())
        finished.set()

    app.app.tasks.spawn(slow_work(), name="slow")
    await app.stop()
    assert finished.is_set(), "shutdown must wait for in-flight work"
    # The database was closed cleanly: reopening it sees the write and no stray WAL.
    db = await Database.open(tmp_path / "e2e.db")
    try:
        row = await db.fetchone("SELECT user_id FROM users WHERE user_id = 'USHUTDOWN'")
        assert row is not None
    finally:
        await db.close()
