"""What the application needs from storage: a unit of work exposing the repositories.

`Storage.transaction()` is one write transaction (everything in it commits together
or not at all); `Storage.reading()` is for reads only. Use cases never await Slack
inside either: they read, decide, write (messages to send go to the outbox in the
same transaction), and Slack is talked to after the commit.

Each backend (`bot.storage.sqlite` today) implements these protocols; nothing here
knows SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol

from bot.core.leases import LeasePolicy
from bot.core.panel_records import (
    Decision,
    Interview,
    Panel,
    PanelQuestion,
    PanelSettings,
    RatingRow,
    Reminder,
    Scorecard,
    ScorecardIn,
)
from bot.core.ranking import Standing
from bot.core.records import (
    AnswerRow,
    AnswerState,
    AnswerToRecord,
    AnswerWrite,
    Appeal,
    GradeWrite,
    HumanLabel,
    InboxEntry,
    InboxRow,
    Lease,
    OutboxRow,
    OutboxStatus,
    Outgoing,
    Override,
    Post,
    PostKind,
    RecordResult,
    ReviewCard,
    ReviewWrite,
    Schedule,
    TopicMastery,
    User,
    Workspace,
)


class WorkspaceRepository(Protocol):
    async def upsert(
        self, team_id: str, *, name: str | None = None, tz: str | None = None, now: datetime
    ) -> Workspace: ...

    async def get(self, team_id: str) -> Workspace | None: ...

    async def tz(self, team_id: str) -> str: ...


class UserRepository(Protocol):
    async def upsert(
        self,
        team_id: str,
        user_id: str,
        *,
        display_name: str | None = None,
        tz: str | None = None,
        is_admin: bool | None = None,
        now: datetime,
    ) -> User: ...

    async def get(self, team_id: str, user_id: str) -> User | None: ...

    async def admins(self, team_id: str) -> list[str]: ...


class ScheduleRepository(Protocol):
    async def upsert(
        self,
        team_id: str,
        channel_id: str,
        *,
        post_time: str,
        tz: str,
        days: Iterable[int],
        created_by: str,
        now: datetime,
        reveal_time: str | None = None,
        reveal_after_hours: float | None = None,
        topics: Iterable[str] = (),
        difficulty: str | None = None,
        recap_day: int | None = None,
        paused: bool = False,
    ) -> Schedule: ...

    async def get(self, team_id: str, channel_id: str) -> Schedule | None: ...

    async def by_id(self, schedule_id: int) -> Schedule | None: ...

    async def active(self) -> list[Schedule]: ...

    async def for_team(self, team_id: str) -> list[Schedule]: ...

    async def set_paused(
        self, team_id: str, channel_id: str, paused: bool, now: datetime
    ) -> bool: ...

    async def delete(self, team_id: str, channel_id: str) -> bool: ...


class PostRepository(Protocol):
    async def create(
        self,
        team_id: str,
        channel_id: str,
        question_id: str,
        *,
        kind: PostKind,
        opened_at: datetime,
        deadline_at: datetime | None,
        difficulty: str,
        topics: Sequence[str] = (),
        user_id: str | None = None,
        schedule_id: int | None = None,
        slot_date: date | None = None,
    ) -> Post: ...

    async def set_message(self, post_id: int, channel_id: str, ts: str) -> None: ...

    async def get(self, post_id: int) -> Post | None: ...

    async def get_many(self, post_ids: Sequence[int]) -> dict[int, Post]: ...

    async def by_message(self, team_id: str, channel_id: str, ts: str) -> Post | None: ...

    async def by_messages(
        self, team_id: str, messages: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], Post]: ...

    async def for_slot(self, schedule_id: int, slot_date: date) -> Post | None: ...

    async def open_in_channel(self, team_id: str, channel_id: str) -> list[Post]: ...

    async def revealed_between(
        self, team_id: str, channel_id: str, start: datetime, end: datetime
    ) -> list[tuple[Post, float | None]]: ...

    async def due_for_reveal(self, now: datetime) -> list[Post]: ...

    async def close(self, post_id: int, now: datetime) -> bool: ...

    async def mark_revealed(self, post_id: int, now: datetime) -> bool: ...

    async def mark_failed(self, post_id: int, error: str, now: datetime) -> None: ...

    async def failed(self, team_id: str) -> list[Post]: ...

    async def channel_history(self, team_id: str, channel_id: str) -> dict[str, datetime]: ...

    async def user_history(self, team_id: str, user_id: str) -> dict[str, datetime]: ...


class AnswerRepository(Protocol):
    async def record(self, items: Sequence[AnswerToRecord]) -> list[RecordResult]: ...

    async def states(
        self, keys: Sequence[tuple[int, str]]
    ) -> dict[tuple[int, str], AnswerState]: ...

    async def known_event_ids(self, event_ids: Sequence[str]) -> set[str]: ...

    async def insert_many(self, rows: Sequence[AnswerWrite]) -> list[int]: ...

    async def replace_many(self, rows: Sequence[AnswerWrite]) -> None: ...

    async def set_grades(self, grades: Sequence[GradeWrite]) -> None: ...

    async def post_facts(self, answer_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]: ...

    async def withdraw(
        self,
        team_id: str,
        post_id: int,
        *,
        user_id: str | None,
        message_ts: str | None,
        now: datetime,
    ) -> bool: ...

    async def seen_reference(
        self, team_id: str, question_id: str, user_ids: Sequence[str], before: datetime
    ) -> set[str]: ...

    async def get(self, answer_id: int) -> AnswerRow | None: ...

    async def for_post(
        self, post_id: int, *, include_withdrawn: bool = False
    ) -> list[AnswerRow]: ...

    async def for_user(self, team_id: str, user_id: str, *, limit: int = 50) -> list[AnswerRow]: ...


class LeaseRepository(Protocol):
    async def take(
        self,
        key: str,
        *,
        team_id: str,
        kind: str,
        owner: str,
        now: datetime,
        policy: LeasePolicy,
        schedule_id: int | None = None,
        slot_date: date | None = None,
    ) -> bool: ...

    async def held_by_live(self, key: str, now: datetime, policy: LeasePolicy) -> bool: ...

    async def finish(
        self, key: str, *, owner: str, now: datetime, error: str | None = None
    ) -> bool: ...

    async def skip(
        self,
        key: str,
        *,
        team_id: str,
        kind: str,
        owner: str,
        now: datetime,
        schedule_id: int | None = None,
        slot_date: date | None = None,
    ) -> bool: ...

    async def retryable(
        self, schedule_id: int, kind: str, *, now: datetime, policy: LeasePolicy
    ) -> list[Lease]: ...

    async def abandoned(self, kind: str, *, now: datetime, policy: LeasePolicy) -> list[Lease]: ...

    async def last_slot_date(self, schedule_id: int, kind: str) -> date | None: ...

    async def get(self, key: str) -> Lease | None: ...

    async def failed(self, team_id: str) -> list[Lease]: ...


class ProcessRepository(Protocol):
    async def beat(self, owner: str, *, host: str, pid: int, now: datetime) -> None: ...

    async def stopped(self, owner: str, now: datetime) -> None: ...

    async def running_on(self, host: str) -> list[tuple[str, int]]: ...

    async def forget_before(self, cutoff: datetime) -> int: ...


class OutboxRepository(Protocol):
    async def add(self, message: Outgoing, now: datetime) -> int: ...

    async def add_many(self, messages: Sequence[Outgoing], now: datetime) -> list[int]: ...

    async def due(
        self, now: datetime, policy: LeasePolicy, limit: int = 200
    ) -> list[OutboxRow]: ...

    async def get_many(self, ids: Sequence[int]) -> list[OutboxRow]: ...

    async def begin(
        self, ids: Sequence[int], *, owner: str, now: datetime, policy: LeasePolicy
    ) -> list[OutboxRow]: ...

    async def set_channel(self, message_id: int, channel_id: str) -> None: ...

    async def sent(
        self, message_id: int, *, channel_id: str | None, ts: str | None, now: datetime
    ) -> bool: ...

    async def retry_later(
        self, message_id: int, *, error: str, not_before: datetime, now: datetime
    ) -> None: ...

    async def give_up(
        self, message_id: int, *, status: OutboxStatus, error: str, now: datetime
    ) -> bool: ...

    async def by_key(self, key: str) -> OutboxRow | None: ...

    async def unsettled_in(self, team_id: str, channel_id: str) -> bool: ...

    async def problems(self, team_id: str, *, since: datetime | None = None) -> list[OutboxRow]: ...

    async def forget_sent_before(self, cutoff: datetime) -> int: ...

    async def with_subject(self, subject: str) -> list[OutboxRow]: ...

    async def forget_subject(self, subject: str) -> int: ...

    async def drop_pending(self, subject: str, now: datetime) -> int: ...


class InboxRepository(Protocol):
    async def add_many(self, entries: Sequence[InboxEntry], now: datetime) -> list[int | None]: ...

    async def due(self, now: datetime, policy: LeasePolicy, limit: int = 200) -> list[int]: ...

    async def take(
        self, ids: Sequence[int], *, owner: str, now: datetime, policy: LeasePolicy
    ) -> list[InboxRow]: ...

    async def done(self, row_id: int, now: datetime) -> bool: ...

    async def done_many(self, row_ids: Sequence[int], now: datetime) -> int: ...

    async def retry_later(self, row_id: int, *, error: str, not_before: datetime) -> None: ...

    async def failed(self, row_id: int, *, error: str, now: datetime) -> None: ...

    async def status(self, row_id: int) -> str | None: ...

    async def forget_done_before(self, cutoff: datetime) -> int: ...


class ScoreRepository(Protocol):
    async def top_totals(
        self, team_id: str, scope: str, period_key: str, limit: int, offset: int = 0
    ) -> list[Standing]: ...

    async def user_total(
        self, team_id: str, scope: str, period_key: str, user_id: str
    ) -> Standing | None: ...

    async def count_above(self, team_id: str, scope: str, period_key: str, points: int) -> int: ...

    async def sum_days(
        self, team_id: str, scope: str, start: date, end: date
    ) -> list[Standing]: ...

    async def rebuild(self, team_id: str | None = None) -> None: ...


class StatsRepository(Protocol):
    async def totals(self, team_id: str, user_id: str) -> tuple[int, float | None]: ...

    async def answered_posts(
        self, team_id: str, user_id: str
    ) -> tuple[list[datetime], list[str]]: ...

    async def gaps_with_questions(
        self,
        team_id: str,
        channels: Sequence[str],
        gaps: Sequence[tuple[datetime, datetime]],
    ) -> set[int]: ...

    async def question_minutes(self, team_id: str, user_id: str) -> list[datetime]: ...

    async def answered_openings(self, team_id: str, user_id: str) -> list[datetime]: ...

    async def mastery(self, team_id: str, user_id: str) -> dict[str, TopicMastery]: ...


class ReviewRepository(Protocol):
    async def card(self, team_id: str, user_id: str, question_id: str) -> dict[str, Any] | None: ...

    async def save(
        self,
        team_id: str,
        user_id: str,
        question_id: str,
        *,
        card: Mapping[str, Any],
        due_at: datetime,
        score: float,
        now: datetime,
    ) -> ReviewCard: ...

    async def cards_for_question(
        self, team_id: str, question_id: str, user_ids: Sequence[str]
    ) -> dict[str, dict[str, Any]]: ...

    async def save_many(
        self, team_id: str, question_id: str, reviews: Sequence[ReviewWrite], now: datetime
    ) -> None: ...

    async def due(self, team_id: str, user_id: str, now: datetime, limit: int = 5) -> list[str]: ...

    async def cards(self, team_id: str, user_id: str) -> list[ReviewCard]: ...

    async def next_due_at(self, team_id: str, user_id: str) -> datetime | None: ...


class FeedbackRepository(Protocol):
    async def add_override(
        self,
        team_id: str,
        answer_id: int,
        by_user_id: str,
        *,
        old_score: float | None,
        score: float,
        note: str,
        now: datetime,
    ) -> Override: ...

    async def overrides_for(self, answer_id: int) -> list[Override]: ...

    async def labels(self, team_id: str | None = None) -> list[HumanLabel]: ...

    async def save_appeal(
        self, team_id: str, answer_id: int, user_id: str, note: str, now: datetime
    ) -> Appeal: ...

    async def appeal(self, appeal_id: int) -> Appeal | None: ...

    async def close_appeal(
        self, appeal_id: int, *, accepted: bool, by_user_id: str, note: str, now: datetime
    ) -> Appeal: ...

    async def open_appeals(self, team_id: str) -> list[Appeal]: ...


class PanelRepository(Protocol):
    async def create(
        self,
        team_id: str,
        *,
        code: str,
        role: str,
        level: str,
        coordinator_id: str,
        hiring_manager_id: str,
        focus_topics: Sequence[str],
        debrief_at: datetime,
        created_by: str,
        candidate_name: str | None,
        now: datetime,
    ) -> Panel: ...

    async def get(self, panel_id: int) -> Panel | None: ...

    async def codes(self, team_id: str) -> list[str]: ...

    async def candidate_name(self, team_id: str, code: str) -> str | None: ...

    async def set_status(self, panel_id: int, status: str, now: datetime) -> None: ...

    async def transition(
        self, panel_id: int, from_statuses: Sequence[str], to: str, now: datetime
    ) -> bool: ...

    async def by_code(self, team_id: str, code: str) -> Panel | None: ...

    async def due_packets(self, now: datetime) -> list[Panel]: ...

    async def kits_to_redact(self, now: datetime) -> list[Interview]: ...

    async def set_debrief_channel(self, panel_id: int, channel_id: str) -> None: ...

    async def unfinished_purges(self) -> list[Panel]: ...

    async def finish_purge(self, panel_id: int, now: datetime) -> None: ...

    async def clear_debrief_channel(self, panel_id: int) -> None: ...

    async def mark_packet_open(self, panel_id: int, now: datetime) -> bool: ...

    async def for_member(self, team_id: str, user_id: str) -> list[Panel]: ...

    async def in_status(self, statuses: Sequence[str]) -> list[Panel]: ...

    async def held_questions(self, team_id: str, since: datetime) -> set[str]: ...

    async def settings(self, team_id: str) -> PanelSettings: ...

    async def save_settings(self, settings: PanelSettings) -> None: ...

    async def add_interview(
        self,
        panel: Panel,
        interviewer_id: str,
        *,
        starts_at: datetime,
        minutes: int,
        tz: str,
    ) -> Interview: ...

    async def interviews(
        self, panel_id: int, *, include_replaced: bool = False
    ) -> list[Interview]: ...

    async def interview_of(self, panel_id: int, interviewer_id: str) -> Interview | None: ...

    async def get_interview(self, interview_id: int) -> Interview | None: ...

    async def set_interview_status(self, interview_id: int, status: str) -> None: ...

    async def move_interview(self, interview_id: int, starts_at: datetime) -> None: ...

    async def set_kit_redacted(self, interview_id: int) -> None: ...

    async def interviews_for(self, team_id: str, interviewer_id: str) -> list[Interview]: ...

    async def set_questions(
        self, panel_id: int, interview_id: int, questions: Sequence[PanelQuestion]
    ) -> None: ...

    async def questions(self, panel_id: int) -> list[PanelQuestion]: ...

    async def asked_before(self, team_id: str, code: str) -> set[str]: ...

    async def knew(self, team_id: str, code: str) -> set[str]: ...

    async def note_asked(
        self,
        team_id: str,
        code: str,
        question_ids: Sequence[str],
        *,
        panel_id: int,
        reason: str,
        now: datetime,
    ) -> None: ...

    async def exposure(self, team_id: str) -> dict[str, int]: ...

    async def expose(self, team_id: str, question_ids: Sequence[str], now: datetime) -> None: ...

    async def save_scorecard(
        self,
        panel_id: int,
        team_id: str,
        interviewer_id: str,
        card: ScorecardIn,
        *,
        packet_open: bool,
        now: datetime,
    ) -> Scorecard: ...

    async def scorecard(self, panel_id: int, interviewer_id: str) -> Scorecard | None: ...

    async def scorecards(self, panel_id: int) -> list[Scorecard]: ...

    async def submitted(self, panel_id: int) -> set[str]: ...

    async def scorecard_history(self, scorecard_id: int) -> list[dict[str, Any]]: ...

    async def rating_history(self, team_id: str) -> list[RatingRow]: ...

    async def add_reminders(
        self, interview: Interview, times: Sequence[tuple[str, datetime]], *, again: bool = False
    ) -> None: ...

    async def due_reminders(self, now: datetime, limit: int = 200) -> list[Reminder]: ...

    async def set_reminder_status(self, reminder_id: int, status: str) -> bool: ...

    async def cancel_reminders(self, interview_id: int) -> int: ...

    async def cancel_panel_reminders(self, panel_id: int) -> int: ...

    async def reminders(self, panel_id: int) -> list[Reminder]: ...

    async def decide(
        self,
        panel: Panel,
        by_user_id: str,
        decision: str,
        reason: str,
        *,
        against_majority: bool,
        now: datetime,
    ) -> Decision: ...

    async def decision(self, panel_id: int) -> Decision | None: ...

    async def log_access(self, panel: Panel, user_id: str, what: str, now: datetime) -> None: ...

    async def access_log(self, panel_id: int) -> list[tuple[str, str, datetime]]: ...

    async def purge(
        self, panel: Panel, by_user_id: str, now: datetime, summary: Mapping[str, Any]
    ) -> None: ...

    async def purge_receipts(self, team_id: str) -> list[dict[str, Any]]: ...

    async def due_for_retention(self, now: datetime) -> list[Panel]: ...


class UnitOfWork(Protocol):
    """The repositories, all bound to one transaction (or to reads)."""

    @property
    def workspaces(self) -> WorkspaceRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def schedules(self) -> ScheduleRepository: ...
    @property
    def posts(self) -> PostRepository: ...
    @property
    def answers(self) -> AnswerRepository: ...
    @property
    def inbox(self) -> InboxRepository: ...
    @property
    def panels(self) -> PanelRepository: ...
    @property
    def leases(self) -> LeaseRepository: ...
    @property
    def processes(self) -> ProcessRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def scores(self) -> ScoreRepository: ...
    @property
    def stats(self) -> StatsRepository: ...
    @property
    def reviews(self) -> ReviewRepository: ...
    @property
    def feedback(self) -> FeedbackRepository: ...


class Receipt(Protocol):
    """The inbox row being processed; `done` once a transaction marked it done."""

    inbox_id: int
    done: bool


class Storage(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[UnitOfWork]: ...

    def processing(
        self, inbox_id: int, clock: Callable[[], datetime]
    ) -> AbstractContextManager[Receipt]: ...

    def reading(self) -> AbstractAsyncContextManager[UnitOfWork]: ...

    def on_new_messages(self, listener: Callable[[list[int]], None]) -> None: ...

    async def healthy(self) -> bool: ...

    async def close(self) -> None: ...
