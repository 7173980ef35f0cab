"""On-demand practice in DMs: ask, answer, graded at once, review."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from datetime import datetime

from bot.core.records import AnswerIn, AnswerToRecord, Post
from bot.core.review import channel_rotation
from bot.core.scoring import points_for_post
from bot.grading import grade
from bot.ports.requests import IncomingAnswer
from bot.ports.slack import Undeliverable
from bot.slack.blocks import plain
from bot.slack.blocks import practice as practice_blocks
from bot.slack.parser.commands import AskArgs, match_topic
from bot.slack.parser.suggest import did_you_mean
from bot.slack.text import escape, has_words
from bot.usecases.deps import Deps, ReplyTo, new_key, post_message, reply, reply_in
from bot.usecases.panels.guard import held_out
from bot.usecases.recording import record_answer, review_card
from questionbank.models import Question
from questionbank.topics import TOPIC_ALIASES, topic_label

log = logging.getLogger("mlquiz.practice")
LONG_ANSWER = 12000  # characters; longer answers are graded but get a gentle note


def topic_choices(deps: Deps) -> dict[str, str]:
    return {slug: topic_label(slug) for slug in deps.bank.topics("practice")}


def practice_pool(
    deps: Deps, topic: str | None, difficulty: str | None, held: Collection[str] = ()
) -> list[Question]:
    """Practice questions of the topic (mainly about it first) and difficulty, less
    those `held` out by the leak guard (before choosing, so the fallback still works)."""
    pool = deps.bank.filter(
        topics=[topic] if topic else None, difficulty=difficulty, purpose="practice"
    )
    pool = [q for q in pool if q.id not in held]
    # Questions mainly about the topic first; ones that only touch it are the fallback.
    return [q for q in pool if q.primary_topic == topic] or pool


def next_in_rotation(
    deps: Deps, pool: list[Question], last_asked: Mapping[str, datetime]
) -> Question:
    """A random never-asked question of the pool, else the least recently asked: the
    pool is shuffled, then the rotation puts never-asked ones first."""
    shuffled = deps.rng.sample([q.id for q in pool], len(pool))
    chosen = deps.bank.get(channel_rotation(shuffled, last_asked)[0])
    assert chosen is not None
    return chosen


async def ask(deps: Deps, *, team_id: str, user_id: str, args: AskArgs, reply_to: ReplyTo) -> None:
    topic = None
    if args.topic_words:
        found = match_topic(args.topic_words, topic_choices(deps), TOPIC_ALIASES)
        if found.best is None:
            asked = escape(" ".join(args.topic_words))
            hint = did_you_mean(found.alternatives[:3]) or " Try `/mlquiz topics`."
            await reply(deps, reply_to, plain(f"I don't know the topic “{asked}”.{hint}"))
            return
        topic = found.best
    async with deps.storage.reading() as uow:
        history = await uow.posts.user_history(team_id, user_id)
        held = await held_out(uow, team_id, deps.now())
    pool = practice_pool(deps, topic, args.difficulty, held)
    if not pool:
        what = " ".join(filter(None, [args.difficulty, topic_label(topic) if topic else None]))
        await reply(
            deps, reply_to, plain(f"There is no {what} question in the bank. Try `/mlquiz topics`.")
        )
        return
    question = next_in_rotation(deps, pool, history)
    await send_question(
        deps,
        team_id=team_id,
        user_id=user_id,
        question=question,
        reply_to=reply_to,
        confirmation=f"Sent you *{escape(question.title)}* in a DM. Good luck!",
    )


async def send_question(
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    question: Question,
    reply_to: ReplyTo,
    confirmation: str,
    reason: str = "",
) -> Post | None:
    """Record the DM question and send it (with the caller's confirmation) at once."""
    try:
        channel = await deps.slack.gateway_for(team_id).open_dm(user_id)
    except Undeliverable:
        await reply(deps, reply_to, plain("I can't send you a DM, so I can't ask you a question."))
        return None
    now = deps.now()
    async with deps.storage.transaction() as uow:
        post = await uow.posts.create(
            team_id,
            channel,
            question.id,
            kind="dm",
            opened_at=now,
            deadline_at=None,
            user_id=user_id,
            topics=tuple(question.topics),
            difficulty=question.difficulty.value,
        )
        message = practice_blocks.practice_question(question, post.id, reason=reason)
        await uow.outbox.add(
            post_message(team_id, f"post:{post.id}", channel, message, subject=f"post:{post.id}"),
            now,
        )
        await reply_in(uow, reply_to, plain(confirmation), now)
    return post


async def find_practice_post(deps: Deps, answer: IncomingAnswer) -> Post | None:
    async with deps.storage.reading() as uow:
        if answer.post_id is not None:
            return await uow.posts.get(answer.post_id)
        if answer.thread_ts:
            return await uow.posts.by_message(answer.team_id, answer.channel_id, answer.thread_ts)
        # A top-level DM while a question is open answers the newest open question.
        open_posts = await uow.posts.open_in_channel(answer.team_id, answer.channel_id)
    return open_posts[-1] if open_posts else None


async def no_open_question(deps: Deps, answer: IncomingAnswer) -> None:
    """A DM that answers nothing: say how to get a question rather than stay silent."""
    await _say_in_dm(
        deps,
        answer.team_id,
        answer.channel_id,
        answer.thread_ts,
        "There is no open question here to answer. Type `/mlquiz ask [topic]` for a "
        "new one, or `/mlquiz help` for everything I can do.",
    )


async def _say_in_dm(
    deps: Deps, team_id: str, channel: str, thread_ts: str | None, text: str
) -> None:
    async with deps.storage.transaction() as uow:
        await uow.outbox.add(
            post_message(team_id, new_key("dm-note"), channel, plain(text), thread_ts=thread_ts),
            deps.now(),
        )


async def answer_practice(deps: Deps, answer: IncomingAnswer, post: Post) -> None:
    """Grade a DM or modal answer at once; the feedback goes to the question's thread."""
    if post.user_id and post.user_id != answer.user_id:
        return
    thread = post.message_ts
    if post.status != "open":
        await _say_in_dm(
            deps,
            post.team_id,
            post.channel_id,
            thread,
            "You've already been graded on this one. Press *Another question*.",
        )
        return
    if not has_words(answer.text):
        await _say_in_dm(
            deps,
            post.team_id,
            post.channel_id,
            thread,
            "I couldn't find any words in that answer (emoji, mentions and links alone "
            "don't count). Reply again with your explanation.",
        )
        return
    question = deps.bank.get(post.question_id)
    if question is None:
        await _say_in_dm(
            deps,
            post.team_id,
            post.channel_id,
            thread,
            "That question is no longer in the bank, so it can't be graded.",
        )
        return
    now = deps.now()
    async with deps.storage.reading() as uow:
        seen = answer.user_id in await uow.answers.seen_reference(
            post.team_id, question.id, [answer.user_id], now
        )
    # A near copy of the published answer is capped only when its author had seen it.
    result = grade(question, answer.text, seen_reference=seen)
    points = points_for_post(result.score, question.difficulty.value, post.kind)
    note = ""
    if len(answer.text) > LONG_ANSWER:
        note = f"Your answer was {len(answer.text):,} characters; shorter answers read better."
    async with deps.storage.transaction() as uow:
        recorded = await record_answer(
            uow,
            AnswerToRecord(
                AnswerIn(
                    team_id=answer.team_id,
                    post_id=post.id,
                    user_id=answer.user_id,
                    text=answer.text,
                    source=answer.source,
                    message_ts=answer.message_ts,
                    event_id=answer.event_id,
                    answered_at=now,
                ),
                grade=result.to_dict(),
                points=points,
            ),
        )
        if recorded.duplicate or not recorded.stored:
            return
        if not await uow.posts.mark_revealed(post.id, now):
            return
        await review_card(uow, answer.team_id, answer.user_id, question.id, result.score, now)
        feedback = practice_blocks.graded_feedback(
            question,
            result,
            points=points,
            answer_id=recorded.answer_id,
            note=note,
            ranked=False,
        )
        await uow.outbox.add(
            post_message(
                post.team_id,
                f"feedback:{recorded.answer_id}",
                post.channel_id,
                feedback,
                thread_ts=thread,
            ),
            now,
        )


async def another(deps: Deps, *, team_id: str, user_id: str, value: str, reply_to: ReplyTo) -> None:
    """The "Another question" button: its value is "topic|difficulty" (either empty)."""
    topic, _, difficulty = (value or "").partition("|")
    words = (topic,) if topic and topic in deps.bank.topics("practice") else ()
    level = difficulty if difficulty in ("easy", "medium", "hard") else None
    await ask(deps, team_id=team_id, user_id=user_id, args=AskArgs(words, level), reply_to=reply_to)


async def review(deps: Deps, *, team_id: str, user_id: str, reply_to: ReplyTo) -> None:
    now = deps.now()
    async with deps.storage.reading() as uow:
        due = await uow.reviews.due(team_id, user_id, now, 5)
        held = await held_out(uow, team_id, now)
    questions = [
        q
        for q in (deps.bank.get(qid) for qid in due if qid not in held)
        if q is not None and q.for_practice
    ]
    if not questions:
        await reply(
            deps,
            reply_to,
            plain(
                "Nothing is due for review. Questions you find hard come back here "
                "when they are due; meanwhile try `/mlquiz ask`."
            ),
        )
        return
    question = questions[0]
    await send_question(
        deps,
        team_id=team_id,
        user_id=user_id,
        question=question,
        reply_to=reply_to,
        confirmation=f"Sent you a review question, *{escape(question.title)}*, in a DM.",
        reason=f"🔁 Review: due again ({len(questions)} due in all).",
    )
