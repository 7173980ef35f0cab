"""Collecting answers: thread replies and edits to a channel's question, private (modal)
answers, deletions; and routing every message event to the question it answers."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.core.posts import accepts_answers
from bot.core.records import AnswerIn, AnswerToRecord, Post
from bot.ports.requests import IncomingAnswer, MessageEvent
from bot.ports.storage import UnitOfWork
from bot.slack.blocks import plain
from bot.slack.text import has_words
from bot.usecases import practice
from bot.usecases.deps import Deps, ephemeral_message, reaction

log = logging.getLogger("mlquiz.answers")
ACK_REACTION = "white_check_mark"
CLOSED = "Answers for this question are closed; this one doesn't score."
NO_WORDS = (
    "I couldn't find any words in that answer (emoji, mentions and links "
    "alone don't count). Reply again with your explanation."
)
PRIVATE_STORED = (
    "Got your private answer. It stays hidden until the reveal; submit again to replace it."
)


def _from_bot(user_id: str | None, bot_id: str | None, bot_user_id: str) -> bool:
    return bool(bot_id) or user_id in (None, "", bot_user_id)


async def on_message(deps: Deps, event: MessageEvent) -> None:
    """A new, edited or deleted message: an answer to a question, or nothing.
    (Slack's retries of an event are dropped at the inbox, by its event id.)"""
    bot_user = deps.slack.gateway_for(event.team_id).bot_user_id
    if event.subtype == "message_changed":
        await _on_edit(deps, event, bot_user)
    elif event.subtype == "message_deleted":
        await _on_delete(deps, event)
    elif event.subtype in (None, "file_share"):
        await _on_new(deps, event, bot_user)


async def _post_of_thread(deps: Deps, team_id: str, channel_id: str, thread_ts: str) -> Post | None:
    async with deps.storage.reading() as uow:
        post = await uow.posts.by_message(team_id, channel_id, thread_ts)
    return post if post is not None and post.kind == "channel" else None


async def _on_new(deps: Deps, event: MessageEvent, bot_user: str) -> None:
    if _from_bot(event.user_id, event.bot_id, bot_user) or event.user_id is None:
        return
    incoming = IncomingAnswer(
        team_id=event.team_id,
        user_id=event.user_id,
        channel_id=event.channel_id,
        text=event.text,
        source="dm" if event.channel_type == "im" else "thread",
        message_ts=event.ts,
        event_id=event.event_id,
        thread_ts=event.thread_ts,
    )
    if event.channel_type == "im":
        post = await practice.find_practice_post(deps, incoming)
        if post is not None:
            await practice.answer_practice(deps, incoming, post)
        else:
            await practice.no_open_question(deps, incoming)
        return
    if not incoming.thread_ts or incoming.thread_ts == incoming.message_ts:
        return  # top-level channel chatter is not an answer
    post = await _post_of_thread(deps, event.team_id, event.channel_id, incoming.thread_ts)
    if post is not None:
        await collect_answer(deps, incoming, post)


async def _on_edit(deps: Deps, event: MessageEvent, bot_user: str) -> None:
    if _from_bot(event.inner_user_id, event.inner_bot_id, bot_user) or not event.inner_thread_ts:
        return
    assert event.inner_user_id is not None
    post = await _post_of_thread(deps, event.team_id, event.channel_id, event.inner_thread_ts)
    if post is None:
        return  # practice answers are graded at once; a later edit does not re-grade
    incoming = IncomingAnswer(
        team_id=event.team_id,
        user_id=event.inner_user_id,
        channel_id=event.channel_id,
        text=event.inner_text,
        source="thread",
        message_ts=event.inner_ts,
        event_id=event.event_id,
        thread_ts=event.inner_thread_ts,
    )
    await collect_edit(deps, incoming, post)


async def _on_delete(deps: Deps, event: MessageEvent) -> None:
    if not event.inner_thread_ts or not event.inner_user_id:
        return
    post = await _post_of_thread(deps, event.team_id, event.channel_id, event.inner_thread_ts)
    if post is None:
        return
    await withdraw_answer(
        deps, post, user_id=event.inner_user_id, message_ts=event.deleted_ts or event.inner_ts
    )


def is_thread_reply(event: MessageEvent) -> bool:
    """A new message in a channel thread: the common case, collected in batches."""
    return (
        event.subtype is None
        and event.channel_type != "im"
        and event.user_id is not None
        and event.bot_id is None
        and bool(event.thread_ts)
        and event.thread_ts != event.ts
    )


async def collect_replies(deps: Deps, replies: Sequence[tuple[int, MessageEvent]]) -> set[int]:
    """Many thread replies at once, as they arrive in a busy thread: stored (one
    transaction for all), ✅ for each stored one, a word to each refused one, and their
    inbox rows done in the same transaction. Returns the inbox ids it handled; replies
    that are not answers to a channel question are left for `on_message`."""
    by_team: dict[str, list[tuple[int, MessageEvent]]] = {}
    for inbox_id, event in replies:
        by_team.setdefault(event.team_id, []).append((inbox_id, event))
    handled: set[int] = set()
    for team_id, items in by_team.items():
        bot_user = deps.slack.gateway_for(team_id).bot_user_id
        items = [(i, e) for i, e in items if e.user_id != bot_user]
        async with deps.storage.reading() as uow:
            posts = await uow.posts.by_messages(
                team_id, sorted({(e.channel_id, e.thread_ts or "") for _, e in items})
            )
        mine = [
            (i, e, posts[(e.channel_id, e.thread_ts or "")])
            for i, e in items
            if (e.channel_id, e.thread_ts or "") in posts
            and posts[(e.channel_id, e.thread_ts or "")].kind == "channel"
        ]
        if mine:
            await _collect_batch(deps, mine)
            handled.update(i for i, _, _ in mine)
    return handled


async def _collect_batch(deps: Deps, items: list[tuple[int, MessageEvent, Post]]) -> None:
    now = deps.now()
    async with deps.storage.transaction() as uow:
        current = await uow.posts.get_many(sorted({post.id for _, _, post in items}))
        to_record: list[tuple[MessageEvent, Post, AnswerToRecord]] = []
        for _, event, post in items:
            fresh = current.get(post.id, post)
            assert event.user_id is not None
            if not accepts_answers(fresh, now):
                await _tell(uow, deps, post, event.user_id, CLOSED)
            elif not has_words(event.text):
                await _tell(uow, deps, post, event.user_id, NO_WORDS)
            else:
                answer = AnswerIn(
                    team_id=event.team_id,
                    post_id=post.id,
                    user_id=event.user_id,
                    text=event.text,
                    source="thread",
                    message_ts=event.ts,
                    event_id=event.event_id,
                    answered_at=now,
                )
                to_record.append((event, post, AnswerToRecord(answer)))
        results = await uow.answers.record([item for _, _, item in to_record])
        for (event, post, _), result in zip(to_record, results, strict=True):
            if result.stored and event.ts:
                await uow.outbox.add(
                    reaction(post.team_id, post.channel_id, event.ts, ACK_REACTION), now
                )
        await uow.inbox.done_many([inbox_id for inbox_id, _, _ in items], now)


async def _tell(uow: UnitOfWork, deps: Deps, post: Post, user_id: str, text: str) -> None:
    await uow.outbox.add(
        ephemeral_message(post.team_id, post.channel_id, user_id, plain(text)), deps.now()
    )


async def _record(deps: Deps, uow: UnitOfWork, incoming: IncomingAnswer, post: Post) -> bool:
    """Store the answer if the post takes it; tell the person why not otherwise."""
    now = deps.now()
    current = await uow.posts.get(post.id)
    if current is None or not accepts_answers(current, now):
        await _tell(uow, deps, post, incoming.user_id, CLOSED)
        return False
    if not has_words(incoming.text):
        await _tell(uow, deps, post, incoming.user_id, NO_WORDS)
        return False
    result = (
        await uow.answers.record(
            [
                AnswerToRecord(
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
            ]
        )
    )[0]
    return result.stored


async def collect_answer(deps: Deps, incoming: IncomingAnswer, post: Post) -> None:
    """A thread reply: stored (the latest counts) and acknowledged with a ✅."""
    async with deps.storage.transaction() as uow:
        stored = await _record(deps, uow, incoming, post)
        if stored and incoming.message_ts:
            await uow.outbox.add(
                reaction(post.team_id, post.channel_id, incoming.message_ts, ACK_REACTION),
                deps.now(),
            )


async def collect_edit(deps: Deps, incoming: IncomingAnswer, post: Post) -> None:
    async with deps.storage.transaction() as uow:
        await _record(deps, uow, incoming, post)


async def collect_private_answer(deps: Deps, incoming: IncomingAnswer, post: Post) -> None:
    async with deps.storage.transaction() as uow:
        if await _record(deps, uow, incoming, post):
            await _tell(uow, deps, post, incoming.user_id, PRIVATE_STORED)


async def withdraw_answer(deps: Deps, post: Post, *, user_id: str, message_ts: str | None) -> None:
    """A deleted thread reply withdraws its answer while the post takes answers; after
    the reveal the graded answer stands."""
    now = deps.now()
    async with deps.storage.transaction() as uow:
        current = await uow.posts.get(post.id)
        if current is None or not accepts_answers(current, now):
            return
        await uow.answers.withdraw(
            post.team_id, post.id, user_id=user_id, message_ts=message_ts, now=now
        )
