"""The shapes of what Slack sends an app: event envelopes, slash commands, interactions.

Pure builders with no I/O; `SlackDriver` fills them from the stand-in's state and sends them.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

VERIFICATION_TOKEN = "standin-verification-token"


@dataclass(frozen=True)
class Installation:
    """Who the requests come from: the workspace and the installed app."""

    team_id: str = "T0001"
    api_app_id: str = "A0001"
    bot_user_id: str = "UBOT"
    team_domain: str = "standin"
    token: str = VERIFICATION_TOKEN


def new_event_id() -> str:
    return "Ev" + secrets.token_hex(5).upper()


def channel_type_of(channel_id: str) -> str:
    return {"D": "im", "G": "group"}.get(channel_id[:1], "channel")


def rich_text_of(text: str) -> list[dict[str, Any]]:
    # Slack clients send a rich_text block alongside the plain text of a typed message.
    return [
        {
            "type": "rich_text",
            "block_id": secrets.token_hex(2),
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
            ],
        }
    ]


def user_message(
    channel: str,
    user: str,
    text: str,
    *,
    ts: str,
    team_id: str,
    thread_ts: str | None = None,
    parent_user_id: str | None = None,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "type": "message",
        "user": user,
        "text": text,
        "ts": ts,
        "team": team_id,
        "client_msg_id": str(uuid.uuid4()),
        "blocks": rich_text_of(text),
    }
    if thread_ts:
        message["thread_ts"] = thread_ts
        if parent_user_id:
            message["parent_user_id"] = parent_user_id
    return message


def event_envelope(
    event: dict[str, Any], install: Installation, *, event_id: str | None = None
) -> dict[str, Any]:
    event_context = base64.urlsafe_b64encode(
        json.dumps({"team": install.team_id, "app": install.api_app_id}).encode()
    ).decode()
    return {
        "token": install.token,
        "team_id": install.team_id,
        "context_team_id": install.team_id,
        "context_enterprise_id": None,
        "api_app_id": install.api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or new_event_id(),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": install.team_id,
                "user_id": install.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event_context}",
    }


def slash_command_form(
    install: Installation,
    *,
    command: str,
    text: str,
    user_id: str,
    user_name: str,
    channel_id: str,
    channel_name: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    return {
        "token": install.token,
        "team_id": install.team_id,
        "team_domain": install.team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": install.api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def user_ref(install: Installation, user_id: str, user_name: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": install.team_id}


def interaction_base(
    kind: str, install: Installation, user_id: str, user_name: str
) -> dict[str, Any]:
    return {
        "type": kind,
        "user": user_ref(install, user_id, user_name),
        "api_app_id": install.api_app_id,
        "token": install.token,
        "team": {"id": install.team_id, "domain": install.team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
    }


def action_of(
    element: dict[str, Any], block_id: str, value: Any, *, strict: bool = False
) -> dict[str, Any]:
    """The `actions[0]` entry Slack sends when a user uses an element."""
    kind = element.get("type", "button")
    action: dict[str, Any] = {
        "type": kind,
        "action_id": element.get("action_id"),
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if kind == "button":
        action["text"] = element.get("text")
        action["value"] = value
        if element.get("style"):
            action["style"] = element["style"]
    else:
        action |= element_value(element, value, strict=strict)
    return action


def element_options(element: dict[str, Any]) -> list[dict[str, Any]]:
    """Every option an element offers, option groups flattened."""
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    return options


def _option(element: dict[str, Any], value: Any, *, strict: bool) -> dict[str, Any]:
    for option in element_options(element):
        if option.get("value") == value:
            return option
    if strict:
        offered = [o.get("value") for o in element_options(element)]
        raise LookupError(f"{element.get('type')} offers no option {value!r} (only {offered})")
    return {"text": {"type": "plain_text", "text": str(value)}, "value": value}


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | set) else [value]


def element_value(element: dict[str, Any], value: Any, *, strict: bool = False) -> dict[str, Any]:
    """How Slack reports an element's current value, in actions and in view state.

    `value` is what the user picked, in the simplest form: an option's value (a list of them
    for checkboxes and multi selects), a user/channel id (a list for multi selects), a date
    "YYYY-MM-DD", a time "HH:MM", a datetime as epoch seconds, a number, or text.  With
    `strict`, an option the element does not offer is a LookupError (a person cannot pick
    it).  Nothing picked gives Slack's empty value: None, or [] for the multi kinds."""
    kind = element.get("type", "plain_text_input")
    if kind in ("static_select", "radio_buttons", "overflow"):
        picked = None if value is None else _option(element, value, strict=strict)
        return {"selected_option": picked}
    if kind == "external_select":
        return {"selected_option": None if value is None else _option(element, value, strict=False)}
    if kind in ("checkboxes", "multi_static_select"):
        return {"selected_options": [_option(element, v, strict=strict) for v in _many(value)]}
    if kind == "multi_external_select":
        return {"selected_options": [_option(element, v, strict=False) for v in _many(value)]}
    if kind == "users_select":
        return {"selected_user": value}
    if kind == "multi_users_select":
        return {"selected_users": _many(value)}
    if kind == "conversations_select":
        return {"selected_conversation": value}
    if kind == "multi_conversations_select":
        return {"selected_conversations": _many(value)}
    if kind == "channels_select":
        return {"selected_channel": value}
    if kind == "multi_channels_select":
        return {"selected_channels": _many(value)}
    if kind == "datepicker":
        return {"selected_date": value}
    if kind == "timepicker":
        entry: dict[str, Any] = {"selected_time": value}
        if element.get("timezone"):
            entry["timezone"] = element["timezone"]
        return entry
    if kind == "datetimepicker":
        return {"selected_date_time": None if value is None else int(value)}
    if kind == "number_input":
        # Slack sends the number as the text the user typed.
        return {"value": None if value is None else str(value)}
    if kind == "rich_text_input":
        if isinstance(value, str):
            value = rich_text_of(value)[0]
        return {"rich_text_value": value}
    if kind == "file_input":
        return {"files": _many(value)}
    return {"value": value}
