import asyncio
from datetime import date, timedelta

from bot.services import Store
from bot.storage import Database

from .conftest import T0

SLOT = date(2024, 3, 4)


async def schedule(store, channel="C1"):
    return await store.schedules.upsert(
        "T1",
        channel,
        post_time="09:00",
        tz="Europe/Berlin",
        days=range(5),
        created_by="UADMIN",
        now=T0,
    )


async def test_a_slot_is_claimed_once_across_two_connections(tmp_path):
    path = tmp_path / "claims.db"
    first, second = await Database.open(path), await Database.open(path)
    sched = await schedule(Store(first))

    async def claim(database, owner):
        return await Store(database).claims.try_claim(sched.id, SLOT, "post", owner, T0)

    results = await asyncio.gather(
        *(claim(db, f"p{i}") for i, db in enumerate([first, second] * 5))
    )
    assert sorted(results) == [False] * 9 + [True]
    await first.close()
    await second.close()


async def test_done_is_final_failed_is_retried_and_visible(store):
    sched = await schedule(store)
    claims = store.claims
    assert await claims.try_claim(sched.id, SLOT, "post", "A", T0)
    assert await claims.fail(sched.id, SLOT, "post", error="ratelimited", now=T0)
    [failed] = await claims.failed("T1")
    assert (failed.status, failed.last_error, failed.attempts) == ("failed", "ratelimited", 1)
    assert [c.id for c in await claims.retryable(sched.id, "post", now=T0)] == [failed.id]
    assert await claims.reclaim(failed.id, owner="B", now=T0 + timedelta(minutes=1))
    assert not await claims.reclaim(failed.id, owner="C", now=T0 + timedelta(minutes=1))
    assert await claims.complete(sched.id, SLOT, "post", now=T0, owner="B")
    assert not await claims.try_claim(sched.id, SLOT, "post", "D", T0 + timedelta(days=1))
    done = await claims.get(sched.id, SLOT, "post")
    assert (done.status, done.owner, done.attempts) == ("done", "B", 2)
    assert await claims.failed("T1") == []


async def test_a_lapsed_lease_can_be_taken_over_and_the_old_owner_cannot_finish(store):
    sched = await schedule(store)
    claims = store.claims
    assert await claims.try_claim(sched.id, SLOT, "reveal", "A", T0)
    assert not await claims.try_claim(sched.id, SLOT, "reveal", "B", T0 + timedelta(minutes=5))
    assert await claims.try_claim(sched.id, SLOT, "reveal", "B", T0 + timedelta(minutes=11))
    assert not await claims.complete(sched.id, SLOT, "reveal", now=T0, owner="A")
    assert await claims.complete(sched.id, SLOT, "reveal", now=T0, owner="B")


async def test_attempts_are_capped(store):
    sched = await schedule(store)
    claims = store.claims
    now = T0
    assert await claims.try_claim(sched.id, SLOT, "recap", "A", now, max_attempts=2)
    await claims.fail(sched.id, SLOT, "recap", error="e1", now=now)
    assert await claims.try_claim(sched.id, SLOT, "recap", "A", now, max_attempts=2)
    await claims.fail(sched.id, SLOT, "recap", error="e2", now=now)
    assert not await claims.try_claim(sched.id, SLOT, "recap", "A", now, max_attempts=2)
    assert [c.last_error for c in await claims.failed("T1")] == ["e2"]


async def test_skipped_slots_and_last_slot_date(store):
    sched = await schedule(store)
    claims = store.claims
    assert await claims.last_slot_date(sched.id, "post") is None
    assert await claims.record_skipped("T1", sched.id, SLOT, "post", owner="A", now=T0)
    assert not await claims.try_claim(sched.id, SLOT, "post", "A", T0)
    assert await claims.try_claim(sched.id, SLOT + timedelta(days=1), "post", "A", T0)
    assert await claims.last_slot_date(sched.id, "post") == SLOT + timedelta(days=1)
    assert await claims.last_slot_date(sched.id, "recap") is None


async def test_event_ids_are_seen_once_until_they_expire(store):
    events = store.events
    assert await events.first_seen("Ev1", T0)
    assert not await events.first_seen("Ev1", T0 + timedelta(minutes=3))
    assert await events.first_seen("Ev2", T0)
    assert await events.first_seen("Ev1", T0 + timedelta(days=2))  # expired, purged
    count = await store.db.fetchone("SELECT COUNT(*) FROM processed_events")
    assert count[0] == 1  # Ev2 purged too, Ev1 stored again


async def test_reveal_claims_and_progress(store):
    from .conftest import channel_post

    post = await channel_post(store)
    reveals = store.reveals
    assert await reveals.claim(post.id, owner="A", now=T0)
    assert not await reveals.claim(post.id, owner="B", now=T0 + timedelta(minutes=1))
    await reveals.fail(post.id, error="Slack error: ratelimited", now=T0)
    [failing] = await reveals.failing("T1", "C1")
    assert (failing.id, failing.error) == (post.id, "Slack error: ratelimited")
    assert await reveals.claim(post.id, owner="B", now=T0 + timedelta(minutes=2))
    await reveals.summary_posted(post.id, "111.2")
    await reveals.original_closed(post.id)
    progress = await reveals.progress(post.id)
    assert (progress.summary_ts, progress.original_closed) == ("111.2", True)
    assert await store.posts.mark_revealed(post.id, T0 + timedelta(hours=8))
    assert not await store.posts.mark_revealed(post.id, T0 + timedelta(hours=9))
    assert await reveals.failing("T1") == []
    assert not await reveals.claim(post.id, owner="C", now=T0 + timedelta(days=1))
