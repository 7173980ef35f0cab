from datetime import timedelta

import pytest

from bot.core.records import AnswerIn, AnswerToRecord

from .conftest import T0, answer, channel_post, graded


async def live(store, post):
    return [(a.user_id, a.text, a.status) for a in await store.answers.for_post(post.id)]


async def test_duplicate_event_id_stores_once(store):
    post = await channel_post(store)
    first = await store.answers.record(answer(post, event="Ev1"))
    retry = await store.answers.record(answer(post, event="Ev1"))
    assert first.stored and not first.duplicate and first.answer_id
    assert retry == type(retry)(False, first.answer_id, False, True, "duplicate")
    assert len(await store.answers.for_post(post.id)) == 1


async def test_same_post_and_user_without_event_id_is_one_row(store):
    post = await channel_post(store)
    a = await store.answers.record(answer(post, text="first", source="modal"))
    b = await store.answers.record(answer(post, text="first", source="modal", minutes=6))
    c = await store.answers.record(answer(post, text="second", source="modal", minutes=7))
    assert a.stored and not b.stored and b.reason == "unchanged"
    assert c.stored and c.replaced and c.answer_id == a.answer_id
    assert await live(store, post) == [("U1", "second", "live")]


async def test_an_edit_replaces_and_a_late_retry_of_the_original_does_not(store):
    post = await channel_post(store)
    original = await store.answers.record(answer(post, text="v1", event="Ev1", minutes=5))
    edit = await store.answers.record(answer(post, text="v2", event="Ev2", minutes=9))
    late = await store.answers.record(answer(post, text="v1", event="Ev1-retry", minutes=5))
    assert edit.replaced and edit.answer_id == original.answer_id
    assert not late.stored and late.reason == "stale"
    rows = await store.answers.for_post(post.id)
    assert [(r.text, r.revision, r.event_id) for r in rows] == [("v2", 2, "Ev2")]


async def test_a_deletion_withdraws_and_removes_points(store):
    post = await channel_post(store)
    await store.answers.record(answer(post, event="Ev1", ts="100.1"), graded(1.0))
    assert (await store.leaderboards.top("T1", now=T0))[0].points == 20
    gone = await store.answers.withdraw("T1", post.id, message_ts="100.1", now=T0 + timedelta(1))
    assert gone
    assert await store.answers.for_post(post.id) == []
    assert [a.status for a in await store.answers.for_post(post.id, include_withdrawn=True)] == [
        "withdrawn"
    ]
    assert await store.leaderboards.top("T1", now=T0) == []
    assert not await store.answers.withdraw("T1", post.id, "U1", now=T0 + timedelta(1))


async def test_answering_again_after_a_deletion_revives_the_row(store):
    post = await channel_post(store)
    first = await store.answers.record(answer(post, text="v1", event="E1", minutes=5))
    await store.answers.withdraw("T1", post.id, "U1", now=post.opened_at + timedelta(minutes=6))
    again = await store.answers.record(answer(post, text="v2", event="E2", minutes=7))
    assert again.stored and not again.replaced and again.answer_id == first.answer_id
    assert await live(store, post) == [("U1", "v2", "live")]


async def test_answers_after_reveal_or_deadline_are_refused(store):
    post = await channel_post(store, hours=1)
    late = await store.answers.record(answer(post, minutes=61))
    assert not late.stored and late.reason == "closed"
    await store.answers.record(answer(post, "U2", minutes=5))
    assert await store.posts.mark_revealed(post.id, T0 + timedelta(hours=1))
    after = await store.answers.record(answer(post, "U3", minutes=30))
    assert after.reason == "closed"
    assert not await store.answers.withdraw("T1", post.id, "U2", now=T0 + timedelta(hours=2))
    assert [u for u, _, _ in await live(store, post)] == ["U2"]


async def test_batch_with_duplicates_and_edits_inside_it(store):
    post = await channel_post(store)
    other = await channel_post(store, channel="C2")
    results = await store.answers.record_many(
        [
            AnswerToRecord(answer(post, "U1", "a", event="E1")),
            AnswerToRecord(answer(post, "U1", "a", event="E1")),  # retry inside the batch
            AnswerToRecord(answer(post, "U1", "b", event="E2", minutes=8)),  # edit
            AnswerToRecord(answer(other, "U1", "c", event="E3"), graded(0.5)),
            AnswerToRecord(answer(post, "U2", "d", event="E4"), graded(1.0), points=7),
        ]
    )
    assert [(r.stored, r.replaced, r.duplicate) for r in results] == [
        (True, False, False),
        (False, False, True),
        (True, True, False),
        (True, False, False),
        (True, False, False),
    ]
    assert results[0].answer_id == results[2].answer_id
    assert len({r.answer_id for r in results}) == 3
    assert sorted(await live(store, post)) == [("U1", "b", "live"), ("U2", "d", "live")]
    board = await store.leaderboards.top("T1", now=T0)
    assert [(r.user_id, r.points) for r in board] == [("U1", 10), ("U2", 7)]


async def test_grades_are_stored_as_json_and_points_follow_the_rule(store):
    post = await channel_post(store, difficulty="hard")
    recorded = await store.answers.record(answer(post, event="E1"))
    grade = {
        "score": 0.5,
        "passed": False,
        "key_points": [{"text": "k", "status": "partial"}],
        "flags": [{"code": "too_short", "message": "short"}],
    }
    await store.answers.set_grade(recorded.answer_id, grade, None, now=T0 + timedelta(hours=8))
    row = await store.answers.get(recorded.answer_id)
    assert row.grade == grade and row.score == 0.5 and row.points == 15
    await store.answers.set_grade(recorded.answer_id, {"score": 1.0}, 99, T0)
    assert (await store.answers.get(recorded.answer_id)).points == 99
    board = await store.leaderboards.top("T1", now=T0)
    assert [(r.points, r.answered) for r in board] == [(99, 1)]


async def test_unknown_post_and_bad_input_are_refused(store):
    post = await channel_post(store)
    with pytest.raises(LookupError):
        await store.answers.record(AnswerIn("T1", 999, "U1", "x", "thread", None, None, T0))
    with pytest.raises(LookupError):  # a post of another workspace
        await store.answers.record(AnswerIn("T2", post.id, "U1", "x", "thread", None, None, T0))
    with pytest.raises(ValueError):
        await store.answers.record(AnswerIn("T1", post.id, "U1", "x", "email", None, None, T0))
    assert await store.answers.for_post(post.id) == []


async def test_dm_practice_counts_in_stats_not_on_the_board(store):
    dm = await store.posts.create(
        "T1",
        "D1",
        "q-pca",
        kind="dm",
        opened_at=T0,
        deadline_at=None,
        difficulty="hard",
        topics=["pca"],
        user_id="U1",
    )
    result = await store.answers.record(answer(dm, source="dm", event="E1"), graded(1.0))
    assert result.stored
    assert (await store.answers.get(result.answer_id)).points == 0
    assert await store.leaderboards.top("T1", now=T0) == []
    stats = await store.stats.for_user("T1", "U1", now=T0 + timedelta(hours=1), tz="UTC")
    assert (stats.answered, stats.average_score, stats.points, stats.rank) == (1, 1.0, 0, None)
