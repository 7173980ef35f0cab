"""The conversations.* and users.list methods: DMs, group DMs, channels the bot creates and
manages, and reading history and threads with Slack's cursor pagination.

Each method is a function of (stand-in state, params) returning the success body (without
"ok") or raising SlackError with Slack's error name, like those in webapi.py.
"""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, Any

from slack_standin.args import (
    bool_arg,
    int_arg,
    list_arg,
    page,
    required,
    ts_arg,
)
from slack_standin.ids import parse_ts
from slack_standin.workspace import Channel, SlackError, Workspace

if TYPE_CHECKING:
    from slack_standin.webapi import ApiState

HISTORY_DEFAULT_LIMIT = 100
HISTORY_MAX_LIMIT = 999
REPLIES_DEFAULT_LIMIT = 1000
REPLIES_MAX_LIMIT = 1000
MEMBERS_DEFAULT_LIMIT = 100
MEMBERS_MAX_LIMIT = 1000
INVITE_MAX_USERS = 1000


# -- DMs ----------------------------------------------------------------------------


def dm_people(channel: Channel) -> list[str]:
    """The people (not the bot) a DM or group DM is with; [] for a channel."""
    if channel.is_im:
        return [channel.im_user] if channel.im_user else []
    if channel.is_mpim:
        return list(channel.mpim_users or [])
    return []


def check_dm_fault(ws: Workspace, people: list[str], method: str) -> None:
    """Answer a scripted per-user DM failure (`SlackStandin.fail_dms`) for this call."""
    error = ws.take_dm_fault(people, method)
    if error is not None:
        raise SlackError(error)


