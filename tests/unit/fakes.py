"""In-memory fakes of the ports (`bot.ports.storage`, `bot.ports.slack`) for unit tests.

No I/O at all: the storage is a handful of dicts of the core's frozen records, copied
when a transaction begins and put back if it raises; the Slack gateway records every
call and answers with made-up ids. The repositories follow the SQLite ones
(`bot.storage.sqlite.*`) closely enough for the use cases, and reuse the core's pure
rules (`plan_answers`, scoring, periods) instead of restating them. Leaderboards are
computed from the stored answers each time (the real backend keeps rollups).
"""

from __future__ import annotations

import asyncio
import contextvars
import copy
import dataclasses
import random
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.answer_plan import plan_answers, with_new_ids
from bot.core.leases import LeasePolicy
from bot.core.panel_records import (
    Decision,
    Interview,
    Panel,
    PanelQuestion,
    PanelSettings,
    QuestionRating,
    RatingRow,
    Reminder,
    Scorecard,
    ScorecardIn,
)
from bot.core.periods import local_day, month_start, quarter_of, week_start
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
from bot.core.scoring import is_ranked
from bot.ports.slack import (
    Found,
    Message,
    NotFound,
    Posted,
    Profile,
    SlackError,
    UnknownWorkspace,
)
from bot.usecases.deps import Deps
from questionbank.loader import Bank, load_bank
from questionbank.models import DIFFICULTY_NAMES

TEAM = "T1"
BOT_USER = "UBOT"
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC
PROBLEM_STATUSES = ("failed", "undeliverable", "expired")


# -- clock and randomness --------------------------------------------------------------


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> datetime:
        self.now = moment
        return self.now


def seeded_rng(seed: int = 7) -> random.Random:
    return random.Random(seed)


@cache
def bundled_bank() -> Bank:
    """The real bundled question bank, loaded once per test process."""
    return load_bank()


# -- the stored state -------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessRecord:
    owner: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None = None


@dataclass(frozen=True)
class StoredRequest:
    """An inbox row with every column (`InboxRow` shows only what the worker reads)."""

    id: int
    entry: InboxEntry
    status: str
    attempts: int
    owner: str | None
    not_before: datetime
    error: str | None
    received_at: datetime
    done_at: datetime | None = None

    def row(self) -> InboxRow:
        e = self.entry
        return InboxRow(
            self.id,
            e.team_id,
            e.kind,
            e.conversation,
            e.request,
            self.status,
            self.attempts,
            self.received_at,
        )


@dataclass(frozen=True)
class StoredCard:
    card: dict[str, Any]
    record: ReviewCard


class ConstraintError(ValueError):
    """A write the real tables' CHECK or UNIQUE constraints refuse."""


PANEL_STATUSES = ("draft", "live", "decided", "closed", "purged")
PANEL_STAMPS = {"live": "confirmed_at", "closed": "closed_at", "purged": "purged_at"}
REMINDER_KINDS = ("end", "hour", "four_hours", "morning", "escalate")
RECOMMENDATION_VALUES = ("strong_no", "no", "yes", "strong_yes")
DECISION_VALUES = ("hire", "no_hire", "another_round", "hold")
SETTING_RANGES = {
    "leak_guard_days": (0, 3650),
    "retention_days": (1, 3650),
    "kit_redact_hours": (1, 720),
}


def check(condition: bool, what: str) -> None:
    if not condition:
        raise ConstraintError(what)


def stamp(instant: datetime) -> str:
    """As the SQLite backend stores a time (and hands it back in receipts and history)."""
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class StoredPanelQuestion:
    panel_id: int
    question: PanelQuestion


@dataclass(frozen=True)
class StoredScorecard:
    team_id: str
    card: Scorecard


@dataclass(frozen=True)
class StoredCardVersion:
    body: Mapping[str, Any]
    saved_at: datetime


@dataclass(frozen=True)
class StoredDecision:
    team_id: str
    decision: Decision


@dataclass(frozen=True)
class AccessEntry:
    panel_id: int
    team_id: str
    user_id: str
    what: str
    at: datetime


@dataclass(frozen=True)
class CandidateQuestion:
    panel_id: int | None
    reason: str  # "planned" | "knew"
    at: datetime


@dataclass(frozen=True)
class Exposure:
    times: int
    last_at: datetime


@dataclass(frozen=True)
class PurgeReceipt:
    team_id: str
    panel_id: int
    by_user_id: str
    at: datetime
    summary: Mapping[str, Any]


def card_body(card: Scorecard) -> dict[str, Any]:
    """An earlier version of a scorecard, as the history keeps it."""
    return {
        "recommendation": card.recommendation,
        "evidence": card.evidence,
        "notes": card.notes,
        "topic_ratings": dict(card.topic_ratings),
        "question_ratings": [
            {
                "question_id": r.question_id,
                "rating": r.rating,
                "shown_points": list(r.shown_points),
                "notes": r.notes,
            }
            for r in card.question_ratings
        ],
        "submitted_at": card.submitted_at.isoformat(),
    }


@dataclass
class State:
    """Every table. Values are frozen records, so a shallow copy is a snapshot."""

    workspaces: dict[str, Workspace] = field(default_factory=dict)
    users: dict[tuple[str, str], User] = field(default_factory=dict)
    schedules: dict[int, Schedule] = field(default_factory=dict)
    posts: dict[int, Post] = field(default_factory=dict)
    answers: dict[int, AnswerRow] = field(default_factory=dict)
    answer_last_event: dict[int, datetime] = field(default_factory=dict)
    leases: dict[str, Lease] = field(default_factory=dict)
    processes: dict[str, ProcessRecord] = field(default_factory=dict)
    outbox: dict[int, OutboxRow] = field(default_factory=dict)
    outbox_updated: dict[int, datetime] = field(default_factory=dict)
    inbox: dict[int, StoredRequest] = field(default_factory=dict)
    cards: dict[tuple[str, str, str], StoredCard] = field(default_factory=dict)
    overrides: dict[int, Override] = field(default_factory=dict)
    appeals: dict[int, Appeal] = field(default_factory=dict)
    # Interview panels, a dict per table of `bot.storage.sqlite` (migration 0007).
    panels: dict[int, Panel] = field(default_factory=dict)
    panel_candidates: dict[tuple[str, str], str | None] = field(default_factory=dict)
    panel_interviews: dict[int, Interview] = field(default_factory=dict)
    panel_questions: dict[tuple[int, int], StoredPanelQuestion] = field(default_factory=dict)
    panel_scorecards: dict[int, StoredScorecard] = field(default_factory=dict)
    panel_card_history: dict[tuple[int, int], StoredCardVersion] = field(default_factory=dict)
    panel_reminders: dict[int, Reminder] = field(default_factory=dict)
    panel_decisions: dict[int, StoredDecision] = field(default_factory=dict)
    panel_access: dict[int, AccessEntry] = field(default_factory=dict)
    candidate_questions: dict[tuple[str, str, str], CandidateQuestion] = field(default_factory=dict)
    question_exposure: dict[tuple[str, str], Exposure] = field(default_factory=dict)
    panel_settings: dict[str, PanelSettings] = field(default_factory=dict)
    purge_receipts: dict[int, PurgeReceipt] = field(default_factory=dict)

    def snapshot(self) -> State:
        return State(**{f.name: copy.copy(getattr(self, f.name)) for f in dataclasses.fields(self)})

    def restore(self, snapshot: State) -> None:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(snapshot, f.name))


def next_id(table: Mapping[int, Any]) -> int:
    # As SQLite's INTEGER PRIMARY KEY: one more than the largest id (so a rollback
    # gives the id out again, as it does there).
    return max(table, default=0) + 1


def check_tz(tz: str | None) -> None:
    if tz is not None:
        ZoneInfo(tz)


def live_owners(state: State, now: datetime, policy: LeasePolicy) -> set[str]:
    """Processes that beat within `stale_after` and have not stopped."""
    cutoff = now - policy.stale_after
    return {
        p.owner
        for p in state.processes.values()
        if p.stopped_at is None and p.heartbeat_at > cutoff
    }


