"""The offline sandbox: the local Slack stand-in plus the real app over signed HTTP.

`make run` without Slack credentials, `mlquiz demo`, and the end-to-end tests all use
this, so what a newcomer tries offline is exactly what the tests exercise."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import SecretStr

from bot.bootstrap import Runtime, start_runtime
from bot.clock import Clock, system_clock
from bot.config import Settings
from bot.core.records import Post
from bot.slack.blocks.ids import ANSWER_BUTTON
from bot.usecases.deps import Deps
from slack_standin.harness import LocalWorkspace, Person
from slack_standin.render import buttons as find_buttons
from slack_standin.render import render_blocks, render_view, text_of

CHANNEL_ID = "C0GENERAL"
CHANNEL_NAME = "ml-daily"


@dataclass(frozen=True)
class SandboxUser:
    user_id: str
    name: str
    tz: str
    is_admin: bool = False


DEFAULT_USERS = (
    SandboxUser("U0ADA", "ada", "Europe/Berlin", is_admin=True),
    SandboxUser("U0BAYES", "bayes", "America/New_York"),
    SandboxUser("U0CLARA", "clara", "Asia/Kolkata"),
)


class OffsetClock:
    """Wall-clock time plus an offset the sandbox can move forward ("skip 8h")."""

    def __init__(self, base: Clock = system_clock) -> None:
        self.base = base
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return self.base() + self.offset

    def advance(self, **delta: float) -> datetime:
        self.offset += timedelta(**delta)
        return self()


@dataclass
class Screen:
    """Something the app showed, rendered as text, with the buttons it carries."""

    where: str
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)


class Sandbox:
    """The real app (`bot.bootstrap`) served on loopback, with a local Slack workspace
    (`slack_standin.harness`) whose people act on it."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        run_scheduler: bool = True,
        users: tuple[SandboxUser, ...] = DEFAULT_USERS,
    ) -> None:
        self.base_settings = settings
        self.clock = clock or OffsetClock()
        self.rng = rng
        self.run_scheduler = run_scheduler
        self.users = users
        self.workspace = LocalWorkspace(
            [Person(u.user_id, u.name, u.tz, u.is_admin) for u in users],
            channel_id=CHANNEL_ID,
            channel_name=CHANNEL_NAME,
        )
        self.standin = self.workspace.standin
        self.runtime: Runtime | None = None
        self._seen_calls = 0
        self._seen_responses = 0

    def _settings(self) -> Settings:
        link = self.workspace.connection()
        return self.base_settings.model_copy(
            update={
                "slack_bot_token": SecretStr(link.bot_token),
                "slack_app_token": None,
                "slack_signing_secret": SecretStr(link.signing_secret),
                "slack_api_url": link.api_url,
                "host": "127.0.0.1",
                "port": 0,
            }
        )

    async def _start_app(self) -> None:
        self.runtime = await start_runtime(
            self._settings(), clock=self.clock, rng=self.rng, run_scheduler=self.run_scheduler
        )
        await self.workspace.attach(self.runtime.url, self.settle)

    async def start(self) -> Sandbox:
        await self.workspace.start()
        await self._start_app()
        return self

    async def restart_app(self) -> None:
        """Stop the app and start it again on the same database and stand-in, as after a
        deploy; Slack's state survives, the app's memory does not."""
        await self.app.stop()
        await self._start_app()

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
        await self.workspace.stop()

    async def __aenter__(self) -> Sandbox:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def app(self) -> Runtime:
        assert self.runtime is not None, "start the sandbox first"
        return self.runtime

    @property
    def deps(self) -> Deps:
        return self.app.deps

    @property
    def team_id(self) -> str:
        return self.standin.team_id

    async def post_of(self, channel_id: str, ts: str) -> Post | None:
        """The app's record of the question posted at `ts`."""
        async with self.deps.storage.reading() as uow:
            return await uow.posts.by_message(self.team_id, channel_id, ts)

    async def settle(self, timeout: float = 60.0) -> None:
        """Wait until the app has finished the work its acks handed to the background."""
        await self.app.settle(timeout)

    # -- acting as a user ----------------------------------------------------------

    async def command(self, user_id: str, text: str, *, channel_id: str = CHANNEL_ID) -> None:
        await self.workspace.command(user_id, text, channel_id=channel_id)

    async def reply(
        self, user_id: str, text: str, *, channel_id: str, thread_ts: str | None
    ) -> None:
        await self.workspace.reply(user_id, text, channel_id=channel_id, thread_ts=thread_ts)

    async def press(self, user_id: str, action_id: str, **where: Any) -> None:
        await self.workspace.press(user_id, action_id, **where)

    async def submit_modal(self, user_id: str, values: dict[str, dict[str, Any]]) -> None:
        await self.workspace.submit_modal(user_id, values)

    async def open_home(self, user_id: str) -> None:
        await self.workspace.open_home(user_id)

    async def tick(self) -> None:
        """Run one scheduler pass now (the sandbox's clock may have been moved)."""
        assert self.app.scheduler is not None
        await self.app.scheduler.tick()
        await self.settle()

    def dm(self, user_id: str) -> str:
        return self.workspace.dm(user_id)

    def latest_question(self, channel_id: str) -> dict[str, Any] | None:
        """The newest bot message in a conversation that carries an Answer button."""
        return self.workspace.latest_question(channel_id, ANSWER_BUTTON)

    # -- what the app showed ---------------------------------------------------------

    def new_screens(self) -> list[Screen]:
        """Everything the app sent since the last call, in order, as readable text."""
        screens: list[Screen] = []
        calls = self.standin.calls[self._seen_calls :]
        self._seen_calls += len(calls)
        for method, params in calls:
            screen = self._screen_of(method, params)
            if screen is not None:
                screens.append(screen)
        responses = self.standin.responses[self._seen_responses :]
        self._seen_responses += len(responses)
        for response in responses:
            payload = response["payload"]
            blocks = _blocks(payload.get("blocks"))
            screens.append(
                Screen(
                    where=f"only visible to {self._name(response.get('user'))}",
                    text=render_blocks(blocks) if blocks else payload.get("text", ""),
                )
            )
        return screens

    def _name(self, user_id: str | None) -> str:
        for user in self.users:
            if user.user_id == user_id:
                return user.name
        return user_id or "?"

    def _where(self, channel: str | None, thread_ts: str | None = None) -> str:
        if channel == CHANNEL_ID:
            place = f"#{CHANNEL_NAME}"
        else:
            owner = next(
                (u for u in self.users if self.standin.dm_channel(u.user_id) == channel), None
            )
            place = f"DM with {owner.name}" if owner else str(channel)
        return place + (" (thread)" if thread_ts else "")

    def _screen_of(self, method: str, params: dict[str, Any]) -> Screen | None:
        blocks = _blocks(params.get("blocks"))
        body = (
            render_blocks(blocks)
            if blocks
            else text_of({"type": "mrkdwn", "text": params.get("text", "")})
        )
        if method == "chat.postMessage":
            return Screen(
                self._where(params.get("channel"), params.get("thread_ts")),
                body,
                _located(blocks),
            )
        if method == "chat.postEphemeral":
            return Screen(
                f"{self._where(params.get('channel'))}, only visible to "
                f"{self._name(params.get('user'))}",
                body,
            )
        if method == "chat.update":
            return Screen(f"{self._where(params.get('channel'))} (message updated)", body)
        if method == "reactions.add":
            return Screen(
                self._where(params.get("channel")), f":{params.get('name')}: reaction on an answer"
            )
        if method in ("views.open", "views.update", "views.publish"):
            view = params.get("view")
            view = json.loads(view) if isinstance(view, str) else view or {}
            kind = "App Home" if method == "views.publish" else "modal"
            return Screen(kind, render_view(view))
        return None


def _blocks(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []
    return value if isinstance(value, list) else []


def _located(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"number": b.number, "action_id": b.action_id, "value": b.value, "text": b.text}
        for b in find_buttons(blocks)
    ]
