"""Modal submissions. Input problems are returned to the modal inline; work runs after ack."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.jobs.tasks import BackgroundTasks
from bot.slack.blocks import ids
from bot.usecases import appeals, forms
from bot.usecases.deps import Deps
from handlers.payload import input_value, reply_to, team_id, text_field, user_id


def register(app: AsyncApp, deps: Deps, tasks: BackgroundTasks) -> None:
    @app.view(ids.ANSWER_MODAL)
    async def on_answer_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        text = input_value(view, ids.ANSWER_INPUT_BLOCK, ids.ANSWER_INPUT)
        problem = forms.answer_problem(text)
        if problem:
            await ack(response_action="errors", errors={ids.ANSWER_INPUT_BLOCK: problem})
            return
        await ack()
        if not user_id(body):
            return
        tasks.spawn(
            forms.submit_answer(
                deps,
                team_id=team_id(body),
                user_id=user_id(body),
                post_value=text_field(view.get("private_metadata")),
                text=text,
            ),
            name="view:answer",
        )

    @app.view(ids.APPEAL_MODAL)
    async def on_appeal_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        await ack()
        if not user_id(body):
            return
        tasks.spawn(
            appeals.submit_appeal(
                deps,
                team_id=team_id(body),
                user_id=user_id(body),
                answer_value=text_field(view.get("private_metadata")),
                note=input_value(view, ids.APPEAL_INPUT_BLOCK, ids.APPEAL_INPUT),
                reply_to=reply_to(body),
            ),
            name="view:appeal",
        )
