from datetime import UTC, date, datetime, timedelta

import pytest

from .conftest import T0, answer, channel_post, graded


def berlin_nine(day: date) -> datetime:
    # 09:00 in Berlin: 08:00 UTC in winter, 07:00 UTC from 2024-03-31.
    return datetime(day.year, day.month, day.day, 8 if day < date(2024, 3, 31) else 7, tzinfo=UTC)


async def test_streak_over_weekend_and_dst_in_the_users_zone(store):
    days = [date(2024, 3, d) for d in (25, 26, 27, 28, 29)] + [date(2024, 4, 1), date(2024, 4, 2)]
    posts = [await channel_post(store, opened=berlin_nine(d), topics=("pca", "svd")) for d in days]
    for n, post in enumerate(posts):
        if n != 1:  # missed Tuesday 26th
            await store.answers.record(answer(post, event=f"E{n}"), graded(0.5 + n / 20))
    await store.users.upsert("T1", "U1", tz="America/Los_Angeles", now=T0)
    now = posts[-1].opened_at + timedelta(hours=1)
    stats = await store.stats.for_user("T1", "U1", now=now)
    assert (stats.streak, stats.best_streak) == (5, 5)  # Wed..Fri, Mon, Tue
    assert stats.answered == 6
    assert stats.points == sum(round(20 * (0.5 + n / 20)) for n in range(7) if n != 1)
    assert stats.rank == 1
    assert stats.average_score == pytest.approx(sum(0.5 + n / 20 for n in range(7) if n != 1) / 6)
    assert set(stats.topic_mastery) == {"pca", "svd"}
    assert stats.topic_mastery["pca"].answered == 6


async def test_todays_open_question_keeps_the_streak(store):
    first = await channel_post(store, opened=T0)
    second = await channel_post(store, opened=T0 + timedelta(days=1))
    await store.answers.record(answer(first, event="E1"), graded(1.0))
    stats = await store.stats.for_user("T1", "U1", now=second.opened_at, tz="UTC")
    assert (stats.streak, stats.best_streak) == (1, 1)
    later = await store.stats.for_user("T1", "U1", now=T0 + timedelta(days=3), tz="UTC")
    assert (later.streak, later.best_streak) == (0, 1)


async def test_unknown_user_has_empty_stats(store):
    stats = await store.stats.for_user("T1", "U404", now=T0)
    assert (stats.answered, stats.average_score, stats.points, stats.rank, stats.streak) == (
        0,
        None,
        0,
        None,
        0,
    )
    assert stats.topic_mastery == {}


async def test_review_cards_come_due(store):
    reviews = store.reviews
    await reviews.record("T1", "U1", "q-poor", 0.1, T0)
    await reviews.record("T1", "U1", "q-good", 0.95, T0)
    await reviews.record("T1", "U2", "q-poor", 0.1, T0)
    assert await reviews.due("T1", "U1", T0, 5) == []
    assert await reviews.due("T1", "U1", T0 + timedelta(days=1), 5) == ["q-poor"]
    assert await reviews.due("T1", "U1", T0 + timedelta(days=60), 5) == ["q-poor", "q-good"]
    assert await reviews.due("T1", "U1", T0 + timedelta(days=60), 1) == ["q-poor"]
    again = await reviews.record("T1", "U1", "q-poor", 0.9, T0 + timedelta(days=1))
    assert again.reviews == 2 and again.due_at > T0 + timedelta(days=2)
    assert await reviews.next_due_at("T1", "U1") == min(
        c.due_at for c in await reviews.cards("T1", "U1")
    )


async def test_channel_question_rotation(store):
    pool = ["q1", "q2", "q3"]
    assert await store.questions.unused_for_channel("T1", "C1", pool) == pool
    for n, qid in enumerate(["q2", "q1", "q3"]):
        await channel_post(store, question=qid, opened=T0 + timedelta(days=n))
    await channel_post(store, channel="C2", question="q9")
    assert await store.questions.unused_for_channel("T1", "C1", pool) == ["q2", "q1", "q3"]
    assert await store.questions.unused_for_channel("T1", "C1", [*pool, "q4"]) == ["q4"]
    assert await store.questions.unused_for_channel("T1", "C2", pool) == pool