def minute_of(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(second=0, microsecond=0)


# -- repositories -----------------------------------------------------------------------


class FakeWorkspaces:
    def __init__(self, state: State) -> None:
        self.s = state

    async def upsert(
        self, team_id: str, *, name: str | None = None, tz: str | None = None, now: datetime
    ) -> Workspace:
        check_tz(tz)
        old = self.s.workspaces.get(team_id)
        if old is None:
            self.s.workspaces[team_id] = Workspace(team_id, name, tz or "UTC", now)
        else:
            self.s.workspaces[team_id] = replace(
                old,
                name=name if name is not None else old.name,
                tz=tz if tz is not None else old.tz,
            )
        return self.s.workspaces[team_id]

    async def get(self, team_id: str) -> Workspace | None:
        return self.s.workspaces.get(team_id)

    async def tz(self, team_id: str) -> str:
        workspace = self.s.workspaces.get(team_id)
        return workspace.tz if workspace else "UTC"

    def ensure(self, team_id: str, now: datetime) -> None:
        self.s.workspaces.setdefault(team_id, Workspace(team_id, None, "UTC", now))


class FakeUsers:
    def __init__(self, state: State) -> None:
        self.s = state

    async def upsert(
        self,
        team_id: str,
        user_id: str,
        *,
        display_name: str | None = None,
        tz: str | None = None,
        is_admin: bool | None = None,
        now: datetime,
    ) -> User:
        check_tz(tz)
        FakeWorkspaces(self.s).ensure(team_id, now)
        old = self.s.users.get((team_id, user_id)) or User(team_id, user_id, None, None, False, now)
        user = User(
            team_id,
            user_id,
            display_name if display_name is not None else old.display_name,
            tz if tz is not None else old.tz,
            is_admin if is_admin is not None else old.is_admin,
            now,
        )
        self.s.users[(team_id, user_id)] = user
        return user

    async def get(self, team_id: str, user_id: str) -> User | None:
        return self.s.users.get((team_id, user_id))

    async def admins(self, team_id: str) -> list[str]:
        return sorted(
            u.user_id for u in self.s.users.values() if u.team_id == team_id and u.is_admin
        )


class FakeSchedules:
    def __init__(self, state: State) -> None:
        self.s = state

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
    ) -> Schedule:
        check_tz(tz)
        if reveal_time is not None and reveal_after_hours is not None:
            raise ValueError("give a reveal time or hours after posting, not both")
        if reveal_time is None and reveal_after_hours is None:
            reveal_after_hours = 8.0
        weekdays = frozenset(int(d) for d in days)
        if not weekdays or not weekdays <= set(range(7)):
            raise ValueError(f"bad weekdays {sorted(weekdays)}")
        FakeWorkspaces(self.s).ensure(team_id, now)
        old = await self.get(team_id, channel_id)
        schedule = Schedule(
            id=old.id if old else next_id(self.s.schedules),
            team_id=team_id,
            channel_id=channel_id,
            post_time=post_time,
            tz=tz,
            days=weekdays,
            reveal_time=reveal_time,
            reveal_after_hours=reveal_after_hours,
            topics=tuple(sorted(set(topics))),
            difficulty=difficulty,
            recap_day=recap_day,
            paused=paused,
            created_by=old.created_by if old else created_by,
            created_at=old.created_at if old else now,
            updated_at=now,
        )
        self.s.schedules[schedule.id] = schedule
        return schedule

    async def get(self, team_id: str, channel_id: str) -> Schedule | None:
        return next(
            (
                s
                for s in self.s.schedules.values()
                if (s.team_id, s.channel_id) == (team_id, channel_id)
            ),
            None,
        )

    async def by_id(self, schedule_id: int) -> Schedule | None:
        return self.s.schedules.get(schedule_id)

    async def active(self) -> list[Schedule]:
        return [s for _, s in sorted(self.s.schedules.items()) if not s.paused]

    async def for_team(self, team_id: str) -> list[Schedule]:
        mine = [s for s in self.s.schedules.values() if s.team_id == team_id]
        return sorted(mine, key=lambda s: s.channel_id)

    async def set_paused(self, team_id: str, channel_id: str, paused: bool, now: datetime) -> bool:
        schedule = await self.get(team_id, channel_id)
        if schedule is None:
            return False
        self.s.schedules[schedule.id] = replace(schedule, paused=paused, updated_at=now)
        return True

    async def delete(self, team_id: str, channel_id: str) -> bool:
        schedule = await self.get(team_id, channel_id)
        if schedule is None:
            return False
        del self.s.schedules[schedule.id]
        # As the foreign keys do: its leases go, its posts stay without it.
        self.s.leases = {k: v for k, v in self.s.leases.items() if v.schedule_id != schedule.id}
        for post in list(self.s.posts.values()):
            if post.schedule_id == schedule.id:
                self.s.posts[post.id] = replace(post, schedule_id=None)
        return True


class FakePosts:
    def __init__(self, state: State) -> None:
        self.s = state

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
    ) -> Post:
        if kind not in ("channel", "dm"):
            raise ValueError(f"kind must be channel or dm, got {kind!r}")
        if difficulty not in DIFFICULTY_NAMES:
            raise ValueError(f"bad difficulty {difficulty!r}")
        if (schedule_id is None) != (slot_date is None):
            raise ValueError("schedule_id and slot_date go together")
        if schedule_id is not None and slot_date is not None:
            existing = await self.for_slot(schedule_id, slot_date)
            if existing is not None:
                return existing
        FakeWorkspaces(self.s).ensure(team_id, opened_at)
        post = Post(
            id=next_id(self.s.posts),
            team_id=team_id,
            channel_id=channel_id,
            message_ts=None,
            question_id=question_id,
            topics=tuple(topics),
            difficulty=difficulty,
            kind=kind,
            user_id=user_id,
            schedule_id=schedule_id,
            slot_date=slot_date,
            day=local_day(opened_at, self.s.workspaces[team_id].tz),
            opened_at=opened_at,
            deadline_at=deadline_at,
            revealed_at=None,
            status="open",
            error=None,
        )
        self.s.posts[post.id] = post
        return post

    async def set_message(self, post_id: int, channel_id: str, ts: str) -> None:
        if post_id in self.s.posts:
            self.s.posts[post_id] = replace(
                self.s.posts[post_id], channel_id=channel_id, message_ts=ts
            )

    async def get(self, post_id: int) -> Post | None:
        return self.s.posts.get(post_id)

    async def get_many(self, post_ids: Sequence[int]) -> dict[int, Post]:
        return {i: self.s.posts[i] for i in post_ids if i in self.s.posts}

    async def by_message(self, team_id: str, channel_id: str, ts: str) -> Post | None:
        return next(
            (
                p
                for p in self.s.posts.values()
                if (p.team_id, p.channel_id, p.message_ts) == (team_id, channel_id, ts)
            ),
            None,
        )

    async def by_messages(
        self, team_id: str, messages: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], Post]:
        wanted = set(messages)
        return {
            (p.channel_id, p.message_ts): p
            for p in self.s.posts.values()
            if p.team_id == team_id
            and p.message_ts is not None
            and (p.channel_id, p.message_ts) in wanted
        }

    async def for_slot(self, schedule_id: int, slot_date: date) -> Post | None:
        return next(
            (
                p
                for p in self.s.posts.values()
                if (p.schedule_id, p.slot_date) == (schedule_id, slot_date)
            ),
            None,
        )

    async def open_in_channel(self, team_id: str, channel_id: str) -> list[Post]:
        found = [
            p
            for p in self.s.posts.values()
            if (p.team_id, p.channel_id, p.status) == (team_id, channel_id, "open")
        ]
        return sorted(found, key=lambda p: (p.opened_at, p.id))

    async def revealed_between(
        self, team_id: str, channel_id: str, start: datetime, end: datetime
    ) -> list[tuple[Post, float | None]]:
        found = [
            p
            for p in sorted(self.s.posts.values(), key=lambda p: (p.opened_at, p.id))
            if (p.team_id, p.channel_id, p.status) == (team_id, channel_id, "revealed")
            and start <= p.opened_at < end
        ]
        return [(p, self._average_score(p.id)) for p in found]

    def _average_score(self, post_id: int) -> float | None:
        scores = [
            a.score
            for a in self.s.answers.values()
            if a.post_id == post_id and a.status == "live" and a.score is not None
        ]
        return sum(scores) / len(scores) if scores else None

    async def due_for_reveal(self, now: datetime) -> list[Post]:
        due = [
            p
            for p in self.s.posts.values()
            if p.status == "open"
            and ((p.deadline_at is not None and p.deadline_at <= now) or p.closed_at is not None)
        ]
        # SQLite sorts NULL deadlines first.
        return sorted(due, key=lambda p: (p.deadline_at is not None, p.deadline_at or now, p.id))

    async def close(self, post_id: int, now: datetime) -> bool:
        post = self.s.posts.get(post_id)
        if post is None or post.status != "open" or post.closed_at is not None:
            return False
        self.s.posts[post_id] = replace(post, closed_at=now)
        return True

    async def mark_revealed(self, post_id: int, now: datetime) -> bool:
        post = self.s.posts.get(post_id)
        if post is None or post.status != "open":
            return False
        self.s.posts[post_id] = replace(
            post, status="revealed", revealed_at=now, closed_at=post.closed_at or now
        )
        return True

    async def mark_failed(self, post_id: int, error: str, now: datetime) -> None:
        post = self.s.posts.get(post_id)
        if post is not None and post.status == "open":
            self.s.posts[post_id] = replace(
                post,
                status="failed",
                error=f"{now.astimezone(UTC).isoformat(timespec='microseconds')} {error}",
                revealed_at=None,
                closed_at=post.closed_at or now,
            )

    async def failed(self, team_id: str) -> list[Post]:
        found = [p for p in self.s.posts.values() if p.team_id == team_id and p.status == "failed"]
        return sorted(found, key=lambda p: p.opened_at)

    async def channel_history(self, team_id: str, channel_id: str) -> dict[str, datetime]:
        history: dict[str, datetime] = {}
        for p in self.s.posts.values():
            if (p.team_id, p.channel_id, p.kind) == (team_id, channel_id, "channel") and (
                p.status != "failed"
            ):
                history[p.question_id] = max(p.opened_at, history.get(p.question_id, p.opened_at))
        return history

    async def user_history(self, team_id: str, user_id: str) -> dict[str, datetime]:
        asked = [
            (p.question_id, p.opened_at)
            for p in self.s.posts.values()
            if (p.team_id, p.user_id, p.kind) == (team_id, user_id, "dm")
        ]
        asked += [
            (self.s.posts[a.post_id].question_id, a.answered_at)
            for a in self.s.answers.values()
            if (a.team_id, a.user_id) == (team_id, user_id)
        ]
        history: dict[str, datetime] = {}
        for question_id, at in asked:
            history[question_id] = max(at, history.get(question_id, at))
        return history


