"""The Web API methods the stand-in answers, each a function of (stand-in state, params).

A method returns the success body (without "ok") or raises SlackError with Slack's error
name.  Params arrive already merged from query string, form or JSON body; values sent as
form fields are strings, so JSON-typed arguments (blocks, view, ...) are decoded here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_standin.blockkit import validate_message
from slack_standin.views import ViewStore, invalid_arguments, slack_messages
from slack_standin.workspace import SlackError, Workspace

MAX_TEXT_CHARS = 40_000


@dataclass
class ApiState:
    workspace: Workspace
    views: ViewStore


Method = Callable[[ApiState, dict[str, Any]], dict[str, Any]]


# -- argument helpers -----------------------------------------------------------


def json_arg(params: dict[str, Any], name: str, *, error: str = "invalid_arguments") -> Any:
    value = params.get(name)
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise SlackError(error) from None
    return value


def bool_arg(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def required(params: dict[str, Any], name: str, error: str) -> str:
    value = params.get(name)
    if value in (None, ""):
        raise SlackError(error)
    return str(value)


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


def missing_text_warning(text: Any, blocks: Any) -> dict[str, Any]:
    # Slack accepts blocks without fallback text but warns: notifications and screen
    # readers then have nothing to show.
    if blocks and not text:
        warning = "missing_text_or_fallback_or_attachments"
        return {"warning": warning, "response_metadata": {"warnings": [warning]}}
    return {}


# -- auth / users / conversations ----------------------------------------------


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


def conversations_open(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    if params.get("channel"):
        channel = ws.channel(params["channel"])
        return {
            "channel": channel.to_slack(ws.bot_user_id)
            if bool_arg(params, "return_im")
            else {"id": channel.id}
        }
    users = params.get("users")
    if isinstance(users, list):
        users = ",".join(users)
    user_ids = [u.strip() for u in (users or "").split(",") if u.strip()]
    if not user_ids:
        raise SlackError("users_list_not_supplied")
    if len(user_ids) > 1:
        # Group DMs are not something mlquiz opens; say so rather than pretend.
        raise SlackError("method_not_supported_for_channel_type")
    channel_id = ws.dm_channel(user_ids[0])
    channel = ws.channels[channel_id]
    body: dict[str, Any] = {"channel": {"id": channel_id}}
    if bool_arg(params, "return_im"):
        body["channel"] = channel.to_slack(ws.bot_user_id)
    return body


def conversations_info(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    channel = ws.channel(required(params, "channel", "channel_not_found"))
    if channel.is_private and not channel.bot_is_member:
        raise SlackError("channel_not_found")
    return {"channel": channel.to_slack(ws.bot_user_id)}


# -- chat -----------------------------------------------------------------------


def chat_post_message(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    channel = ws.postable_channel(required(params, "channel", "channel_not_found"))
    text, blocks, attachments = message_body(params)
    message = ws.add_message(
        channel.id,
        user=ws.bot_user_id,
        text=text or "",
        blocks=blocks,
        attachments=attachments,
        thread_ts=params.get("thread_ts") or None,
        reply_broadcast=bool_arg(params, "reply_broadcast"),
        from_bot=True,
    )
    return {"channel": channel.id, "ts": message["ts"], "message": message} | missing_text_warning(
        text, blocks
    )


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
    return {"message_ts": ephemeral.ts} | missing_text_warning(text, blocks)


def chat_update(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    channel = ws.channel(required(params, "channel", "channel_not_found"))
    ts = required(params, "ts", "message_not_found")
    message = ws.find_message(channel.id, ts)
    if message.get("bot_id") != ws.bot_id:
        raise SlackError("cant_update_message")
    text, blocks, attachments = message_body(params)
    _, current = ws.edit_message(
        channel.id, ts, editor=ws.bot_user_id, text=text, blocks=blocks, attachments=attachments
    )
    return {"channel": channel.id, "ts": ts, "text": current["text"], "message": current}


def chat_delete(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    channel = ws.channel(required(params, "channel", "channel_not_found"))
    ts = required(params, "ts", "message_not_found")
    message = ws.find_message(channel.id, ts)
    if message.get("bot_id") != ws.bot_id:
        raise SlackError("cant_delete_message")
    ws.remove_message(channel.id, ts)
    return {"channel": channel.id, "ts": ts}


def reactions_add(state: ApiState, params: dict[str, Any]) -> dict[str, Any]:
    ws = state.workspace
    if not params.get("channel") and not params.get("timestamp"):
        raise SlackError("no_item_specified")
    channel = ws.channel(required(params, "channel", "channel_not_found"))
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
    "conversations.info": conversations_info,
    "conversations.open": conversations_open,
    "reactions.add": reactions_add,
    "users.info": users_info,
    "views.open": views_open,
    "views.publish": views_publish,
    "views.push": views_push,
    "views.update": views_update,
}
