"""What happens when a modal is submitted."""

from __future__ import annotations

from bot.blocks.practice import plain
from bot.usecases import daily, practice
from bot.usecases.context import AppContext
from bot.usecases.practice import IncomingAnswer


def answer_problem(text: str) -> str | None:
    """Shown inline in the modal, so nothing the user typed is lost."""
    if not text.strip():
        return "Write an answer before submitting."
    if not practice.has_words(text):
        return "I couldn't find any words: emoji and mentions alone don't count."
    return None


async def submit_answer(
    ctx: AppContext, *, team_id: str, user_id: str, post_id: str, text: str
) -> None:
    post = await ctx.store.posts.get(int(post_id)) if post_id.isdigit() else None
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
        await practice.answer_practice(ctx, incoming, post)
    else:
        await daily.collect_private_answer(ctx, incoming, post)


async def submit_appeal(
    ctx: AppContext, *, team_id: str, user_id: str, answer_id: str, note: str
) -> None:
    if not answer_id.isdigit():
        return
    stored = await practice.appeal(
        ctx, team_id=team_id, user_id=user_id, answer_id=int(answer_id), note=note
    )
    channel = await practice.open_dm(ctx, user_id)
    text = (
        "Thanks: your appeal is recorded and will be reviewed."
        if stored
        else "Only the person who answered can appeal that grade."
    )
    await ctx.client.chat_postMessage(channel=channel, **plain(text).as_kwargs())