class FakeAnswers:
    def __init__(self, state: State) -> None:
        self.s = state

    async def record(self, items: Sequence[AnswerToRecord]) -> list[RecordResult]:
        """As the SQLite repository: read, ask the core's answer plan, write the plan."""
        keys = [(item.answer.post_id, item.answer.user_id) for item in items]
        events = [item.answer.event_id for item in items if item.answer.event_id]
        posts = await FakePosts(self.s).get_many(sorted({key[0] for key in keys}))
        plan = plan_answers(
            items, posts, await self.states(keys), await self.known_event_ids(events)
        )
        new_ids = await self.insert_many(plan.inserts) if plan.inserts else []
        await self.replace_many(plan.replaces)
        return with_new_ids(plan, new_ids)

    def _by_key(self, post_id: int, user_id: str) -> AnswerRow | None:
        return next(
            (a for a in self.s.answers.values() if (a.post_id, a.user_id) == (post_id, user_id)),
            None,
        )

    async def states(self, keys: Sequence[tuple[int, str]]) -> dict[tuple[int, str], AnswerState]:
        states = {}
        for key in keys:
            a = self._by_key(*key)
            if a is not None:
                states[key] = AnswerState(
                    a.id,
                    a.post_id,
                    a.user_id,
                    a.event_id,
                    self.s.answer_last_event[a.id],
                    a.revision,
                    a.status,
                    a.text,
                )
        return states

    async def known_event_ids(self, event_ids: Sequence[str]) -> set[str]:
        stored = {a.event_id for a in self.s.answers.values()}
        return {e for e in event_ids if e in stored}

    async def insert_many(self, rows: Sequence[AnswerWrite]) -> list[int]:
        ids = []
        for row in rows:
            assert self._by_key(row.post_id, row.user_id) is None, "one answer per (post, user)"
            answer_id = next_id(self.s.answers)
            self.s.answers[answer_id] = AnswerRow(
                id=answer_id,
                team_id=row.team_id,
                post_id=row.post_id,
                user_id=row.user_id,
                channel_id=row.channel_id,
                text=row.text,
                source=row.source,
                message_ts=row.message_ts,
                event_id=row.event_id,
                answered_at=row.answered_at,
                revision=1,
                status="live",
                score=row.score,
                points=row.points,
                grade=row.grade,
                graded_at=row.graded_at,
            )
            self.s.answer_last_event[answer_id] = row.answered_at
            ids.append(answer_id)
        return ids

    async def replace_many(self, rows: Sequence[AnswerWrite]) -> None:
        for row in rows:
            assert row.answer_id is not None
            old = self.s.answers[row.answer_id]
            self.s.answers[row.answer_id] = replace(
                old,
                text=row.text,
                source=row.source,
                message_ts=row.message_ts,
                event_id=row.event_id,
                answered_at=row.answered_at,
                revision=old.revision + 1,
                status="live",
                score=row.score,
                points=row.points,
                grade=row.grade,
                graded_at=row.graded_at,
            )
            self.s.answer_last_event[row.answer_id] = row.answered_at

    async def set_grades(self, grades: Sequence[GradeWrite]) -> None:
        for g in grades:
            old = self.s.answers[g.answer_id]
            self.s.answers[g.answer_id] = replace(
                old,
                score=g.score,
                points=g.points,
                grade=g.grade or old.grade,
                graded_at=g.graded_at,
            )

    async def post_facts(self, answer_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
        facts: dict[int, tuple[str, str, str]] = {}
        for answer_id in answer_ids:
            if answer_id in self.s.answers:
                answer = self.s.answers[answer_id]
                post = self.s.posts[answer.post_id]
                facts[answer_id] = (answer.team_id, post.difficulty, post.kind)
        return facts

    async def withdraw(
        self,
        team_id: str,
        post_id: int,
        *,
        user_id: str | None,
        message_ts: str | None,
        now: datetime,
    ) -> bool:
        if user_id is None and message_ts is None:
            raise ValueError("withdraw needs the user id or the answer's message ts")
        post = self.s.posts.get(post_id)
        if post is None or post.status != "open" or post.closed_at is not None:
            return False
        changed = False
        for a in list(self.s.answers.values()):
            if (
                (a.team_id, a.post_id, a.status) == (team_id, post_id, "live")
                and user_id in (None, a.user_id)
                and message_ts in (None, a.message_ts)
            ):
                self.s.answers[a.id] = replace(a, status="withdrawn")
                self.s.answer_last_event[a.id] = now
                changed = True
        return changed

    async def seen_reference(
        self, team_id: str, question_id: str, user_ids: Sequence[str], before: datetime
    ) -> set[str]:
        """As SQLite: graded on the question before, or it was revealed in a channel
        they answer ranked questions in."""
        people = set(user_ids)
        seen = {
            a.user_id
            for a in self.s.answers.values()
            if a.team_id == team_id
            and a.user_id in people
            and self.s.posts[a.post_id].question_id == question_id
            and a.graded_at is not None
            and a.graded_at < before
        }
        revealed_in = {
            p.channel_id
            for p in self.s.posts.values()
            if p.team_id == team_id
            and p.question_id == question_id
            and p.kind == "channel"
            and p.status == "revealed"
            and p.revealed_at is not None
            and p.revealed_at < before
        }
        seen |= {
            a.user_id
            for a in self.s.answers.values()
            if a.team_id == team_id
            and a.user_id in people
            and a.channel_id in revealed_in
            and is_ranked(self.s.posts[a.post_id].kind)
        }
        return seen

    async def get(self, answer_id: int) -> AnswerRow | None:
        return self.s.answers.get(answer_id)

    async def for_post(self, post_id: int, *, include_withdrawn: bool = False) -> list[AnswerRow]:
        found = [
            a
            for a in self.s.answers.values()
            if a.post_id == post_id and (include_withdrawn or a.status == "live")
        ]
        return sorted(found, key=lambda a: (a.answered_at, a.id))

    async def for_user(self, team_id: str, user_id: str, *, limit: int = 50) -> list[AnswerRow]:
        found = [
            a
            for a in self.s.answers.values()
            if (a.team_id, a.user_id, a.status) == (team_id, user_id, "live")
        ]
        return sorted(found, key=lambda a: (a.answered_at, a.id), reverse=True)[:limit]


class FakeLeases:
    def __init__(self, state: State) -> None:
        self.s = state

    def _retakable(self, lease: Lease, now: datetime, policy: LeasePolicy) -> bool:
        """Failed with attempts left, or claimed by a process that is not live."""
        dead = lease.status == "claimed" and lease.owner not in live_owners(self.s, now, policy)
        return lease.attempts < policy.max_attempts and (lease.status == "failed" or dead)

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
    ) -> bool:
        lease = self.s.leases.get(key)
        if lease is None:
            self.s.leases[key] = Lease(
                key, team_id, kind, schedule_id, slot_date, owner, "claimed", 1, None, now, now
            )
            return True
        if lease.owner == owner and lease.status == "claimed":
            return False
        if not self._retakable(lease, now, policy):
            return False
        self.s.leases[key] = replace(
            lease,
            owner=owner,
            status="claimed",
            attempts=lease.attempts + 1,
            claimed_at=now,
            updated_at=now,
        )
        return True

    async def held_by_live(self, key: str, now: datetime, policy: LeasePolicy) -> bool:
        lease = self.s.leases.get(key)
        return (
            lease is not None
            and lease.status == "claimed"
            and lease.owner in live_owners(self.s, now, policy)
        )

    async def finish(
        self, key: str, *, owner: str, now: datetime, error: str | None = None
    ) -> bool:
        lease = self.s.leases.get(key)
        if lease is None or lease.status != "claimed" or lease.owner != owner:
            return False
        self.s.leases[key] = replace(
            lease,
            status="done" if error is None else "failed",
            last_error=error or lease.last_error,
            updated_at=now,
        )
        return True

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
    ) -> bool:
        if key in self.s.leases:
            return False
        self.s.leases[key] = Lease(
            key, team_id, kind, schedule_id, slot_date, owner, "skipped", 0, None, now, now
        )
        return True

    async def retryable(
        self, schedule_id: int, kind: str, *, now: datetime, policy: LeasePolicy
    ) -> list[Lease]:
        found = [
            lease
            for lease in self.s.leases.values()
            if (lease.schedule_id, lease.kind) == (schedule_id, kind)
            and self._retakable(lease, now, policy)
        ]
        return sorted(found, key=lambda lease: lease.slot_date or date.min)

    async def abandoned(self, kind: str, *, now: datetime, policy: LeasePolicy) -> list[Lease]:
        live = live_owners(self.s, now, policy)
        found = [
            lease
            for lease in self.s.leases.values()
            if lease.kind == kind and lease.status == "claimed" and lease.owner not in live
        ]
        return sorted(found, key=lambda lease: lease.claimed_at)

    async def last_slot_date(self, schedule_id: int, kind: str) -> date | None:
        dates = [
            lease.slot_date
            for lease in self.s.leases.values()
            if (lease.schedule_id, lease.kind) == (schedule_id, kind)
            and lease.slot_date is not None
        ]
        return max(dates, default=None)

    async def get(self, key: str) -> Lease | None:
        return self.s.leases.get(key)

    async def failed(self, team_id: str) -> list[Lease]:
        found = [
            lease
            for lease in self.s.leases.values()
            if lease.team_id == team_id and lease.status == "failed"
        ]
        return sorted(found, key=lambda lease: (lease.slot_date or date.min, lease.kind, lease.key))


class FakeProcesses:
    def __init__(self, state: State) -> None:
        self.s = state

    async def beat(self, owner: str, *, host: str, pid: int, now: datetime) -> None:
        old = self.s.processes.get(owner)
        self.s.processes[owner] = (
            ProcessRecord(owner, host, pid, now, now)
            if old is None
            else replace(old, heartbeat_at=now)
        )

    async def stopped(self, owner: str, now: datetime) -> None:
        old = self.s.processes.get(owner)
        if old is not None and old.stopped_at is None:
            self.s.processes[owner] = replace(old, stopped_at=now)

    async def running_on(self, host: str) -> list[tuple[str, int]]:
        return [
            (p.owner, p.pid)
            for p in self.s.processes.values()
            if p.host == host and p.stopped_at is None
        ]

    async def forget_before(self, cutoff: datetime) -> int:
        holding = {lease.owner for lease in self.s.leases.values() if lease.status == "claimed"}
        holding |= {row.owner or "" for row in self.s.outbox.values() if row.status == "sending"}
        gone = [
            p.owner
            for p in self.s.processes.values()
            if (p.stopped_at or p.heartbeat_at) < cutoff and p.owner not in holding
        ]
        for owner in gone:
            del self.s.processes[owner]
        return len(gone)


