"""Recording answers exactly once, whatever Slack retries, edits or deletes.

Rules, applied in arrival order (also within one batch):
* an event id already stored is a duplicate: nothing changes;
* a post that is no longer open, or an answer written after the deadline, is refused;
* the first answer of a user to a post is stored;
* a later one (an edit, a second modal submission) replaces it, unless it is older
  than what is stored (a late retry of the original message): then it is stale;
* a deletion withdraws the live answer while the post is open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from bot.core.scoring import points_for_post
from bot.storage.answers import AnswerRepository, LiveState, NewAnswerRow, grade_columns
from bot.storage.clock import day_to_db, to_db
from bot.storage.database import Database
from bot.storage.posts import PostRepository
from bot.storage.records import AnswerIn, AnswerRow, Post, RecordResult

SOURCES = ("thread", "modal", "dm")


@dataclass(frozen=True)
class AnswerToRecord:
    answer: AnswerIn
    grade: Mapping[str, Any] | None = None
    points: int | None = None  # None: from the points rule (score x difficulty)


class AnswerService:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.repo = AnswerRepository(db)
        self.posts = PostRepository(db)

    async def record(
        self,
        answer: AnswerIn,
        grade: Mapping[str, Any] | None = None,
        points: int | None = None,
    ) -> RecordResult:
        """Store one answer idempotently; `grade` is `Grade.to_dict()` when graded now."""
        return (await self.record_many([AnswerToRecord(answer, grade, points)]))[0]

    async def record_many(self, items: Sequence[AnswerToRecord]) -> list[RecordResult]:
        """Record a batch in one transaction with a fixed number of statements."""
        for item in items:
            _validate(item.answer)
        keys = [(item.answer.post_id, item.answer.user_id) for item in items]
        event_ids = [item.answer.event_id for item in items if item.answer.event_id]
        async with self.db.transaction():
            # Post status is read inside the write lock: a reveal cannot slip in between.
            posts = await self.posts.get_many(sorted({key[0] for key in keys}))
            states = await self.repo.live_states(keys)
            seen = await self.repo.known_event_ids(event_ids)
            plan = _plan(items, posts, states, seen)
            new_ids = await self.repo.insert_many(plan.inserts) if plan.inserts else []
            if plan.replaces:
                await self.repo.replace_many(plan.replaces)
            ids = dict(zip(plan.inserted_keys, new_ids, strict=True))
        # Rows first inserted by this batch get their ids now, whatever the outcome.
        return [
            replace(result, answer_id=ids[keys[index]])
            if result.answer_id is None and keys[index] in ids
            else result
            for index, result in enumerate(plan.results)
        ]

    async def set_grade(
        self, answer_id: int, grade: Mapping[str, Any], points: int | None, now: datetime
    ) -> None:
        await self.set_grades([(answer_id, grade, points)], now)

    async def set_grades(
        self, grades: Sequence[tuple[int, Mapping[str, Any], int | None]], now: datetime
    ) -> None:
        """Grade answers at reveal time; points default to the points rule."""
        if not grades:
            return
        async with self.db.transaction():
            meta = await self.db.fetchall(
                "SELECT a.id, p.difficulty, p.kind FROM json_each(?) AS k"
                " JOIN answers AS a ON a.id = k.value JOIN posts AS p ON p.id = a.post_id",
                (_ids_json([answer_id for answer_id, _, _ in grades]),),
            )
            by_id = {row[0]: (row[1], row[2]) for row in meta}
            rows = []
            for answer_id, grade, points in grades:
                if answer_id not in by_id:
                    raise LookupError(f"no answer {answer_id}")
                difficulty, kind = by_id[answer_id]
                score = float(grade["score"])
                earned = points_for_post(score, difficulty, kind) if points is None else points
                score_, points_, grade_json, graded_at = grade_columns(grade, earned, now)
                rows.append((score_, points_, grade_json, graded_at, answer_id))
            await self.repo.set_grades(rows)

    async def withdraw(
        self,
        team_id: str,
        post_id: int,
        user_id: str | None = None,
        *,
        message_ts: str | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Withdraw a deleted answer (by user or by the answer's message ts) while open.

        `now` orders the deletion against later edits; it defaults to the clock.
        """
        return await self.repo.withdraw(
            team_id, post_id, user_id=user_id, message_ts=message_ts, now=now or datetime.now(UTC)
        )

    async def get(self, answer_id: int) -> AnswerRow | None:
        return await self.repo.get(answer_id)

    async def for_post(self, post_id: int, *, include_withdrawn: bool = False) -> list[AnswerRow]:
        return await self.repo.for_post(post_id, include_withdrawn=include_withdrawn)

    async def for_user(self, team_id: str, user_id: str, *, limit: int = 50) -> list[AnswerRow]:
        return await self.repo.for_user(team_id, user_id, limit=limit)


