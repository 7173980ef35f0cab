"""Modal submissions. Input problems go back to the modal inline (nothing typed is
lost); a valid submission is recorded in the inbox, then acked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.ports.requests import ViewSubmission
from bot.slack.blocks import ids
from bot.usecases import forms
from bot.usecases.panels import buttons as panel_buttons
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


def inline_errors(view: dict[str, Any], problems: dict[str, str]) -> dict[str, str]:
    """Errors keyed by input blocks the modal has (Slack refuses others): a problem
    without its own block is shown on the first input."""
    blocks = [
        str(b["block_id"])
        for b in view.get("blocks") or []
        if isinstance(b, dict) and b.get("type") == "input" and b.get("block_id")
    ]
    shown: dict[str, str] = {}
    for block_id, problem in problems.items():
        target = block_id if block_id in blocks else (blocks[0] if blocks else block_id)
        shown[target] = (shown[target] + " " + problem) if target in shown else problem
    return {k: v[:300] for k, v in shown.items()}


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

    async def on_panel_form(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        submission = submission_of(body, view, listeners.deps.reply_hosts)
        if submission is None:
            await ack()
            return
        problems = await panel_buttons.check(listeners.deps, submission)
        if problems:
            await ack(response_action="errors", errors=inline_errors(view, problems))
            return
        await listeners.intake.accept(submission, body)
        await ack()

    for callback_id in ids.PANEL_VIEWS:
        app.view(callback_id)(on_panel_form)

    async def _record(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        submission = submission_of(body, view, listeners.deps.reply_hosts)
        if submission is not None:
            await listeners.intake.accept(submission, body)
        await ack()
