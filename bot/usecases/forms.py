"""The answer form: opening it from a question's button, and what its submission does."""

from __future__ import annotations

import logging

from bot.core.posts import accepts_answers
from bot.core.records import Post
from bot.ports.requests import IncomingAnswer
from bot.ports.slack import SlackError, TriggerExpired
from bot.slack.blocks import plain
from bot.slack.blocks import practice as practice_blocks
from bot.slack.text import has_words
from bot.usecases import channel_answers, practice
from bot.usecases.deps import Deps, ReplyTo, reply

log = logging.getLogger("mlquiz.forms")


def post_id_of(value: str) -> int | None:
    """A post id from a button value or a modal's private metadata, else None."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def answer_problem(text: str) -> str | None:
    """Shown inline in the modal, so nothing the user typed is lost."""
    if not text.strip():
        return "Write an answer before submitting."
    if not has_words(text):
        return "I couldn't find any words: emoji and mentions alone don't count."
    return None


async def open_answer_modal(
    deps: Deps, *, team_id: str, user_id: str, value: str, trigger_id: str, reply_to: ReplyTo
) -> None:
    post_id = post_id_of(value)
    post: Post | None = None
    if post_id is not None:
        async with deps.storage.reading() as uow:
            post = await uow.posts.get(post_id)
    question = deps.bank.get(post.question_id) if post else None
    if post is None or question is None or post.team_id != team_id:
        await reply(deps, reply_to, plain("That question is no longer available."))
        return
    if not accepts_answers(post, deps.now()):
        await reply(deps, reply_to, plain("Answers for this question are closed."))
        return
    if post.kind == "dm" and post.user_id != user_id:
        await reply(deps, reply_to, plain("That question was sent to someone else."))
        return
    try:
        await deps.slack.gateway_for(team_id).open_view(
            trigger_id, practice_blocks.answer_modal(question, post.id)
        )
    except TriggerExpired:
        # Triggers expire after 3 seconds; say so instead of failing silently.
        await reply(
            deps, reply_to, plain("I couldn't open the answer form in time. Press *Answer* again.")
        )
    except SlackError as exc:
        log.warning("views.open failed: %s", exc.code)
        await reply(deps, reply_to, plain("I couldn't open the answer form. Press *Answer* again."))


async def submit_answer(
    deps: Deps, *, team_id: str, user_id: str, post_value: str, text: str
) -> None:
    post_id = post_id_of(post_value)
    if post_id is None:
        return
    async with deps.storage.reading() as uow:
        post = await uow.posts.get(post_id)
    if post is None or post.team_id != team_id:
        return
    incoming = IncomingAnswer(
        team_id=team_id,
        user_id=user_id,
        channel_id=post.channel_id,
        text=text,
        source="modal",
        message_ts=None,
        event_id=None,
        post_id=post.id,
    )
    if post.kind == "dm":
        await practice.answer_practice(deps, incoming, post)
    else:
        await channel_answers.collect_private_answer(deps, incoming, post)
