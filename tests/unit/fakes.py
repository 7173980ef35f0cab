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
from bot.core.panel_records import PanelSettings
from bot.core.periods import local_day, month_start, week_start
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
from bot.ports.slack import Found, Message, Posted, Profile, SlackError, UnknownWorkspace
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
    # Questions a live interview panel holds out of public pools, per workspace.
    panel_held: dict[str, set[str]] = field(default_factory=dict)

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


# -- unit of work and storage ----------------------------------------------------------


class FakePanels:
    """The part of the panel repository the practice use cases read (the leak guard)."""

    def __init__(self, state: State) -> None:
        self.s = state

    async def settings(self, team_id: str) -> PanelSettings:
        return PanelSettings(team_id)

    async def held_questions(self, team_id: str, since: datetime) -> set[str]:
        return set(self.s.panel_held.get(team_id, set()))

    async def interviews_for(self, team_id: str, interviewer_id: str) -> list[Any]:
        return []

    async def rating_history(self, team_id: str) -> list[Any]:
        return []

    # No panels in these fakes: the scheduler's panel steps find nothing to do.
    async def in_status(self, statuses: Sequence[str]) -> list[Any]:
        return []

    async def due_reminders(self, now: datetime, limit: int = 200) -> list[Any]:
        return []

    async def due_packets(self, now: datetime) -> list[Any]:
        return []

    async def kits_to_redact(self, now: datetime) -> list[Any]:
        return []

    async def due_for_retention(self, now: datetime) -> list[Any]:
        return []


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
        self, user_id: str, name: str | None = None, *, tz: str | None = "UTC", admin: bool = False
    ) -> Profile:
        profile = Profile(user_id, name or user_id.lower(), tz, admin)
        self.profiles[user_id] = profile
        return profile

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
