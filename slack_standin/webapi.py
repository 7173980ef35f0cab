"""The Web API methods the stand-in answers, each a function of (stand-in state, params).

A method returns the success body (without "ok") or raises SlackError with Slack's error
name.  Params arrive already merged from query string, form or JSON body; values sent as
form fields are strings, so JSON-typed arguments (blocks, view, ...) are decoded here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_standin.args import bool_arg, json_arg, required
from slack_standin.blockkit import validate_message
from slack_standin.conversations import CONVERSATION_METHODS, check_dm_fault, dm_people
from slack_standin.metadata import parse_metadata
from slack_standin.views import ViewStore, invalid_arguments, slack_messages
from slack_standin.workspace import Channel, SlackError, Workspace

__all__ = ["METHODS", "ApiState", "bool_arg", "json_arg", "message_body", "required"]

MAX_TEXT_CHARS = 40_000
# The methods a per-user DM failure (`SlackStandin.fail_dms`) applies to by default.
DM_METHODS = frozenset({"conversations.open", "chat.postMessage"})


@dataclass
class ApiState:
    workspace: Workspace
    views: ViewStore
    # None: Slack's documented limits; a number caps conversations.history/replies pages
    # (Slack's rule since 2025 for commercially distributed non-Marketplace apps: 15).
    history_page_cap: int | None = None


Method = Callable[[ApiState, dict[str, Any]], dict[str, Any]]


# -- argument helpers -----------------------------------------------------------


def message_body(params: dict[str, Any]) -> tuple[str | None, list | None, list | None]:
    """Text, blocks and attachments of a message, checked as Slack checks them."""
    text = params.get("text")
    blocks = json_arg(params, "blocks", error="invalid_blocks_format")
    attachments = json_arg(params, "attachments", error="invalid_attachments")
    if not text and not blocks and not attachments:
        raise SlackError("no_text")
    if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
        raise SlackError("msg_too_long")
    problems = validate_message(text=text, blocks=blocks, attachments=attachments)
    if problems:
        raise SlackError("invalid_blocks", response_metadata={"messages": slack_messages(problems)})
    return text, blocks, attachments


def warnings_of(*warnings: str | None) -> dict[str, Any]:
    """Slack's way of saying "done, but": `warning` plus response_metadata.warnings."""
    found = [w for w in warnings if w]
    if not found:
        return {}
    return {"warning": ",".join(found), "response_metadata": {"warnings": found}}


def missing_text_warning(text: Any, blocks: Any) -> str | None:
    # Slack accepts blocks without fallback text but warns: notifications and screen
    # readers then have nothing to show.
    if blocks and not text:
        return "missing_text_or_fallback_or_attachments"
    return None


def post_target(ws: Workspace, channel_ref: Any) -> Channel:
    """Where chat.postMessage posts.  A user id opens the DM first, with conversations.open's
    rules (a deactivated user is `user_not_found`, a bot user `cannot_dm_bot`)."""
    if isinstance(channel_ref, str) and channel_ref[:1] in "UW" and channel_ref in ws.users:
        channel, _ = ws.open_conversation([channel_ref])
        return ws.postable_channel(channel.id)
    return ws.postable_channel(channel_ref)


# -- auth / users ------------------------------------------------------------------