def _ids_json(ids: Sequence[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def _validate(answer: AnswerIn) -> None:
    if answer.source not in SOURCES:
        raise ValueError(f"answer source must be one of {SOURCES}, got {answer.source!r}")
    to_db(answer.answered_at)  # rejects a naive datetime before anything is written


@dataclass
class _Plan:
    results: list[RecordResult]
    inserts: list[NewAnswerRow]
    inserted_keys: list[tuple[int, str]]
    replaces: list[tuple[Any, ...]]


def _plan(
    items: Sequence[AnswerToRecord],
    posts: Mapping[int, Post],
    states: dict[tuple[int, str], LiveState],
    seen_events: set[str],
) -> _Plan:
    plan = _Plan([], [], [], [])
    seen = set(seen_events)
    pending: dict[tuple[int, str], int] = {}  # key -> index in plan.inserts, this batch
    for item in items:
        answer = item.answer
        key = (answer.post_id, answer.user_id)
        post = posts.get(answer.post_id)
        if post is None or post.team_id != answer.team_id:
            raise LookupError(f"no post {answer.post_id} in workspace {answer.team_id}")
        state = states.get(key)
        known_id = state.id if state else None
        if answer.event_id is not None and answer.event_id in seen:
            plan.results.append(RecordResult(False, known_id, False, True, "duplicate"))
            continue
        if post.status != "open" or (
            post.deadline_at is not None and answer.answered_at > post.deadline_at
        ):
            plan.results.append(RecordResult(False, known_id, False, False, "closed"))
            continue
        if answer.event_id is not None:
            seen.add(answer.event_id)
        stamp = to_db(answer.answered_at)
        score = None if item.grade is None else float(item.grade["score"])
        points = 0
        if score is not None:
            points = (
                points_for_post(score, post.difficulty, post.kind)
                if item.points is None
                else item.points
            )
        score_, points_, grade_json, graded_at = grade_columns(
            item.grade, points, answer.answered_at
        )
        if state is None and key not in pending:
            pending[key] = len(plan.inserts)
            plan.inserts.append(
                NewAnswerRow(
                    team_id=answer.team_id,
                    post_id=answer.post_id,
                    user_id=answer.user_id,
                    channel_id=post.channel_id,
                    day=day_to_db(post.day),
                    ranked=int(post.kind == "channel"),
                    text=answer.text,
                    source=answer.source,
                    message_ts=answer.message_ts,
                    event_id=answer.event_id,
                    answered_at=stamp,
                    score=score_,
                    points=points_,
                    grade=grade_json,
                    graded_at=graded_at,
                )
            )
            plan.inserted_keys.append(key)
            plan.results.append(RecordResult(True, None, False, False))
            continue
        if key in pending:
            # Inserted earlier in this same batch: fold the newer version into that row.
            index = pending[key]
            first = plan.inserts[index]
            if stamp < first.answered_at:
                plan.results.append(RecordResult(False, None, False, True, "stale"))
                continue
            plan.inserts[index] = NewAnswerRow(
                **{
                    **first.__dict__,
                    "text": answer.text,
                    "source": answer.source,
                    "message_ts": answer.message_ts,
                    "event_id": answer.event_id,
                    "answered_at": stamp,
                    "score": score_,
                    "points": points_,
                    "grade": grade_json,
                    "graded_at": graded_at,
                }
            )
            plan.results.append(RecordResult(True, None, True, False))
            continue
        assert state is not None
        if stamp < state.last_event_at:
            plan.results.append(RecordResult(False, state.id, False, True, "stale"))
            continue
        if state.status == "live" and state.text == answer.text and item.grade is None:
            plan.results.append(RecordResult(False, state.id, False, True, "unchanged"))
            continue
        plan.replaces.append(
            (
                answer.text,
                answer.source,
                answer.message_ts,
                answer.event_id,
                stamp,
                stamp,
                score_,
                points_,
                grade_json,
                graded_at,
                state.id,
            )
        )
        states[key] = LiveState(
            state.id,
            state.post_id,
            state.user_id,
            answer.event_id,
            stamp,
            state.revision + 1,
            "live",
            answer.text,
        )
        plan.results.append(RecordResult(True, state.id, state.status == "live", False))
    return plan
