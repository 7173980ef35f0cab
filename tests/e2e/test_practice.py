"""On-demand practice end to end: /mlquiz ask, answer in the DM thread or a modal."""

from __future__ import annotations

from bot.slack.blocks import ids
from questionbank.samples import answer_from
from tests.e2e.helpers import last_ephemeral, message_text, thread_replies


async def _ask(sandbox, user, text="ask"):
    response = await sandbox.command(user, text)
    assert response.status == 200
    dm = sandbox.dm(user)
    question = sandbox.latest_question(dm)
    return dm, question


async def _question_for(sandbox, dm, message):
    post = await sandbox.post_of(dm, message["ts"])
    return post, sandbox.bank.get(post.question_id)


async def test_ask_sends_a_dm_question_and_grades_a_thread_reply(sandbox, users):
    ada = users[0]
    dm, message = await _ask(sandbox, ada, "ask regularization")
    assert message is not None, "the question should arrive in the DM"
    assert "Sent you" in last_ephemeral(sandbox, ada)
    post, question = await _question_for(sandbox, dm, message)
    assert "regularization" in question.topics

    good = answer_from(question, len(question.key_points))
    await sandbox.reply(ada, good, channel_id=dm, thread_ts=message["ts"])
    replies = thread_replies(sandbox, dm, message["ts"])
    feedback = message_text(replies[-1])
    assert "Pass" in feedback
    assert "Expected answer" in feedback
    for point in question.key_points:
        assert point.text.split()[0] in feedback
    answers = await sandbox.answers_for(post.id)
    assert len(answers) == 1 and answers[0].score is not None and answers[0].score >= 0.6


async def test_modal_answer_is_graded_and_appeal_is_stored(sandbox, users):
    bayes = users[1]
    dm, message = await _ask(sandbox, bayes, "ask probability easy")
    await sandbox.press(bayes, ids.ANSWER_BUTTON, channel_id=dm, message_ts=message["ts"])
    views = sandbox.standin.open_views(bayes)
    assert views and views[-1]["callback_id"] == ids.ANSWER_MODAL
    await sandbox.submit_modal(
        bayes, {ids.ANSWER_INPUT_BLOCK: {ids.ANSWER_INPUT: "It is about eigenvectors."}}
    )
    feedback = thread_replies(sandbox, dm, message["ts"])[-1]
    assert "Key points" in message_text(feedback)

    await sandbox.press(bayes, ids.APPEAL_BUTTON, channel_id=dm, message_ts=feedback["ts"])
    assert sandbox.standin.open_views(bayes)[-1]["callback_id"] == ids.APPEAL_MODAL
    await sandbox.submit_modal(
        bayes, {ids.APPEAL_INPUT_BLOCK: {ids.APPEAL_INPUT: "I did mention variance."}}
    )
    rows = await sandbox.app.storage.db.fetchall("SELECT user_id, note FROM appeals")
    assert [(r["user_id"], r["note"]) for r in rows] == [(bayes, "I did mention variance.")]


async def test_empty_modal_answer_is_refused_inline(sandbox, users):
    clara = users[2]
    dm, message = await _ask(sandbox, clara)
    await sandbox.press(clara, ids.ANSWER_BUTTON, channel_id=dm, message_ts=message["ts"])
    response = await sandbox.submit_modal(clara, {ids.ANSWER_INPUT_BLOCK: {ids.ANSWER_INPUT: "  "}})
    assert response.status == 200
    assert response.json()["response_action"] == "errors"
    assert sandbox.standin.open_views(clara), "the modal stays open with the error"


async def test_unknown_topic_gets_did_you_mean(sandbox, users):
    await sandbox.command(users[0], "ask regularisaton")
    assert sandbox.latest_question(sandbox.dm(users[0])) is not None  # fuzzy match hit
    await sandbox.command(users[1], "ask quantum chemistry")
    assert "don't know the topic" in last_ephemeral(sandbox, users[1])
    assert sandbox.latest_question(sandbox.dm(users[1])) is None


async def test_another_question_button(sandbox, users):
    dm, message = await _ask(sandbox, users[0])
    await sandbox.press(users[0], ids.ANOTHER_QUESTION, channel_id=dm, message_ts=message["ts"])
    newest = sandbox.latest_question(dm)
    assert newest["ts"] != message["ts"]


async def test_review_brings_back_a_poorly_answered_question(sandbox, users, clock):
    ada = users[0]
    await sandbox.command(ada, "review")
    assert "Nothing is due" in last_ephemeral(sandbox, ada)
    dm, message = await _ask(sandbox, ada)
    _post, question = await _question_for(sandbox, dm, message)
    await sandbox.reply(ada, "no idea, sorry about that", channel_id=dm, thread_ts=message["ts"])
    clock.advance(days=3)
    await sandbox.command(ada, "review")
    review = sandbox.latest_question(dm)
    assert review["ts"] != message["ts"]
    assert question.title.upper() in message_text(review)
    assert "Review" in message_text(review)


async def test_topics_by_the_names_people_use(sandbox, users):
    for name, topic in (
        ("pca", "dimensionality-reduction"),
        ("SGD", "gradient-descent"),
        ("random forests", "ensembles"),
        ("kl divergence", "information-theory"),
    ):
        dm, message = await _ask(sandbox, users[0], f"ask {name}")
        _post, question = await _question_for(sandbox, dm, message)
        assert question.primary_topic == topic, name


async def test_a_dm_with_no_open_question_gets_a_hint(sandbox, users):
    dm = sandbox.dm(users[2])
    await sandbox.reply(users[2], "What is PCA?", channel_id=dm, thread_ts=None)
    assert "no open question" in message_text(sandbox.standin.messages(dm)[-1])


async def test_practice_does_not_repeat_until_the_topic_is_exhausted(sandbox, users, clock):
    ada = users[0]
    pool = [
        q.id
        for q in sandbox.bank.filter(topics=["convexity"], purpose="practice")
        if q.primary_topic == "convexity"
    ]
    asked = []
    for _ in range(len(pool) + 1):
        clock.advance(minutes=5)
        dm, message = await _ask(sandbox, ada, "ask convexity")
        _post, question = await _question_for(sandbox, dm, message)
        asked.append(question.id)
    assert sorted(asked[:-1]) == sorted(pool), "every question once before any repeat"
    assert asked[-1] == asked[0], "then the least recently asked comes back first"
