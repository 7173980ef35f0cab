"""The reveal: close, grade every answer, summary and closing update, one DM each."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.leases import reveal_key
from bot.core.ranking import RevealResult, rank_results
from bot.core.records import Outgoing
from bot.core.scoring import points_for_post
from bot.grading import grade
from bot.usecases import reveal
from bot.usecases.reveal import RevealOutcome
from tests.unit.builders import CHANNEL, OTHER, THIRD, USER, channel_post, fake, stored_answer
from tests.unit.fakes import TEAM


async def reveal_now(deps, post, owner=None):
    return await reveal.reveal_post(deps, post, owner=owner or deps.owner)


async def test_a_post_already_revealed_is_left_alone(deps):
    post = await channel_post(deps)
    async with deps.storage.transaction() as uow:
        await uow.posts.mark_revealed(post.id, deps.now())
        revealed = await uow.posts.get(post.id)
    assert (await reveal_now(deps, revealed)).outcome is RevealOutcome.ALREADY
    assert fake(deps).messages() == [] and fake(deps).state.leases == {}


async def test_a_question_still_on_its_way_to_slack_waits(deps):
    post = await channel_post(deps, posted=False)
    async with deps.storage.transaction() as uow:
        await uow.outbox.add(
            Outgoing(team_id=TEAM, key=f"post:{post.id}", action="post", channel_id=CHANNEL),
            deps.now(),
        )
    assert (await reveal_now(deps, post)).outcome is RevealOutcome.WAITING
    assert fake(deps).state.posts[post.id].status == "open"


@pytest.mark.parametrize("message", ["none", "failed"])
async def test_a_question_that_never_reached_slack_is_marked_failed(deps, message):
    post = await channel_post(deps, posted=False)
    if message == "failed":
        async with deps.storage.transaction() as uow:
            message_id = await uow.outbox.add(
                Outgoing(team_id=TEAM, key=f"post:{post.id}", action="post", channel_id=CHANNEL),
                deps.now(),
            )
            await uow.outbox.give_up(message_id, status="failed", error="x", now=deps.now())
    assert (await reveal_now(deps, post)).outcome is RevealOutcome.NOT_POSTED
    failed = fake(deps).state.posts[post.id]
    assert failed.status == "failed" and failed.error is not None
    assert failed.error.endswith(" the question was never posted")
    assert [m.key for m in fake(deps).messages()] == (
        [] if message == "none" else [f"post:{post.id}"]
    )


async def test_a_reveal_held_by_a_live_process_is_busy(deps):
    post = await channel_post(deps)
    async with deps.storage.transaction() as uow:
        await uow.processes.beat("other", host="h", pid=2, now=deps.now())
        await uow.leases.take(
            reveal_key(post.id),
            team_id=TEAM,
            kind="reveal",
            owner="other",
            now=deps.now(),
            policy=deps.leases,
        )
    assert (await reveal_now(deps, post)).outcome is RevealOutcome.BUSY
    assert fake(deps).messages() == []
    assert fake(deps).state.posts[post.id].closed_at is None


async def test_a_reveal_done_before_is_already_done(deps):
    post = await channel_post(deps)
    async with deps.storage.transaction() as uow:
        key = reveal_key(post.id)
        await uow.leases.take(
            key, team_id=TEAM, kind="reveal", owner="other", now=deps.now(), policy=deps.leases
        )
        await uow.leases.finish(key, owner="other", now=deps.now())
    assert (await reveal_now(deps, post)).outcome is RevealOutcome.ALREADY
    assert fake(deps).messages() == []


async def test_the_reveal_grades_ranks_summarises_closes_and_dms_everyone(deps):
    post = await channel_post(deps)
    question = deps.bank.get(post.question_id)
    assert question is not None
    texts = {USER: question.expected_answer, OTHER: "no idea really", THIRD: "bias variance"}
    answers = {
        user: await stored_answer(deps, post, user=user, text=text, minutes=n)
        for n, (user, text) in enumerate(texts.items(), start=1)
    }
    deps.clock.advance(hours=8)
    done = await reveal_now(deps, post)
    assert done.outcome is RevealOutcome.REVEALED
    assert done.timings is not None and done.timings.answers == 3

    state = fake(deps).state
    grades = {user: grade(question, text) for user, text in texts.items()}
    for user, answer in answers.items():
        stored = state.answers[answer.id]
        expected = points_for_post(grades[user].score, question.difficulty.value, "channel")
        assert stored.score == pytest.approx(grades[user].score)
        assert (stored.points, stored.graded_at) == (expected, deps.now())
        assert state.cards[(TEAM, user, question.id)].record.reviews == 1
    revealed = state.posts[post.id]
    assert (revealed.status, revealed.revealed_at, revealed.closed_at) == (
        "revealed",
        deps.now(),
        deps.now(),
    )
    lease = state.leases[reveal_key(post.id)]
    assert (lease.status, lease.owner) == ("done", deps.owner)

    summary, closing, *dms = fake(deps).messages()
    assert (summary.key, summary.action, summary.channel_id, summary.thread_ts) == (
        f"reveal-summary:{post.id}",
        "post",
        CHANNEL,
        post.message_ts,
    )
    ranked = rank_results(
        RevealResult(
            user,
            sum(1 for p in grades[user].key_points if p.status == "covered"),
            len(grades[user].key_points),
            grades[user].score,
            state.answers[answers[user].id].points,
        )
        for user in texts
    )
    rendered = str(summary.blocks)
    assert "*Results* (3 answered)" in rendered
    first = ranked[0]
    assert f"{first.rank}. <@{first.user_id}>: {first.covered}/{first.total} key points" in rendered
    assert (closing.key, closing.action, closing.channel_id, closing.target_ts) == (
        f"reveal-close:{post.id}",
        "update",
        CHANNEL,
        post.message_ts,
    )
    assert "🔒 Closed: 3 answers." in str(closing.blocks)
    assert [(m.key, m.action, m.user_id) for m in dms] == [
        (f"feedback:{answers[user].id}", "dm", user) for user in texts
    ]


async def test_withdrawn_answers_are_not_graded_or_told(deps):
    post = await channel_post(deps)
    kept = await stored_answer(deps, post, user=USER)
    gone = await stored_answer(deps, post, user=OTHER)
    async with deps.storage.transaction() as uow:
        await uow.answers.withdraw(TEAM, post.id, user_id=OTHER, message_ts=None, now=deps.now())
    await reveal_now(deps, post)
    assert fake(deps).state.answers[gone.id].score is None
    assert [m.user_id for m in fake(deps).messages(action="dm")] == [kept.user_id]


async def test_a_reveal_without_answers_says_so(deps):
    post = await channel_post(deps)
    assert (await reveal_now(deps, post)).outcome is RevealOutcome.REVEALED
    summary, closing = fake(deps).messages()
    assert "_No answers this time._" in str(summary.blocks)
    assert "🔒 Closed: 0 answers." in str(closing.blocks)


async def test_a_reveal_resumed_by_another_process_adds_nothing_twice(deps):
    post = await channel_post(deps)
    await stored_answer(deps, post)
    await reveal_now(deps, post)
    before = fake(deps).messages()
    # The same post, read before the first reveal ended, revealed again by "other".
    assert (await reveal_now(deps, post, owner="other")).outcome is RevealOutcome.ALREADY
    assert fake(deps).messages() == before


async def test_a_reveal_finished_elsewhere_while_grading_writes_nothing(deps, monkeypatch):
    post = await channel_post(deps)
    await stored_answer(deps, post)
    storage = fake(deps)

    def grade_while_another_process_finishes(question, text, **options):
        storage.state.posts[post.id] = replace(storage.state.posts[post.id], status="revealed")
        return grade(question, text, **options)

    monkeypatch.setattr(reveal, "grade", grade_while_another_process_finishes)
    assert (await reveal_now(deps, post)).outcome is RevealOutcome.ALREADY
    assert storage.messages() == []
    assert all(a.score is None for a in storage.state.answers.values())


async def test_a_question_gone_from_the_bank_fails_the_lease_and_keeps_the_post_closed(deps):
    async with deps.storage.transaction() as uow:
        post = await uow.posts.create(
            TEAM,
            CHANNEL,
            "retired",
            kind="channel",
            opened_at=deps.now(),
            deadline_at=deps.now(),
            difficulty="easy",
        )
        await uow.posts.set_message(post.id, CHANNEL, "1709000000.000001")
        post = await uow.posts.get(post.id)
    with pytest.raises(LookupError, match="retired"):
        await reveal_now(deps, post)
    lease = fake(deps).state.leases[reveal_key(post.id)]
    assert lease.status == "failed"
    assert lease.last_error == "LookupError: question retired is no longer in the bank"
    closed = fake(deps).state.posts[post.id]
    assert (closed.status, closed.closed_at) == ("open", deps.now())
    assert fake(deps).messages() == []


def test_describe_error_is_short_and_typed():
    assert reveal.describe_error(ValueError("x" * 400)) == ("ValueError: " + "x" * 400)[:300]
