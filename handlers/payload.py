"""Small, total readers of Slack payloads: a missing or odd field gives a default,
never an exception (malformed payloads must not crash a listener)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from bot.ports.requests import ReplyTo


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def text_field(value: Any) -> str:
    return value if isinstance(value, str) else ""


def team_id(body: Mapping[str, Any]) -> str:
    """Interactions carry the workspace as `team.id`; events and commands as `team_id`."""
    return text_field(_dict(body.get("team")).get("id")) or text_field(body.get("team_id"))


def user_id(body: Mapping[str, Any]) -> str:
    """`user.id` in interactions, `user_id` in slash commands."""
    return text_field(_dict(body.get("user")).get("id")) or text_field(body.get("user_id"))


def input_value(view: Mapping[str, Any], block_id: str, action_id: str) -> str:
    state = _dict(_dict(view.get("state")).get("values"))
    return text_field(_dict(_dict(state.get(block_id)).get(action_id)).get("value"))


def action_value(action: Mapping[str, Any]) -> str:
    """A button's value, or the value of the option picked in a select menu."""
    if "selected_option" in action:
        return text_field(_dict(action.get("selected_option")).get("value"))
    return text_field(action.get("value"))


def reply_to(
    body: Mapping[str, Any], reply_hosts: frozenset[str], *, channel_id: str | None = None
) -> ReplyTo:
    """Where to answer. A response_url is used only when it points at Slack (or the
    stand-in): the app never posts to an address a payload made up."""
    channel = channel_id or text_field(_dict(body.get("channel")).get("id")) or None
    url = text_field(body.get("response_url"))
    return ReplyTo(
        team_id=team_id(body),
        user_id=user_id(body),
        response_url=url if url and urlsplit(url).netloc in reply_hosts else None,
        channel_id=channel,
    )


def state_values(view: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """A modal's inputs as `"block_id.action_id": value`, whatever the element type."""
    flat: dict[str, str | list[str]] = {}
    state = _dict(_dict(view.get("state")).get("values"))
    for block_id, actions in state.items():
        for action_id, element in _dict(actions).items():
            flat[f"{block_id}.{action_id}"] = _element_value(_dict(element))
    return flat


def _element_value(element: Mapping[str, Any]) -> str | list[str]:
    if "value" in element:
        return text_field(element.get("value"))
    if "selected_option" in element:
        return text_field(_dict(element.get("selected_option")).get("value"))
    if "selected_options" in element:
        options = element.get("selected_options") or []
        return [text_field(_dict(o).get("value")) for o in options if isinstance(o, Mapping)]
    for many in ("selected_users", "selected_conversations", "selected_channels"):
        if many in element:
            return [text_field(v) for v in element.get(many) or [] if isinstance(v, str)]
    for one in (
        "selected_user",
        "selected_conversation",
        "selected_channel",
        "selected_date",
        "selected_time",
    ):
        if one in element:
            return text_field(element.get(one))
    if "selected_date_time" in element:
        stamp = element.get("selected_date_time")
        return str(stamp) if isinstance(stamp, int | float) else ""
    return ""
