"""The channel ritual: post the day's question, collect answers, reveal, recap."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError

from bot.blocks import daily as daily_blocks
from bot.blocks import practice as practice_blocks
from bot.blocks.practice import plain
from bot.core.schedule import ScheduleSpec, format_local, reveal_deadline
from bot.core.scoring import points_for_post
from bot.grading import Grade, grade
from bot.storage import AnswerIn
from bot.usecases.context import AppContext
from bot.usecases.practice import IncomingAnswer, has_words, next_in_rotation
from questionbank.models import Question

log = logging.getLogger("mlquiz.daily")
ACK_REACTION = "white_check_mark"
# A reveal that started but did not finish (crash, Slack outage) may be resumed by
# anyone once this lease runs out; its finished steps are recorded and not repeated.
REVEAL_LEASE = timedelta(minutes=5)


class NoQuestionAvailable(Exception):
    """The channel's filters leave no question to post."""


def question_pool(
    ctx: AppContext, topics: tuple[str, ...], difficulty: str | None
) -> list[Question]:
    pool = ctx.bank.filter(
        topics=list(topics) or None, difficulty=difficulty, kind="technical", purpose="practice"
    )
    return pool


async def choose_channel_question(
    ctx: AppContext, team_id: str, channel_id: str, pool: list[Question]
) -> Question:
    if not pool:
        raise NoQuestionAvailable(
            "no question matches this channel's topics and difficulty; "
            "widen them with `/mlquiz config topics all` or `config difficulty any`"
        )

    async def rotation(ids):
        return await ctx.store.questions.unused_for_channel(team_id, channel_id, ids)

    return await next_in_rotation(ctx, pool, rotation)


async def post_question(
    ctx: AppContext,
    *,
    team_id: str,
    channel_id: str,
    spec: ScheduleSpec,
    schedule_id: int | None,
    slot_date,
    now: datetime,
):
    """Create the post row first (its unique slot key stops a second copy), then post."""
    question = await choose_channel_question(
        ctx, team_id, channel_id, question_pool(ctx, spec.topics, spec.difficulty)
    )
    deadline = reveal_deadline(spec.reveal_rule, now, spec.tz)
    post = await ctx.store.posts.create(
        team_id,
        channel_id,
        question.id,
        kind="channel",
        opened_at=now,
        deadline_at=deadline,
        schedule_id=schedule_id,
        slot_date=slot_date,
        topics=tuple(question.topics),
        difficulty=question.difficulty.value,
    )
    if post.message_ts:
        return post  # an earlier attempt already posted this slot
    message = daily_blocks.daily_post(
        question, post.id, deadline=deadline, fallback=format_local(deadline, spec.tz)
    )
    response = await ctx.client.chat_postMessage(channel=channel_id, **message.as_kwargs())
    await ctx.store.posts.set_message(post.id, response["channel"], response["ts"])
    return await ctx.store.posts.get(post.id)


async def _tell(ctx: AppContext, post, user_id: str, text: str) -> None:
    try:
        await ctx.client.chat_postEphemeral(
            channel=post.channel_id, user=user_id, **plain(text).as_kwargs()
        )
    except SlackApiError as exc:
        log.warning("ephemeral to %s failed: %s", user_id, exc.response.get("error"))


def _closed(post, now: datetime) -> bool:
    return post.status != "open" or (post.deadline_at is not None and now >= post.deadline_at)


async def _record(ctx: AppContext, incoming: IncomingAnswer, post):
    now = ctx.now()
    if _closed(post, now):
        await _tell(
            ctx,
            post,
            incoming.user_id,
            "Answers for this question are closed; this one doesn't score.",
        )
        return None
    if not has_words(incoming.text):
        await _tell(
            ctx,
            post,
            incoming.user_id,
            "I couldn't find any words in that answer (emoji, mentions and links "
            "alone don't count). Reply again with your explanation.",
        )
        return None
    return await ctx.store.answers.record(
        AnswerIn(
            team_id=incoming.team_id,
            post_id=post.id,
            user_id=incoming.user_id,
            text=incoming.text,
            source=incoming.source,
            message_ts=incoming.message_ts,
            event_id=incoming.event_id,
            answered_at=now,
        )
    )


async def collect_answer(ctx: AppContext, incoming: IncomingAnswer, post) -> None:
    result = await _record(ctx, incoming, post)
    if result is not None and result.stored and incoming.message_ts:
        try:
            await ctx.client.reactions_add(
                channel=post.channel_id, timestamp=incoming.message_ts, name=ACK_REACTION
            )
        except SlackApiError as exc:
            if exc.response.get("error") != "already_reacted":
                log.warning("reaction failed: %s", exc.response.get("error"))


async def collect_edit(ctx: AppContext, incoming: IncomingAnswer, post) -> None:
    await _record(ctx, incoming, post)


async def collect_private_answer(ctx: AppContext, incoming: IncomingAnswer, post) -> None:
    result = await _record(ctx, incoming, post)
    if result is not None and result.stored:
        await _tell(
            ctx,
            post,
            incoming.user_id,
            "Got your private answer. It stays hidden until the reveal; "
            "submit again to replace it.",
        )


