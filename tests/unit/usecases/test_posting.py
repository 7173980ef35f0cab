"""Posting a channel's question: the pool, the rotation, the post and its message."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from bot.core.records import Outgoing, Post
from bot.core.schedule import RevealAfter, RevealAt, ScheduleSpec
from bot.usecases import posting
from tests.unit.builders import CHANNEL, fake
from tests.unit.fakes import TEAM

SPEC = ScheduleSpec(time=time(9, 0), tz="UTC", reveal=RevealAfter(6))
SLOT = date(2024, 3, 4)


async def post(deps, spec=SPEC, **kwargs) -> Post:
    values = dict(
        team_id=TEAM,
        channel_id=CHANNEL,
        spec=spec,
        schedule_id=None,
        slot_date=None,
        now=deps.now(),
    )
    return await posting.post_question(deps, **{**values, **kwargs})


def test_the_pool_holds_technical_practice_questions_matching_the_filters(deps):
    pool = posting.question_pool(deps, ("overfitting",), "hard")
    assert pool
    for question in pool:
        assert question.kind.value == "technical" and question.for_practice
        assert "overfitting" in question.topics and question.difficulty.value == "hard"
    everything = posting.question_pool(deps, (), None)
    assert len(everything) == sum(
        1 for q in deps.bank if q.kind.value == "technical" and q.for_practice
    )


async def test_an_empty_pool_has_nothing_to_post(deps):
    with pytest.raises(posting.NoQuestionAvailable, match="widen them"):
        await posting.choose_channel_question(deps, TEAM, CHANNEL, [])


async def test_the_rotation_takes_unasked_questions_then_the_least_recent(deps):
    pool = posting.question_pool(deps, ("overfitting",), "hard")[:3]
    asked = {}
    async with deps.storage.transaction() as uow:
        for hours, question in zip((3, 1, 2), pool, strict=True):
            opened = deps.now() - timedelta(hours=hours)
            await uow.posts.create(
                TEAM,
                CHANNEL,
                question.id,
                kind="channel",
                opened_at=opened,
                deadline_at=None,
                difficulty=question.difficulty.value,
            )
            asked[question.id] = opened
    assert (await posting.choose_channel_question(deps, TEAM, CHANNEL, pool)).id == pool[0].id
    extra = posting.question_pool(deps, ("overfitting",), "hard")[3]
    chosen = await posting.choose_channel_question(deps, TEAM, CHANNEL, [*pool, extra])
    assert chosen.id == extra.id  # never asked here beats every repeat
    other_channel = await posting.choose_channel_question(deps, TEAM, "C2", pool[:1])
    assert other_channel.id == pool[0].id


async def test_a_failed_post_does_not_count_as_asked(deps):
    first, second = posting.question_pool(deps, ("overfitting",), "hard")[:2]
    async with deps.storage.transaction() as uow:
        failed = await uow.posts.create(
            TEAM,
            CHANNEL,
            first.id,
            kind="channel",
            opened_at=deps.now(),
            deadline_at=None,
            difficulty="hard",
        )
        await uow.posts.mark_failed(failed.id, "never posted", deps.now())
        await uow.posts.create(
            TEAM,
            CHANNEL,
            second.id,
            kind="channel",
            opened_at=deps.now(),
            deadline_at=None,
            difficulty="hard",
        )
    chosen = await posting.choose_channel_question(deps, TEAM, CHANNEL, [first, second])
    assert chosen.id == first.id


async def test_the_post_and_its_message_are_recorded_together(deps):
    storage = fake(deps)
    before = storage.transactions
    created = await post(deps)
    assert storage.transactions == before + 1
    question = deps.bank.get(created.question_id)
    assert question is not None and question.kind.value == "technical"
    assert (created.kind, created.channel_id, created.status, created.message_ts) == (
        "channel",
        CHANNEL,
        "open",
        None,
    )
    assert created.deadline_at == deps.now() + timedelta(hours=6)
    assert created.topics == tuple(question.topics)
    (message,) = storage.messages()
    assert (message.key, message.action, message.channel_id, message.subject) == (
        f"post:{created.id}",
        "post",
        CHANNEL,
        f"post:{created.id}",
    )
    assert message.text == f"Question of the day: {question.title}"
    assert message.expires_at == deps.now() + posting.MANUAL_POST_EXPIRY
    assert f"<!date^{int(created.deadline_at.timestamp())}^" in str(message.blocks)


async def test_a_reveal_at_a_local_time_sets_the_deadline_that_day(deps):
    spec = ScheduleSpec(time=time(9, 0), tz="Europe/Berlin", reveal=RevealAt(time(17, 0)))
    created = await post(deps, spec=spec)
    assert created.deadline_at == datetime.fromisoformat("2024-03-04T16:00:00+00:00")


async def test_a_slot_is_posted_once_whatever_is_chosen_the_second_time(deps):
    expires = deps.now() + timedelta(hours=2)
    first = await post(deps, schedule_id=1, slot_date=SLOT, expires_at=expires)
    deps.clock.advance(minutes=10)
    deps.rng.seed(12345)  # a retry would likely choose another question
    second = await post(deps, schedule_id=1, slot_date=SLOT)
    assert second == first
    (message,) = fake(deps).messages()
    assert message.expires_at == expires
    assert len(fake(deps).state.posts) == 1


async def test_a_recorded_slot_keeps_its_own_question_and_deadline(deps):
    recorded = posting.question_pool(deps, ("overfitting",), "hard")[0]
    deadline = deps.now() + timedelta(hours=3)
    async with deps.storage.transaction() as uow:
        earlier = await uow.posts.create(
            TEAM,
            CHANNEL,
            recorded.id,
            kind="channel",
            opened_at=deps.now(),
            deadline_at=deadline,
            difficulty="hard",
            schedule_id=1,
            slot_date=SLOT,
        )
    spec = ScheduleSpec(time=time(9, 0), tz="UTC", topics=("probability",))
    again = await post(deps, spec=spec, schedule_id=1, slot_date=SLOT)
    assert again.id == earlier.id and again.question_id == recorded.id
    (message,) = fake(deps).messages()
    assert message.text == f"Question of the day: {recorded.title}"
    assert f"<!date^{int(deadline.timestamp())}^" in str(message.blocks)


async def test_a_recorded_slot_whose_question_left_the_bank_gets_no_message(deps):
    async with deps.storage.transaction() as uow:
        earlier = await uow.posts.create(
            TEAM,
            CHANNEL,
            "retired",
            kind="channel",
            opened_at=deps.now(),
            deadline_at=None,
            difficulty="hard",
            schedule_id=1,
            slot_date=SLOT,
        )
    assert (await post(deps, schedule_id=1, slot_date=SLOT)).id == earlier.id
    assert fake(deps).messages() == []


async def test_a_confirmation_commits_with_the_post(deps):
    def confirm(created: Post) -> Outgoing:
        return Outgoing(team_id=TEAM, key=f"confirm:{created.id}", action="dm", user_id="U1")

    storage = fake(deps)
    before = storage.transactions
    created = await post(deps, confirm=confirm)
    assert storage.transactions == before + 1
    assert [m.key for m in storage.messages()] == [f"post:{created.id}", f"confirm:{created.id}"]


async def test_a_failing_confirmation_leaves_no_post(deps):
    def confirm(created: Post) -> Outgoing:
        raise RuntimeError("cannot confirm")

    with pytest.raises(RuntimeError):
        await post(deps, confirm=confirm)
    assert fake(deps).state.posts == {} and fake(deps).messages() == []
