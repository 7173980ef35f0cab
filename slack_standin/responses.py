"""response_url endpoints: what Slack does with a POST to a response URL.

A response URL belongs to one interaction (a slash command or a click) and so to one
channel, one user and, for a click, the message clicked.  Slack's documented rule: an app
may use it up to five times within thirty minutes of the interaction.  A sixth use is
`used_url`, a use after thirty minutes (or of a URL Slack never issued) `expired_url`,
both HTTP 404.  The stand-in's clock can be moved forward (`SlackStandin.advance_clock`).
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_standin.webapi import message_body
from slack_standin.workspace import SlackError, Workspace, fill_ids

MAX_USES = 5
TTL_SECONDS = 30 * 60


@dataclass
class ResponseTarget:
    channel: str | None
    user: str | None
    message_ts: str | None = None
    is_ephemeral: bool = False
    uses: int = 0
    issued_at: float = 0.0
    # Every POST to this URL, accepted or not: {"payload", "status", "error"}.
    attempts: list[dict[str, Any]] = field(default_factory=list)


class ResponseUrls:
    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, ttl: float | None = TTL_SECONDS
    ) -> None:
        self.targets: dict[str, ResponseTarget] = {}
        self.log: list[dict[str, Any]] = []
        self.clock = clock
        self.ttl = ttl

    def new(self, target: ResponseTarget) -> str:
        token = secrets.token_urlsafe(12)
        target.issued_at = self.clock()
        self.targets[token] = target
        return token

    def check(self, token: str) -> ResponseTarget:
        """The target of a usable URL; SlackError("expired_url" / "used_url") otherwise."""
        target = self.targets.get(token)
        if target is None:
            raise SlackError("expired_url")
        if self.ttl is not None and self.clock() - target.issued_at > self.ttl:
            raise SlackError("expired_url")
        if target.uses >= MAX_USES:
            raise SlackError("used_url")
        return target

    def handle(self, workspace: Workspace, token: str, payload: Any) -> dict[str, Any]:
        """Apply one POST; raises SlackError for what Slack refuses.  Only an accepted POST
        counts as one of the URL's five uses and shows in `log`."""
        target = self.check(token)
        if not isinstance(payload, dict):
            raise SlackError("invalid_payload")
        if _flag(payload.get("delete_original")):
            self._delete_original(workspace, target)
        else:
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
