"""Panel buttons and modal submissions, each to its use case. Values carry a panel id
(and what else is named); every use case checks the presser's place on the panel."""

from __future__ import annotations

from bot.ports.requests import ButtonPress, ViewSubmission
from bot.slack.blocks import ids
from bot.slack.parser.panels import form_from_modal
from bot.usecases.deps import Deps
from bot.usecases.panels import create, debrief, kits, planning, scorecards, views


async def open_modal(deps: Deps, press: ButtonPress) -> None:
    """Buttons answered with a modal (run at once, with the trigger)."""
    t, u, trigger, to = press.team_id, press.user_id, press.trigger_id, press.reply_to
    if press.action_id == ids.PANEL_SCORECARD:
        await scorecards.open_scorecard(
            deps, team_id=t, user_id=u, ref=press.value, trigger_id=trigger, reply_to=to
        )
    elif press.action_id == ids.PANEL_EXPECTED:
        await kits.open_expected_answer(
            deps, team_id=t, user_id=u, value=press.value, trigger_id=trigger, reply_to=to
        )
    elif press.action_id == ids.PANEL_DECIDE:
        await debrief.open_decision(
            deps, team_id=t, user_id=u, ref=press.value, trigger_id=trigger, reply_to=to
        )
    elif press.action_id == ids.PANEL_SHOW:
        await views.show_panel(
            deps, team_id=t, user_id=u, ref=press.value, trigger_id=trigger, reply_to=to
        )
    elif press.action_id == ids.PANEL_PACKET:
        await debrief.open_packet(
            deps, team_id=t, user_id=u, ref=press.value, trigger_id=trigger, reply_to=to
        )


async def recorded(deps: Deps, press: ButtonPress) -> None:
    """Buttons that change the panel (recorded in the inbox first)."""
    t, u, value, to = press.team_id, press.user_id, press.value, press.reply_to
    if press.action_id == ids.PANEL_CONFIRM:
        await planning.confirm(deps, team_id=t, user_id=u, value=value, reply_to=to)
    elif press.action_id == ids.PANEL_SWAP:
        await planning.swap(deps, team_id=t, user_id=u, value=value, reply_to=to)
    elif press.action_id == ids.PANEL_REROLL:
        await planning.reroll(deps, team_id=t, user_id=u, value=value, reply_to=to)
    elif press.action_id == ids.PANEL_KNEW:
        await kits.candidate_knew(deps, team_id=t, user_id=u, value=value, reply_to=to)
    elif press.action_id == ids.PANEL_NOT_INTERVIEWED:
        await kits.did_not_interview(deps, team_id=t, user_id=u, value=value, reply_to=to)


def _code(submission: ViewSubmission) -> str:
    value = submission.values.get("code.code", "")
    return value.strip() if isinstance(value, str) else ""


async def check(deps: Deps, submission: ViewSubmission) -> dict[str, str]:
    """Problems to show inline in the modal before the ack (block id -> message)."""
    if submission.callback_id == ids.PANEL_NEW_MODAL:
        return await create.check_form(
            deps,
            submission.team_id,
            submission.user_id,
            form_from_modal(submission.values),
            candidate_code_given=_code(submission),
        )
    if submission.callback_id == ids.SCORECARD_MODAL:
        return await scorecards.check_submission(deps, submission)
    if submission.callback_id == ids.DECISION_MODAL:
        return await debrief.check_decision(deps, submission)
    return {}


async def submitted(deps: Deps, submission: ViewSubmission) -> None:
    if submission.callback_id == ids.PANEL_NEW_MODAL:
        await create.new_from_modal(
            deps,
            team_id=submission.team_id,
            user_id=submission.user_id,
            form=form_from_modal(submission.values),
            code=_code(submission),
            reply_to=submission.reply_to,
        )
    elif submission.callback_id == ids.SCORECARD_MODAL:
        await scorecards.submit(deps, submission)
    elif submission.callback_id == ids.DECISION_MODAL:
        await debrief.submit_decision(deps, submission)