async def test_failed_posts_do_not_use_up_a_question(store):
    post = await channel_post(store, question="q1")
    await store.posts.mark_failed(post.id, "channel_not_found", T0)
    assert await store.questions.unused_for_channel("T1", "C1", ["q1", "q2"]) == ["q1", "q2"]
    assert [p.id for p in await store.posts.failed("T1")] == [post.id]


async def test_posts_lifecycle_and_slot_idempotence(store):
    sched = await store.schedules.upsert(
        "T1",
        "C1",
        post_time="09:00",
        tz="Europe/Berlin",
        days=[0, 2, 4],
        reveal_time="17:00",
        topics=["pca"],
        recap_day=4,
        created_by="UA",
        now=T0,
    )
    assert sched.days == frozenset({0, 2, 4}) and sched.reveal_after_hours is None
    kwargs = dict(
        kind="channel",
        opened_at=T0,
        deadline_at=T0 + timedelta(hours=8),
        difficulty="easy",
        schedule_id=sched.id,
        slot_date=date(2024, 3, 4),
    )
    post = await store.posts.create("T1", "C1", "q1", **kwargs)
    same = await store.posts.create("T1", "C1", "q2", **kwargs)
    assert same.id == post.id and same.question_id == "q1"
    await store.posts.set_message(post.id, "C1", "1700.01")
    assert (await store.posts.by_message("T1", "C1", "1700.01")).id == post.id
    assert [p.id for p in await store.posts.open_in_channel("T1", "C1")] == [post.id]
    assert await store.posts.due_for_reveal(T0 + timedelta(hours=7)) == []
    assert [p.id for p in await store.posts.due_for_reveal(T0 + timedelta(hours=8))] == [post.id]
    await store.answers.record(answer(post, event="E1"), graded(0.5))
    await store.posts.mark_revealed(post.id, T0 + timedelta(hours=8))
    [(revealed, average)] = await store.posts.revealed_between(
        "T1", "C1", T0 - timedelta(days=1), T0 + timedelta(days=1)
    )
    assert revealed.status == "revealed" and average == 0.5
    assert await store.posts.open_in_channel("T1", "C1") == []


async def test_schedules_users_and_workspaces(store):
    with pytest.raises(ValueError):
        await store.schedules.upsert(
            "T1", "C1", post_time="9am", tz="UTC", days=[0], created_by="UA", now=T0
        )
    with pytest.raises(ValueError):
        await store.schedules.upsert(
            "T1", "C1", post_time="09:00", tz="UTC", days=[], created_by="UA", now=T0
        )
    first = await store.schedules.upsert(
        "T1", "C1", post_time="09:00", tz="UTC", days=[0], created_by="UA", now=T0
    )
    assert first.reveal_after_hours == 8.0
    moved = await store.schedules.upsert(
        "T1",
        "C1",
        post_time="10:30",
        tz="Asia/Tokyo",
        days=range(7),
        reveal_after_hours=2,
        created_by="UB",
        now=T0,
    )
    assert moved.id == first.id and moved.post_time == "10:30" and len(moved.days) == 7
    assert moved.created_by == "UA"
    assert await store.schedules.set_paused("T1", "C1", True, T0)
    assert await store.schedules.active() == []
    assert await store.schedules.delete("T1", "C1")
    assert await store.schedules.get("T1", "C1") is None

    user = await store.users.upsert(
        "T1", "U1", display_name="Ada", tz="Europe/Paris", is_admin=True, now=T0
    )
    renamed = await store.users.upsert("T1", "U1", display_name="Ada L.", now=T0)
    assert (renamed.tz, renamed.is_admin, renamed.display_name) == ("Europe/Paris", True, "Ada L.")
    assert user.team_id == "T1" and await store.users.admins("T1") == ["U1"]
    assert await store.users.get("T1", "U2") is None
    ws = await store.workspaces.upsert("T1", name="Acme", tz="Asia/Kolkata", now=T0)
    assert (ws.name, ws.tz) == ("Acme", "Asia/Kolkata")
