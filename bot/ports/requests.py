"""What arrives from Slack, as plain typed values: the handlers build these, the
inbox records them, the use cases take them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.records import AnswerSource


@dataclass(frozen=True)
class ReplyTo:
    """Where to answer the person who asked: their interaction's response_url when
    there is one, else an ephemeral message in `channel_id`, else a DM."""

    team_id: str
    user_id: str
    response_url: str | None = None
    channel_id: str | None = None

    def with_channel(self, channel_id: str) -> ReplyTo:
        return ReplyTo(self.team_id, self.user_id, self.response_url, channel_id)


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
    action_id: str
    value: str
    trigger_id: str
    reply_to: ReplyTo


@dataclass(frozen=True)
class ViewSubmission:
    """A modal's submission: its inputs flattened to `"block_id.action_id": value`
    (a list of values for multi-selects and checkboxes)."""

    team_id: str
    user_id: str
    callback_id: str
    private_metadata: str
    values: dict[str, str | list[str]]
    reply_to: ReplyTo


@dataclass(frozen=True)
class HomeOpened:
    team_id: str
    user_id: str


# Everything the inbox records, by the name it is recorded under.
REQUEST_KINDS: dict[str, type] = {
    "command": SlashCommand,
    "message": MessageEvent,
    "action": ButtonPress,
    "view": ViewSubmission,
    "home": HomeOpened,
}
Request = SlashCommand | MessageEvent | ButtonPress | ViewSubmission | HomeOpened


def kind_of(request: Request) -> str:
    for kind, cls in REQUEST_KINDS.items():
        if isinstance(request, cls):
            return kind
    raise TypeError(f"not a request: {request!r}")


def conversation_of(request: Request) -> str:
    """Requests of one conversation are processed in arrival order: a person's message
    and its edit or deletion, their answer and their next one. Different people's
    messages in one channel do not depend on each other and run side by side."""
    if isinstance(request, MessageEvent):
        author = request.user_id or request.inner_user_id or ""
        return f"channel:{request.channel_id}:{author}"
    if isinstance(request, SlashCommand):
        return f"user:{request.user_id}"
    return f"user:{request.user_id}"
