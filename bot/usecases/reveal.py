"""The reveal: close the question, grade every answer, post the expected answer and a
ranked summary in the thread, close the original, DM each participant their feedback.

Exactly once by construction: the reveal holds a lease while it works (taken over at
once if its process dies), the post stops taking answers before grading starts, and
every message goes to the outbox under a key of its own in the same transaction as
the grades, so a resumed reveal or a second process cannot add a second summary or DM.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from enum import Enum

from bot.core.leases import reveal_key
from bot.core.ranking import RevealResult, rank_results
from bot.core.records import Post
from bot.core.scoring import points_for_post
from bot.grading import Grade, grade
from bot.slack.blocks import daily as daily_blocks
from bot.slack.blocks import practice as practice_blocks
from bot.usecases.deps import Deps, dm_message, post_message, update_message
from bot.usecases.recording import review_cards, store_grades
from questionbank.models import Question

log = logging.getLogger("mlquiz.reveal")
GRADES_BETWEEN_YIELDS = 25  # grading is CPU work: let acks through now and then


class RevealOutcome(Enum):
    REVEALED = "revealed"
    BUSY = "busy"  # a live process is revealing it right now
    ALREADY = "already"  # revealed before
    NOT_POSTED = "not_posted"  # the question never reached Slack: nothing to reveal
    WAITING = "waiting"  # the question is still on its way to Slack
    GAVE_UP = "gave_up"  # every attempt failed; the lease records why


@dataclass
class RevealTimings:
    """Seconds spent in each phase of one reveal, for logs and the benchmark."""

    answers: int = 0
    grading: float = 0.0
    building: float = 0.0  # the summary, the closed post and every feedback DM
    storing: float = 0.0  # the one write transaction


@dataclass
class Revealed:
    outcome: RevealOutcome
    timings: RevealTimings | None = None


class RevealAborted(Exception):
    """Another process finished this reveal first; nothing of ours is written."""


def describe_error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


async def reveal_post(deps: Deps, post: Post, *, owner: str) -> Revealed:
    now = deps.now()
    if post.status != "open":
        return Revealed(RevealOutcome.ALREADY)
    if post.message_ts is None:
        return Revealed(await _unposted(deps, post))
    key = reveal_key(post.id)
    async with deps.storage.transaction() as uow:
        if not await uow.leases.take(
            key, team_id=post.team_id, kind="reveal", owner=owner, now=now, policy=deps.leases
        ):
            held = await uow.leases.held_by_live(key, now, deps.leases)
            if held:
                return Revealed(RevealOutcome.BUSY)
            lease = await uow.leases.get(key)
            given_up = lease is not None and lease.status == "failed"
            return Revealed(RevealOutcome.GAVE_UP if given_up else RevealOutcome.ALREADY)
        # From here on nothing scores: the summary may be public before we finish.
        await uow.posts.close(post.id, now)
    try:
        question = deps.bank.get(post.question_id)
        if question is None:
            raise LookupError(f"question {post.question_id} is no longer in the bank")
        timings = await _reveal(deps, post, question, owner=owner, key=key)
    except RevealAborted:
        return Revealed(RevealOutcome.ALREADY)
    except Exception as exc:
        async with deps.storage.transaction() as uow:
            await uow.leases.finish(key, owner=owner, now=deps.now(), error=describe_error(exc))
        raise
    return Revealed(RevealOutcome.REVEALED, timings)


async def _unposted(deps: Deps, post: Post) -> RevealOutcome:
    """A question without a Slack ts: on its way (wait), or it never made it."""
    async with deps.storage.transaction() as uow:
        message = await uow.outbox.by_key(f"post:{post.id}")
        if message is not None and message.status in ("pending", "sending"):
            return RevealOutcome.WAITING
        # A reveal would show answers to a question nobody saw.
        await uow.posts.mark_failed(post.id, "the question was never posted", deps.now())
    return RevealOutcome.NOT_POSTED


async def _reveal(
    deps: Deps, post: Post, question: Question, *, owner: str, key: str
) -> RevealTimings:
    timings = RevealTimings()
    async with deps.storage.reading() as uow:
        answers = await uow.answers.for_post(post.id)
        # Copies of the published answer are capped only for those who had seen it.
        seen = await uow.answers.seen_reference(
            post.team_id, question.id, [a.user_id for a in answers], post.opened_at
        )
    started = time.perf_counter()
    graded: list[tuple[int, str, Grade]] = []
    for index, answer in enumerate(answers, start=1):
        result = grade(question, answer.text, seen_reference=answer.user_id in seen)
        graded.append((answer.id, answer.user_id, result))
        if index % GRADES_BETWEEN_YIELDS == 0:
            await asyncio.sleep(0)
    timings.answers = len(graded)
    timings.grading = time.perf_counter() - started

    started = time.perf_counter()
    now = deps.now()
    assert post.message_ts is not None
    # Every message is built before the write transaction opens: building a thousand
    # DMs is CPU work, and while a write transaction is open nobody else can write
    # (acks wait on the inbox's commit). The transaction only writes.
    points = {
        answer_id: points_for_post(result.score, post.difficulty, post.kind)
        for answer_id, _, result in graded
    }
    results = rank_results(
        RevealResult(
            user_id=user_id,
            covered=sum(1 for p in result.key_points if p.status == "covered"),
            total=len(result.key_points),
            score=result.score,
            points=points[answer_id],
        )
        for answer_id, user_id, result in graded
    )
    messages = [
        post_message(
            post.team_id,
            f"reveal-summary:{post.id}",
            post.channel_id,
            daily_blocks.reveal_summary(question, results),
            thread_ts=post.message_ts,
        ),
        update_message(
            post.team_id,
            f"reveal-close:{post.id}",
            post.channel_id,
            post.message_ts,
            daily_blocks.closed_post(question, participants=len(graded)),
        ),
    ]
    for index, (answer_id, user_id, result) in enumerate(graded, start=1):
        feedback = practice_blocks.graded_feedback(
            question, result, points=points[answer_id], answer_id=answer_id
        )
        messages.append(dm_message(post.team_id, f"feedback:{answer_id}", user_id, feedback))
        if index % GRADES_BETWEEN_YIELDS == 0:
            await asyncio.sleep(0)
    timings.building = time.perf_counter() - started
    started = time.perf_counter()
    async with deps.storage.transaction() as uow:
        if not await uow.posts.mark_revealed(post.id, now):
            raise RevealAborted(post.id)
        stored = await store_grades(
            uow, [(answer_id, result) for answer_id, _, result in graded], now
        )
        if stored != points:
            # The messages show these points: never store others (one rule, the core's).
            raise RuntimeError(f"post {post.id}: points differ from the stored ones")
        await review_cards(
            uow, post.team_id, question.id, [(u, result.score) for _, u, result in graded], now
        )
        await uow.outbox.add_many(messages, now)
        await uow.leases.finish(key, owner=owner, now=now)
    timings.storing = time.perf_counter() - started
    log.info(
        "revealed post %d: %d answers, grading %.3fs, building %.3fs, storing %.3fs",
        post.id,
        timings.answers,
        timings.grading,
        timings.building,
        timings.storing,
    )
    return timings