class FakeOutbox:
    def __init__(self, state: State, noted: Callable[[int], None]) -> None:
        self.s = state
        self.noted = noted  # told each new message id (the storage tells listeners)

    async def add_many(self, messages: Sequence[Outgoing], now: datetime) -> list[int]:
        return [await self.add(message, now) for message in messages]

    async def add(self, message: Outgoing, now: datetime) -> int:
        existing = await self.by_key(message.key)
        if existing is not None:
            return existing.id
        message_id = next_id(self.s.outbox)
        self.s.outbox[message_id] = OutboxRow(
            message_id, message, "pending", 0, None, now, message.channel_id, None, None, now
        )
        self.s.outbox_updated[message_id] = now
        self.noted(message_id)
        return message_id

    def _takeable(self, row: OutboxRow, now: datetime, policy: LeasePolicy) -> bool:
        """Pending, or left `sending` by a process that is not live."""
        abandoned = row.status == "sending" and (
            row.owner is None or row.owner not in live_owners(self.s, now, policy)
        )
        return row.status == "pending" or abandoned

    def _update(self, row: OutboxRow, now: datetime, **changes: Any) -> None:
        if "channel_id" in changes:
            # One column in the table: the message's conversation and where it went.
            changes["outgoing"] = replace(row.outgoing, channel_id=changes["channel_id"])
        self.s.outbox[row.id] = replace(row, **changes)
        self.s.outbox_updated[row.id] = now

    async def due(self, now: datetime, policy: LeasePolicy, limit: int = 200) -> list[OutboxRow]:
        return [
            row
            for _, row in sorted(self.s.outbox.items())
            if self._takeable(row, now, policy)
            and (row.status != "pending" or row.not_before <= now)
        ][:limit]

    async def get_many(self, ids: Sequence[int]) -> list[OutboxRow]:
        return [self.s.outbox[i] for i in sorted(set(ids)) if i in self.s.outbox]

    async def begin(
        self, ids: Sequence[int], *, owner: str, now: datetime, policy: LeasePolicy
    ) -> list[OutboxRow]:
        taken = [row for row in await self.get_many(ids) if self._takeable(row, now, policy)]
        for row in taken:
            self._update(row, now, status="sending", owner=owner, attempts=row.attempts + 1)
        return [self.s.outbox[row.id] for row in taken]

    async def set_channel(self, message_id: int, channel_id: str) -> None:
        row = self.s.outbox[message_id]  # (the real one leaves updated_at alone)
        self._update(row, self.s.outbox_updated[message_id], channel_id=channel_id)

    async def sent(
        self, message_id: int, *, channel_id: str | None, ts: str | None, now: datetime
    ) -> bool:
        row = self.s.outbox.get(message_id)
        if row is None or row.status != "sending":
            return False
        self._update(
            row, now, status="sent", channel_id=channel_id or row.channel_id, ts=ts, error=None
        )
        return True

    async def retry_later(
        self, message_id: int, *, error: str, not_before: datetime, now: datetime
    ) -> None:
        row = self.s.outbox.get(message_id)
        if row is not None and row.status == "sending":
            self._update(
                row, now, status="pending", owner=None, error=error[:500], not_before=not_before
            )

    async def give_up(
        self, message_id: int, *, status: OutboxStatus, error: str, now: datetime
    ) -> bool:
        if status not in PROBLEM_STATUSES:
            raise ValueError(f"give_up takes one of {PROBLEM_STATUSES}, not {status!r}")
        row = self.s.outbox.get(message_id)
        if row is None or row.status not in ("pending", "sending"):
            return False
        self._update(row, now, status=status, owner=None, error=error[:500])
        return True

    async def by_key(self, key: str) -> OutboxRow | None:
        return next((row for row in self.s.outbox.values() if row.outgoing.key == key), None)

    async def unsettled_in(self, team_id: str, channel_id: str) -> bool:
        return any(
            (row.outgoing.team_id, row.channel_id, row.outgoing.action)
            == (team_id, channel_id, "post")
            and row.status in ("pending", "sending")
            and row.attempts > 0
            for row in self.s.outbox.values()
        )

    async def problems(self, team_id: str, *, since: datetime | None = None) -> list[OutboxRow]:
        found = [
            row
            for row in self.s.outbox.values()
            if row.outgoing.team_id == team_id
            and (
                row.status in PROBLEM_STATUSES
                or (row.status in ("pending", "sending") and row.error is not None)
            )
            and (since is None or self.s.outbox_updated[row.id] >= since)
        ]
        found.sort(key=lambda row: (self.s.outbox_updated[row.id], row.id), reverse=True)
        return found[:50]

    async def with_subject(self, subject: str) -> list[OutboxRow]:
        return [row for _, row in sorted(self.s.outbox.items()) if row.outgoing.subject == subject]

    async def forget_subject(self, subject: str) -> int:
        gone = [
            i
            for i, row in self.s.outbox.items()
            if row.outgoing.subject == subject and row.status not in ("pending", "sending")
        ]
        for i in gone:
            del self.s.outbox[i]
            del self.s.outbox_updated[i]
        return len(gone)

    async def drop_pending(self, subject: str, now: datetime) -> int:
        dropped = 0
        for i, row in list(self.s.outbox.items()):
            if row.outgoing.subject == subject and row.status == "pending":
                self.s.outbox[i] = replace(row, status="expired")
                self.s.outbox_updated[i] = now
                dropped += 1
        return dropped

    async def forget_sent_before(self, cutoff: datetime) -> int:
        old = [
            i
            for i, row in self.s.outbox.items()
            if row.status == "sent"
            and self.s.outbox_updated[i] < cutoff
            and not (row.outgoing.subject or "").startswith("panel:")
        ]
        for i in old:
            del self.s.outbox[i]
            del self.s.outbox_updated[i]
        return len(old)


class FakeInbox:
    def __init__(self, state: State) -> None:
        self.s = state

    def _takeable(self, row: StoredRequest, now: datetime, policy: LeasePolicy) -> bool:
        abandoned = row.status == "working" and (
            row.owner is None or row.owner not in live_owners(self.s, now, policy)
        )
        return row.status == "pending" or abandoned

    def _set(self, row: StoredRequest, **changes: Any) -> None:
        self.s.inbox[row.id] = replace(row, **changes)

    async def add_many(self, entries: Sequence[InboxEntry], now: datetime) -> list[int | None]:
        ids: list[int | None] = []
        for entry in entries:
            keys = {row.entry.dedupe_key for row in self.s.inbox.values()}
            if entry.dedupe_key is not None and entry.dedupe_key in keys:
                ids.append(None)
                continue
            row_id = next_id(self.s.inbox)
            self.s.inbox[row_id] = StoredRequest(row_id, entry, "pending", 0, None, now, None, now)
            ids.append(row_id)
        return ids

    async def due(self, now: datetime, policy: LeasePolicy, limit: int = 200) -> list[int]:
        return [
            row.id
            for _, row in sorted(self.s.inbox.items())
            if self._takeable(row, now, policy)
            and (row.status != "pending" or row.not_before <= now)
        ][:limit]

    async def take(
        self, ids: Sequence[int], *, owner: str, now: datetime, policy: LeasePolicy
    ) -> list[InboxRow]:
        taken = []
        for row_id in sorted(set(ids)):
            row = self.s.inbox.get(row_id)
            if row is not None and self._takeable(row, now, policy):
                self._set(row, status="working", owner=owner, attempts=row.attempts + 1)
                taken.append(self.s.inbox[row_id].row())
        return taken

    async def done(self, row_id: int, now: datetime) -> bool:
        row = self.s.inbox.get(row_id)
        if row is None or row.status not in ("pending", "working"):
            return False
        self._set(row, status="done", done_at=now, error=None)
        return True

    async def done_many(self, row_ids: Sequence[int], now: datetime) -> int:
        return sum([await self.done(row_id, now) for row_id in sorted(set(row_ids))])

    async def retry_later(self, row_id: int, *, error: str, not_before: datetime) -> None:
        row = self.s.inbox.get(row_id)
        if row is not None and row.status == "working":
            self._set(row, status="pending", owner=None, error=error[:500], not_before=not_before)

    async def failed(self, row_id: int, *, error: str, now: datetime) -> None:
        row = self.s.inbox.get(row_id)
        if row is not None and row.status in ("pending", "working"):
            self._set(row, status="failed", owner=None, error=error[:500], done_at=now)

    async def status(self, row_id: int) -> str | None:
        row = self.s.inbox.get(row_id)
        return None if row is None else row.status

    async def forget_done_before(self, cutoff: datetime) -> int:
        old = [
            i
            for i, row in self.s.inbox.items()
            if row.status == "done" and row.done_at is not None and row.done_at < cutoff
        ]
        for i in old:
            del self.s.inbox[i]
        return len(old)


WORKSPACE_SCOPE = ""


class FakeScores:
    """Leaderboard totals summed straight from the stored answers."""

    def __init__(self, state: State) -> None:
        self.s = state

    def _periods(self, day: date) -> set[str]:
        return {
            "all",
            f"week:{week_start(day).isoformat()}",
            f"month:{month_start(day).isoformat()}",
            f"quarter:{quarter_of(day).start}",
        }

    def _standings(
        self, team_id: str, scope: str, counts: Callable[[Post], bool]
    ) -> list[Standing]:
        totals: dict[str, Standing] = {}
        for a in self.s.answers.values():
            post = self.s.posts[a.post_id]
            if (
                a.team_id == team_id
                and a.status == "live"
                and a.score is not None
                and is_ranked(post.kind)
                and scope in (WORKSPACE_SCOPE, a.channel_id)
                and counts(post)
            ):
                old = totals.get(a.user_id, Standing(a.user_id, 0, 0, 0.0))
                totals[a.user_id] = Standing(
                    a.user_id, old.points + a.points, old.answered + 1, old.score_sum + a.score
                )
        return list(totals.values())

    def _period(self, team_id: str, scope: str, period_key: str) -> list[Standing]:
        return self._standings(team_id, scope, lambda post: period_key in self._periods(post.day))

    async def top_totals(
        self, team_id: str, scope: str, period_key: str, limit: int, offset: int = 0
    ) -> list[Standing]:
        ordered = sorted(
            self._period(team_id, scope, period_key), key=lambda s: (-s.points, s.user_id)
        )
        return ordered[offset : offset + limit]

    async def user_total(
        self, team_id: str, scope: str, period_key: str, user_id: str
    ) -> Standing | None:
        return next(
            (s for s in self._period(team_id, scope, period_key) if s.user_id == user_id), None
        )

    async def count_above(self, team_id: str, scope: str, period_key: str, points: int) -> int:
        return sum(1 for s in self._period(team_id, scope, period_key) if s.points > points)

    async def sum_days(self, team_id: str, scope: str, start: date, end: date) -> list[Standing]:
        return self._standings(team_id, scope, lambda post: start <= post.day < end)

    async def rebuild(self, team_id: str | None = None) -> None:
        return None  # nothing is rolled up here


