"""The in-memory workspace behind the stand-in: users, channels, messages, views.

Everything here is plain data with no I/O, so the Web API handlers stay thin and the
query helpers the tests read (`messages`, `thread`, ...) see exactly what Slack would show.
"""

from __future__ import annotations

import copy
import itertools
import re
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


def _text_field() -> dict[str, Any]:
    return {"value": "", "creator": "", "last_set": 0}


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    im_user: str | None = None
    # None means "every workspace user": the default for public channels.  The bot's own
    # membership is `bot_is_member`, whatever this set says.
    members: set[str] | None = None
    bot_is_member: bool = True
    created: int = field(default_factory=lambda: int(datetime.now(UTC).timestamp()))
    is_mpim: bool = False
    # An mpim's people in the order conversations.open named them (Slack keeps that order).
    mpim_users: list[str] | None = None
    is_archived: bool = False
    creator: str | None = None
    topic: dict[str, Any] = field(default_factory=_text_field)
    purpose: dict[str, Any] = field(default_factory=_text_field)

    @property
    def is_dm(self) -> bool:
        """A 1:1 DM or a group DM: the conversations the channel methods refuse."""
        return self.is_im or self.is_mpim

    def has_member(self, user_id: str) -> bool:
        return self.members is None or user_id in self.members

    def to_slack(
        self,
        bot_user_id: str,
        *,
        user_deleted: bool = False,
        num_members: int | None = None,
    ) -> dict[str, Any]:
        info: dict[str, Any] = {
            "id": self.id,
            "created": self.created,
            "is_archived": self.is_archived,
            "is_im": self.is_im,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private or self.is_dm,
            "is_member": self.bot_is_member,
        }
        if self.is_im:
            info |= {"user": self.im_user, "is_open": True, "is_user_deleted": user_deleted}
        else:
            info |= {
                "name": self.name,
                "name_normalized": self.name,
                "is_channel": not self.is_private and not self.is_mpim,
                "is_group": self.is_private and not self.is_mpim,
                "is_general": self.name == "general",
                "is_shared": False,
                "is_ext_shared": False,
                "is_org_shared": False,
                "creator": self.creator or bot_user_id,
                "topic": copy.deepcopy(self.topic),
                "purpose": copy.deepcopy(self.purpose),
            }
        if num_members is not None:
            info["num_members"] = num_members
        return info


@dataclass
class DmFault:
    """A user whose DMs fail: `error` for the next `remaining` calls (None: every call)."""

    error: str
    methods: frozenset[str]
    remaining: int | None = None


# Slack's rules for conversations.create (docs: lowercase letters, numbers, hyphens and
# underscores, at most 80 characters).
CHANNEL_NAME_MAX = 80
_CHANNEL_NAME_CHARS = re.compile(r"^[a-z0-9_-]+$")
# At most 8 other people in a group DM (conversations.open: too_many_users).
MPIM_MAX_USERS = 8
TOPIC_MAX_CHARS = 250


