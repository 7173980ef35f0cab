"""What each button does."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.blocks import practice as practice_blocks
from bot.blocks.practice import plain
from bot.usecases import practice
from bot.usecases.context import AppContext
from bot.usecases.replies import Reply

log = logging.getLogger("mlquiz.buttons")


def _as_id(value: str) -> int | None:
    return int(value) if value.isdigit() else None


async def open_answer_modal(
    ctx: AppContext, *, team_id: str, user_id: str, post_id: str, trigger_id: str, reply: Reply
) -> None:
    post = await ctx.store.posts.get(_as_id(post_id)) if _as_id(post_id) else None
    question = ctx.bank.get(post.question_id) if post else None
    if post is None or question is None or post.team_id != team_id:
        await reply(plain("That question is no longer available."))
        return
    if post.status != "open":
        await reply(plain("Answers for this question are closed."))
        return
    if post.kind == "dm" and post.user_id != user_id:
        await reply(plain("That question was sent to someone else."))
        return
    try:
        await ctx.client.views_open(
            trigger_id=trigger_id, view=practice_blocks.answer_modal(question, post.id)
        )
    except SlackApiError as exc:
        # Triggers expire after 3 seconds; say so instead of failing silently.
        log.warning("views.open failed: %s", exc.response.get("error"))
        await reply(plain("I couldn't open the answer form in time. Press *Answer* again."))


async def another_question(
    ctx: AppContext, *, team_id: str, user_id: str, value: str, reply: Reply
) -> None:
    await practice.another(ctx, team_id=team_id, user_id=user_id, value=value, reply=reply)


async def open_appeal_modal(
    ctx: AppContext, *, team_id: str, user_id: str, answer_id: str, trigger_id: str, reply: Reply
) -> None:
    answer = await ctx.store.answers.get(_as_id(answer_id)) if _as_id(answer_id) else None
    if answer is None or answer.user_id != user_id or answer.team_id != team_id:
        await reply(plain("Only the person who answered can appeal this grade."))
        return
    post = await ctx.store.posts.get(answer.post_id)
    question = ctx.bank.get(post.question_id) if post else None
    title = question.title if question else "this question"
    await ctx.client.views_open(
        trigger_id=trigger_id, view=practice_blocks.appeal_modal(answer.id, title)
    )


async def practice_from_home(ctx: AppContext, *, team_id: str, user_id: str) -> None:
    async def ignore(_message) -> None:
        return None  # the question itself arrives in the DM; Home has nothing to reply to

    await practice.another(ctx, team_id=team_id, user_id=user_id, value="", reply=ignore)
