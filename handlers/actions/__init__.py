"""Button presses. Every one acks first; opening a modal must use the trigger at once."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.jobs.tasks import BackgroundTasks
from bot.slack.blocks import ids
from bot.usecases import appeals, forms, practice
from bot.usecases.deps import Deps
from handlers.payload import action_value, reply_to, team_id, text_field, user_id


def register(app: AsyncApp, deps: Deps, tasks: BackgroundTasks) -> None:
    @app.action(ids.ANSWER_BUTTON)
    async def on_answer_button(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        if not user_id(body):
            return
        tasks.spawn(
            forms.open_answer_modal(
                deps,
                team_id=team_id(body),
                user_id=user_id(body),
                value=action_value(action),
                trigger_id=text_field(body.get("trigger_id")),
                reply_to=reply_to(body),
            ),
            name="action:answer",
            urgent=True,
        )

    @app.action(ids.ANOTHER_QUESTION)
    async def on_another(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        if not user_id(body):
            return
        tasks.spawn(
            practice.another(
                deps,
                team_id=team_id(body),
                user_id=user_id(body),
                value=action_value(action)[:200],
                reply_to=reply_to(body),
            ),
            name="action:another",
        )

    @app.action(ids.APPEAL_BUTTON)
    async def on_appeal(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        if not user_id(body):
            return
        tasks.spawn(
            appeals.open_appeal_modal(
                deps,
                team_id=team_id(body),
                user_id=user_id(body),
                value=action_value(action),
                trigger_id=text_field(body.get("trigger_id")),
                reply_to=reply_to(body),
            ),
            name="action:appeal",
            urgent=True,
        )

    @app.action(ids.HOME_PRACTICE)
    async def on_home_practice(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        if not user_id(body):
            return
        tasks.spawn(
            practice.another(
                deps,
                team_id=team_id(body),
                user_id=user_id(body),
                value="",
                reply_to=reply_to(body),
            ),
            name="action:home-practice",
        )
