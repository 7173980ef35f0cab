"""What arrives from Slack, as plain typed values (the handlers build these)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.records import AnswerSource
from bot.usecases.deps import ReplyTo


@dataclass(frozen=True)
class SlashCommand:
    team_id: str
    user_id: str
    channel_id: str
    text: str
    reply_to: ReplyTo


@dataclass(frozen=True)
class IncomingAnswer:
    """A message or modal submission that may answer a question."""

    team_id: str
    user_id: str
    channel_id: str
    text: str
    source: AnswerSource
    message_ts: str | None
    event_id: str | None
    thread_ts: str | None = None
    post_id: int | None = None


@dataclass(frozen=True)
class MessageEvent:
    """A `message` event: new (subtype None or file_share), edited or deleted."""

    team_id: str
    event_id: str | None
    channel_id: str
    channel_type: str
    subtype: str | None
    user_id: str | None
    bot_id: str | None
    text: str
    ts: str | None
    thread_ts: str | None
    # For edits: the edited message; for deletions: the message as it was.
    inner_user_id: str | None = None
    inner_bot_id: str | None = None
    inner_text: str = ""
    inner_ts: str | None = None
    inner_thread_ts: str | None = None
    deleted_ts: str | None = None


@dataclass(frozen=True)
class ButtonPress:
    team_id: str
    user_id: str
    value: str
    trigger_id: str | None
    reply_to: ReplyTo
