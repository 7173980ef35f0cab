"""On-demand practice in DMs: ask, answer, grade at once, review, appeal."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot.blocks import practice as practice_blocks
from bot.blocks.common import Message
from bot.blocks.practice import plain
from bot.commands import AskArgs, match_topic
from bot.core.scoring import points_for_post
from bot.grading import grade
from bot.slack_text import escape
from bot.storage import AnswerIn
from bot.usecases.context import AppContext
from bot.usecases.replies import Reply
from questionbank.models import Question
from questionbank.topics import TOPIC_ALIASES, topic_label

log = logging.getLogger("mlquiz.practice")

_WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
_SLACK_TOKENS = re.compile(r"<[^>]*>|:[a-z0-9_+\-']+:")


@dataclass(frozen=True)
class IncomingAnswer:
    team_id: str
    user_id: str
    channel_id: str
    text: str
    source: str  # "thread" | "dm" | "modal"
    message_ts: str | None
    event_id: str | None
    thread_ts: str | None = None
    post_id: int | None = None


def has_words(text: str) -> bool:
    """Emoji codes, mentions and links alone are not an answer."""
    return bool(_WORD.search(_SLACK_TOKENS.sub(" ", text or "")))


def topic_choices(ctx: AppContext) -> dict[str, str]:
    return {slug: topic_label(slug) for slug in ctx.bank.topics("practice")}


async def ask(ctx: AppContext, *, team_id: str, user_id: str, args: AskArgs, reply: Reply) -> None:
    topic = None
    if args.topic_words:
        found = match_topic(args.topic_words, topic_choices(ctx), TOPIC_ALIASES)
        if found.best is None:
            asked = escape(" ".join(args.topic_words))
            hint = ", ".join(f"`{slug}`" for slug in found.alternatives[:3])
            text = f"I don't know the topic “{asked}”."
            text += f" Did you mean {hint}?" if hint else " Try `/mlquiz topics`."
            await reply(plain(text))
            return
        topic = found.best
    pool = ctx.bank.filter(
        topics=[topic] if topic else None, difficulty=args.difficulty, purpose="practice"
    )
    # Questions mainly about the topic first; ones that only touch it are the fallback.
    pool = [q for q in pool if q.primary_topic == topic] or pool
    if not pool:
        what = " ".join(filter(None, [args.difficulty, topic_label(topic) if topic else None]))
        await reply(plain(f"There is no {what} question in the bank. Try `/mlquiz topics`."))
        return
    channel = await open_dm(ctx, user_id)
    question = await choose_question(ctx, team_id, user_id, pool)
    await send_question(ctx, team_id=team_id, user_id=user_id, channel=channel, question=question)
    await reply(plain(f"Sent you *{escape(question.title)}* in a DM. Good luck!"))


async def open_dm(ctx: AppContext, user_id: str) -> str:
    response = await ctx.client.conversations_open(users=user_id)
    return response["channel"]["id"]


async def next_in_rotation(ctx: AppContext, pool: list[Question], rotation) -> Question:
    """The next question from `rotation(ids)` (a store rotation: never-asked ids first in
    the order given, else least recently asked first). The pool is shuffled first, so the
    head is a random never-asked question, or the least recently asked once all were."""
    shuffled = ctx.rng.sample([q.id for q in pool], len(pool))
    return ctx.bank.get((await rotation(shuffled))[0])


async def choose_question(ctx: AppContext, team_id: str, user_id: str, pool: list[Question]):
    """A question this user has not been asked yet; the least recent once all were."""

    async def rotation(ids):
        return await ctx.store.questions.unused_for_user(team_id, user_id, ids)

    return await next_in_rotation(ctx, pool, rotation)


async def send_question(
    ctx: AppContext,
    *,
    team_id: str,
    user_id: str,
    channel: str,
    question: Question,
    reason: str = "",
) -> int:
    now = ctx.now()
    post = await ctx.store.posts.create(
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
    response = await ctx.client.chat_postMessage(channel=channel, **message.as_kwargs())
    await ctx.store.posts.set_message(post.id, response["channel"], response["ts"])
    return post.id


async def find_practice_post(ctx: AppContext, answer: IncomingAnswer):
    if answer.post_id is not None:
        return await ctx.store.posts.get(answer.post_id)
    if answer.thread_ts:
        return await ctx.store.posts.by_message(answer.team_id, answer.channel_id, answer.thread_ts)
    # A top-level DM while a question is open answers the newest open question.
    open_posts = await ctx.store.posts.open_in_channel(answer.team_id, answer.channel_id)
    return open_posts[-1] if open_posts else None


async def no_open_question(ctx: AppContext, answer: IncomingAnswer) -> None:
    """A DM that answers nothing: say how to get a question rather than stay silent."""
    await ctx.client.chat_postMessage(
        channel=answer.channel_id,
        thread_ts=answer.thread_ts,
        **plain(
            "There is no open question here to answer. Type `/mlquiz ask [topic]` for a "
            "new one, or `/mlquiz help` for everything I can do."
        ).as_kwargs(),
    )


async def answer_practice(ctx: AppContext, answer: IncomingAnswer, post) -> None:
    """Grade a DM or modal answer at once and reply with feedback in the question's thread."""
    thread_ts = post.message_ts

    async def say(message: Message) -> None:
        await ctx.client.chat_postMessage(
            channel=post.channel_id, thread_ts=thread_ts, **message.as_kwargs()
        )

    if post.user_id and post.user_id != answer.user_id:
        return
    if post.status != "open":
        await say(plain("You've already been graded on this one. Press *Another question*."))
        return
    if not has_words(answer.text):
        await say(
            plain(
                "I couldn't find any words in that answer (emoji, mentions and links alone "
                "don't count). Reply again with your explanation."
            )
        )
        return
    question = ctx.bank.get(post.question_id)
    if question is None:
        await say(plain("That question is no longer in the bank, so it can't be graded."))
        return
    now = ctx.now()
    result_grade = grade(question, answer.text)
    points = points_for_post(result_grade.score, question.difficulty.value, post.kind)
    recorded = await ctx.store.answers.record(
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
        grade=result_grade.to_dict(),
        points=points,
    )
    if recorded.duplicate:
        return
    if not await ctx.store.posts.mark_revealed(post.id, now):
        return  # another delivery of this answer won the race and replied already
    await ctx.store.reviews.record(
        answer.team_id, answer.user_id, question.id, result_grade.score, now
    )
    note = ""
    if len(answer.text) > 12000:
        note = f"Your answer was {len(answer.text):,} characters; shorter answers read better."
    await say(
        practice_blocks.graded_feedback(
            question,
            result_grade,
            points=points,
            answer_id=recorded.answer_id,
            note=note,
            ranked=False,
        )
    )


