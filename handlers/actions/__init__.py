"""Button presses. Every one acks first; opening a modal must use the trigger at once."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks import ids
from bot.usecases import buttons
from bot.usecases.context import AppContext
from bot.usecases.replies import reply_for
from handlers.payload import team_id


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.action(ids.ANSWER_BUTTON)
    async def on_answer_button(ack, body, action, respond):
        await ack()
        ctx.tasks.spawn(
            buttons.open_answer_modal(
                ctx,
                team_id=team_id(body),
                user_id=body["user"]["id"],
                post_id=action.get("value", ""),
                trigger_id=body["trigger_id"],
                reply=reply_for(ctx, respond, body.get("response_url")),
            ),
            name="action:answer",
            urgent=True,
        )

    @app.action(ids.ANOTHER_QUESTION)
    async def on_another(ack, body, action, respond):
        await ack()
        ctx.tasks.spawn(
            buttons.another_question(
                ctx,
                team_id=team_id(body),
                user_id=body["user"]["id"],
                value=action.get("value", ""),
                reply=reply_for(ctx, respond, body.get("response_url")),
            ),
            name="action:another",
        )

    @app.action(ids.APPEAL_BUTTON)
    async def on_appeal(ack, body, action, respond):
        await ack()
        ctx.tasks.spawn(
            buttons.open_appeal_modal(
                ctx,
                team_id=team_id(body),
                user_id=body["user"]["id"],
                answer_id=action.get("value", ""),
                trigger_id=body["trigger_id"],
                reply=reply_for(ctx, respond, body.get("response_url")),
            ),
            name="action:appeal",
            urgent=True,
        )

    @app.action(ids.HOME_PRACTICE)
    async def on_home_practice(ack, body):
        await ack()
        ctx.tasks.spawn(
            buttons.practice_from_home(ctx, team_id=team_id(body), user_id=body["user"]["id"]),
            name="action:home-practice",
        )
