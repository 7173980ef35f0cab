"""Modal submissions. Input problems are returned to the modal inline; work runs after ack."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks import ids
from bot.usecases import modals
from bot.usecases.context import AppContext
from handlers.payload import input_value, team_id


def register(app: AsyncApp, ctx: AppContext) -> None:
    @app.view(ids.ANSWER_MODAL)
    async def on_answer_submitted(ack, body, view):
        text = input_value(view, ids.ANSWER_INPUT_BLOCK, ids.ANSWER_INPUT)
        problem = modals.answer_problem(text)
        if problem:
            await ack(response_action="errors", errors={ids.ANSWER_INPUT_BLOCK: problem})
            return
        await ack()
        ctx.tasks.spawn(
            modals.submit_answer(
                ctx,
                team_id=team_id(body),
                user_id=body["user"]["id"],
                post_id=view.get("private_metadata", ""),
                text=text,
            ),
            name="view:answer",
        )

    @app.view(ids.APPEAL_MODAL)
    async def on_appeal_submitted(ack, body, view):
        await ack()
        ctx.tasks.spawn(
            modals.submit_appeal(
                ctx,
                team_id=team_id(body),
                user_id=body["user"]["id"],
                answer_id=view.get("private_metadata", ""),
                note=input_value(view, ids.APPEAL_INPUT_BLOCK, ids.APPEAL_INPUT),
            ),
            name="view:appeal",
        )
