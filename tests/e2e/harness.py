"""The app under test: the real composition root served on loopback, with the local
Slack workspace of `slack_standin.harness` acting on it over signed HTTP."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from bot.bootstrap import Runtime, start_runtime
from bot.clock import Clock
from bot.config import Settings
from bot.core.records import AnswerRow, Post, Schedule, User
from bot.slack.blocks.ids import ANSWER_BUTTON
from questionbank.loader import Bank
from slack_standin.harness import LocalWorkspace, Person

CHANNEL_ID = "C0GENERAL"
CHANNEL_NAME = "ml-daily"
PEOPLE = (
    Person("U0ADA", "ada", "Europe/Berlin", is_admin=True),
    Person("U0BAYES", "bayes", "America/New_York"),
    Person("U0CLARA", "clara", "Asia/Kolkata"),
)


@dataclass(frozen=True)
class TestUser:
    user_id: str
    name: str


class OfflineApp:
    def __init__(self, settings: Settings, *, clock: Clock, rng: random.Random) -> None:
        self.base_settings = settings
        self.clock = clock
        self.rng = rng
        self.workspace = LocalWorkspace(PEOPLE, channel_id=CHANNEL_ID, channel_name=CHANNEL_NAME)
        self.standin = self.workspace.standin
        self.users = [TestUser(p.user_id, p.name) for p in PEOPLE]
        self.runtime: Runtime | None = None

    def settings(self) -> Settings:
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
        self.runtime = await start_runtime(self.settings(), clock=self.clock, rng=self.rng)
        await self.workspace.attach(self.runtime.url, self.settle)

    async def start(self) -> OfflineApp:
        await self.workspace.start()
        await self._start_app()
        return self

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
        await self.workspace.stop()

    async def restart_app(self) -> None:
        await self.app.stop()
        await self._start_app()

    async def start_second_app(self, owner: str) -> Runtime:
        """Another copy of the app sharing the database and Slack (two replicas)."""
        return await start_runtime(
            self.app.settings, clock=self.clock, rng=random.Random(owner), owner=owner
        )

    @property
    def app(self) -> Runtime:
        assert self.runtime is not None
        return self.runtime

    @property
    def driver(self):
        return self.workspace.slack

    @property
    def bank(self) -> Bank:
        return self.app.deps.bank

    @property
    def team_id(self) -> str:
        return self.standin.team_id

    async def settle(self, timeout: float = 60.0) -> None:
        await self.app.settle(timeout)

    # -- acting ---------------------------------------------------------------------

    async def command(self, user_id: str, text: str, *, channel_id: str = CHANNEL_ID):
        return await self.workspace.command(user_id, text, channel_id=channel_id)

    async def reply(self, user_id: str, text: str, *, channel_id: str, thread_ts: str | None):
        return await self.workspace.reply(user_id, text, channel_id=channel_id, thread_ts=thread_ts)

    async def press(self, user_id: str, action_id: str, **where: Any):
        return await self.workspace.press(user_id, action_id, **where)

    async def submit_modal(self, user_id: str, values: dict[str, dict[str, Any]]):
        return await self.workspace.submit_modal(user_id, values)

    async def open_home(self, user_id: str):
        return await self.workspace.open_home(user_id)

    async def tick(self):
        assert self.app.scheduler is not None
        report = await self.app.scheduler.tick()
        await self.settle()
        return report

    def dm(self, user_id: str) -> str:
        return self.workspace.dm(user_id)

    def latest_question(self, channel_id: str) -> dict[str, Any] | None:
        return self.workspace.latest_question(channel_id, ANSWER_BUTTON)

    # -- the app's records --------------------------------------------------------------

    async def post_of(self, channel_id: str, ts: str) -> Post | None:
        async with self.app.storage.reading() as uow:
            return await uow.posts.by_message(self.team_id, channel_id, ts)

    async def answers_for(self, post_id: int) -> list[AnswerRow]:
        async with self.app.storage.reading() as uow:
            return await uow.answers.for_post(post_id)

    async def user(self, user_id: str) -> User | None:
        async with self.app.storage.reading() as uow:
            return await uow.users.get(self.team_id, user_id)

    async def schedule(self, channel_id: str = CHANNEL_ID) -> Schedule | None:
        async with self.app.storage.reading() as uow:
            return await uow.schedules.get(self.team_id, channel_id)

    async def failed_posts(self) -> list[Post]:
        async with self.app.storage.reading() as uow:
            return await uow.posts.failed(self.team_id)

    async def outbox_counts(self) -> dict[str, int]:
        return await self.app.storage._uow.outbox.counts()