def auth_test(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    return {
        "url": f"https://{ws.team_id.lower()}.slack.com/",
        "team": f"Team {ws.team_id}",
        "user": ws.users[ws.bot_user_id]["name"],
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def users_info(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    user_id = required(params, "user", "user_not_found")
    return {"user": state.workspace.user_info(user_id)}


# -- chat -----------------------------------------------------------------------


def chat_post_message(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Post a message; `metadata` is stored on it (see slack_standin.metadata)."""
    ws = state.workspace
    channel = post_target(ws, required(params, "channel", "channel_not_found"))
    text, blocks, attachments = message_body(params)
    metadata, metadata_warning = parse_metadata(params.get("metadata"))
    check_dm_fault(ws, dm_people(channel), "chat.postMessage")
    message = ws.add_message(
        channel.id,
        user=ws.bot_user_id,
        text=text or "",
        blocks=blocks,
        attachments=attachments,
        thread_ts=params.get("thread_ts") or None,
        reply_broadcast=bool_arg(params, "reply_broadcast"),
        from_bot=True,
        metadata=metadata or None,
    )
    return {
        "channel": channel.id,
        "ts": message["ts"],
        "message": copy.deepcopy(message),
    } | warnings_of(missing_text_warning(text, blocks), metadata_warning)


def chat_post_ephemeral(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    channel = ws.postable_channel(required(params, "channel", "channel_not_found"))
    user = required(params, "user", "user_not_found")
    if user not in ws.users:
        raise SlackError("user_not_found")
    if not channel.has_member(user):
        raise SlackError("user_not_in_channel")
    text, blocks, _ = message_body(params)
    ephemeral = ws.add_ephemeral(
        channel.id, user, text or "", blocks, params.get("thread_ts") or None
    )
    return {"message_ts": ephemeral.ts} | warnings_of(missing_text_warning(text, blocks))


def chat_update(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Edit one of the bot's messages, with Slack's rules: `text` without `blocks` removes
    the old blocks, no `metadata` keeps the old metadata and `{}` removes it, and a message
    in an archived channel cannot change (`is_inactive`)."""
    ws = state.workspace
    channel = ws.channel(required(params, "channel", "channel_not_found"))
    ts = required(params, "ts", "message_not_found")
    message = ws.find_live_message(channel.id, ts)
    if message.get("bot_id") != ws.bot_id:
        raise SlackError("cant_update_message")
    if channel.is_archived:
        raise SlackError("is_inactive")
    text, blocks, attachments = message_body(params)
    metadata, metadata_warning = parse_metadata(params.get("metadata"))
    _, current = ws.edit_message(
        channel.id,
        ts,
        editor=ws.bot_user_id,
        text=text,
        blocks=blocks,
        attachments=attachments,
        metadata=metadata,
    )
    if text and blocks is None:
        current.pop("blocks", None)
    return {
        "channel": channel.id,
        "ts": ts,
        "text": current["text"],
        "message": copy.deepcopy(current),
    } | warnings_of(metadata_warning)


def chat_delete(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    """Delete one of the bot's own messages (others' are `cant_delete_message`).  A parent
    with replies becomes a tombstone that stays until its last reply is deleted; deleting a
    broadcast reply removes it from the thread and the channel alike."""
    ws = state.workspace
    channel = ws.channel(required(params, "channel", "channel_not_found"))
    if channel.is_private and not channel.bot_is_member:
        raise SlackError("channel_not_found")
    ts = required(params, "ts", "message_not_found")
    message = ws.find_live_message(channel.id, ts)
    if message.get("bot_id") != ws.bot_id:
        raise SlackError("cant_delete_message")
    ws.remove_message(channel.id, ts)
    return {"channel": channel.id, "ts": ts}


def reactions_add(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    if not params.get("channel") and not params.get("timestamp"):
        raise SlackError("no_item_specified")
    channel = ws.channel(required(params, "channel", "channel_not_found"))
    if channel.is_archived:
        raise SlackError("is_archived")
    ts = required(params, "timestamp", "bad_timestamp")
    name = required(params, "name", "invalid_name").strip(":")
    ws.add_reaction(channel.id, ts, name, ws.bot_user_id)
    return {}


# -- views ----------------------------------------------------------------------


def views_open(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("trigger_id"):
        raise invalid_arguments(["trigger_id: missing required field"])
    return {"view": state.views.open(params["trigger_id"], json_arg(params, "view"))}


def views_push(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("trigger_id"):
        raise invalid_arguments(["trigger_id: missing required field"])
    return {"view": state.views.push(params["trigger_id"], json_arg(params, "view"))}


def views_update(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    view = state.views.update(
        view_id=params.get("view_id"),
        external_id=params.get("external_id"),
        spec=json_arg(params, "view"),
        hash_=params.get("hash"),
    )
    return {"view": view}


def views_publish(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    view = state.views.publish(params.get("user_id"), json_arg(params, "view"), params.get("hash"))
    return {"view": view}


METHODS: dict[str, Method] = {
    "auth.test": auth_test,
    "chat.delete": chat_delete,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "reactions.add": reactions_add,
    "users.info": users_info,
    "views.open": views_open,
    "views.publish": views_publish,
    "views.push": views_push,
    "views.update": views_update,
    **CONVERSATION_METHODS,
}