class FakeStats:
    def __init__(self, state: State) -> None:
        self.s = state

    def _live(self, team_id: str, user_id: str) -> list[AnswerRow]:
        return [
            a
            for a in self.s.answers.values()
            if (a.team_id, a.user_id, a.status) == (team_id, user_id, "live")
        ]

    def _ranked_channels(self, team_id: str, user_id: str) -> set[str]:
        return {
            a.channel_id
            for a in self.s.answers.values()
            if (a.team_id, a.user_id) == (team_id, user_id)
            and is_ranked(self.s.posts[a.post_id].kind)
        }

    def _question_posts(self, team_id: str, channels: Iterable[str]) -> list[Post]:
        wanted = set(channels)
        return [
            p
            for p in self.s.posts.values()
            if p.team_id == team_id
            and p.kind == "channel"
            and p.status != "failed"
            and p.channel_id in wanted
        ]

    async def totals(self, team_id: str, user_id: str) -> tuple[int, float | None]:
        live = self._live(team_id, user_id)
        scores = [a.score for a in live if a.score is not None]
        return len(live), (sum(scores) / len(scores) if scores else None)

    async def answered_posts(self, team_id: str, user_id: str) -> tuple[list[datetime], list[str]]:
        minutes = {
            minute_of(self.s.posts[a.post_id].opened_at) for a in self._live(team_id, user_id)
        }
        return sorted(minutes), sorted(self._ranked_channels(team_id, user_id))

    async def gaps_with_questions(
        self, team_id: str, channels: Sequence[str], gaps: Sequence[tuple[datetime, datetime]]
    ) -> set[int]:
        posts = self._question_posts(team_id, channels)
        return {
            n
            for n, (start, end) in enumerate(gaps)
            if any(start <= p.opened_at < end for p in posts)
        }

    async def question_minutes(self, team_id: str, user_id: str) -> list[datetime]:
        posts = self._question_posts(team_id, self._ranked_channels(team_id, user_id))
        return sorted({minute_of(p.opened_at) for p in posts})

    async def answered_openings(self, team_id: str, user_id: str) -> list[datetime]:
        return [self.s.posts[a.post_id].opened_at for a in self._live(team_id, user_id)]

    async def mastery(self, team_id: str, user_id: str) -> dict[str, TopicMastery]:
        scores: dict[str, list[float]] = {}
        for a in self._live(team_id, user_id):
            if a.score is not None:
                for topic in self.s.posts[a.post_id].topics:
                    scores.setdefault(topic, []).append(a.score)
        return {
            topic: TopicMastery(topic, len(values), sum(values) / len(values))
            for topic, values in sorted(scores.items())
        }


class FakeReviews:
    def __init__(self, state: State) -> None:
        self.s = state

    def _mine(self, team_id: str, user_id: str) -> list[ReviewCard]:
        cards = [
            c.record
            for (team, user, _), c in self.s.cards.items()
            if (team, user) == (team_id, user_id)
        ]
        return sorted(cards, key=lambda c: (c.due_at, c.question_id))

    async def card(self, team_id: str, user_id: str, question_id: str) -> dict[str, Any] | None:
        stored = self.s.cards.get((team_id, user_id, question_id))
        return None if stored is None else dict(stored.card)

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
    ) -> ReviewCard:
        old = self.s.cards.get((team_id, user_id, question_id))
        reviews = 1 if old is None else old.record.reviews + 1
        record = ReviewCard(team_id, user_id, question_id, due_at, reviews, score, now)
        self.s.cards[(team_id, user_id, question_id)] = StoredCard(dict(card), record)
        return record

    async def cards_for_question(
        self, team_id: str, question_id: str, user_ids: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        found = {}
        for user_id in user_ids:
            stored = self.s.cards.get((team_id, user_id, question_id))
            if stored is not None:
                found[user_id] = dict(stored.card)
        return found

    async def save_many(
        self, team_id: str, question_id: str, reviews: Sequence[ReviewWrite], now: datetime
    ) -> None:
        for r in reviews:
            await self.save(
                team_id,
                r.user_id,
                question_id,
                card=r.card,
                due_at=r.due_at,
                score=r.score,
                now=now,
            )

    async def due(self, team_id: str, user_id: str, now: datetime, limit: int = 5) -> list[str]:
        return [c.question_id for c in self._mine(team_id, user_id) if c.due_at <= now][:limit]

    async def cards(self, team_id: str, user_id: str) -> list[ReviewCard]:
        return self._mine(team_id, user_id)

    async def next_due_at(self, team_id: str, user_id: str) -> datetime | None:
        return min((c.due_at for c in self._mine(team_id, user_id)), default=None)


class FakeFeedback:
    def __init__(self, state: State) -> None:
        self.s = state

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
    ) -> Override:
        override = Override(
            next_id(self.s.overrides), team_id, answer_id, by_user_id, old_score, score, note, now
        )
        self.s.overrides[override.id] = override
        return override

    async def overrides_for(self, answer_id: int) -> list[Override]:
        return [o for _, o in sorted(self.s.overrides.items()) if o.answer_id == answer_id]

    async def labels(self, team_id: str | None = None) -> list[HumanLabel]:
        latest: dict[int, Override] = {}
        for _, o in sorted(self.s.overrides.items()):
            latest[o.answer_id] = o
        labels = []
        for answer_id, o in sorted(latest.items()):
            answer = self.s.answers[answer_id]
            if team_id in (None, o.team_id):
                question_id = self.s.posts[answer.post_id].question_id
                labels.append(HumanLabel(answer_id, question_id, answer.text, o.old_score, o.score))
        return labels

    async def save_appeal(
        self, team_id: str, answer_id: int, user_id: str, note: str, now: datetime
    ) -> Appeal:
        old = next(
            (
                a
                for a in self.s.appeals.values()
                if (a.answer_id, a.user_id) == (answer_id, user_id)
            ),
            None,
        )
        if old is None:
            appeal = Appeal(
                next_id(self.s.appeals),
                team_id,
                answer_id,
                user_id,
                note,
                "open",
                now,
                None,
                None,
                None,
            )
        else:
            appeal = replace(old, note=note) if old.status == "open" else old
        self.s.appeals[appeal.id] = appeal
        return appeal

    async def appeal(self, appeal_id: int) -> Appeal | None:
        return self.s.appeals.get(appeal_id)

    async def close_appeal(
        self, appeal_id: int, *, accepted: bool, by_user_id: str, note: str, now: datetime
    ) -> Appeal:
        closed = replace(
            self.s.appeals[appeal_id],
            status="accepted" if accepted else "rejected",
            resolved_by=by_user_id,
            resolved_at=now,
            resolution_note=note,
        )
        self.s.appeals[appeal_id] = closed
        return closed

    async def open_appeals(self, team_id: str) -> list[Appeal]:
        found = [a for a in self.s.appeals.values() if a.team_id == team_id and a.status == "open"]
        return sorted(found, key=lambda a: (a.created_at, a.id))


# -- interview panels ---------------------------------------------------------------------


