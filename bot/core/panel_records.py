"""Frozen records of interview panels, as the panel repository returns them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

PanelStatus = Literal["draft", "live", "decided", "closed", "purged"]
InterviewStatus = Literal["scheduled", "did_not_interview", "replaced"]


@dataclass(frozen=True)
class PanelSettings:
    team_id: str
    leak_guard_days: int = 30
    retention_days: int = 180
    kit_redact_hours: int = 24


@dataclass(frozen=True)
class Panel:
    id: int
    team_id: str
    code: str
    role: str
    level: str
    coordinator_id: str
    hiring_manager_id: str
    focus_topics: tuple[str, ...]
    status: PanelStatus
    debrief_at: datetime
    debrief_channel: str | None
    packet_opened_at: datetime | None
    created_by: str
    created_at: datetime
    confirmed_at: datetime | None
    closed_at: datetime | None
    purged_at: datetime | None
    purge_finished_at: datetime | None = None


@dataclass(frozen=True)
class Interview:
    id: int
    panel_id: int
    team_id: str
    interviewer_id: str
    starts_at: datetime
    minutes: int
    tz: str
    status: InterviewStatus
    kit_version: int
    kit_redacted: bool

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class PanelQuestion:
    interview_id: int
    position: int
    question_id: str
    minutes: int
    topics: tuple[str, ...]


@dataclass(frozen=True)
class QuestionRating:
    question_id: str
    rating: int
    shown_points: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ScorecardIn:
    """A scorecard as an interviewer submits it."""

    recommendation: str
    evidence: str
    notes: str
    question_ratings: tuple[QuestionRating, ...]
    topic_ratings: Mapping[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Scorecard:
    id: int
    panel_id: int
    interviewer_id: str
    recommendation: str
    evidence: str
    notes: str
    topic_ratings: Mapping[str, int | None]
    question_ratings: tuple[QuestionRating, ...]
    submitted_at: datetime
    revision: int
    edited_after_packet: bool


@dataclass(frozen=True)
class Reminder:
    id: int
    panel_id: int
    team_id: str
    interview_id: int
    kind: str
    due_at: datetime
    status: Literal["pending", "sent", "cancelled"]


@dataclass(frozen=True)
class Decision:
    id: int
    panel_id: int
    by_user_id: str
    decision: str
    reason: str
    against_majority: bool
    decided_at: datetime


@dataclass(frozen=True)
class RatingRow:
    """One submitted scorecard, as interviewer calibration reads it."""

    panel_id: int
    interviewer_id: str
    mean_rating: float
    submitted_at: datetime
    interview_end: datetime
    cited_share: float
