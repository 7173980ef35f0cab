"""Leases on scheduled and resumable work, held by live processes."""

import asyncio
from datetime import date, timedelta

from bot.core.leases import LeasePolicy, slot_key
from bot.storage.sqlite.storage import SqliteStorage

from .conftest import T0

SLOT = date(2024, 3, 4)
POLICY = LeasePolicy(stale_after=timedelta(seconds=60), max_attempts=30)
KEY = slot_key("post", 1, SLOT)


async def schedule(storage, channel="C1"):
    async with storage.transaction() as uow:
        return await uow.schedules.upsert(
            "T1",
            channel,
            post_time="09:00",
            tz="Europe/Berlin",
            days=range(5),
            created_by="UADMIN",
            now=T0,
        )


async def take(storage, owner, now=T0, *, key=KEY, kind="post", policy=POLICY, sched=None):
    async with storage.transaction() as uow:
        return await uow.leases.take(
            key,
            team_id="T1",
            kind=kind,
            owner=owner,
            now=now,
            policy=policy,
            schedule_id=None if sched is None else sched.id,
            slot_date=None if sched is None else SLOT,
        )


async def beat(storage, owner, now):
    async with storage.transaction() as uow:
        await uow.processes.beat(owner, host="h", pid=1, now=now)


async def test_a_slot_is_taken_once_across_two_connections(tmp_path):
    path = tmp_path / "leases.db"
    first, second = await SqliteStorage.open(path), await SqliteStorage.open(path)
    sched = await schedule(first)
    for owner in ("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"):
        await beat(first, owner, T0)
    results = await asyncio.gather(
        *(take(db, f"p{i}", sched=sched) for i, db in enumerate([first, second] * 5))
    )
    assert sorted(results) == [False] * 9 + [True]
    await first.close()
    await second.close()


async def test_done_is_final_failed_is_retried_and_visible(storage):
    sched = await schedule(storage)
    await beat(storage, "A", T0)
    assert await take(storage, "A", sched=sched)
    async with storage.transaction() as uow:
        assert await uow.leases.finish(KEY, owner="A", now=T0, error="ratelimited")
        [failed] = await uow.leases.failed("T1")
        assert (failed.status, failed.last_error, failed.attempts) == ("failed", "ratelimited", 1)
        assert [
            x.key for x in await uow.leases.retryable(sched.id, "post", now=T0, policy=POLICY)
        ] == [KEY]
    await beat(storage, "B", T0 + timedelta(minutes=1))
    assert await take(storage, "B", T0 + timedelta(minutes=1), sched=sched)
    assert not await take(storage, "C", T0 + timedelta(minutes=1), sched=sched), "B is working"
    async with storage.transaction() as uow:
        assert await uow.leases.finish(KEY, owner="B", now=T0)
        assert await uow.leases.failed("T1") == []
        done = await uow.leases.get(KEY)
    assert not await take(storage, "D", T0 + timedelta(days=1), sched=sched)
    assert (done.status, done.owner, done.attempts) == ("done", "B", 2)


async def test_a_lease_follows_its_holder_being_alive(storage):
    key = "reveal:1"
    await beat(storage, "A", T0)
    assert await take(storage, "A", key=key, kind="reveal")
    # A beats: nobody takes its work, however long it takes.
    for minutes in (1, 5, 30):
        await beat(storage, "A", T0 + timedelta(minutes=minutes))
        assert not await take(storage, "B", T0 + timedelta(minutes=minutes), key=key, kind="reveal")
        async with storage.reading() as uow:
            assert await uow.leases.held_by_live(key, T0 + timedelta(minutes=minutes), POLICY)
    # A stops beating: after the staleness window B takes over, and A can no longer finish.
    later = T0 + timedelta(minutes=31, seconds=1)
    async with storage.reading() as uow:
        assert not await uow.leases.held_by_live(key, later, POLICY)
    assert await take(storage, "B", later, key=key, kind="reveal")
    async with storage.transaction() as uow:
        assert not await uow.leases.finish(key, owner="A", now=later)
        assert await uow.leases.finish(key, owner="B", now=later)


async def test_a_stopped_holder_frees_its_work_at_once(storage):
    key = "reveal:2"
    await beat(storage, "A", T0)
    assert await take(storage, "A", key=key, kind="reveal")
    async with storage.transaction() as uow:
        await uow.processes.stopped("A", T0)
        [abandoned] = await uow.leases.abandoned("reveal", now=T0, policy=POLICY)
    assert abandoned.key == key
    assert await take(storage, "B", T0, key=key, kind="reveal")


async def test_attempts_are_capped(storage):
    sched = await schedule(storage)
    policy = LeasePolicy(stale_after=timedelta(seconds=60), max_attempts=2)
    await beat(storage, "A", T0)
    for error in ("e1", "e2"):
        assert await take(storage, "A", sched=sched, policy=policy)
        async with storage.transaction() as uow:
            await uow.leases.finish(KEY, owner="A", now=T0, error=error)
    assert not await take(storage, "A", sched=sched, policy=policy)
    async with storage.reading() as uow:
        assert [x.last_error for x in await uow.leases.failed("T1")] == ["e2"]
        assert await uow.leases.retryable(sched.id, "post", now=T0, policy=policy) == []


async def test_skipped_slots_and_last_slot_date(storage):
    sched = await schedule(storage)
    async with storage.transaction() as uow:
        assert await uow.leases.last_slot_date(sched.id, "post") is None
        assert await uow.leases.skip(
            KEY, team_id="T1", kind="post", owner="A", now=T0, schedule_id=sched.id, slot_date=SLOT
        )
    assert not await take(storage, "A", sched=sched)
    async with storage.transaction() as uow:
        next_key = slot_key("post", sched.id, SLOT + timedelta(days=1))
        assert await uow.leases.take(
            next_key,
            team_id="T1",
            kind="post",
            owner="A",
            now=T0,
            policy=POLICY,
            schedule_id=sched.id,
            slot_date=SLOT + timedelta(days=1),
        )
        assert await uow.leases.last_slot_date(sched.id, "post") == SLOT + timedelta(days=1)
        assert await uow.leases.last_slot_date(sched.id, "recap") is None
