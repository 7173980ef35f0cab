"""response_url endpoints: what Slack does with a POST to a response URL.

A response URL belongs to one interaction (a slash command or a click) and so to one
channel, one user and, for a click, the message clicked.  Slack lets an app use it five
times within thirty minutes; we keep the count and skip the clock.
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from typing import Any

from slack_standin.webapi import message_body
from slack_standin.workspace import SlackError, Workspace, fill_ids

MAX_USES = 5


@dataclass
class ResponseTarget:
    channel: str | None
    user: str | None
    message_ts: str | None = None
    is_ephemeral: bool = False
    uses: int = 0


class ResponseUrls:
    def __init__(self) -> None:
        self.targets: dict[str, ResponseTarget] = {}
        self.log: list[dict[str, Any]] = []

    def new(self, target: ResponseTarget) -> str:
        token = secrets.token_urlsafe(12)
        self.targets[token] = target
        return token

    def handle(self, workspace: Workspace, token: str, payload: Any) -> dict[str, Any]:
        """Apply one POST; raises SlackError for what Slack refuses."""
        target = self.targets.get(token)
        if target is None:
            raise SlackError("expired_url")
        if target.uses >= MAX_USES:
            raise SlackError("used_url")
        if not isinstance(payload, dict):
            raise SlackError("invalid_payload")
        target.uses += 1
        self.log.append(
            {
                "token": token,
                "channel": target.channel,
                "user": target.user,
                "message_ts": target.message_ts,
                "payload": payload,
            }
        )
        if _flag(payload.get("delete_original")):
            self._delete_original(workspace, target)
            return {}
        text, blocks, attachments = message_body(payload)
        if _flag(payload.get("replace_original")) and target.message_ts:
            self._replace_original(workspace, target, text, blocks, attachments)
        elif payload.get("response_type") == "in_channel":
            self._post(workspace, target, text, blocks, attachments, payload.get("thread_ts"))
        else:
            if target.channel is None or target.user is None:
                raise SlackError("channel_not_found")
            workspace.add_ephemeral(
                target.channel, target.user, text or "", blocks, payload.get("thread_ts")
            )
        return {}

    @staticmethod
    def _delete_original(workspace: Workspace, target: ResponseTarget) -> None:
        if target.channel is None or target.message_ts is None:
            raise SlackError("message_not_found")
        if target.is_ephemeral:
            found = workspace.find_ephemeral(target.channel, target.user or "", target.message_ts)
            if found is None:
                raise SlackError("message_not_found")
            workspace.ephemeral_messages.remove(found)
        else:
            workspace.remove_message(target.channel, target.message_ts)

    @staticmethod
    def _replace_original(
        workspace: Workspace, target: ResponseTarget, text: Any, blocks: Any, attachments: Any
    ) -> None:
        assert target.channel is not None and target.message_ts is not None
        if target.is_ephemeral:
            found = workspace.find_ephemeral(target.channel, target.user or "", target.message_ts)
            if found is None:
                raise SlackError("message_not_found")
            found.text = text or ""
            found.blocks = fill_ids(blocks, itertools.count(1))
        else:
            workspace.edit_message(
                target.channel,
                target.message_ts,
                editor=workspace.bot_user_id,
                text=text or "",
                blocks=blocks,
                attachments=attachments,
            )

    @staticmethod
    def _post(
        workspace: Workspace,
        target: ResponseTarget,
        text: Any,
        blocks: Any,
        attachments: Any,
        thread_ts: Any,
    ) -> None:
        if target.channel is None:
            raise SlackError("channel_not_found")
        workspace.add_message(
            target.channel,
            user=workspace.bot_user_id,
            text=text or "",
            blocks=blocks,
            attachments=attachments,
            thread_ts=thread_ts or None,
            from_bot=True,
        )


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)
