"""Practice in DMs: asking, grading at once, the next question and reviews."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.review import review as review_card
from bot.core.scoring import points_for_post
from bot.grading import grade
from bot.ports.requests import IncomingAnswer
from bot.ports.slack import Undeliverable
from bot.slack.parser.commands import AskArgs
from bot.usecases import practice
from tests.unit.builders import OTHER, URL, USER, dm_post, fake, reply_to
from tests.unit.fakes import TEAM


def replies(deps):
    return [m.text for m in fake(deps).messages(action="respond")]


def dm_answer(post, *, user=USER, text="x", event_id="Ev1", thread_ts=None, post_id=None):
    return IncomingAnswer(
        team_id=TEAM,
        user_id=user,
        channel_id=post.channel_id,
        text=text,
        source="dm",
        message_ts="1709000100.000001",
        event_id=event_id,
        thread_ts=thread_ts,
        post_id=post_id,
    )


async def ask(deps, *words, difficulty=None, user=USER):
    await practice.ask(
        deps,
        team_id=TEAM,
        user_id=user,
        args=AskArgs(tuple(words), difficulty),
        reply_to=reply_to(user),
    )


# -- ask ------------------------------------------------------------------------------


async def test_unknown_topic_suggests_the_closest_topics(deps):
    await ask(deps, "matrix")
    assert replies(deps) == [
        "I don't know the topic “matrix”. Did you mean `ill-conditioning`, "
        "`information-theory` or `evaluation-metrics`?"
    ]
    assert fake(deps).state.posts == {}


async def test_unknown_topic_without_suggestions_points_to_the_topic_list(deps, gateway):
    await ask(deps, "quantum", "<!channel>")
    assert replies(deps) == [
        "I don't know the topic “quantum &lt;!channel&gt;”. Try `/mlquiz topics`."
    ]
    assert gateway.calls == []


async def test_an_empty_pool_is_said_so(deps, gateway):
    await ask(deps, "ill-conditioning", difficulty="easy")
    assert replies(deps) == [
        "There is no easy Ill-conditioned covariance matrices question in the bank. "
        "Try `/mlquiz topics`."
    ]
    assert gateway.calls == [] and fake(deps).state.posts == {}


async def test_an_undeliverable_dm_is_explained_and_nothing_is_recorded(deps, gateway):
    gateway.fail("open_dm", Undeliverable("cannot_dm_bot"))
    await ask(deps, "overfitting")
    assert replies(deps) == ["I can't send you a DM, so I can't ask you a question."]
    assert fake(deps).state.posts == {}
    assert [m.action for m in fake(deps).messages()] == ["respond"]


async def test_ask_records_the_question_and_its_confirmation_in_one_transaction(deps, gateway):
    storage = fake(deps)
    before = storage.transactions
    await ask(deps, "overfitting", difficulty="easy")
    assert storage.transactions == before + 1
    (post,) = storage.state.posts.values()
    question = deps.bank.get(post.question_id)
    assert question is not None
    assert "overfitting" in question.topics and question.difficulty.value == "easy"
    assert (post.kind, post.user_id, post.channel_id, post.deadline_at) == ("dm", USER, "DU1", None)
    assert gateway.calls_to("open_dm") == [{"user": USER}]
    question_message, confirmation = storage.messages()
    assert (question_message.key, question_message.action, question_message.channel_id) == (
        f"post:{post.id}",
        "post",
        "DU1",
    )
    assert question_message.subject == f"post:{post.id}"
    assert question_message.text == f"Question: {question.title}"
    assert (confirmation.action, confirmation.url, confirmation.user_id) == ("respond", URL, USER)
    assert confirmation.text == f"Sent you *{question.title}* in a DM. Good luck!"
    assert confirmation.expires_at == deps.now() + timedelta(minutes=30)


async def test_ask_by_alias_and_mainly_about_the_topic(deps):
    await ask(deps, "pca")
    (post,) = fake(deps).state.posts.values()
    question = deps.bank.get(post.question_id)
    assert question is not None and question.primary_topic == "dimensionality-reduction"


async def test_questions_never_asked_come_before_any_repeat(deps):
    pool = practice.practice_pool(deps, "probability", "hard")
    assert len(pool) >= 2
    for _ in pool:
        await ask(deps, "probability", difficulty="hard")
        deps.clock.advance(minutes=1)  # type: ignore[attr-defined]
    asked = [p.question_id for p in fake(deps).state.posts.values()]
    assert sorted(asked) == sorted(q.id for q in pool)
    await ask(deps, "probability", difficulty="hard")
    assert fake(deps).state.posts[len(pool) + 1].question_id == asked[0]  # the oldest


async def test_another_reads_topic_and_difficulty_from_the_button(deps):
    await practice.another(
        deps, team_id=TEAM, user_id=USER, value="overfitting|hard", reply_to=reply_to()
    )
    await practice.another(
        deps, team_id=TEAM, user_id=USER, value="not-a-topic|impossible", reply_to=reply_to()
    )
    first, second = (deps.bank.get(p.question_id) for p in fake(deps).state.posts.values())
    assert first is not None and second is not None
    assert first.primary_topic == "overfitting" and first.difficulty.value == "hard"
    assert second.for_practice  # an unknown topic or level means any question


# -- answers ---------------------------------------------------------------------------


async def test_find_practice_post_by_id_thread_or_newest_open(deps):
    older = await dm_post(deps)
    newer = await dm_post(deps)
    assert await practice.find_practice_post(deps, dm_answer(older, post_id=older.id)) == older
    by_thread = dm_answer(older, thread_ts=older.message_ts)
    assert await practice.find_practice_post(deps, by_thread) == older
    assert await practice.find_practice_post(deps, dm_answer(older)) == newer
    nobody = dm_answer(older, user=OTHER)
    nobody = IncomingAnswer(**{**nobody.__dict__, "channel_id": "DU2"})
    assert await practice.find_practice_post(deps, nobody) is None


async def test_no_open_question_says_how_to_get_one(deps):
    post = await dm_post(deps)
    await practice.no_open_question(deps, dm_answer(post, thread_ts="1709000000.5"))
    (note,) = fake(deps).messages()
    assert (note.action, note.channel_id, note.thread_ts) == ("post", "DU1", "1709000000.5")
    assert note.text.startswith("There is no open question here to answer.")


async def test_someone_elses_question_is_ignored(deps):
    post = await dm_post(deps, user=OTHER)
    await practice.answer_practice(deps, dm_answer(post, text="bias and variance"), post)
    assert fake(deps).messages() == [] and fake(deps).state.answers == {}


async def test_an_answer_to_a_graded_question_gets_a_note(deps):
    post = await dm_post(deps)
    async with deps.storage.transaction() as uow:
        await uow.posts.mark_revealed(post.id, deps.now())
        graded = await uow.posts.get(post.id)
    await practice.answer_practice(deps, dm_answer(post, text="some words"), graded)
    (note,) = fake(deps).messages()
    assert note.text == "You've already been graded on this one. Press *Another question*."
    assert (note.channel_id, note.thread_ts) == ("DU1", post.message_ts)
    assert fake(deps).state.answers == {}


async def test_an_answer_without_words_gets_a_note(deps):
    post = await dm_post(deps)
    await practice.answer_practice(deps, dm_answer(post, text=":thinking_face: <@U9>"), post)
    (note,) = fake(deps).messages()
    assert note.text.startswith("I couldn't find any words in that answer")
    assert fake(deps).state.answers == {} and fake(deps).state.posts[post.id].status == "open"


async def test_a_question_gone_from_the_bank_cannot_be_graded(deps):
    post = await dm_post(deps)
    async with deps.storage.transaction() as uow:
        gone = await uow.posts.create(
            TEAM,
            "DU1",
            "no-such-question",
            kind="dm",
            opened_at=deps.now(),
            deadline_at=None,
            difficulty="easy",
            user_id=USER,
        )
    await practice.answer_practice(deps, dm_answer(post, text="some words"), gone)
    (note,) = fake(deps).messages()
    assert note.text == "That question is no longer in the bank, so it can't be graded."
    assert fake(deps).state.answers == {}


async def test_a_practice_answer_is_graded_reviewed_and_answered_in_the_thread(deps):
    post = await dm_post(deps)
    question = deps.bank.get(post.question_id)
    assert question is not None
    text = question.expected_answer
    await practice.answer_practice(deps, dm_answer(post, text=text), post)
    state = fake(deps).state
    expected = grade(question, text)
    (answer,) = state.answers.values()
    assert (answer.user_id, answer.source, answer.text) == (USER, "dm", text)
    assert answer.score == pytest.approx(expected.score, abs=1e-4)
    assert answer.points == points_for_post(expected.score, question.difficulty.value, "dm") == 0
    assert answer.graded_at == deps.now()
    assert state.posts[post.id].status == "revealed"
    card = state.cards[(TEAM, USER, question.id)]
    assert card.record.reviews == 1
    assert card.record.due_at == review_card(None, expected.score, deps.now()).due_at
    (feedback,) = fake(deps).messages()
    assert (feedback.key, feedback.action) == (f"feedback:{answer.id}", "post")
    assert (feedback.channel_id, feedback.thread_ts) == ("DU1", post.message_ts)
    assert feedback.text.startswith("Graded ") and question.title in feedback.text
    assert "practice, not ranked" in str(feedback.blocks)


async def test_a_long_answer_is_graded_with_a_gentle_note(deps):
    post = await dm_post(deps)
    await practice.answer_practice(deps, dm_answer(post, text="variance " * 1500), post)
    (feedback,) = fake(deps).messages()
    assert "Your answer was 13,500 characters; shorter answers read better." in str(feedback.blocks)


async def test_a_duplicate_event_is_graded_once(deps):
    post = await dm_post(deps)
    answer = dm_answer(post, text="bias and variance", event_id="Ev7")
    await practice.answer_practice(deps, answer, post)
    # Slack's retry reaches us with the post as it was read before the first grading.
    await practice.answer_practice(deps, answer, post)
    assert len(fake(deps).state.answers) == 1
    assert [m.key for m in fake(deps).messages()] == ["feedback:1"]
    assert fake(deps).state.cards[(TEAM, USER, post.question_id)].record.reviews == 1


async def test_a_second_answer_to_a_graded_question_read_before_grading_is_dropped(deps):
    post = await dm_post(deps)
    await practice.answer_practice(deps, dm_answer(post, text="first", event_id="A"), post)
    await practice.answer_practice(deps, dm_answer(post, text="second", event_id="B"), post)
    (answer,) = fake(deps).state.answers.values()
    assert answer.text == "first"
    assert len(fake(deps).messages()) == 1


# -- review ----------------------------------------------------------------------------


async def test_review_with_nothing_due_says_so(deps, gateway):
    await practice.review(deps, team_id=TEAM, user_id=USER, reply_to=reply_to())
    assert replies(deps) == [
        "Nothing is due for review. Questions you find hard come back here when they are "
        "due; meanwhile try `/mlquiz ask`."
    ]
    assert gateway.calls == []


async def test_review_sends_the_most_overdue_question_with_its_reason(deps):
    first, second = [q for q in deps.bank if q.for_practice][:2]
    async with deps.storage.transaction() as uow:
        for question, days in ((first, 3), (second, 1)):
            await uow.reviews.save(
                TEAM,
                USER,
                question.id,
                card={},
                score=0.2,
                now=deps.now(),
                due_at=deps.now() - timedelta(days=days),
            )
        await uow.reviews.save(
            TEAM,
            USER,
            "not-in-the-bank",
            card={},
            score=0.2,
            now=deps.now(),
            due_at=deps.now() - timedelta(days=9),
        )
    await practice.review(deps, team_id=TEAM, user_id=USER, reply_to=reply_to())
    (post,) = fake(deps).state.posts.values()
    assert post.question_id == first.id
    question_message, confirmation = fake(deps).messages()
    assert "🔁 Review: due again (2 due in all)." in str(question_message.blocks)
    assert confirmation.text == f"Sent you a review question, *{first.title}*, in a DM."
