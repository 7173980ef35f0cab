"""A local Slack workspace with people in it, acting on an app over signed HTTP.

`LocalWorkspace` runs the stand-in with its users and a channel, tells the app how to
reach it (`connection()`), and acts as those people: slash commands, thread replies,
button presses, modal submissions, opening App Home. It knows nothing of the app
beyond the URL it serves and an optional `settle()` that waits for the app's
background work, so the offline sandbox and the end-to-end tests share it."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_standin.driver import DriverResponse, SlackDriver
from slack_standin.render import buttons as find_buttons
from slack_standin.server import SlackStandin

Settle = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    tz: str
    is_admin: bool = False


@dataclass(frozen=True)
class Connection:
    """What an app needs to talk to this workspace."""

    bot_token: str
    signing_secret: str
    api_url: str
    team_id: str


async def _nothing() -> None:
    return None


class LocalWorkspace:
    def __init__(
        self,
        people: Sequence[Person],
        *,
        channel_id: str,
        channel_name: str,
        signing_secret: str | None = None,
    ) -> None:
        self.people = tuple(people)
        self.channel_id = channel_id
        self.channel_name = channel_name
        self.signing_secret = signing_secret or secrets.token_hex(16)
        self.standin = SlackStandin(
            signing_secret=self.signing_secret,
            users={
                p.user_id: {
                    "name": p.name,
                    "real_name": p.name.title(),
                    "tz": p.tz,
                    "is_admin": p.is_admin,
                }
                for p in self.people
            },
        )
        self.driver: SlackDriver | None = None
        self.settle: Settle = _nothing

    async def start(self) -> LocalWorkspace:
        await self.standin.start()
        self.standin.add_channel(
            self.channel_id, name=self.channel_name, members=[p.user_id for p in self.people]
        )
        return self

    def connection(self) -> Connection:
        return Connection(
            bot_token=self.standin.bot_token,
            signing_secret=self.signing_secret,
            api_url=self.standin.api_url,
            team_id=self.standin.team_id,
        )

    async def attach(self, app_url: str, settle: Settle = _nothing) -> None:
        """Send requests to the app at `app_url` (again, after a restart)."""
        if self.driver is not None:
            await self.driver.close()
        self.driver = SlackDriver(
            f"{app_url}/slack/events", self.signing_secret, standin=self.standin
        )
        self.settle = settle

    async def stop(self) -> None:
        if self.driver is not None:
            await self.driver.close()
        await self.standin.stop()

    @property
    def slack(self) -> SlackDriver:
        assert self.driver is not None, "attach an app first"
        return self.driver

    # -- acting as a person ------------------------------------------------------------

    async def command(
        self, user_id: str, text: str, *, channel_id: str | None = None
    ) -> DriverResponse:
        response = await self.slack.slash_command(
            "/mlquiz", text, user_id=user_id, channel_id=channel_id or self.channel_id
        )
        await self.settle()
        return response

    async def reply(
        self, user_id: str, text: str, *, channel_id: str, thread_ts: str | None
    ) -> tuple[dict[str, Any], DriverResponse]:
        event = self.slack.message_event(channel_id, user_id, text, thread_ts=thread_ts)
        response = await self.slack.event(event)
        await self.settle()
        return event, response

    async def press(
        self,
        user_id: str,
        action_id: str,
        *,
        channel_id: str | None = None,
        message_ts: str | None = None,
        view: dict[str, Any] | None = None,
        value: str | None = None,
    ) -> DriverResponse:
        response = await self.slack.block_actions(
            user_id, action_id, value, channel_id=channel_id, message_ts=message_ts, view=view
        )
        await self.settle()
        return response

    async def submit_modal(self, user_id: str, values: dict[str, dict[str, Any]]) -> DriverResponse:
        view = self.standin.open_views(user_id)[-1]
        response = await self.slack.view_submission(
            user_id,
            view,
            values,
            callback_id=view["callback_id"],
            private_metadata=view.get("private_metadata", ""),
        )
        await self.settle()
        return response

    async def open_home(self, user_id: str) -> DriverResponse:
        response = await self.slack.event(self.slack.app_home_opened(user_id))
        await self.settle()
        return response

    # -- reading what happened -----------------------------------------------------------

    def dm(self, user_id: str) -> str:
        return self.standin.dm_channel(user_id)

    def latest_question(self, channel_id: str, action_id: str) -> dict[str, Any] | None:
        """The newest bot message in a conversation that carries a button `action_id`."""
        for message in reversed(self.standin.messages(channel_id)):
            if any(b.action_id == action_id for b in find_buttons(message.get("blocks"))):
                return message
        return None
