"""Frozen records the repositories return; timestamps are aware UTC datetimes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

PostKind = Literal["channel", "dm"]
PostStatus = Literal["open", "revealed", "failed"]
AnswerSource = Literal["thread", "modal", "dm"]
ClaimKind = Literal["post", "reveal", "recap"]
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


@dataclass(frozen=True)
class Claim:
    id: int
    team_id: str
    schedule_id: int
    slot_date: date
    kind: ClaimKind
    owner: str
    status: Literal["claimed", "done", "failed"]
    attempts: int
    last_error: str | None
    claimed_at: datetime
    updated_at: datetime


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
class ReviewCard:
    team_id: str
    user_id: str
    question_id: str
    due_at: datetime
    reviews: int
    last_score: float
    last_review: datetime