def conversations_open(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Open (or find) the DM with one user or the group DM with 2-8 users.

    The same set of people always gets the same conversation, whatever the order they are
    named in; a deactivated user is `user_not_found` (Slack also documents
    `user_disabled`, which `fail_dms` can script), a bot user `cannot_dm_bot`."""
    ws = state.workspace
    if params.get("channel"):
        channel = ws.conversation(params["channel"])
        if not channel.is_dm:
            raise SlackError("method_not_supported_for_channel_type")
        check_dm_fault(ws, dm_people(channel), "conversations.open")
        already = True
    else:
        user_ids = list_arg(params, "users")
        if not user_ids:
            raise SlackError("users_list_not_supplied")
        # A scripted failure answers before anything is created.
        check_dm_fault(ws, ws.dm_people_for(user_ids), "conversations.open")
        channel, already = ws.open_conversation(user_ids)
    body: dict[str, Any] = {"channel": {"id": channel.id}}
    if already:
        body |= {"no_op": True, "already_open": True}
    if bool_arg(params, "return_im"):
        body["channel"] = ws.describe(channel)
    return body


# -- reading --------------------------------------------------------------------------


def conversations_info(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    channel = ws.conversation(required(params, "channel", "channel_not_found"))
    return {"channel": ws.describe(channel, num_members=bool_arg(params, "include_num_members"))}


def _limit(state: ApiState, params: dict[str, Any], default: int, maximum: int) -> int:
    if state.history_page_cap is not None:
        default = maximum = state.history_page_cap
    limit = int_arg(params, "limit", default=default)
    # Slack caps a limit above the maximum rather than refusing it.
    return default if limit <= 0 else min(limit, maximum)


def _in_range(params: dict[str, Any]) -> Any:
    """A filter for messages between `oldest` and `latest` (exclusive unless `inclusive`)."""
    oldest = ts_arg(params, "oldest", error="invalid_ts_oldest")
    latest = ts_arg(params, "latest", error="invalid_ts_latest")
    inclusive = bool_arg(params, "inclusive")

    def keep(message: dict[str, Any]) -> bool:
        ts = parse_ts(message["ts"])
        if oldest is not None and (ts < oldest or (ts == oldest and not inclusive)):
            return False
        return latest is None or ts < latest or (ts == latest and inclusive)

    return keep


def _shown(message: dict[str, Any], *, include_metadata: bool) -> dict[str, Any]:
    shown = copy.deepcopy(message)
    if not include_metadata:
        shown.pop("metadata", None)
    return shown


def _cursor_key(message: dict[str, Any]) -> str:
    # Slack's history cursors read "next_ts:<ts without the dot>".
    return message["ts"].replace(".", "")


def _paged(
    messages: list[dict[str, Any]], limit: int, params: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    chunk, next_cursor = page(
        messages, limit=limit, cursor=params.get("cursor"), kind="next_ts", key=_cursor_key
    )
    include = bool_arg(params, "include_all_metadata")
    body: dict[str, Any] = {
        "messages": [_shown(m, include_metadata=include) for m in chunk],
        "has_more": next_cursor is not None,
    }
    if next_cursor is not None:
        body["response_metadata"] = {"next_cursor": next_cursor}
    return chunk, body


def conversations_history(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Top-level messages (thread replies only when broadcast), newest first.

    `limit` defaults to 100 and is capped at 999 (Slack's documented maximum); metadata is
    returned only with `include_all_metadata=true` (Slack returns it by default only for
    event types the app's manifest subscribes to, which the stand-in has none of).  A
    public channel the bot is not in is `not_in_channel` (documented: only user tokens read
    public channels they are not in); a private one it is not in is `channel_not_found`,
    as everywhere else it is invisible to the bot."""
    ws = state.workspace
    channel = ws.joined_channel(required(params, "channel", "channel_not_found"))
    keep = _in_range(params)
    newest_first = [m for m in reversed(ws.top_level(channel.id)) if keep(m)]
    limit = _limit(state, params, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT)
    _, body = _paged(newest_first, limit, params)
    return body | {"pin_count": 0}


def conversations_replies(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """A thread: the parent first, then its replies oldest first.

    `ts` may be the parent or any reply; a message without replies comes back alone.  Pages
    continue the same list, so only the first page starts with the parent; `oldest`,
    `latest` and `inclusive` filter the replies.  Slack's docs list only
    `channel_not_found` for a conversation the bot cannot read, so that is the answer for
    any channel the bot is not in.  (Slack's docs still say bot tokens cannot read channel
    threads; with the history scopes they can, so the stand-in lets them.)"""
    ws = state.workspace
    channel = ws.conversation(required(params, "channel", "channel_not_found"))
    if not channel.bot_is_member:
        raise SlackError("channel_not_found")
    ts = required(params, "ts", "thread_not_found")
    thread = ws.thread_messages(channel.id, ts)
    if not thread:
        raise SlackError("thread_not_found")
    keep = _in_range(params)
    parent, replies = thread[0], [m for m in thread[1:] if keep(m)]
    limit = _limit(state, params, REPLIES_DEFAULT_LIMIT, REPLIES_MAX_LIMIT)
    _, body = _paged([parent, *replies], limit, params)
    return body


def conversations_members(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    channel = ws.conversation(required(params, "channel", "channel_not_found"))
    limit = int_arg(params, "limit", default=MEMBERS_DEFAULT_LIMIT, error="invalid_limit")
    if not 1 <= limit <= MEMBERS_MAX_LIMIT:
        raise SlackError("invalid_limit")
    members, next_cursor = page(
        ws.member_ids(channel), limit=limit, cursor=params.get("cursor"), kind="user", key=str
    )
    return {"members": members, "response_metadata": {"next_cursor": next_cursor or ""}}


def users_list(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Every user, deactivated ones (`deleted: true`) and bots included, in the order they
    were added; no `limit` (or 0) returns them all, like Slack for a small team."""
    ws = state.workspace
    limit = int_arg(params, "limit", default=0)
    users = list(ws.users)
    members, next_cursor = page(
        users,
        limit=limit if limit > 0 else max(len(users), 1),
        cursor=params.get("cursor"),
        kind="user",
        key=str,
    )
    return {
        "members": [ws.user_info(u) for u in members],
        "cache_ts": int(time.time()),
        "response_metadata": {"next_cursor": next_cursor or ""},
    }


def users_conversations(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """The conversations the bot is a member of, of the given `types` (comma separated:
    public_channel, private_channel, mpim, im; default public_channel), archived ones
    left out with `exclude_archived`, with cursor pagination (`limit` default 100)."""
    ws = state.workspace
    types = set(list_arg(params, "types") or ["public_channel"])
    known = {"public_channel", "private_channel", "mpim", "im"}
    if not types <= known:
        raise SlackError("invalid_types")
    skip_archived = bool_arg(params, "exclude_archived")

    def kind(channel: Channel) -> str:
        if channel.is_im:
            return "im"
        if channel.is_mpim:
            return "mpim"
        return "private_channel" if channel.is_private else "public_channel"

    found = [
        c
        for c in ws.channels.values()
        if c.bot_is_member and kind(c) in types and not (skip_archived and c.is_archived)
    ]
    limit = int_arg(params, "limit", default=100)
    chunk, next_cursor = page(
        found,
        limit=max(1, min(limit, 1000)),
        cursor=params.get("cursor"),
        kind="conversation",
        key=lambda c: c.id,
    )
    return {
        "channels": [ws.describe(c) for c in chunk],
        "response_metadata": {"next_cursor": next_cursor or ""},
    }


# -- managing channels ----------------------------------------------------------------


def _managed_channel(ws: Workspace, params: dict[str, Any]) -> Channel:
    """A channel (not a DM) the bot is in and that is not archived."""
    channel = ws.conversation(required(params, "channel", "channel_not_found"))
    if channel.is_dm:
        raise SlackError("method_not_supported_for_channel_type")
    if not channel.bot_is_member:
        raise SlackError("not_in_channel")
    if channel.is_archived:
        raise SlackError("is_archived")
    return channel


def conversations_create(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """A new channel with the bot as creator and only member.  Names follow Slack's rules
    (checked, never rewritten); a workspace that forbids creating private (or public)
    channels answers `restricted_action` (`SlackStandin.restrict_channel_creation`)."""
    ws = state.workspace
    channel = ws.create_channel(params.get("name"), is_private=bool_arg(params, "is_private"))
    return {"channel": ws.describe(channel)}


def conversations_invite(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Invite users (`users` is a comma separated list).  Without `force=true` one bad user
    fails the call and nobody joins: the error is the first failure's, and `errors` lists
    every failure per user.  With `force=true` the valid users join and the answer is ok
    with `errors` for the rest."""
    ws = state.workspace
    channel = _managed_channel(ws, params)
    user_ids = list_arg(params, "users")
    if not user_ids:
        raise SlackError("no_user")
    if len(user_ids) > INVITE_MAX_USERS:
        raise SlackError("too_many_users")
    if channel.members is None:
        # A default public channel already holds everyone: nothing to invite to.
        failures: list[dict[str, Any]] = [
            {"user": u, "ok": False, "error": "already_in_channel"} for u in user_ids
        ]
        raise SlackError(failures[0]["error"], errors=failures)
    force = bool_arg(params, "force")
    failures = ws.invite(channel, user_ids, force=force)
    if failures and not force:
        raise SlackError(failures[0]["error"], errors=failures)
    body: dict[str, Any] = {"channel": ws.describe(channel)}
    if failures:
        body["errors"] = failures
    return body


def conversations_kick(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Remove one `user` from a channel the bot is in (not a DM: Slack answers
    `method_not_supported_for_channel_type`); `not_in_channel` when they are not there."""
    ws = state.workspace
    channel = _managed_channel(ws, params)
    ws.kick(channel, required(params, "user", "user_not_found"))
    return {}


def conversations_archive(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    channel = ws.conversation(required(params, "channel", "channel_not_found"))
    if channel.is_dm:
        raise SlackError("method_not_supported_for_channel_type")
    if not channel.bot_is_member:
        raise SlackError("not_in_channel")
    if channel.is_archived:
        raise SlackError("already_archived")
    if channel.name == "general":
        raise SlackError("cant_archive_general")
    channel.is_archived = True
    return {}


def _set_text(state: ApiState, params: dict[str, Any], kind: str) -> dict[str, Any]:
    ws = state.workspace
    channel = ws.conversation(required(params, "channel", "channel_not_found"))
    if not channel.bot_is_member:
        raise SlackError("not_in_channel")
    if channel.is_archived:
        raise SlackError("is_archived")
    value = params.get(kind)
    ws.set_text_field(channel, kind, "" if value is None else str(value))
    return {"channel": ws.describe(channel)}


def conversations_set_topic(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Set the topic (at most 250 characters, else `too_long`); DMs have topics too."""
    return _set_text(state, params, "topic")


def conversations_set_purpose(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Set the purpose (Slack now calls it the description; at most 250 characters)."""
    return _set_text(state, params, "purpose")


CONVERSATION_METHODS = {
    "conversations.archive": conversations_archive,
    "conversations.create": conversations_create,
    "conversations.history": conversations_history,
    "conversations.info": conversations_info,
    "conversations.invite": conversations_invite,
    "conversations.kick": conversations_kick,
    "conversations.members": conversations_members,
    "conversations.open": conversations_open,
    "conversations.replies": conversations_replies,
    "conversations.setPurpose": conversations_set_purpose,
    "conversations.setTopic": conversations_set_topic,
    "users.conversations": users_conversations,
    "users.list": users_list,
}

__all__ = ["CONVERSATION_METHODS", "check_dm_fault", "dm_people"]
