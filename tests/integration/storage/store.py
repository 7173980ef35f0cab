"""A compact face over the real storage and use-case helpers, for these tests.

Each method runs the production code path (a transaction of the SQLite storage, the
repositories, the core's rules and the use-case helpers); it only saves every test
from spelling out `async with storage.transaction() as uow` around each call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.core.periods import Period
from bot.core.records import AnswerIn, AnswerToRecord, GradeWrite, RecordResult
from bot.core.review import channel_rotation
from bot.core.scoring import points_for_post
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.storage import SqliteStorage
from bot.usecases import standings
from bot.usecases.recording import review_card


class _Answers:
    def __init__(self, storage: SqliteStorage) -> None:
        self.storage = storage

    async def record(
        self, answer: AnswerIn, grade: Mapping[str, Any] | None = None, points: int | None = None
    ) -> RecordResult:
        return (await self.record_many([AnswerToRecord(answer, grade, points)]))[0]

    async def record_many(self, items: Sequence[AnswerToRecord]) -> list[RecordResult]:
        async with self.storage.transaction() as uow:
            return await uow.answers.record(items)

    async def set_grade(
        self, answer_id: int, grade: Mapping[str, Any], points: int | None, now: datetime
    ) -> None:
        await self.set_grades([(answer_id, grade, points)], now)

    async def set_grades(
        self, grades: Sequence[tuple[int, Mapping[str, Any], int | None]], now: datetime
    ) -> None:
        async with self.storage.transaction() as uow:
            facts = await uow.answers.post_facts([g[0] for g in grades])
            writes = []
            for answer_id, grade, points in grades:
                if answer_id not in facts:
                    raise LookupError(f"no answer {answer_id}")
                _team, difficulty, kind = facts[answer_id]
                score = float(grade["score"])
                earned = points_for_post(score, difficulty, kind) if points is None else points
                writes.append(GradeWrite(answer_id, score, earned, grade, now))
            await uow.answers.set_grades(writes)

    async def withdraw(
        self,
        team_id: str,
        post_id: int,
        user_id: str | None = None,
        *,
        message_ts: str | None = None,
        now: datetime,
    ) -> bool:
        async with self.storage.transaction() as uow:
            return await uow.answers.withdraw(
                team_id, post_id, user_id=user_id, message_ts=message_ts, now=now
            )

    async def get(self, answer_id: int):
        async with self.storage.reading() as uow:
            return await uow.answers.get(answer_id)

    async def for_post(self, post_id: int, *, include_withdrawn: bool = False):
        async with self.storage.reading() as uow:
            return await uow.answers.for_post(post_id, include_withdrawn=include_withdrawn)


class _Boards:
    def __init__(self, storage: SqliteStorage) -> None:
        self.storage = storage

    async def top(
        self, team_id: str, *, channel_id=None, period: str | Period = "all", now, limit=10
    ):
        async with self.storage.reading() as uow:
            return await standings.top(
                uow, team_id, channel_id=channel_id, period=period, now=now, limit=limit
            )

    async def rank(self, team_id: str, user_id: str, *, channel_id=None, period="all", now):
        async with self.storage.reading() as uow:
            return await standings.rank(
                uow, team_id, user_id, channel_id=channel_id, period=period, now=now
            )

    async def rebuild(self, team_id: str | None = None) -> None:
        async with self.storage.transaction() as uow:
            await uow.scores.rebuild(team_id)


class _Stats:
    def __init__(self, storage: SqliteStorage) -> None:
        self.storage = storage

    async def for_user(self, team_id: str, user_id: str, *, now: datetime, tz: str | None = None):
        async with self.storage.reading() as uow:
            return await standings.user_stats(uow, team_id, user_id, now=now, tz=tz)

    async def every_day(self, team_id: str, user_id: str, now: datetime, tz: str):
        async with self.storage.reading() as uow:
            return await standings.streaks_from_every_day(uow, team_id, user_id, now, tz)


class _Reviews:
    def __init__(self, storage: SqliteStorage) -> None:
        self.storage = storage

    async def record(self, team_id, user_id, question_id, score, now):
        async with self.storage.transaction() as uow:
            return await review_card(uow, team_id, user_id, question_id, score, now)

    async def due(self, team_id, user_id, now, limit=5):
        async with self.storage.reading() as uow:
            return await uow.reviews.due(team_id, user_id, now, limit)

    async def cards(self, team_id, user_id):
        async with self.storage.reading() as uow:
            return await uow.reviews.cards(team_id, user_id)

    async def next_due_at(self, team_id, user_id):
        async with self.storage.reading() as uow:
            return await uow.reviews.next_due_at(team_id, user_id)


class _Questions:
    def __init__(self, storage: SqliteStorage) -> None:
        self.storage = storage

    async def unused_for_channel(self, team_id: str, channel_id: str, pool: Sequence[str]):
        async with self.storage.reading() as uow:
            history = await uow.posts.channel_history(team_id, channel_id)
        return channel_rotation(pool, history)


class Store:
    def __init__(self, storage: SqliteStorage | Database) -> None:
        if isinstance(storage, Database):
            storage = SqliteStorage(storage)
        self.storage = storage
        self.db = storage.db
        uow = storage._uow
        # Repositories whose single statements need no transaction of their own.
        self.posts = uow.posts
        self.schedules = uow.schedules
        self.users = uow.users
        self.workspaces = uow.workspaces
        self.leases = uow.leases
        self.feedback = uow.feedback
        self.answers = _Answers(storage)
        self.leaderboards = _Boards(storage)
        self.stats = _Stats(storage)
        self.reviews = _Reviews(storage)
        self.questions = _Questions(storage)