class FakePanels:
    """The panel repository over the `State` tables, following
    `bot.storage.sqlite.panels` statement by statement: the same conditional updates,
    upserts, orderings and constraint checks."""

    def __init__(self, state: State) -> None:
        self.s = state

    # -- panels ----------------------------------------------------------------------

    def _set_panel(self, panel: Panel, **changes: Any) -> None:
        self.s.panels[panel.id] = replace(panel, **changes)

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
    ) -> Panel:
        check(level in ("junior", "mid", "senior", "staff"), f"level {level!r}")
        check(
            all((p.team_id, p.code) != (team_id, code) for p in self.s.panels.values()),
            f"UNIQUE panels (team_id, code): {code}",
        )
        panel = Panel(
            id=next_id(self.s.panels),
            team_id=team_id,
            code=code,
            role=role,
            level=level,
            coordinator_id=coordinator_id,
            hiring_manager_id=hiring_manager_id,
            focus_topics=tuple(focus_topics),
            status="draft",
            debrief_at=debrief_at,
            debrief_channel=None,
            packet_opened_at=None,
            created_by=created_by,
            created_at=now,
            confirmed_at=None,
            closed_at=None,
            purged_at=None,
        )
        self.s.panels[panel.id] = panel
        self.s.panel_candidates.setdefault((team_id, code), candidate_name or None)
        return panel

    async def get(self, panel_id: int) -> Panel | None:
        return self.s.panels.get(panel_id)

    async def codes(self, team_id: str) -> list[str]:
        return [p.code for _, p in sorted(self.s.panels.items()) if p.team_id == team_id]

    async def candidate_name(self, team_id: str, code: str) -> str | None:
        return self.s.panel_candidates.get((team_id, code))

    def _stamped(self, panel: Panel, status: str, now: datetime) -> None:
        check(status in PANEL_STATUSES, f"panel status {status!r}")
        changes: dict[str, Any] = {"status": status}
        column = PANEL_STAMPS.get(status)
        if column and getattr(panel, column) is None:
            changes[column] = now
        self._set_panel(panel, **changes)

    async def set_status(self, panel_id: int, status: str, now: datetime) -> None:
        panel = self.s.panels.get(panel_id)
        if panel is not None:
            self._stamped(panel, status, now)

    async def transition(
        self, panel_id: int, from_statuses: Sequence[str], to: str, now: datetime
    ) -> bool:
        panel = self.s.panels.get(panel_id)
        if panel is None or panel.status not in from_statuses:
            return False
        self._stamped(panel, to, now)
        return True

    async def by_code(self, team_id: str, code: str) -> Panel | None:
        return next(
            (p for p in self.s.panels.values() if (p.team_id, p.code) == (team_id, code)), None
        )

    async def due_packets(self, now: datetime) -> list[Panel]:
        due = [
            p
            for p in self.s.panels.values()
            if p.status == "live" and p.packet_opened_at is None and p.debrief_at <= now
        ]
        return sorted(due, key=lambda p: (p.debrief_at, p.id))

    async def kits_to_redact(self, now: datetime) -> list[Interview]:
        due = []
        for interview in self.s.panel_interviews.values():
            panel = self.s.panels[interview.panel_id]
            hours = (await self.settings(interview.team_id)).kit_redact_hours
            if (
                not interview.kit_redacted
                and panel.status in ("live", "decided", "closed")
                and interview.ends_at + timedelta(hours=hours) <= now
            ):
                due.append(interview)
        return sorted(due, key=lambda i: (i.starts_at, i.id))

    async def set_debrief_channel(self, panel_id: int, channel_id: str) -> None:
        if panel_id in self.s.panels:
            self._set_panel(self.s.panels[panel_id], debrief_channel=channel_id)

    async def unfinished_purges(self) -> list[Panel]:
        return sorted(
            (
                p
                for p in self.s.panels.values()
                if p.status == "purged" and p.purge_finished_at is None
            ),
            key=lambda p: p.id,
        )

    async def finish_purge(self, panel_id: int, now: datetime) -> None:
        panel = self.s.panels[panel_id]
        self.s.panels[panel_id] = replace(panel, purge_finished_at=now, debrief_channel=None)

    async def clear_debrief_channel(self, panel_id: int) -> None:
        if panel_id in self.s.panels:
            self._set_panel(self.s.panels[panel_id], debrief_channel=None)

    async def mark_packet_open(self, panel_id: int, now: datetime) -> bool:
        panel = self.s.panels.get(panel_id)
        if panel is None or panel.packet_opened_at is not None:
            return False
        self._set_panel(panel, packet_opened_at=now)
        return True

    async def for_member(self, team_id: str, user_id: str) -> list[Panel]:
        sitting = {
            i.panel_id
            for i in self.s.panel_interviews.values()
            if i.interviewer_id == user_id and i.status != "replaced"
        }
        found = [
            p
            for p in self.s.panels.values()
            if p.team_id == team_id
            and p.status != "purged"
            and (p.id in sitting or user_id in (p.coordinator_id, p.hiring_manager_id))
        ]
        return sorted(found, key=lambda p: (p.created_at, p.id), reverse=True)

    async def in_status(self, statuses: Sequence[str]) -> list[Panel]:
        return [p for _, p in sorted(self.s.panels.items()) if p.status in statuses]

    async def held_questions(self, team_id: str, since: datetime) -> set[str]:
        held = set()
        for stored in self.s.panel_questions.values():
            panel = self.s.panels[stored.panel_id]
            interview = self.s.panel_interviews[stored.question.interview_id]
            if (
                panel.team_id == team_id
                and panel.status in ("draft", "live", "decided", "closed", "purged")
                and (panel.status in ("draft", "live") or interview.ends_at >= since)
            ):
                held.add(stored.question.question_id)
        return held

    # -- settings --------------------------------------------------------------------

    async def settings(self, team_id: str) -> PanelSettings:
        return self.s.panel_settings.get(team_id) or PanelSettings(team_id)

    async def save_settings(self, settings: PanelSettings) -> None:
        for name, (low, high) in SETTING_RANGES.items():
            check(low <= getattr(settings, name) <= high, f"{name} out of range")
        self.s.panel_settings[settings.team_id] = settings

    # -- interviews and their questions ------------------------------------------------

    async def add_interview(
        self,
        panel: Panel,
        interviewer_id: str,
        *,
        starts_at: datetime,
        minutes: int,
        tz: str,
    ) -> Interview:
        check(panel.id in self.s.panels, f"no panel {panel.id}")
        check(10 <= minutes <= 240, f"interview minutes {minutes}")
        interview = Interview(
            id=next_id(self.s.panel_interviews),
            panel_id=panel.id,
            team_id=panel.team_id,
            interviewer_id=interviewer_id,
            starts_at=starts_at,
            minutes=minutes,
            tz=tz,
            status="scheduled",
            kit_version=1,
            kit_redacted=False,
        )
        self.s.panel_interviews[interview.id] = interview
        return interview

    async def interviews(self, panel_id: int, *, include_replaced: bool = False) -> list[Interview]:
        found = [
            i
            for i in self.s.panel_interviews.values()
            if i.panel_id == panel_id and (include_replaced or i.status != "replaced")
        ]
        return sorted(found, key=lambda i: (i.starts_at, i.id))

    async def interview_of(self, panel_id: int, interviewer_id: str) -> Interview | None:
        return next(
            (
                i
                for _, i in sorted(self.s.panel_interviews.items())
                if (i.panel_id, i.interviewer_id) == (panel_id, interviewer_id)
                and i.status != "replaced"
            ),
            None,
        )

    async def get_interview(self, interview_id: int) -> Interview | None:
        return self.s.panel_interviews.get(interview_id)

    def _set_interview(self, interview_id: int, **changes: Any) -> None:
        interview = self.s.panel_interviews.get(interview_id)
        if interview is not None:
            self.s.panel_interviews[interview_id] = replace(interview, **changes)

    async def set_interview_status(self, interview_id: int, status: str) -> None:
        check(status in ("scheduled", "did_not_interview", "replaced"), f"status {status!r}")
        self._set_interview(interview_id, status=status)

    async def move_interview(self, interview_id: int, starts_at: datetime) -> None:
        interview = self.s.panel_interviews.get(interview_id)
        if interview is not None:
            self._set_interview(
                interview_id,
                starts_at=starts_at,
                kit_version=interview.kit_version + 1,
                kit_redacted=False,
            )

    async def set_kit_redacted(self, interview_id: int) -> None:
        self._set_interview(interview_id, kit_redacted=True)

    async def interviews_for(self, team_id: str, interviewer_id: str) -> list[Interview]:
        found = [
            i
            for i in self.s.panel_interviews.values()
            if (i.team_id, i.interviewer_id, i.status) == (team_id, interviewer_id, "scheduled")
            and self.s.panels[i.panel_id].status in ("live", "decided")
        ]
        return sorted(found, key=lambda i: i.starts_at)

    async def set_questions(
        self, panel_id: int, interview_id: int, questions: Sequence[PanelQuestion]
    ) -> None:
        self.s.panel_questions = {
            key: q for key, q in self.s.panel_questions.items() if key[0] != interview_id
        }
        for n, q in enumerate(questions):
            # The row's own keys, as the INSERT writes them (position by order).
            self.s.panel_questions[(interview_id, n)] = StoredPanelQuestion(
                panel_id, PanelQuestion(interview_id, n, q.question_id, q.minutes, tuple(q.topics))
            )

    async def questions(self, panel_id: int) -> list[PanelQuestion]:
        found = [
            (self.s.panel_interviews[q.question.interview_id], q.question)
            for q in self.s.panel_questions.values()
            if q.panel_id == panel_id
            and self.s.panel_interviews[q.question.interview_id].status != "replaced"
        ]
        found.sort(key=lambda pair: (pair[0].starts_at, pair[1].interview_id, pair[1].position))
        return [q for _, q in found]

    # -- candidate history and exposure ------------------------------------------------

    async def asked_before(self, team_id: str, code: str) -> set[str]:
        return {
            qid for (team, c, qid) in self.s.candidate_questions if (team, c) == (team_id, code)
        }

    async def knew(self, team_id: str, code: str) -> set[str]:
        return {
            qid
            for (team, c, qid), row in self.s.candidate_questions.items()
            if (team, c) == (team_id, code) and row.reason == "knew"
        }

    async def note_asked(
        self,
        team_id: str,
        code: str,
        question_ids: Sequence[str],
        *,
        panel_id: int,
        reason: str,
        now: datetime,
    ) -> None:
        check(reason in ("planned", "knew"), f"reason {reason!r}")
        for qid in question_ids:
            key = (team_id, code, qid)
            old = self.s.candidate_questions.get(key)
            if old is None:
                self.s.candidate_questions[key] = CandidateQuestion(panel_id, reason, now)
            elif reason == "knew":  # 'knew' wins; nothing else of the first row changes
                self.s.candidate_questions[key] = replace(old, reason="knew")

    async def exposure(self, team_id: str) -> dict[str, int]:
        return {
            qid: row.times
            for (team, qid), row in self.s.question_exposure.items()
            if team == team_id
        }

    async def expose(self, team_id: str, question_ids: Sequence[str], now: datetime) -> None:
        for qid in question_ids:
            old = self.s.question_exposure.get((team_id, qid))
            times = 1 if old is None else old.times + 1
            self.s.question_exposure[(team_id, qid)] = Exposure(times, now)

    # -- scorecards -----------------------------------------------------------------------

    async def save_scorecard(
        self,
        panel_id: int,
        team_id: str,
        interviewer_id: str,
        card: ScorecardIn,
        *,
        packet_open: bool,
        now: datetime,
    ) -> Scorecard:
        check(card.recommendation in RECOMMENDATION_VALUES, f"{card.recommendation!r}")
        check(all(r.rating in (1, 2, 3, 4) for r in card.question_ratings), "rating 1..4")
        check(
            len({r.question_id for r in card.question_ratings}) == len(card.question_ratings),
            "one rating per question",
        )
        existing = await self.scorecard(panel_id, interviewer_id)
        if existing is not None and packet_open:
            self.s.panel_card_history.setdefault(
                (existing.id, existing.revision), StoredCardVersion(card_body(existing), now)
            )
        ratings = tuple(
            sorted(
                (
                    QuestionRating(r.question_id, r.rating, tuple(r.shown_points), r.notes)
                    for r in card.question_ratings
                ),
                key=lambda r: r.question_id,
            )
        )
        saved = Scorecard(
            id=next_id(self.s.panel_scorecards) if existing is None else existing.id,
            panel_id=panel_id,
            interviewer_id=interviewer_id,
            recommendation=card.recommendation,
            evidence=card.evidence,
            notes=card.notes,
            topic_ratings=dict(card.topic_ratings),
            question_ratings=ratings,
            submitted_at=now,
            revision=1 if existing is None else existing.revision + 1,
            edited_after_packet=existing is not None
            and (existing.edited_after_packet or packet_open),
        )
        stored_team = team_id if existing is None else self.s.panel_scorecards[saved.id].team_id
        self.s.panel_scorecards[saved.id] = StoredScorecard(stored_team, saved)
        return saved

    async def scorecard(self, panel_id: int, interviewer_id: str) -> Scorecard | None:
        return next(
            (
                c.card
                for c in self.s.panel_scorecards.values()
                if (c.card.panel_id, c.card.interviewer_id) == (panel_id, interviewer_id)
            ),
            None,
        )

    async def scorecards(self, panel_id: int) -> list[Scorecard]:
        cards = [c.card for c in self.s.panel_scorecards.values() if c.card.panel_id == panel_id]
        return sorted(cards, key=lambda c: (c.submitted_at, c.id))

    async def submitted(self, panel_id: int) -> set[str]:
        return {c.interviewer_id for c in await self.scorecards(panel_id)}

    async def scorecard_history(self, scorecard_id: int) -> list[dict[str, Any]]:
        return [
            {"revision": revision, **version.body, "saved_at": stamp(version.saved_at)}
            for (card_id, revision), version in sorted(self.s.panel_card_history.items())
            if card_id == scorecard_id
        ]

    async def rating_history(self, team_id: str) -> list[RatingRow]:
        rows = []
        for _, stored in sorted(self.s.panel_scorecards.items()):
            card = stored.card
            interview = next(
                (
                    i
                    for i in self.s.panel_interviews.values()
                    if (i.panel_id, i.interviewer_id) == (card.panel_id, card.interviewer_id)
                    and i.status != "replaced"
                ),
                None,
            )
            if stored.team_id != team_id or interview is None or not card.question_ratings:
                continue
            ratings = card.question_ratings
            rows.append(
                RatingRow(
                    panel_id=card.panel_id,
                    interviewer_id=card.interviewer_id,
                    mean_rating=sum(r.rating for r in ratings) / len(ratings),
                    submitted_at=card.submitted_at,
                    interview_end=interview.ends_at,
                    cited_share=sum(1.0 for r in ratings if r.shown_points) / len(ratings),
                )
            )
        return rows

    # -- reminders ------------------------------------------------------------------------

    async def add_reminders(
        self, interview: Interview, times: Sequence[tuple[str, datetime]], *, again: bool = False
    ) -> None:
        for kind, at in times:
            check(kind in REMINDER_KINDS, f"reminder kind {kind!r}")
            old = next(
                (
                    r
                    for r in self.s.panel_reminders.values()
                    if (r.interview_id, r.kind) == (interview.id, kind)
                ),
                None,
            )
            if old is None:
                reminder = Reminder(
                    id=next_id(self.s.panel_reminders),
                    panel_id=interview.panel_id,
                    team_id=interview.team_id,
                    interview_id=interview.id,
                    kind=kind,
                    due_at=at,
                    status="pending",
                )
                self.s.panel_reminders[reminder.id] = reminder
            elif again or old.status != "sent":  # sent stays sent, unless the time moved
                self.s.panel_reminders[old.id] = replace(old, due_at=at, status="pending")

    async def due_reminders(self, now: datetime, limit: int = 200) -> list[Reminder]:
        due = [
            r for r in self.s.panel_reminders.values() if r.status == "pending" and r.due_at <= now
        ]
        return sorted(due, key=lambda r: (r.due_at, r.id))[:limit]

    async def set_reminder_status(self, reminder_id: int, status: str) -> bool:
        check(status in ("pending", "sent", "cancelled"), f"reminder status {status!r}")
        reminder = self.s.panel_reminders.get(reminder_id)
        if reminder is None or reminder.status != "pending":
            return False
        self.s.panel_reminders[reminder_id] = replace(reminder, status=status)  # type: ignore[arg-type]
        return True

    def _cancel(self, matches: Callable[[Reminder], bool]) -> int:
        cancelled = 0
        for reminder in list(self.s.panel_reminders.values()):
            if reminder.status == "pending" and matches(reminder):
                self.s.panel_reminders[reminder.id] = replace(reminder, status="cancelled")
                cancelled += 1
        return cancelled

    async def cancel_reminders(self, interview_id: int) -> int:
        return self._cancel(lambda r: r.interview_id == interview_id)

    async def cancel_panel_reminders(self, panel_id: int) -> int:
        return self._cancel(lambda r: r.panel_id == panel_id)

    async def reminders(self, panel_id: int) -> list[Reminder]:
        mine = [r for r in self.s.panel_reminders.values() if r.panel_id == panel_id]
        return sorted(mine, key=lambda r: (r.due_at, r.id))

    # -- decision, access log, purge ---------------------------------------------------------

    async def decide(
        self,
        panel: Panel,
        by_user_id: str,
        decision: str,
        reason: str,
        *,
        against_majority: bool,
        now: datetime,
    ) -> Decision:
        check(decision in DECISION_VALUES, f"decision {decision!r}")
        record = Decision(
            id=next_id(self.s.panel_decisions),
            panel_id=panel.id,
            by_user_id=by_user_id,
            decision=decision,
            reason=reason,
            against_majority=against_majority,
            decided_at=now,
        )
        self.s.panel_decisions[record.id] = StoredDecision(panel.team_id, record)
        return record

    async def decision(self, panel_id: int) -> Decision | None:
        mine = [d.decision for _, d in sorted(self.s.panel_decisions.items())]
        return next((d for d in reversed(mine) if d.panel_id == panel_id), None)

    async def log_access(self, panel: Panel, user_id: str, what: str, now: datetime) -> None:
        entry = AccessEntry(panel.id, panel.team_id, user_id, what, now)
        self.s.panel_access[next_id(self.s.panel_access)] = entry

    async def access_log(self, panel_id: int) -> list[tuple[str, str, datetime]]:
        return [
            (e.user_id, e.what, e.at)
            for _, e in sorted(self.s.panel_access.items())
            if e.panel_id == panel_id
        ]

    async def purge(
        self, panel: Panel, by_user_id: str, now: datetime, summary: Mapping[str, Any]
    ) -> None:
        """Erase names and free text; keep numeric ratings, without the candidate code."""
        s = self.s
        s.panel_candidates.pop((panel.team_id, panel.code), None)
        s.candidate_questions = {
            key: row
            for key, row in s.candidate_questions.items()
            if key[:2] != (panel.team_id, panel.code)
        }
        mine = {i for i, c in s.panel_scorecards.items() if c.card.panel_id == panel.id}
        for card_id in mine:
            stored = s.panel_scorecards[card_id]
            erased = replace(
                stored.card,
                evidence="",
                notes="",
                question_ratings=tuple(
                    replace(r, notes="", shown_points=()) for r in stored.card.question_ratings
                ),
            )
            s.panel_scorecards[card_id] = replace(stored, card=erased)
        s.panel_card_history = {k: v for k, v in s.panel_card_history.items() if k[0] not in mine}
        for decision_id, stored_decision in list(s.panel_decisions.items()):
            if stored_decision.decision.panel_id == panel.id:
                s.panel_decisions[decision_id] = replace(
                    stored_decision, decision=replace(stored_decision.decision, reason="")
                )
        current = s.panels[panel.id]
        self._set_panel(current, code=f"purged-{panel.id}", role="", status="purged", purged_at=now)
        s.purge_receipts[next_id(s.purge_receipts)] = PurgeReceipt(
            panel.team_id, panel.id, by_user_id, now, dict(summary)
        )

    async def purge_receipts(self, team_id: str) -> list[dict[str, Any]]:
        return [
            {"panel_id": r.panel_id, "by": r.by_user_id, "at": stamp(r.at), **r.summary}
            for _, r in sorted(self.s.purge_receipts.items())
            if r.team_id == team_id
        ]

    async def due_for_retention(self, now: datetime) -> list[Panel]:
        due = []
        for _, panel in sorted(self.s.panels.items()):
            if panel.status not in ("decided", "closed"):
                continue
            decided = [
                d.decision.decided_at
                for d in self.s.panel_decisions.values()
                if d.decision.panel_id == panel.id
            ]
            since = max(decided, default=None) or panel.closed_at or panel.debrief_at
            days = (await self.settings(panel.team_id)).retention_days
            if since + timedelta(days=days) <= now:
                due.append(panel)
        return due