async def another(ctx: AppContext, *, team_id: str, user_id: str, value: str, reply: Reply) -> None:
    topic, _, difficulty = (value or "").partition("|")
    words = (topic,) if topic and topic in ctx.bank.topics("practice") else ()
    await ask(
        ctx,
        team_id=team_id,
        user_id=user_id,
        args=AskArgs(words, difficulty or None),
        reply=reply,
    )


async def review(ctx: AppContext, *, team_id: str, user_id: str, reply: Reply) -> None:
    now = ctx.now()
    due = await ctx.store.reviews.due(team_id, user_id, now, 5)
    questions = [q for q in (ctx.bank.get(qid) for qid in due) if q is not None and q.for_practice]
    if not questions:
        await reply(
            plain(
                "Nothing is due for review. Questions you find hard come back here "
                "when they are due; meanwhile try `/mlquiz ask`."
            )
        )
        return
    question = questions[0]
    channel = await open_dm(ctx, user_id)
    await send_question(
        ctx,
        team_id=team_id,
        user_id=user_id,
        channel=channel,
        question=question,
        reason=f"🔁 Review: due again ({len(questions)} due in all).",
    )
    await reply(plain(f"Sent you a review question, *{escape(question.title)}*, in a DM."))


async def appeal(ctx: AppContext, *, team_id: str, user_id: str, answer_id: int, note: str) -> bool:
    """Store "I think I was right" as a label for calibration; only the answer's author."""
    return await ctx.store.appeals.create(team_id, answer_id, user_id, note, ctx.now())
