"""What the application needs from Slack, as typed values and protocols.

Use cases talk to a `SlackGateway` obtained per workspace from `Gateways`; the
implementation (`bot.slack.gateway`) turns Slack's error strings into the small set
of exceptions below, so no use case ever looks at a raw API response.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    """A message: fallback `text` (notifications, screen readers) plus Block Kit."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Posted:
    """Where Slack put a message (a DM's channel id is known only after posting)."""

    channel: str
    ts: str


@dataclass(frozen=True)
class Profile:
    user_id: str
    display_name: str | None
    tz: str | None
    is_admin: bool
    deleted: bool = False
    is_bot: bool = False


@dataclass(frozen=True)
class Found:
    """A message found in a conversation's history by the app's own metadata key."""

    channel: str
    ts: str


class SlackError(Exception):
    """Slack refused or could not be reached; `code` is Slack's error string."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        super().__init__(f"Slack error: {code}" + (f" ({detail})" if detail else ""))


class SlackUnavailable(SlackError):
    """5xx, timeouts or dropped connections after every retry: the outcome of a write
    is unknown (Slack may have done it)."""


class Undeliverable(SlackError):
    """This person cannot receive the message (deactivated, a bot, DMs disabled...)."""


class TriggerExpired(SlackError):
    """A modal's trigger id is older than Slack's 3 seconds, or was used already."""


class NotFound(SlackError):
    """The channel or message does not exist (any more), or the bot cannot see it."""


class Forbidden(SlackError):
    """The workspace's settings or the app's scopes do not allow this."""


class UnknownWorkspace(SlackError):
    """No installation for this team id."""


class SlackGateway(Protocol):
    """Slack for one workspace. Every write raises one of the errors above."""

    @property
    def team_id(self) -> str: ...

    @property
    def bot_user_id(self) -> str: ...

    async def post(
        self,
        channel: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Posted: ...

    async def update(self, channel: str, ts: str, message: Message) -> None: ...

    async def delete(self, channel: str, ts: str) -> None: ...

    async def ephemeral(self, channel: str, user: str, message: Message) -> None: ...

    async def open_dm(self, user: str) -> str: ...

    async def open_group_dm(self, users: list[str]) -> str: ...

    async def react(self, channel: str, ts: str, name: str) -> None: ...

    async def open_view(self, trigger_id: str, view: dict[str, Any]) -> str: ...

    async def update_view(self, view_id: str, view: dict[str, Any]) -> None: ...

    async def publish_home(self, user: str, view: dict[str, Any]) -> None: ...

    async def profile(self, user: str) -> Profile: ...

    async def find_user(self, name: str) -> Profile | None: ...

    async def find_by_key(
        self, channel: str, key: str, *, thread_ts: str | None = None, oldest: str | None = None
    ) -> Found | None: ...

    async def create_private_channel(self, name: str) -> str: ...

    async def find_channel(self, name: str) -> str | None: ...

    async def invite(self, channel: str, users: list[str]) -> None: ...

    async def remove(self, channel: str, user: str) -> None: ...

    async def archive(self, channel: str) -> None: ...


class Gateways(Protocol):
    """The Slack gateway of each workspace the app is installed in."""

    def gateway_for(self, team_id: str) -> SlackGateway: ...

    def serves(self, team_id: str) -> bool:
        """Whether the app is installed in this workspace (requests from any other are
        refused before they are recorded)."""
        ...


class Responder(Protocol):
    """Replies through an interaction's response_url (valid 30 minutes, a few uses)."""

    async def respond(self, url: str, message: Message) -> None: ...


# How a use case talks back to the person who asked, whatever the entry point
# (a slash command's response_url, a button's, or a DM): only they see it.
Reply = Callable[[Message], Awaitable[None]]


async def ignore_reply(_message: Message) -> None:
    """For entry points with nobody to answer (App Home buttons)."""
    return None
