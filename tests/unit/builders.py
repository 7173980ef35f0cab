"""Small builders for unit tests: people, replies, questions, posts and answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.records import AnswerIn, AnswerRow, AnswerToRecord, Post
from bot.usecases.deps import Deps, ReplyTo
from questionbank.models import Question
from tests.unit.fakes import TEAM, FakeStorage

USER = "U1"
OTHER = "U2"
THIRD = "U3"
CHANNEL = "C1"
URL = "https://hooks.slack.com/commands/T1/1/abc"


def reply_to(user: str = USER) -> ReplyTo:
    """Where a slash command's answer goes: its response_url."""
    return ReplyTo(TEAM, user, response_url=URL)


def fake(deps: Deps) -> FakeStorage:
    assert isinstance(deps.storage, FakeStorage)
    return deps.storage


def channel_question(deps: Deps, difficulty: str = "medium") -> Question:
    """A question the daily pool may post (technical, for practice)."""
    return next(
        q
        for q in deps.bank
        if q.kind.value == "technical" and q.for_practice and q.difficulty.value == difficulty
    )


def practice_question(deps: Deps) -> Question:
    return next(q for q in deps.bank if q.for_practice)


def message_ts(post_id: int) -> str:
    return f"1709000000.{post_id:06d}"


async def channel_post(
    deps: Deps,
    *,
    question: Question | None = None,
    channel: str = CHANNEL,
    opened_at: datetime | None = None,
    hours: float = 8,
    posted: bool = True,
    schedule_id: int | None = None,
) -> Post:
    """A channel question, in Slack already unless `posted` is False."""
    question = question or channel_question(deps)
    opened = opened_at or deps.now()
    async with deps.storage.transaction() as uow:
        post = await uow.posts.create(
            TEAM,
            channel,
            question.id,
            kind="channel",
            opened_at=opened,
            deadline_at=opened + timedelta(hours=hours),
            difficulty=question.difficulty.value,
            topics=tuple(question.topics),
            schedule_id=schedule_id,
            slot_date=opened.date() if schedule_id is not None else None,
        )
        if posted:
            await uow.posts.set_message(post.id, channel, message_ts(post.id))
        found = await uow.posts.get(post.id)
    assert found is not None
    return found


async def dm_post(
    deps: Deps, *, user: str = USER, question: Question | None = None, posted: bool = True
) -> Post:
    """A practice question sent to `user` in their DM."""
    question = question or practice_question(deps)
    async with deps.storage.transaction() as uow:
        post = await uow.posts.create(
            TEAM,
            f"D{user}",
            question.id,
            kind="dm",
            opened_at=deps.now(),
            deadline_at=None,
            difficulty=question.difficulty.value,
            topics=tuple(question.topics),
            user_id=user,
        )
        if posted:
            await uow.posts.set_message(post.id, f"D{user}", message_ts(post.id))
        found = await uow.posts.get(post.id)
    assert found is not None
    return found


async def stored_answer(
    deps: Deps,
    post: Post,
    *,
    user: str = USER,
    text: str = "an answer about variance",
    minutes: float = 5,
    score: float | None = None,
    ts: str | None = None,
) -> AnswerRow:
    """An answer recorded straight in storage (graded when `score` is given)."""
    grade = None if score is None else {"score": score, "key_points": [], "flags": []}
    answer = AnswerIn(
        TEAM,
        post.id,
        user,
        text,
        "thread",
        ts,
        None,
        post.opened_at + timedelta(minutes=minutes),
    )
    async with deps.storage.transaction() as uow:
        (result,) = await uow.answers.record([AnswerToRecord(answer, grade=grade)])
        assert result.answer_id is not None, result
        row = await uow.answers.get(result.answer_id)
    assert row is not None
    return row
