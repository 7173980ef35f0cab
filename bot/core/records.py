"""Frozen records: what the repositories return and the core's rules take.

Backend-neutral (no SQL, no row types); timestamps are aware UTC datetimes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

PostKind = Literal["channel", "dm"]
PostStatus = Literal["open", "revealed", "failed"]
AnswerSource = Literal["thread", "modal", "dm"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Workspace:
    team_id: str
    name: str | None
    tz: str
    created_at: datetime


@dataclass(frozen=True)
class User:
    team_id: str
    user_id: str
    display_name: str | None
    tz: str | None
    is_admin: bool
    updated_at: datetime


@dataclass(frozen=True)
class Schedule:
    """A channel's daily question. `days` holds weekday numbers, Monday = 0."""

    id: int
    team_id: str
    channel_id: str
    post_time: str
    tz: str
    days: frozenset[int]
    reveal_time: str | None
    reveal_after_hours: float | None
    topics: tuple[str, ...]
    difficulty: str | None
    recap_day: int | None
    paused: bool
    created_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Post:
    id: int
    team_id: str
    channel_id: str
    message_ts: str | None
    question_id: str
    topics: tuple[str, ...]
    difficulty: str
    kind: PostKind
    user_id: str | None
    schedule_id: int | None
    slot_date: date | None
    day: date
    opened_at: datetime
    deadline_at: datetime | None
    revealed_at: datetime | None
    status: PostStatus
    error: str | None
    closed_at: datetime | None = None


@dataclass(frozen=True)
class AnswerIn:
    """An answer as it arrives; `answered_at` is when Slack says it was written or edited."""

    team_id: str
    post_id: int
    user_id: str
    text: str
    source: AnswerSource
    message_ts: str | None
    event_id: str | None
    answered_at: datetime


@dataclass(frozen=True)
class AnswerToRecord:
    """An answer to record, graded now (`grade` is `Grade.to_dict()`) or at the reveal."""

    answer: AnswerIn
    grade: Mapping[str, Any] | None = None
    points: int | None = None  # None: from the points rule (score x difficulty)


@dataclass(frozen=True)
class AnswerState:
    """What recording needs to know about an answer row that already exists."""

    id: int
    post_id: int
    user_id: str
    event_id: str | None
    last_event_at: datetime
    revision: int
    status: Literal["live", "withdrawn"]
    text: str


@dataclass(frozen=True)
class AnswerWrite:
    """One row to insert (`answer_id` None) or rewrite, as decided by the answer plan."""

    answer_id: int | None
    team_id: str
    post_id: int
    user_id: str
    channel_id: str
    day: date
    ranked: bool
    text: str
    source: AnswerSource
    message_ts: str | None
    event_id: str | None
    answered_at: datetime
    score: float | None
    points: int
    grade: Mapping[str, Any] | None
    graded_at: datetime | None


@dataclass(frozen=True)
class GradeWrite:
    """A grade given at reveal time (or by a person) to a stored answer."""

    answer_id: int
    score: float
    points: int
    grade: Mapping[str, Any] | None
    graded_at: datetime


@dataclass(frozen=True)
class RecordResult:
    """`stored`: this call changed the live answer. `duplicate`: seen before, nothing
    changed. `reason` says why nothing was stored: duplicate, stale or closed."""

    stored: bool
    answer_id: int | None
    replaced: bool
    duplicate: bool
    reason: str | None = None


@dataclass(frozen=True)
class AnswerRow:
    id: int
    team_id: str
    post_id: int
    user_id: str
    channel_id: str
    text: str
    source: AnswerSource
    message_ts: str | None
    event_id: str | None
    answered_at: datetime
    revision: int
    status: Literal["live", "withdrawn"]
    score: float | None
    points: int
    grade: Mapping[str, Any] | None
    graded_at: datetime | None


LeaseStatus = Literal["claimed", "done", "failed", "skipped"]


@dataclass(frozen=True)
class Lease:
    """A claim on one unit of scheduled or resumable work (`key` names it)."""

    key: str
    team_id: str
    kind: str
    schedule_id: int | None
    slot_date: date | None
    owner: str
    status: LeaseStatus
    attempts: int
    last_error: str | None
    claimed_at: datetime
    updated_at: datetime


OutboxAction = Literal["post", "dm", "update", "delete", "ephemeral", "react", "respond"]
OutboxStatus = Literal["pending", "sending", "sent", "failed", "undeliverable", "expired"]


@dataclass(frozen=True)
class Outgoing:
    """A message to send to Slack, recorded in the outbox in the same transaction as
    the change it reports. `key` is the app's own id for it (unique; a second message
    with the same key is the same message), carried in the message's Slack metadata."""

    team_id: str
    key: str
    action: OutboxAction
    text: str = ""
    blocks: tuple[dict[str, Any], ...] = ()
    channel_id: str | None = None
    user_id: str | None = None
    thread_ts: str | None = None
    target_ts: str | None = None
    target_key: str | None = None
    url: str | None = None
    reaction: str | None = None
    subject: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class OutboxRow:
    id: int
    outgoing: Outgoing
    status: OutboxStatus
    attempts: int
    owner: str | None
    not_before: datetime
    channel_id: str | None
    ts: str | None
    error: str | None
    created_at: datetime


@dataclass(frozen=True)
class LeaderboardRow:
    rank: int
    user_id: str
    points: int
    answered: int
    average_score: float


@dataclass(frozen=True)
class TopicMastery:
    topic: str
    answered: int
    average_score: float


@dataclass(frozen=True)
class UserStats:
    answered: int
    average_score: float | None
    points: int
    rank: int | None
    streak: int
    best_streak: int
    topic_mastery: Mapping[str, TopicMastery] = field(default_factory=dict)


@dataclass(frozen=True)
class Appeal:
    id: int
    team_id: str
    answer_id: int
    user_id: str
    note: str
    status: Literal["open", "accepted", "rejected"]
    created_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    resolution_note: str | None


@dataclass(frozen=True)
class Override:
    id: int
    team_id: str
    answer_id: int
    by_user_id: str
    old_score: float | None
    score: float
    note: str
    created_at: datetime


@dataclass(frozen=True)
class HumanLabel:
    """A human judgement of an answer (override or accepted appeal), for calibration."""

    answer_id: int
    question_id: str
    text: str
    machine_score: float | None
    human_score: float


@dataclass(frozen=True)
class ReviewWrite:
    """A user's card for one question after a review, to store."""

    user_id: str
    card: Mapping[str, Any]
    due_at: datetime
    score: float


@dataclass(frozen=True)
class ReviewCard:
    team_id: str
    user_id: str
    question_id: str
    due_at: datetime
    reviews: int
    last_score: float
    last_review: datetime


@dataclass(frozen=True)
class InboxEntry:
    """A request from Slack as the inbox records it (`request` is its typed JSON)."""

    team_id: str
    kind: str
    dedupe_key: str | None
    conversation: str
    payload: str
    request: str


@dataclass(frozen=True)
class InboxRow:
    id: int
    team_id: str
    kind: str
    conversation: str
    request: str
    status: str
    attempts: int
    received_at: datetime
