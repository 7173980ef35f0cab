"""Writing answers, reveal grades and review cards inside the caller's transaction."""

from __future__ import annotations

import pytest

from bot.core.records import AnswerIn, AnswerToRecord
from bot.core.review import review
from bot.grading import grade
from bot.usecases import recording
from tests.unit.builders import USER, channel_post, dm_post, fake, stored_answer
from tests.unit.fakes import TEAM


async def test_record_answer_gives_the_one_result(deps):
    post = await channel_post(deps)
    answer = AnswerIn(TEAM, post.id, USER, "words", "thread", "1.1", "Ev1", deps.now())
    async with deps.storage.transaction() as uow:
        first = await recording.record_answer(uow, AnswerToRecord(answer))
        again = await recording.record_answer(uow, AnswerToRecord(answer))
    assert (first.stored, first.answer_id, first.duplicate) == (True, 1, False)
    assert (again.stored, again.answer_id, again.duplicate, again.reason) == (
        False,
        1,
        True,
        "duplicate",
    )


async def test_store_grades_gives_points_by_difficulty_and_kind(deps):
    channel = await channel_post(deps)  # medium
    practice = await dm_post(deps)
    in_channel = await stored_answer(deps, channel)
    in_dm = await stored_answer(deps, practice)
    question = deps.bank.get(channel.question_id)
    assert question is not None
    result = grade(question, question.expected_answer)
    async with deps.storage.transaction() as uow:
        points = await recording.store_grades(
            uow, [(in_channel.id, result), (in_dm.id, result)], deps.now()
        )
    expected = int(20 * result.score + 0.5)
    assert points == {in_channel.id: expected, in_dm.id: 0}
    stored = fake(deps).state.answers[in_channel.id]
    assert (stored.points, stored.graded_at) == (expected, deps.now())
    assert stored.grade == result.to_dict()


async def test_store_grades_of_nothing_writes_nothing(deps):
    async with deps.storage.transaction() as uow:
        assert await recording.store_grades(uow, [], deps.now()) == {}


async def test_store_grades_of_an_unknown_answer_fails_whole(deps):
    post = await channel_post(deps)
    known = await stored_answer(deps, post)
    question = deps.bank.get(post.question_id)
    assert question is not None
    result = grade(question, "x")
    with pytest.raises(LookupError, match="no answer 99"):
        async with deps.storage.transaction() as uow:
            await recording.store_grades(uow, [(known.id, result), (99, result)], deps.now())
    assert fake(deps).state.answers[known.id].score is None


async def test_review_card_starts_and_then_continues_a_card(deps):
    async with deps.storage.transaction() as uow:
        first = await recording.review_card(uow, TEAM, USER, "q1", 0.9, deps.now())
    expected_first = review(None, 0.9, deps.now())
    assert (first.reviews, first.due_at, first.last_score) == (1, expected_first.due_at, 0.9)
    later = first.due_at
    deps.clock.set(later)
    async with deps.storage.transaction() as uow:
        second = await recording.review_card(uow, TEAM, USER, "q1", 0.1, later)
    expected_second = review(expected_first.card, 0.1, later)
    assert (second.reviews, second.due_at, second.last_review) == (
        2,
        expected_second.due_at,
        later,
    )
