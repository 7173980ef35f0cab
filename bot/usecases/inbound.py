"""Which use case handles each recorded request (the inbox worker calls `process`)."""

from __future__ import annotations

from bot.ports.requests import (
    ButtonPress,
    HomeOpened,
    MessageEvent,
    Request,
    SlashCommand,
    ViewSubmission,
)
from bot.slack.blocks import ids
from bot.usecases import appeals, channel_answers, commands, forms, info, practice
from bot.usecases.deps import Deps
from bot.usecases.panels import buttons as panel_buttons


def _value(request: ViewSubmission, block_id: str, action_id: str) -> str:
    value = request.values.get(f"{block_id}.{action_id}", "")
    return value if isinstance(value, str) else ""


async def process(deps: Deps, request: Request) -> None:
    if isinstance(request, SlashCommand):
        await commands.run_command(deps, request)
    elif isinstance(request, MessageEvent):
        await channel_answers.on_message(deps, request)
    elif isinstance(request, ButtonPress):
        await _button(deps, request)
    elif isinstance(request, ViewSubmission):
        await _view(deps, request)
    elif isinstance(request, HomeOpened):
        await info.publish_home(deps, team_id=request.team_id, user_id=request.user_id)


async def _button(deps: Deps, press: ButtonPress) -> None:
    if press.action_id in ids.PANEL_ACTIONS:
        await panel_buttons.recorded(deps, press)
    elif press.action_id in (ids.ANOTHER_QUESTION, ids.HOME_PRACTICE):
        value = press.value if press.action_id == ids.ANOTHER_QUESTION else ""
        await practice.another(
            deps,
            team_id=press.team_id,
            user_id=press.user_id,
            value=value,
            reply_to=press.reply_to,
        )


async def _view(deps: Deps, submission: ViewSubmission) -> None:
    if submission.callback_id in ids.PANEL_VIEWS:
        await panel_buttons.submitted(deps, submission)
    elif submission.callback_id == ids.ANSWER_MODAL:
        await forms.submit_answer(
            deps,
            team_id=submission.team_id,
            user_id=submission.user_id,
            post_value=submission.private_metadata,
            text=_value(submission, ids.ANSWER_INPUT_BLOCK, ids.ANSWER_INPUT),
        )
    elif submission.callback_id == ids.APPEAL_MODAL:
        await appeals.submit_appeal(
            deps,
            team_id=submission.team_id,
            user_id=submission.user_id,
            answer_value=submission.private_metadata,
            note=_value(submission, ids.APPEAL_INPUT_BLOCK, ids.APPEAL_INPUT),
            reply_to=submission.reply_to,
        )
