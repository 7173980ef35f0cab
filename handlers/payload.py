"""Small readers of Slack interaction payloads shared by the listeners."""

from __future__ import annotations

from typing import Any


def team_id(body: dict[str, Any]) -> str:
    """Interactions carry the workspace as `team.id`; events and commands as `team_id`."""
    return (body.get("team") or {}).get("id") or body.get("team_id", "")


def input_value(view: dict[str, Any], block_id: str, action_id: str) -> str:
    state = (view.get("state") or {}).get("values") or {}
    return ((state.get(block_id) or {}).get(action_id) or {}).get("value") or ""