@dataclass
class Ephemeral:
    channel: str
    user: str
    ts: str
    text: str
    blocks: list[dict] | None
    thread_ts: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "channel": self.channel,
            "user": self.user,
            "ts": self.ts,
            "text": self.text,
        }
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
        self._channel_ids = Sequence("CNEW", 5)
        self._mpim_ids = Sequence("GMPIM", 4)
        self._mpims: dict[frozenset[str], str] = {}
        # Workspace preferences that make conversations.create answer restricted_action.
        self.forbid_public_channels = False
        self.forbid_private_channels = False
        self.dm_faults: dict[str, DmFault] = {}
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
        """Add or replace a user; fields not given get plausible defaults.

        `deleted=True` is a deactivated account (users.info and users.list show
        `deleted: true`, conversations.open answers `user_not_found`); `is_bot=True` is a bot
        user (conversations.open answers `cannot_dm_bot`)."""
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

    def is_deleted(self, user_id: str) -> bool:
        return bool(self.users.get(user_id, {}).get("deleted"))

    # -- channels ---------------------------------------------------------------

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_private: bool | None = None,
        members: set[str] | list[str] | tuple[str, ...] | None = None,
        bot_is_member: bool = True,
        is_archived: bool = False,
    ) -> Channel:
        if channel_id.startswith("D"):
            raise ValueError("DM channels come from dm_channel(user) / conversations.open")
        channel = Channel(
            id=channel_id,
            name=name or channel_id.lower(),
            is_private=channel_id.startswith("G") if is_private is None else is_private,
            members=set(members) if members is not None else None,
            bot_is_member=bot_is_member,
            is_archived=is_archived,
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
        """Where a person's message lands: their DM with the bot, a group DM they are in, or
        any channel they are in (which certainly exists if Slack says they wrote there)."""
        if channel_ref.startswith("D"):
            if channel_ref != self.dm_channel(user_id):
                raise SlackError("channel_not_found")
            return self.channels[channel_ref]
        known = self.channels.get(channel_ref)
        if known is not None and known.is_mpim and not known.has_member(user_id):
            raise SlackError("channel_not_found")
        return self.ensure_channel(channel_ref)

    def dm_channel(self, user_id: str) -> str:
        """The bot's DM with a user: one stable id per user, like conversations.open.

        A query helper: unlike conversations.open it does not refuse deactivated or bot
        users, so a test can always name the DM."""
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
            if not channel.is_dm and channel.name == name:
                return channel
        raise SlackError("channel_not_found")

    def conversation(self, channel_id: Any) -> Channel:
        """A conversation by id only, as the conversations.* read methods take it; a private
        conversation the bot is not in does not exist as far as the bot can tell."""
        channel = self.channels.get(channel_id) if isinstance(channel_id, str) else None
        if channel is None or (channel.is_private and not channel.bot_is_member):
            raise SlackError("channel_not_found")
        return channel

    def joined_channel(self, channel_ref: Any, *, by_id: bool = True) -> Channel:
        """A conversation the bot must be in: `channel_not_found` for a private one it is not
        in (invisible), `not_in_channel` for a public one."""
        channel = self.conversation(channel_ref) if by_id else self.channel(channel_ref)
        if not channel.bot_is_member:
            raise SlackError("channel_not_found" if channel.is_private else "not_in_channel")
        return channel

    def postable_channel(self, channel_ref: Any) -> Channel:
        channel = self.channel(channel_ref)
        if not channel.bot_is_member:
            # A private channel the bot is not in is invisible to it.
            raise SlackError("channel_not_found" if channel.is_private else "not_in_channel")
        if channel.is_archived:
            raise SlackError("is_archived")
        return channel

    def member_ids(self, channel: Channel) -> list[str]:
        """Who is in a conversation, the bot included when it is a member."""
        if channel.members is None:
            people = [
                u
                for u, user in self.users.items()
                if not user.get("deleted") and u != self.bot_user_id
            ]
        else:
            people = sorted(m for m in channel.members if m != self.bot_user_id)
        if channel.bot_is_member:
            people.append(self.bot_user_id)
        return people

    def describe(self, channel: Channel, *, num_members: bool = False) -> dict[str, Any]:
        """The conversation object Slack returns for `channel`."""
        return channel.to_slack(
            self.bot_user_id,
            user_deleted=self.is_deleted(channel.im_user or ""),
            num_members=len(self.member_ids(channel)) if num_members else None,
        )

    # -- DMs and group DMs ----------------------------------------------------------

    def fail_dms(
        self,
        user_id: str,
        error: str,
        *,
        times: int | None = None,
        methods: frozenset[str] = frozenset(),
    ) -> None:
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for every call)")
        self.dm_faults[user_id] = DmFault(error=error, methods=methods, remaining=times)

    def take_dm_fault(self, user_ids: list[str], method: str) -> str | None:
        """The error a scripted DM failure gives this call, consuming one of its `times`."""
        for user_id in user_ids:
            fault = self.dm_faults.get(user_id)
            if fault is None or method not in fault.methods:
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self.dm_faults[user_id]
            return fault.error
        return None

    def dm_people_for(self, user_ids: list[str]) -> list[str]:
        """The people a conversations.open `users` list names, checked as Slack checks them:
        duplicates and (in a group) the bot itself drop out, a deactivated or unknown user
        is `user_not_found`, a bot user `cannot_dm_bot`, more than 8 `too_many_users`."""
        distinct = list(dict.fromkeys(user_ids))
        if len(distinct) > 1:
            # A bot token is in every conversation it opens; naming itself changes nothing.
            distinct = [u for u in distinct if u != self.bot_user_id]
        for user_id in distinct:
            user = self.users.get(user_id)
            if user is None or user.get("deleted"):
                raise SlackError("user_not_found")
            if user.get("is_bot"):
                raise SlackError("cannot_dm_bot")
        if len(distinct) > MPIM_MAX_USERS:
            raise SlackError("too_many_users")
        return distinct

    def open_conversation(self, user_ids: list[str]) -> tuple[Channel, bool]:
        """conversations.open with `users`: the DM (one user) or the group DM (2-8 users)
        for exactly this set of people; returns (channel, already_open)."""
        distinct = self.dm_people_for(user_ids)
        if len(distinct) == 1:
            channel_id = "D" + distinct[0][1:]
            already = channel_id in self.channels
            return self.channels[self.dm_channel(distinct[0])], already
        key = frozenset(distinct)
        existing = self._mpims.get(key)
        if existing is not None:
            return self.channels[existing], True
        channel_id = self._mpim_ids.next()
        while channel_id in self.channels:
            channel_id = self._mpim_ids.next()
        names = "--".join(self.users[u]["name"] for u in distinct)
        channel = Channel(
            id=channel_id,
            name=f"mpdm-{names}-1",
            is_private=True,
            is_mpim=True,
            mpim_users=distinct,
            members={*distinct, self.bot_user_id},
            creator=self.bot_user_id,
        )
        self.channels[channel_id] = channel
        self._mpims[key] = channel_id
        return channel, False

    # -- channels the bot manages -----------------------------------------------------

    @staticmethod
    def check_channel_name(name: Any) -> str:
        """Slack's name rules for conversations.create; the checks run in this order."""
        if not isinstance(name, str) or not name:
            raise SlackError("invalid_name_required")
        if len(name) > CHANNEL_NAME_MAX:
            raise SlackError("invalid_name_maxlength")
        if not _CHANNEL_NAME_CHARS.match(name):
            # Upper case counts as a special character: Slack does not lower it for you.
            raise SlackError("invalid_name_specials")
        if not any(c.isalnum() for c in name):
            raise SlackError("invalid_name_punctuation")
        return name

    def create_channel(self, name: Any, *, is_private: bool) -> Channel:
        name = self.check_channel_name(name)
        if (is_private and self.forbid_private_channels) or (
            not is_private and self.forbid_public_channels
        ):
            raise SlackError("restricted_action")
        if any(not c.is_dm and c.name == name for c in self.channels.values()):
            raise SlackError("name_taken")
        channel_id = self._channel_ids.next()
        while channel_id in self.channels:
            channel_id = self._channel_ids.next()
        channel = Channel(
            id=channel_id,
            name=name,
            is_private=is_private,
            members=set(),
            bot_is_member=True,
            creator=self.bot_user_id,
        )
        self.channels[channel_id] = channel
        return channel

    def invite(self, channel: Channel, user_ids: list[str], *, force: bool = False) -> list[dict]:
        """Add people to a channel; returns the per-user failures.

        Without `force` nothing changes when any user fails (the answer names the first
        failure); with it the valid users join and the failures come back as `errors`."""
        failures: list[dict[str, Any]] = []
        joining: list[str] = []
        for user_id in dict.fromkeys(user_ids):
            user = self.users.get(user_id)
            if user_id == self.bot_user_id:
                error = "cant_invite_self"
            elif user is None or user.get("deleted"):
                error = "user_not_found"
            elif channel.members is None or user_id in channel.members:
                error = "already_in_channel"
            else:
                joining.append(user_id)
                continue
            failures.append({"user": user_id, "ok": False, "error": error})
        if failures and not force:
            return failures
        assert channel.members is not None
        channel.members.update(joining)
        return failures

    def kick(self, channel: Channel, user_id: str) -> None:
        """Remove someone from a channel the bot manages (Slack's errors for the rest)."""
        if user_id == self.bot_user_id:
            raise SlackError("cant_kick_self")
        if user_id not in self.users:
            raise SlackError("user_not_found")
        if channel.members is None or user_id not in channel.members:
            raise SlackError("not_in_channel")
        channel.members.discard(user_id)

    def set_text_field(self, channel: Channel, kind: str, value: str) -> None:
        """Set a channel's topic or purpose the way Slack records it."""
        if len(value) > TOPIC_MAX_CHARS:
            raise SlackError("too_long")
        setattr(
            channel,
            kind,
            {
                "value": value,
                "creator": self.bot_user_id if value else "",
                "last_set": int(datetime.now(UTC).timestamp()) if value else 0,
            },
        )

    # -- messages ---------------------------------------------------------------

    def _store(self, channel_id: str) -> dict[str, dict[str, Any]]:
        return self._messages.setdefault(channel_id, {})

    def find_message(self, channel_id: str, ts: Any) -> dict[str, Any]:
        message = self._messages.get(channel_id, {}).get(ts) if isinstance(ts, str) else None
        if message is None:
            raise SlackError("message_not_found")
        return message

    def find_live_message(self, channel_id: str, ts: Any) -> dict[str, Any]:
        """A message that can still be changed: a deleted parent's tombstone cannot."""
        message = self.find_message(channel_id, ts)
        if message.get("subtype") == "tombstone":
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
        metadata: dict[str, Any] | None = None,
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
        if metadata:
            message["metadata"] = copy.deepcopy(metadata)
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
        metadata: dict[str, Any] | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Change a message in place; returns (previous, current).

        `metadata=None` keeps the message's metadata, `{}` removes it (chat.update's rule)."""
        message = self.find_message(channel_id, ts)
        previous = copy.deepcopy(message)
        if text is not None:
            message["text"] = text
        if blocks is not None:
            message["blocks"] = fill_ids(blocks, self._auto_ids)
        if attachments is not None:
            message["attachments"] = copy.deepcopy(attachments)
        if metadata is not None:
            if metadata:
                message["metadata"] = copy.deepcopy(metadata)
            else:
                message.pop("metadata", None)
        message["edited"] = {"user": editor, "ts": self.clock.next()}
        return previous, message

    def remove_message(self, channel_id: str, ts: str) -> dict[str, Any]:
        """Delete a message; a parent with replies stays as a tombstone, as in Slack, until
        its last reply goes too."""
        store = self._store(channel_id)
        message = self.find_message(channel_id, ts)
        previous = copy.deepcopy(message)
        if message.get("reply_count") and message.get("thread_ts") == ts:
            message.update(
                {"subtype": "tombstone", "text": "This message was deleted.", "hidden": True}
            )
            for key in ("blocks", "attachments", "metadata", "reactions", "edited"):
                message.pop(key, None)
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
            elif parent.get("subtype") == "tombstone":
                # Nothing is left to hold the deleted parent's place.
                del store[thread_ts]
            else:
                for key in ("latest_reply", "reply_count", "reply_users", "reply_users_count"):
                    parent.pop(key, None)
                parent.pop("thread_ts", None)
        return previous

    def top_level(self, channel_id: str) -> list[dict[str, Any]]:
        """Channel history as stored (not copied), oldest first: replies only when broadcast."""
        store = self._messages.get(channel_id, {})
        shown = [
            m
            for m in store.values()
            if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
        ]
        return sorted(shown, key=lambda m: parse_ts(m["ts"]))

    def thread_messages(self, channel_id: str, ts: str) -> list[dict[str, Any]]:
        """The parent then its replies, oldest first, as stored; [] when there is no such
        message.  `ts` may be any message of the thread."""
        store = self._messages.get(channel_id, {})
        message = store.get(ts)
        if message is None:
            return []
        parent_ts = message.get("thread_ts") or ts
        parent = store.get(parent_ts, message)
        replies = [m for m in store.values() if m.get("thread_ts") == parent_ts and m is not parent]
        return [parent, *sorted(replies, key=lambda m: parse_ts(m["ts"]))]

    def messages(self, channel_id: str) -> list[dict[str, Any]]:
        """Top-level channel history, oldest first (replies only when broadcast)."""
        return copy.deepcopy(self.top_level(channel_id))

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
        message = self.find_live_message(channel_id, ts)
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
