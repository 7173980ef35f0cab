"""Modal submissions. Input problems go back to the modal inline (nothing typed is
lost); a valid submission is recorded in the inbox, then acked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.ports.requests import ViewSubmission
from bot.slack.blocks import ids
from bot.usecases import forms
from handlers.payload import input_value, reply_to, state_values, team_id, text_field, user_id

if TYPE_CHECKING:
    from handlers import Listeners


def submission_of(
    body: dict[str, Any], view: dict[str, Any], reply_hosts: frozenset[str]
) -> ViewSubmission | None:
    user = user_id(body)
    if not user:
        return None
    return ViewSubmission(
        team_id=team_id(body),
        user_id=user,
        callback_id=text_field(view.get("callback_id")),
        private_metadata=text_field(view.get("private_metadata"))[:3000],
        values=state_values(view),
        reply_to=reply_to(body, reply_hosts),
    )


def register(app: AsyncApp, listeners: Listeners) -> None:
    @app.view(ids.ANSWER_MODAL)
    async def on_answer(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        problem = forms.answer_problem(input_value(view, ids.ANSWER_INPUT_BLOCK, ids.ANSWER_INPUT))
        if problem:
            await ack(response_action="errors", errors={ids.ANSWER_INPUT_BLOCK: problem})
            return
        await _record(ack, body, view)

    @app.view(ids.APPEAL_MODAL)
    async def on_appeal(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await _record(ack, body, view)

    async def _record(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        submission = submission_of(body, view, listeners.deps.reply_hosts)
        if submission is not None:
            await listeners.intake.accept(submission, body)
        await ack()
