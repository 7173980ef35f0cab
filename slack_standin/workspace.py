"""The in-memory workspace behind the stand-in: users, channels, messages, views.

Everything here is plain data with no I/O, so the Web API handlers stay thin and the
query helpers the tests read (`messages`, `thread`, ...) see exactly what Slack would show.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_standin.ids import Sequence, TsClock, is_ts, parse_ts


class SlackError(Exception):
    """An `ok: false` answer; `extra` is merged into the JSON body (e.g. response_metadata)."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    im_user: str | None = None
    # None means "every workspace user": the default for public channels.
    members: set[str] | None = None
    bot_is_member: bool = True
    created: int = field(default_factory=lambda: int(datetime.now(UTC).timestamp()))

    def has_member(self, user_id: str) -> bool:
        return self.members is None or user_id in self.members

    def to_slack(self, bot_user_id: str) -> dict[str, Any]:
        info: dict[str, Any] = {
            "id": self.id,
            "created": self.created,
            "is_archived": False,
            "is_im": self.is_im,
            "is_mpim": False,
            "is_private": self.is_private or self.is_im,
            "is_member": self.bot_is_member,
        }
        if self.is_im:
            info |= {"user": self.im_user, "is_open": True, "is_user_deleted": False}
        else:
            info |= {
                "name": self.name,
                "name_normalized": self.name,
                "is_channel": not self.is_private,
                "is_group": self.is_private,
                "is_general": self.name == "general",
                "is_shared": False,
                "is_ext_shared": False,
                "is_org_shared": False,
                "creator": bot_user_id,
            }
        return info


@dataclass
class Ephemeral:
    channel: str
    user: str
    ts: str
    text: str
    blocks: list[dict] | None
    thread_ts: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {"channel": self.channel, "user": self.user, "ts": self.ts, "text": self.text}
        if self.blocks is not None:
            data["blocks"] = self.blocks
        if self.thread_ts:
            data["thread_ts"] = self.thread_ts
        return data


def fill_ids(blocks: list[dict] | None, seq: itertools.count) -> list[dict] | None:
    """Give every block and element an id the way Slack does when the app left it out."""
    if blocks is None:
        return None
    blocks = copy.deepcopy(blocks)
    for block in blocks:
        if isinstance(block, dict):
            block.setdefault("block_id", f"b{next(seq):04x}")
            elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
            for key in ("accessory", "element"):
                if isinstance(block.get(key), dict):
                    elements.append(block[key])
            for element in elements:
                if isinstance(element, dict) and element.get("type") != "image":
                    element.setdefault("action_id", f"a{next(seq):04x}")
    return blocks


