"""Posting a channel's question: the daily slot's, or one an admin asks for now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from bot.core.records import Outgoing, Post
from bot.core.review import channel_rotation
from bot.core.schedule import ScheduleSpec, reveal_deadline
from bot.slack.blocks import daily as daily_blocks
from bot.slack.schedule_text import format_local
from bot.usecases.deps import Deps, post_message
from bot.usecases.panels.guard import held_out
from questionbank.models import Question

# A question that cannot reach Slack within this long after its time is not posted
# late: the post is marked failed and shown in `/mlquiz config`.
MANUAL_POST_EXPIRY = timedelta(hours=1)


class NoQuestionAvailable(Exception):
    """The channel's filters leave no question to post."""


def question_pool(deps: Deps, topics: tuple[str, ...], difficulty: str | None) -> list[Question]:
    """The channel's pool: technical practice questions matching its filters."""
    return deps.bank.filter(
        topics=list(topics) or None, difficulty=difficulty, kind="technical", purpose="practice"
    )


async def choose_channel_question(
    deps: Deps, team_id: str, channel_id: str, pool: list[Question]
) -> Question:
    """Never-asked questions first (at random), then the least recently asked."""
    if not pool:
        raise NoQuestionAvailable(
            "no question matches this channel's topics and difficulty; "
            "widen them with `/mlquiz config topics all` or `config difficulty any`"
        )
    async with deps.storage.reading() as uow:
        history = await uow.posts.channel_history(team_id, channel_id)
        held = await held_out(uow, team_id, deps.now())
    pool = [q for q in pool if q.id not in held]
    if not pool:
        raise NoQuestionAvailable(
            "every question matching this channel's filters is held out for an interview "
            "panel; widen the topics or difficulty"
        )
    shuffled = deps.rng.sample([q.id for q in pool], len(pool))
    chosen = deps.bank.get(channel_rotation(shuffled, history)[0])
    assert chosen is not None
    return chosen


async def post_question(
    deps: Deps,
    *,
    team_id: str,
    channel_id: str,
    spec: ScheduleSpec,
    schedule_id: int | None,
    slot_date: date | None,
    now: datetime,
    expires_at: datetime | None = None,
    confirm: Callable[[Post], Outgoing] | None = None,
) -> Post:
    """Record the post with its question, and its message in the outbox, in one
    transaction; the slot's unique key makes a second call return the first post.
    `confirm(post)`, if given, is a message recorded in the same transaction (the
    admin's confirmation), so the post and its confirmation commit together."""
    question = await choose_channel_question(
        deps, team_id, channel_id, question_pool(deps, spec.topics, spec.difficulty)
    )
    deadline = reveal_deadline(spec.reveal_rule, now, spec.tz)
    async with deps.storage.transaction() as uow:
        post = await uow.posts.create(
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
        if post.question_id != question.id:
            # An earlier attempt recorded this slot with its own question: that one
            # stands, whatever was chosen now.
            chosen = deps.bank.get(post.question_id)
            if chosen is None:
                return post
            question, deadline = chosen, post.deadline_at or deadline
        message = daily_blocks.daily_post(
            question, post.id, deadline=deadline, fallback=format_local(deadline, spec.tz)
        )
        await uow.outbox.add(
            post_message(
                team_id,
                f"post:{post.id}",
                channel_id,
                message,
                subject=f"post:{post.id}",
                expires_at=expires_at or now + MANUAL_POST_EXPIRY,
            ),
            now,
        )
        if confirm is not None:
            await uow.outbox.add(confirm(post), now)
    return post
