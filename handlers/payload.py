"""Small, total readers of Slack payloads: a missing or odd field gives a default,
never an exception (malformed payloads must not crash a listener)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.usecases.deps import ReplyTo


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
    return text_field(action.get("value"))


def reply_to(body: Mapping[str, Any], *, channel_id: str | None = None) -> ReplyTo:
    channel = channel_id or text_field(_dict(body.get("channel")).get("id")) or None
    return ReplyTo(
        team_id=team_id(body),
        user_id=user_id(body),
        response_url=text_field(body.get("response_url")) or None,
        channel_id=channel,
    )