class Workspace:
    """One Slack workspace with one installed bot."""

    def __init__(
        self,
        *,
        team_id: str,
        bot_user_id: str,
        bot_id: str = "B0001",
        app_id: str = "A0001",
        users: dict[str, dict] | None = None,
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.app_id = app_id
        self.clock = TsClock()
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Channel] = {}
        self._messages: dict[str, dict[str, dict[str, Any]]] = {}
        self.ephemeral_messages: list[Ephemeral] = []
        self.view_ids = Sequence("V", 10)
        self._auto_ids = itertools.count(1)
        self.add_user(bot_user_id, name="mlquiz", real_name="mlquiz", is_bot=True)
        for user_id, fields in (users or {}).items():
            self.add_user(user_id, **fields)

    # -- users ------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "UTC",
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> dict[str, Any]:
        """Add or replace a user; fields not given get plausible defaults."""
        name = name or user_id.lower()
        real_name = real_name or name.title()
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": deleted,
            "real_name": real_name,
            "tz": tz,
            "is_admin": is_admin or is_owner,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": display_name if display_name is not None else name,
                "display_name_normalized": display_name if display_name is not None else name,
                "team": self.team_id,
            },
        }
        return self.users[user_id]

    def ensure_user(self, user_id: str) -> dict[str, Any]:
        return self.users.get(user_id) or self.add_user(user_id)

    def user_info(self, user_id: str) -> dict[str, Any]:
        user = self.users.get(user_id)
        if user is None:
            raise SlackError("user_not_found")
        info = copy.deepcopy(user)
        # Slack reports the offset in effect now, so it follows daylight saving time.
        try:
            now = datetime.now(ZoneInfo(info["tz"]))
        except ZoneInfoNotFoundError:
            now = datetime.now(UTC)
        offset = now.utcoffset()
        info["tz_offset"] = int(offset.total_seconds()) if offset else 0
        info["tz_label"] = now.tzname() or info["tz"]
        info["updated"] = int(now.timestamp())
        return info

    # -- channels ---------------------------------------------------------------

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_private: bool | None = None,
        members: set[str] | list[str] | tuple[str, ...] | None = None,
        bot_is_member: bool = True,
    ) -> Channel:
        if channel_id.startswith("D"):
            raise ValueError("DM channels come from dm_channel(user) / conversations.open")
        channel = Channel(
            id=channel_id,
            name=name or channel_id.lower(),
            is_private=channel_id.startswith("G") if is_private is None else is_private,
            members=set(members) if members is not None else None,
            bot_is_member=bot_is_member,
        )
        self.channels[channel_id] = channel
        return channel

    def ensure_channel(self, channel_id: str) -> Channel:
        """A channel Slack just sent us a request from certainly exists."""
        if channel_id in self.channels:
            return self.channels[channel_id]
        if channel_id.startswith("D"):
            raise SlackError("channel_not_found")
        return self.add_channel(channel_id)

    def channel_for_user_post(self, channel_ref: str, user_id: str) -> Channel:
        """Where a person's message lands: their DM with the bot, or any channel they are in
        (which certainly exists if Slack says they wrote there)."""
        if channel_ref.startswith("D"):
            if channel_ref != self.dm_channel(user_id):
                raise SlackError("channel_not_found")
            return self.channels[channel_ref]
        return self.ensure_channel(channel_ref)

    def dm_channel(self, user_id: str) -> str:
        """The bot's DM with a user: one stable id per user, like conversations.open."""
        if user_id not in self.users:
            raise SlackError("user_not_found")
        channel_id = "D" + user_id[1:] if len(user_id) > 1 else "D" + user_id
        if channel_id not in self.channels:
            self.channels[channel_id] = Channel(
                id=channel_id,
                name=channel_id.lower(),
                is_im=True,
                im_user=user_id,
                members={user_id, self.bot_user_id},
            )
        return channel_id

    def channel(self, channel_ref: Any) -> Channel:
        """Resolve what an app may pass as `channel`: an id, a user id (DM), or a #name."""
        if not isinstance(channel_ref, str) or not channel_ref:
            raise SlackError("channel_not_found")
        if channel_ref in self.channels:
            return self.channels[channel_ref]
        if channel_ref[0] in "UW" and channel_ref in self.users:
            return self.channels[self.dm_channel(channel_ref)]
        name = channel_ref.removeprefix("#")
        for channel in self.channels.values():
            if not channel.is_im and channel.name == name:
                return channel
        raise SlackError("channel_not_found")

    def postable_channel(self, channel_ref: Any) -> Channel:
        channel = self.channel(channel_ref)
        if not channel.bot_is_member:
            # A private channel the bot is not in is invisible to it.
            raise SlackError("channel_not_found" if channel.is_private else "not_in_channel")
        return channel

    # -- messages ---------------------------------------------------------------

    def _store(self, channel_id: str) -> dict[str, dict[str, Any]]:
        return self._messages.setdefault(channel_id, {})

    def find_message(self, channel_id: str, ts: Any) -> dict[str, Any]:
        message = self._messages.get(channel_id, {}).get(ts) if isinstance(ts, str) else None
        if message is None:
            raise SlackError("message_not_found")
        return message

    def add_message(
        self,
        channel_id: str,
        *,
        user: str,
        text: str,
        blocks: list[dict] | None = None,
        attachments: list[dict] | None = None,
        thread_ts: str | None = None,
        reply_broadcast: bool = False,
        ts: str | None = None,
        from_bot: bool = False,
    ) -> dict[str, Any]:
        """Store a message as Slack would show it in conversations.history/replies."""
        if ts is None:
            ts = self.clock.next()
        else:
            if not is_ts(ts):
                raise ValueError(f"ts must look like 1700000000.000100, not {ts!r}")
            if ts in self._messages.get(channel_id, {}):
                raise ValueError(f"{channel_id} already has a message with ts {ts}")
            self.clock.observe(ts)
        message: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
        message["team"] = self.team_id
        if from_bot:
            message |= {"bot_id": self.bot_id, "app_id": self.app_id}
        else:
            message["client_msg_id"] = f"standin-{next(self._auto_ids):08d}"
        if blocks is not None:
            message["blocks"] = fill_ids(blocks, self._auto_ids)
        if attachments is not None:
            message["attachments"] = copy.deepcopy(attachments)
        store = self._store(channel_id)
        if thread_ts is not None:
            parent = store.get(thread_ts)
            if parent is not None and parent.get("thread_ts") not in (None, parent["ts"]):
                # Replying to a reply threads under that reply's parent, as in Slack.
                parent = store.get(parent["thread_ts"])
            if parent is not None:
                message["thread_ts"] = parent["ts"]
                message["parent_user_id"] = parent.get("user")
                if reply_broadcast:
                    message["subtype"] = "thread_broadcast"
                self._note_reply(parent, user, ts)
        store[ts] = message
        return message

    @staticmethod
    def _note_reply(parent: dict[str, Any], user: str, ts: str) -> None:
        parent["thread_ts"] = parent["ts"]
        parent["reply_count"] = parent.get("reply_count", 0) + 1
        users = parent.setdefault("reply_users", [])
        if user not in users:
            users.append(user)
        parent["reply_users_count"] = len(users)
        parent["latest_reply"] = max(ts, parent.get("latest_reply", ts), key=parse_ts)

    def edit_message(
        self,
        channel_id: str,
        ts: str,
        *,
        editor: str,
        text: str | None,
        blocks: list[dict] | None,
        attachments: list[dict] | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Change a message in place; returns (previous, current)."""
        message = self.find_message(channel_id, ts)
        previous = copy.deepcopy(message)
        if text is not None:
            message["text"] = text
        if blocks is not None:
            message["blocks"] = fill_ids(blocks, self._auto_ids)
        if attachments is not None:
            message["attachments"] = copy.deepcopy(attachments)
        message["edited"] = {"user": editor, "ts": self.clock.next()}
        return previous, message

    def remove_message(self, channel_id: str, ts: str) -> dict[str, Any]:
        """Delete a message; a parent with replies stays as a tombstone, as in Slack."""
        store = self._store(channel_id)
        message = self.find_message(channel_id, ts)
        previous = copy.deepcopy(message)
        if message.get("reply_count") and message.get("thread_ts") == ts:
            message.update(
                {"subtype": "tombstone", "text": "This message was deleted.", "hidden": True}
            )
            message.pop("blocks", None)
            return previous
        del store[ts]
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != ts and thread_ts in store:
            parent = store[thread_ts]
            replies = [
                m
                for m in store.values()
                if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts
            ]
            parent["reply_count"] = len(replies)
            parent["reply_users"] = list(dict.fromkeys(m["user"] for m in replies))
            parent["reply_users_count"] = len(parent["reply_users"])
            if replies:
                parent["latest_reply"] = max((m["ts"] for m in replies), key=parse_ts)
            else:
                for key in ("latest_reply", "reply_count", "reply_users", "reply_users_count"):
                    parent.pop(key, None)
                parent.pop("thread_ts", None)
        return previous

    def messages(self, channel_id: str) -> list[dict[str, Any]]:
        """Top-level channel history, oldest first (replies only when broadcast)."""
        store = self._messages.get(channel_id, {})
        shown = [
            m
            for m in store.values()
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]
        return copy.deepcopy(sorted(shown, key=lambda m: parse_ts(m["ts"])))

    def thread(self, channel_id: str, ts: str) -> list[dict[str, Any]]:
        """The parent then its replies, oldest first, like conversations.replies."""
        store = self._messages.get(channel_id, {})
        if ts not in store:
            return []
        replies = [m for m in store.values() if m.get("thread_ts") == ts and m["ts"] != ts]
        return copy.deepcopy([store[ts], *sorted(replies, key=lambda m: parse_ts(m["ts"]))])

    # -- ephemerals -------------------------------------------------------------

    def add_ephemeral(
        self,
        channel_id: str,
        user: str,
        text: str,
        blocks: list[dict] | None,
        thread_ts: str | None,
    ) -> Ephemeral:
        ephemeral = Ephemeral(
            channel=channel_id,
            user=user,
            ts=self.clock.next(),
            text=text,
            blocks=fill_ids(blocks, self._auto_ids),
            thread_ts=thread_ts,
        )
        self.ephemeral_messages.append(ephemeral)
        return ephemeral

    def find_ephemeral(self, channel_id: str, user: str, ts: str) -> Ephemeral | None:
        for ephemeral in self.ephemeral_messages:
            if (ephemeral.channel, ephemeral.user, ephemeral.ts) == (channel_id, user, ts):
                return ephemeral
        return None

    def ephemerals(self, user: str | None = None, channel: str | None = None) -> list[dict]:
        return [
            e.to_dict()
            for e in self.ephemeral_messages
            if (user is None or e.user == user) and (channel is None or e.channel == channel)
        ]

    # -- reactions --------------------------------------------------------------

    def add_reaction(self, channel_id: str, ts: str, name: str, user: str) -> None:
        message = self.find_message(channel_id, ts)
        reactions = message.setdefault("reactions", [])
        for reaction in reactions:
            if reaction["name"] == name:
                if user in reaction["users"]:
                    raise SlackError("already_reacted")
                reaction["users"].append(user)
                reaction["count"] += 1
                return
        reactions.append({"name": name, "users": [user], "count": 1})

    def reactions(self, channel_id: str, ts: str) -> list[dict[str, Any]]:
        message = self._messages.get(channel_id, {}).get(ts)
        return copy.deepcopy(message.get("reactions", [])) if message else []