# -- unit of work and storage ----------------------------------------------------------


class FakeUnitOfWork:
    def __init__(self, state: State, noted: Callable[[int], None]) -> None:
        self.workspaces = FakeWorkspaces(state)
        self.users = FakeUsers(state)
        self.schedules = FakeSchedules(state)
        self.posts = FakePosts(state)
        self.answers = FakeAnswers(state)
        self.inbox = FakeInbox(state)
        self.leases = FakeLeases(state)
        self.processes = FakeProcesses(state)
        self.outbox = FakeOutbox(state, noted)
        self.scores = FakeScores(state)
        self.stats = FakeStats(state)
        self.reviews = FakeReviews(state)
        self.feedback = FakeFeedback(state)
        self.panels = FakePanels(state)


@dataclass
class Receipt:
    inbox_id: int
    clock: Callable[[], datetime]
    done: bool = False


@dataclass
class _Transaction:
    task: asyncio.Task[Any] | None
    new_messages: list[int] = field(default_factory=list)


class FakeStorage:
    """`Storage` in memory. A transaction that raises leaves nothing behind."""

    def __init__(self) -> None:
        self.state = State()
        self.transactions = 0  # committed write transactions, for tests that count them
        self.rollbacks = 0
        self.closed = False
        self._lock = asyncio.Lock()
        self._current: contextvars.ContextVar[_Transaction | None] = contextvars.ContextVar(
            "fake_transaction", default=None
        )
        self._receipt: contextvars.ContextVar[Receipt | None] = contextvars.ContextVar(
            "fake_receipt", default=None
        )
        self._listeners: list[Callable[[list[int]], None]] = []
        self.uow = FakeUnitOfWork(self.state, self._noted)

    def _inside(self) -> _Transaction | None:
        current = self._current.get()
        return current if current is not None and current.task is asyncio.current_task() else None

    def _noted(self, message_id: int) -> None:
        current = self._inside()
        if current is not None:
            current.new_messages.append(message_id)
        else:
            self._tell([message_id])  # a write outside a transaction commits at once

    def _tell(self, ids: list[int]) -> None:
        for listener in self._listeners:
            listener(ids)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeUnitOfWork]:
        outer = self._inside()
        if outer is not None:  # nested: a savepoint
            snapshot, noted = self.state.snapshot(), len(outer.new_messages)
            try:
                yield self.uow
                await self._mark_request_done(outer)
            except BaseException:
                self.state.restore(snapshot)
                del outer.new_messages[noted:]
                raise
            return
        async with self._lock:
            current = _Transaction(asyncio.current_task())
            token = self._current.set(current)
            snapshot = self.state.snapshot()
            try:
                yield self.uow
                await self._mark_request_done(current)
            except BaseException:
                self.state.restore(snapshot)
                self.rollbacks += 1
                raise
            finally:
                self._current.reset(token)
            self.transactions += 1
        if current.new_messages:
            self._tell(current.new_messages)

    async def _mark_request_done(self, current: _Transaction) -> None:
        receipt = self._receipt.get()
        if receipt is not None and not receipt.done and current.new_messages:
            await self.uow.inbox.done(receipt.inbox_id, receipt.clock())
            receipt.done = True

    @contextmanager
    def processing(self, inbox_id: int, clock: Callable[[], datetime]) -> Iterator[Receipt]:
        receipt = Receipt(inbox_id, clock)
        token = self._receipt.set(receipt)
        try:
            yield receipt
        finally:
            self._receipt.reset(token)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[FakeUnitOfWork]:
        yield self.uow

    def on_new_messages(self, listener: Callable[[list[int]], None]) -> None:
        self._listeners.append(listener)

    async def healthy(self) -> bool:
        return not self.closed

    async def close(self) -> None:
        self.closed = True

    # -- for assertions -------------------------------------------------------------

    def messages(self, **match: Any) -> list[Outgoing]:
        """Outbox messages in the order they were added, filtered by Outgoing fields."""
        return [
            row.outgoing
            for _, row in sorted(self.state.outbox.items())
            if all(getattr(row.outgoing, name) == value for name, value in match.items())
        ]

    def message(self, key: str) -> OutboxRow:
        return next(row for row in self.state.outbox.values() if row.outgoing.key == key)