async def withdraw_answer(ctx: AppContext, post, *, user_id: str, message_ts: str | None) -> None:
    if _closed(post, ctx.now()):
        return  # after the reveal the graded answer stands
    await ctx.store.answers.withdraw(post.team_id, post.id, user_id=user_id, message_ts=message_ts)


def _rank(graded: list[tuple[object, Grade, int]]) -> list[daily_blocks.RankedResult]:
    ordered = sorted(graded, key=lambda item: (-item[2], -item[1].score, item[0].user_id))
    results, rank, previous = [], 0, None
    for position, (answer, result, points) in enumerate(ordered, start=1):
        key = (points, round(result.score, 4))
        rank = rank if key == previous else position  # ties share a rank
        previous = key
        covered = sum(1 for p in result.key_points if p.status == "covered")
        results.append(
            daily_blocks.RankedResult(
                rank, answer.user_id, covered, len(result.key_points), result.score, points
            )
        )
    return results


async def reveal_post(ctx: AppContext, post, *, owner: str) -> bool:
    """Grade everyone, post the reveal, close the post, DM feedback. Exactly once:
    the post is claimed with a lease and every finished step is recorded."""
    now = ctx.now()
    if post.message_ts is None:
        # The question never reached Slack (its posting failed for good): nothing to
        # reveal, and a reveal would show answers to a question nobody saw.
        await ctx.store.posts.mark_failed(post.id, "the question was never posted", now)
        return False
    if not await ctx.store.reveals.claim(post.id, owner=owner, now=now, lease=REVEAL_LEASE):
        return False
    question = ctx.bank.get(post.question_id)
    try:
        if question is None:
            raise LookupError(f"question {post.question_id} is no longer in the bank")
        ctx.last_reveal = await _do_reveal(ctx, post, question, now)
    except Exception as exc:
        await ctx.store.reveals.fail(post.id, error=describe_error(exc), now=now)
        raise
    return True


def describe_error(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return f"Slack error: {exc.response.get('error')}"
    return f"{type(exc).__name__}: {exc}"[:300]


@dataclass
class RevealTimings:
    """Seconds spent in each phase of one reveal, for logs and the benchmark."""

    answers: int = 0
    grade_and_store: float = 0.0
    summary_and_close: float = 0.0
    feedback_dms: float = 0.0


DM_CONCURRENCY = 8  # Slack rate-limits per method; a few in flight keeps us well inside


async def _do_reveal(ctx: AppContext, post, question: Question, now: datetime) -> RevealTimings:
    timings = RevealTimings()
    started = time.perf_counter()
    answers = await ctx.store.answers.for_post(post.id)
    graded = []
    for answer in answers:
        result = grade(question, answer.text)
        points = points_for_post(result.score, question.difficulty.value, post.kind)
        graded.append((answer, result, points))
    # One transaction for every grade: a thousand answers store in one write.
    await ctx.store.answers.set_grades(
        [(answer.id, result.to_dict(), points) for answer, result, points in graded], now
    )
    timings.answers = len(graded)
    timings.grade_and_store = time.perf_counter() - started

    started = time.perf_counter()
    progress = await ctx.store.reveals.progress(post.id)
    if not progress.summary_ts:
        summary = daily_blocks.reveal_summary(question, _rank(graded))
        response = await ctx.client.chat_postMessage(
            channel=post.channel_id, thread_ts=post.message_ts, **summary.as_kwargs()
        )
        await ctx.store.reveals.summary_posted(post.id, response["ts"])
    if not progress.original_closed and post.message_ts:
        closed = daily_blocks.closed_post(question, participants=len(graded))
        await ctx.client.chat_update(
            channel=post.channel_id, ts=post.message_ts, **closed.as_kwargs()
        )
        await ctx.store.reveals.original_closed(post.id)
    timings.summary_and_close = time.perf_counter() - started

    started = time.perf_counter()
    gate = asyncio.Semaphore(DM_CONCURRENCY)

    async def send_feedback(answer, result, points) -> None:
        async with gate:
            await ctx.store.reviews.record(
                post.team_id, answer.user_id, question.id, result.score, now
            )
            dm = await ctx.client.conversations_open(users=answer.user_id)
            feedback = practice_blocks.graded_feedback(
                question, result, points=points, answer_id=answer.id
            )
            await ctx.client.chat_postMessage(channel=dm["channel"]["id"], **feedback.as_kwargs())
            await ctx.store.reveals.feedback_sent(answer.id, now)

    pending = [item for item in graded if item[0].id not in progress.feedback_sent]
    outcomes = await asyncio.gather(
        *(send_feedback(*item) for item in pending), return_exceptions=True
    )
    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    if errors:
        # The ones that went out are recorded; a later tick resumes with the rest.
        raise errors[0]
    timings.feedback_dms = time.perf_counter() - started
    await ctx.store.posts.mark_revealed(post.id, now)
    log.info(
        "revealed post %d: %d answers, grade+store %.3fs, summary %.3fs, DMs %.3fs",
        post.id,
        timings.answers,
        timings.grade_and_store,
        timings.summary_and_close,
        timings.feedback_dms,
    )
    return timings
