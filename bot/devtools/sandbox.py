"""The offline sandbox: the local Slack stand-in plus the real app over signed HTTP.

`make run` without Slack credentials, `mlquiz demo`, and the end-to-end tests all use
this, so what a newcomer tries offline is exactly what the tests exercise."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
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
from slack_standin.blockkit import iter_elements
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
    # Enough people for an interview panel: three interviewers and a hiring manager.
    SandboxUser("U0DAN", "dan", "Europe/London"),
    SandboxUser("U0HUGO", "hugo", "America/Los_Angeles"),
)
_MENTION = re.compile(r"@(U[A-Z0-9]+)\b")


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

    def set(self, moment: datetime) -> datetime:
        self.offset = moment - self.base()
        return self()


class ManualClock:
    """Time that stands still until moved: the scripted demo runs on it, so its
    transcript is the same on every run."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return self.now


@dataclass
class Screen:
    """Something the app showed, rendered as text, with the buttons it carries and,
    for a message, where it is (so a button on it can be pressed)."""

    where: str
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)
    channel: str | None = None
    ts: str | None = None


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
        manual_ticks: bool = False,
        users: tuple[SandboxUser, ...] = DEFAULT_USERS,
    ) -> None:
        """`manual_ticks`: the scheduler runs only when `tick()` is called (after its
        first pass at start-up), so a script decides when timed work happens."""
        self.base_settings = settings
        self.clock = clock or OffsetClock()
        self.rng = rng
        self.run_scheduler = run_scheduler or manual_ticks
        self.manual_ticks = manual_ticks
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
        if self.manual_ticks and self.runtime.scheduler is not None:
            # Its loop ends after the pass in progress; `tick()` still runs a pass.
            await self.runtime.scheduler.stop()
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

    async def submit_modal(self, user_id: str, values: dict[str, dict[str, Any]]) -> list[str]:
        """Submit the user's top modal; the problems the app showed in it (it then stays
        open), or nothing."""
        response = await self.workspace.submit_modal(user_id, values)
        try:
            answer = response.json() or {}
        except ValueError:
            return []
        if not isinstance(answer, dict) or answer.get("response_action") != "errors":
            return []
        return [str(problem) for problem in (answer.get("errors") or {}).values()]

    def open_modal(self, user_id: str) -> dict[str, Any] | None:
        """The modal on top of the user's stack, if one is open."""
        views = self.standin.open_views(user_id)
        return views[-1] if views else None

    def close_modal(self, user_id: str) -> None:
        """The user closes their top modal (our modals ask for no close notice)."""
        view = self.open_modal(user_id)
        if view is not None:
            self.standin.view_store.close(user_id, view.get("id"))

    async def open_home(self, user_id: str) -> None:
        await self.workspace.open_home(user_id)

    async def tick(self) -> None:
        """Run one scheduler pass now (the sandbox's clock may have been moved)."""
        assert self.app.scheduler is not None
        await self.app.scheduler.tick()
        await self.settle()

    def dm(self, user_id: str) -> str:
        return self.workspace.dm(user_id)

    def user_named(self, name: str) -> SandboxUser | None:
        wanted = name.lower().lstrip("@")
        return next((u for u in self.users if wanted in (u.name, u.user_id.lower())), None)

    def latest_with(self, channel_id: str, action_id: str) -> dict[str, Any] | None:
        """The newest bot message in a conversation that carries the element `action_id`."""
        return self.workspace.latest_question(channel_id, action_id)

    def latest_question(self, channel_id: str) -> dict[str, Any] | None:
        """The newest bot message in a conversation that carries an Answer button."""
        return self.workspace.latest_question(channel_id, ANSWER_BUTTON)

    # -- what the app showed ---------------------------------------------------------

    def new_screens(self) -> list[Screen]:
        """Everything the app sent since the last call, in order, as readable text."""
        screens: list[Screen] = []
        records = self.standin.records[self._seen_calls :]
        self._seen_calls += len(records)
        # A purge deletes many messages: one screen, where the first went, says where.
        deleted: Counter[str] = Counter()
        summary = Screen("messages deleted", "")
        for record in records:
            screen = self._screen_of(record.method, record.params, record.response or {})
            if screen is None:
                continue
            if screen.text == _DELETED:
                if not deleted:
                    screens.append(summary)
                deleted[screen.where] += 1
                continue
            screen.text = self._named(screen.text)
            screens.append(screen)
        summary.text = "The app deleted its messages: " + ", ".join(
            f"{count} in {where}" for where, count in deleted.items()
        )
        responses = self.standin.responses[self._seen_responses :]
        self._seen_responses += len(responses)
        for response in responses:
            payload = response["payload"]
            blocks = _blocks(payload.get("blocks"))
            screens.append(
                Screen(
                    where=f"only visible to {self.name_of(response.get('user'))}",
                    text=self._named(render_blocks(blocks) if blocks else payload.get("text", "")),
                )
            )
        return screens

    def _named(self, text: str) -> str:
        """`@U0ADA` as a Slack client shows it, `@ada`."""
        names = {u.user_id: u.name for u in self.users}
        return _MENTION.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), text)

    def name_of(self, user_id: str | None) -> str:
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
            info = None if owner or not channel else self.standin.channel_info(channel)
            if owner:
                place = f"DM with {owner.name}"
            elif info and info.get("is_mpim"):
                place = "group DM " + ", ".join(self.name_of(m) for m in info.get("members", []))
            elif info and info.get("name"):
                place = f"#{info['name']}"
            else:
                place = str(channel)
        return place + (" (thread)" if thread_ts else "")

    def _screen_of(
        self, method: str, params: dict[str, Any], response: dict[str, Any]
    ) -> Screen | None:
        blocks = _blocks(params.get("blocks"))
        body = (
            render_blocks(blocks)
            if blocks
            else text_of({"type": "mrkdwn", "text": params.get("text", "")})
        )
        channel = params.get("channel")
        if method == "chat.postMessage":
            return Screen(
                self._where(response.get("channel") or channel, params.get("thread_ts")),
                body,
                _located(blocks),
                channel=response.get("channel") or channel,
                ts=response.get("ts"),
            )
        if method == "chat.postEphemeral":
            return Screen(
                f"{self._where(channel)}, only visible to {self.name_of(params.get('user'))}",
                body,
            )
        if method == "chat.update":
            return Screen(
                f"{self._where(channel)} (message updated)",
                body,
                _located(blocks),
                channel=channel,
                ts=params.get("ts"),
            )
        if method == "chat.delete":
            return Screen(self._where(channel), _DELETED)
        if method == "reactions.add":
            return Screen(self._where(channel), f":{params.get('name')}: reaction on an answer")
        if method == "conversations.create" and response.get("ok"):
            made = response.get("channel") or {}
            kind = "private channel" if made.get("is_private") else "channel"
            return Screen(f"#{made.get('name', '?')}", f"(the app created this {kind})")
        if method == "conversations.invite" and response.get("ok"):
            people = [self.name_of(u) for u in str(params.get("users", "")).split(",") if u]
            return Screen(self._where(channel), "(invited: " + ", ".join(people) + ")")
        if method == "conversations.setTopic" and response.get("ok"):
            return Screen(self._where(channel), f"(topic: {params.get('topic', '')})")
        if method == "conversations.archive" and response.get("ok"):
            return Screen(self._where(channel), "(the app archived this channel)")
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            view = params.get("view")
            view = json.loads(view) if isinstance(view, str) else view or {}
            kind = "App Home" if method == "views.publish" else "modal"
            return Screen(kind, render_view(view), _located(view.get("blocks") or []))
        return None


_DELETED = "(deleted)"


def _blocks(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []
    return value if isinstance(value, list) else []


def _located(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The numbered elements, with the options of a menu (to pick one by number)."""
    elements = [
        element
        for block, element in iter_elements(blocks)
        if element.get("type") != "image" and block.get("type") != "input"
    ]
    return [
        {
            "number": b.number,
            "action_id": b.action_id,
            "value": b.value,
            "text": b.text,
            "options": elements[b.number - 1].get("options"),
        }
        for b in find_buttons(blocks)
    ]
