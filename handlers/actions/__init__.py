"""Button presses. Opening a modal must use the trigger at once, so those start right
after the ack; other buttons are recorded in the inbox first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.ports.requests import ButtonPress
from bot.slack.blocks import ids
from bot.usecases import appeals, forms
from bot.usecases.panels import buttons as panel_buttons
from handlers.payload import action_value, reply_to, team_id, text_field, user_id

if TYPE_CHECKING:
    from handlers import Listeners

MAX_VALUE = 2000  # Slack caps a button value at 2,000 characters
# Panel buttons that change something are recorded first; those that open a modal
# cannot wait for the inbox (the trigger lasts three seconds).
RECORDED_PANEL_ACTIONS = (
    ids.PANEL_CONFIRM,
    ids.PANEL_SWAP,
    ids.PANEL_REROLL,
    ids.PANEL_KNEW,
    ids.PANEL_NOT_INTERVIEWED,
)
MODAL_PANEL_ACTIONS = (
    ids.PANEL_SCORECARD,
    ids.PANEL_EXPECTED,
    ids.PANEL_DECIDE,
    ids.PANEL_SHOW,
    ids.PANEL_PACKET,
)


def press_of(
    body: dict[str, Any], action: dict[str, Any], reply_hosts: frozenset[str]
) -> ButtonPress | None:
    user = user_id(body)
    if not user:
        return None
    return ButtonPress(
        team_id=team_id(body),
        user_id=user,
        action_id=text_field(action.get("action_id")),
        value=action_value(action)[:MAX_VALUE],
        trigger_id=text_field(body.get("trigger_id")),
        reply_to=reply_to(body, reply_hosts),
    )


def register(app: AsyncApp, listeners: Listeners) -> None:
    deps, background = listeners.deps, listeners.background

    @app.action(ids.ANSWER_BUTTON)
    async def on_answer_button(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        press = press_of(body, action, deps.reply_hosts)
        if press is None:
            return
        background.spawn(
            forms.open_answer_modal(
                deps,
                team_id=press.team_id,
                user_id=press.user_id,
                value=press.value,
                trigger_id=press.trigger_id,
                reply_to=press.reply_to,
            ),
            name="action:answer",
            urgent=True,
        )

    @app.action(ids.APPEAL_BUTTON)
    async def on_appeal(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        press = press_of(body, action, deps.reply_hosts)
        if press is None:
            return
        background.spawn(
            appeals.open_appeal_modal(
                deps,
                team_id=press.team_id,
                user_id=press.user_id,
                value=press.value,
                trigger_id=press.trigger_id,
                reply_to=press.reply_to,
            ),
            name="action:appeal",
            urgent=True,
        )

    async def recorded(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        press = press_of(body, action, deps.reply_hosts)
        if press is not None:
            await listeners.intake.accept(press, body)
        await ack()

    app.action(ids.ANOTHER_QUESTION)(recorded)
    app.action(ids.HOME_PRACTICE)(recorded)
    for action_id in RECORDED_PANEL_ACTIONS:
        app.action(action_id)(recorded)

    async def modal_opener(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        press = press_of(body, action, deps.reply_hosts)
        if press is None:
            return
        background.spawn(
            panel_buttons.open_modal(deps, press), name=f"action:{press.action_id}", urgent=True
        )

    for action_id in MODAL_PANEL_ACTIONS:
        app.action(action_id)(modal_opener)
