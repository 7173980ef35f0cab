"""The Slack gateway: the app's Web API calls, one gateway per workspace.

Each call turns Slack's failures into the typed errors of `bot.ports.slack`, so the
application decides on kinds of failure (undeliverable, unavailable, expired...)
rather than on error strings. Retries of 429s, 5xx and dropped connections happen
below, in slack_sdk's retry handlers (`bot.slack.webclient`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.ports.slack import (
    Forbidden,
    Found,
    Message,
    NotFound,
    Posted,
    Profile,
    SlackError,
    SlackGateway,
    SlackUnavailable,
    TriggerExpired,
    Undeliverable,
    UnknownWorkspace,
)

log = logging.getLogger("mlquiz.slack")

# Slack message metadata marking the app's own messages: `event_payload.key` is the
# outbox key, looked for in a conversation's history when an outcome is unknown.
METADATA_EVENT = "mlquiz_message"
HISTORY_PAGES = 5  # at most 5 x 200 messages searched per reconciliation

_UNDELIVERABLE = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "account_inactive",
        "cannot_dm_bot",
        "user_is_restricted",
        "messages_tab_disabled",
    }
)
_EXPIRED = frozenset({"expired_trigger_id", "invalid_trigger_id", "trigger_exchanged"})
_NOT_FOUND = frozenset(
    {
        "channel_not_found",
        "message_not_found",
        "thread_not_found",
        "not_in_channel",
        "is_archived",
        "view_not_found",
        "not_found",
    }
)
_FORBIDDEN = frozenset(
    {
        "restricted_action",
        "missing_scope",
        "not_allowed",
        "no_permission",
        "cant_update_message",
        "cant_delete_message",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive_token",
        "ekm_access_denied",
    }
)
_UNAVAILABLE = frozenset({"ratelimited", "fatal_error", "internal_error", "service_unavailable"})


def error_code(exc: SlackApiError) -> str:
    response = exc.response
    try:
        return str(response.get("error") or f"http_{response.status_code}")
    except Exception:
        return "unknown_error"


def typed_error(exc: Exception, *, dm: bool = False) -> SlackError:
    """The application-level error for a failed call."""
    if isinstance(exc, SlackApiError):
        code = error_code(exc)
        status = getattr(exc.response, "status_code", 200)
        if status >= 500 or status == 429 or code in _UNAVAILABLE:
            return SlackUnavailable(code)
        if code in _UNDELIVERABLE or (dm and code == "channel_not_found"):
            return Undeliverable(code)
        if code in _EXPIRED:
            return TriggerExpired(code)
        if code in _NOT_FOUND:
            return NotFound(code)
        if code in _FORBIDDEN:
            return Forbidden(code)
        return SlackError(code)
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ClientError | SlackClientError | OSError):
        return SlackUnavailable(type(exc).__name__)
    return SlackError(type(exc).__name__)


class WebApiGateway(SlackGateway):
    """One workspace's Web API, through its bot token's client."""

    def __init__(self, client: AsyncWebClient, *, team_id: str, bot_user_id: str) -> None:
        self.client = client
        self._team_id = team_id
        self._bot_user_id = bot_user_id

    @property
    def team_id(self) -> str:
        return self._team_id

    @property
    def bot_user_id(self) -> str:
        return self._bot_user_id

    async def post(
        self,
        channel: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Posted:
        params: dict[str, Any] = {"channel": channel, "text": message.text}
        if message.blocks:
            params["blocks"] = message.blocks
        if thread_ts:
            params["thread_ts"] = thread_ts
        if metadata:
            params["metadata"] = {"event_type": METADATA_EVENT, "event_payload": dict(metadata)}
        try:
            response = await self.client.chat_postMessage(**params)
        except Exception as exc:
            raise typed_error(exc, dm=channel.startswith("D")) from exc
        return Posted(channel=str(response["channel"]), ts=str(response["ts"]))

    async def update(self, channel: str, ts: str, message: Message) -> None:
        try:
            await self.client.chat_update(
                channel=channel, ts=ts, text=message.text, blocks=message.blocks or None
            )
        except Exception as exc:
            raise typed_error(exc) from exc

    async def delete(self, channel: str, ts: str) -> None:
        try:
            await self.client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as exc:
            if error_code(exc) == "message_not_found":
                return  # already gone: what deleting was for
            raise typed_error(exc) from exc
        except Exception as exc:
            raise typed_error(exc) from exc

    async def ephemeral(self, channel: str, user: str, message: Message) -> None:
        try:
            await self.client.chat_postEphemeral(
                channel=channel, user=user, text=message.text, blocks=message.blocks or None
            )
        except Exception as exc:
            raise typed_error(exc) from exc

    async def open_dm(self, user: str) -> str:
        try:
            response = await self.client.conversations_open(users=user)
        except Exception as exc:
            raise typed_error(exc, dm=True) from exc
        return str(response["channel"]["id"])

    async def open_group_dm(self, users: list[str]) -> str:
        try:
            response = await self.client.conversations_open(users=",".join(users))
        except Exception as exc:
            raise typed_error(exc, dm=True) from exc
        return str(response["channel"]["id"])

    async def react(self, channel: str, ts: str, name: str) -> None:
        try:
            await self.client.reactions_add(channel=channel, timestamp=ts, name=name)
        except SlackApiError as exc:
            if error_code(exc) == "already_reacted":
                return
            raise typed_error(exc) from exc
        except Exception as exc:
            raise typed_error(exc) from exc

    async def open_view(self, trigger_id: str, view: dict[str, Any]) -> str:
        try:
            response = await self.client.views_open(trigger_id=trigger_id, view=view)
        except Exception as exc:
            raise typed_error(exc) from exc
        return str((response.get("view") or {}).get("id", ""))

    async def update_view(self, view_id: str, view: dict[str, Any]) -> None:
        try:
            await self.client.views_update(view_id=view_id, view=view)
        except Exception as exc:
            raise typed_error(exc) from exc

    async def publish_home(self, user: str, view: dict[str, Any]) -> None:
        try:
            await self.client.views_publish(user_id=user, view=view)
        except Exception as exc:
            raise typed_error(exc) from exc

    async def profile(self, user: str) -> Profile:
        try:
            response = await self.client.users_info(user=user)
        except Exception as exc:
            raise typed_error(exc) from exc
        return _profile(response["user"])

    async def find_user(self, name: str) -> Profile | None:
        """A member whose handle, display name or real name is `name` (case-insensitive)."""
        wanted = name.strip().lstrip("@").casefold()
        if not wanted:
            return None
        cursor: str | None = None
        for _page in range(50):  # 50 x 200 members
            try:
                response = await self.client.users_list(limit=200, cursor=cursor)
            except Exception as exc:
                raise typed_error(exc) from exc
            for member in response.get("members") or []:
                names = {
                    str(member.get("name") or ""),
                    str((member.get("profile") or {}).get("display_name") or ""),
                    str(member.get("real_name") or ""),
                    str((member.get("profile") or {}).get("real_name") or ""),
                }
                if wanted in {n.casefold() for n in names if n}:
                    return _profile(member)
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
        return None

    async def find_by_key(
        self, channel: str, key: str, *, thread_ts: str | None = None, oldest: str | None = None
    ) -> Found | None:
        """The app's own message carrying `key` in its metadata, if Slack has it."""
        cursor: str | None = None
        for _page in range(HISTORY_PAGES):
            params: dict[str, Any] = {
                "channel": channel,
                "include_all_metadata": True,
                "limit": 200,
            }
            if cursor:
                params["cursor"] = cursor
            if oldest:
                params["oldest"] = oldest
            try:
                if thread_ts:
                    response = await self.client.conversations_replies(ts=thread_ts, **params)
                else:
                    response = await self.client.conversations_history(**params)
            except SlackApiError as exc:
                if error_code(exc) in ("channel_not_found", "thread_not_found"):
                    return None
                raise typed_error(exc) from exc
            except Exception as exc:
                raise typed_error(exc) from exc
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and payload.get("key") == key:
                    return Found(channel=channel, ts=str(message["ts"]))
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or not cursor:
                return None
        return None

    async def create_private_channel(self, name: str) -> str:
        try:
            response = await self.client.conversations_create(name=name, is_private=True)
        except Exception as exc:
            raise typed_error(exc) from exc
        return str(response["channel"]["id"])

    async def find_channel(self, name: str) -> str | None:
        """A private channel of the bot's with this name (a create that may have
        happened before a crash is found, not made twice)."""
        cursor = None
        try:
            while True:
                response = await self.client.users_conversations(
                    types="private_channel", exclude_archived=True, limit=200, cursor=cursor
                )
                for channel in response.get("channels") or []:
                    if channel.get("name") == name:
                        return str(channel["id"])
                cursor = (response.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return None
        except Exception as exc:
            raise typed_error(exc) from exc

    async def invite(self, channel: str, users: list[str]) -> None:
        try:
            # force: the members who can join do, even if one of them cannot.
            await self.client.conversations_invite(
                channel=channel, users=",".join(users), force=True
            )
        except SlackApiError as exc:
            if error_code(exc) == "already_in_channel":
                return
            raise typed_error(exc) from exc
        except Exception as exc:
            raise typed_error(exc) from exc

    async def remove(self, channel: str, user: str) -> None:
        try:
            await self.client.conversations_kick(channel=channel, user=user)
        except SlackApiError as exc:
            if error_code(exc) == "not_in_channel":
                return
            raise typed_error(exc) from exc
        except Exception as exc:
            raise typed_error(exc) from exc

    async def archive(self, channel: str) -> None:
        try:
            await self.client.conversations_archive(channel=channel)
        except SlackApiError as exc:
            if error_code(exc) == "already_archived":
                return
            raise typed_error(exc) from exc
        except Exception as exc:
            raise typed_error(exc) from exc


def _profile(info: Mapping[str, Any]) -> Profile:
    profile = info.get("profile") or {}
    return Profile(
        user_id=str(info.get("id", "")),
        display_name=profile.get("display_name") or info.get("real_name") or info.get("name"),
        tz=info.get("tz"),
        is_admin=bool(info.get("is_admin") or info.get("is_owner")),
        deleted=bool(info.get("deleted")),
        is_bot=bool(info.get("is_bot")),
    )


class SingleWorkspace:
    """The gateways of an app installed with one bot token: exactly one workspace.

    Requests from any other team id are refused (`UnknownWorkspace`): nothing of one
    workspace is ever done with another's token."""

    def __init__(self, gateway: WebApiGateway) -> None:
        self.gateway = gateway

    @classmethod
    async def connect(
        cls, client: AsyncWebClient, *, probe: AsyncWebClient | None = None
    ) -> SingleWorkspace:
        """Learn the token's workspace and bot user (auth.test), asked through `probe`
        (a client that gives up quickly, at start-up) when one is given."""
        try:
            response = await (probe or client).auth_test()
        except Exception as exc:
            raise typed_error(exc) from exc
        return cls(
            WebApiGateway(
                client,
                team_id=str(response.get("team_id") or ""),
                bot_user_id=str(response.get("user_id") or ""),
            )
        )

    @property
    def team_ids(self) -> tuple[str, ...]:
        return (self.gateway.team_id,)

    def serves(self, team_id: str) -> bool:
        return team_id == self.gateway.team_id

    def gateway_for(self, team_id: str) -> SlackGateway:
        if team_id and team_id != self.gateway.team_id:
            raise UnknownWorkspace("team_not_installed", team_id)
        return self.gateway