# -- Slack ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]


@dataclass(frozen=True)
class PostedMessage:
    channel: str
    ts: str
    message: Message
    thread_ts: str | None
    key: str | None


class FakeGateway:
    """`SlackGateway` for one workspace: records calls, answers with made-up ids.

    `fail(method, error)` makes every later call of that method raise `error` (after
    being recorded) until `recover(method)`."""

    def __init__(self, team_id: str = TEAM, bot_user_id: str = BOT_USER) -> None:
        self._team_id = team_id
        self._bot_user_id = bot_user_id
        self.calls: list[Call] = []
        self.errors: dict[str, Exception] = {}
        self.profiles: dict[str, Profile] = {}
        self.posted: list[PostedMessage] = []  # what Slack holds, for find_by_key
        self.channels_made: set[str] = set()
        self.unknown_users: set[str] = set()
        self._serial = 0

    @property
    def team_id(self) -> str:
        return self._team_id

    @property
    def bot_user_id(self) -> str:
        return self._bot_user_id

    # -- test controls ---------------------------------------------------------------

    def fail(self, method: str, error: Exception) -> None:
        self.errors[method] = error

    def recover(self, method: str) -> None:
        self.errors.pop(method, None)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [call.params for call in self.calls if call.method == method]

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        *,
        tz: str | None = "UTC",
        admin: bool = False,
        deleted: bool = False,
        is_bot: bool = False,
    ) -> Profile:
        profile = Profile(user_id, name or user_id.lower(), tz, admin, deleted, is_bot)
        self.profiles[user_id] = profile
        return profile

    def remove_user(self, user_id: str) -> None:
        """Slack no longer knows this user: `profile` raises `NotFound`."""
        self.profiles.pop(user_id, None)
        self.unknown_users.add(user_id)

    def slack_has(self, channel: str, key: str, thread_ts: str | None = None) -> Found:
        """A message with this key is in Slack already (an earlier attempt landed)."""
        ts = self._next_ts()
        self.posted.append(PostedMessage(channel, ts, Message(""), thread_ts, key))
        return Found(channel, ts)

    def _called(self, method: str, **params: Any) -> None:
        self.calls.append(Call(method, params))
        if method in self.errors:
            raise self.errors[method]

    def _next_ts(self) -> str:
        self._serial += 1
        return f"1709542800.{self._serial:06d}"

    # -- SlackGateway ------------------------------------------------------------------

    async def post(
        self,
        channel: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Posted:
        self._called(
            "post", channel=channel, message=message, thread_ts=thread_ts, metadata=metadata
        )
        ts = self._next_ts()
        key = (metadata or {}).get("key")
        self.posted.append(PostedMessage(channel, ts, message, thread_ts, key))
        return Posted(channel, ts)

    async def update(self, channel: str, ts: str, message: Message) -> None:
        self._called("update", channel=channel, ts=ts, message=message)

    async def delete(self, channel: str, ts: str) -> None:
        self._called("delete", channel=channel, ts=ts)

    async def ephemeral(self, channel: str, user: str, message: Message) -> None:
        self._called("ephemeral", channel=channel, user=user, message=message)

    async def open_dm(self, user: str) -> str:
        self._called("open_dm", user=user)
        return f"D{user}"

    async def open_group_dm(self, users: list[str]) -> str:
        self._called("open_group_dm", users=users)
        return "G" + "".join(users)

    async def react(self, channel: str, ts: str, name: str) -> None:
        self._called("react", channel=channel, ts=ts, name=name)

    async def open_view(self, trigger_id: str, view: dict[str, Any]) -> str:
        self._called("open_view", trigger_id=trigger_id, view=view)
        return f"V{len(self.calls)}"

    async def update_view(self, view_id: str, view: dict[str, Any]) -> None:
        self._called("update_view", view_id=view_id, view=view)

    async def publish_home(self, user: str, view: dict[str, Any]) -> None:
        self._called("publish_home", user=user, view=view)

    async def profile(self, user: str) -> Profile:
        self._called("profile", user=user)
        if user in self.unknown_users:
            raise NotFound("user_not_found")
        return self.profiles.get(user) or Profile(user, user.lower(), "UTC", False)

    async def find_user(self, name: str) -> Profile | None:
        self._called("find_user", name=name)
        wanted = name.strip().lstrip("@").casefold()
        return next(
            (p for p in self.profiles.values() if (p.display_name or "").casefold() == wanted),
            None,
        )

    async def find_by_key(
        self, channel: str, key: str, *, thread_ts: str | None = None, oldest: str | None = None
    ) -> Found | None:
        self._called("find_by_key", channel=channel, key=key, thread_ts=thread_ts, oldest=oldest)
        return next(
            (Found(m.channel, m.ts) for m in self.posted if (m.channel, m.key) == (channel, key)),
            None,
        )

    async def create_private_channel(self, name: str) -> str:
        self._called("create_private_channel", name=name)
        self.channels_made.add(name)
        return f"G{name.upper()}"

    async def find_channel(self, name: str) -> str | None:
        self._called("find_channel", name=name)
        return f"G{name.upper()}" if name in self.channels_made else None

    async def invite(self, channel: str, users: list[str]) -> None:
        self._called("invite", channel=channel, users=users)

    async def remove(self, channel: str, user: str) -> None:
        self._called("remove", channel=channel, user=user)

    async def archive(self, channel: str) -> None:
        self._called("archive", channel=channel)


class FakeSlack:
    """`Gateways` over one `FakeGateway` per installed workspace."""

    def __init__(self, *team_ids: str) -> None:
        self.gateways = {team: FakeGateway(team) for team in team_ids or (TEAM,)}

    def gateway_for(self, team_id: str) -> FakeGateway:
        if team_id not in self.gateways:
            raise UnknownWorkspace("team_not_installed", team_id)
        return self.gateways[team_id]

    def serves(self, team_id: str) -> bool:
        return team_id in self.gateways


class FakeResponder:
    """`Responder`: records each reply to a response_url; `error` makes them fail."""

    def __init__(self) -> None:
        self.responses: list[tuple[str, Message]] = []
        self.error: SlackError | None = None

    async def respond(self, url: str, message: Message) -> None:
        self.responses.append((url, message))
        if self.error is not None:
            raise self.error


def make_deps(
    *,
    storage: FakeStorage | None = None,
    slack: FakeSlack | None = None,
    clock: FakeClock | None = None,
    rng: random.Random | None = None,
    bank: Bank | None = None,
    admin_user_ids: Iterable[str] = (),
    leases: LeasePolicy | None = None,
    owner: str = "test-owner",
) -> Deps:
    """A `Deps` over the fakes and the real bundled bank."""
    return Deps(
        storage=storage or FakeStorage(),
        slack=slack or FakeSlack(),
        bank=bank or bundled_bank(),
        clock=clock or FakeClock(),
        rng=rng or seeded_rng(),
        admin_user_ids=frozenset(admin_user_ids),
        leases=leases or LeasePolicy(),
        owner=owner,
    )
