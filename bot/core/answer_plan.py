"""Recording answers exactly once, whatever Slack retries, edits or deletes (pure).

Rules, applied in arrival order (also within one batch):
* an event id already stored is a duplicate: nothing changes;
* a post that does not take answers any more (`accepts_answers`) refuses it: closed;
* the first answer of a user to a post is stored;
* a later one (an edit, a second modal submission) replaces it, unless it is older
  than what is stored (a late retry of the original message): then it is stale;
* an unchanged text without a new grade changes nothing.

The caller reads the posts, the existing states and the known event ids inside its
write transaction, asks `plan_answers`, and writes what the plan says in the same
transaction, so a reveal cannot slip in between.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.core.posts import accepts_answers
from bot.core.records import AnswerState, AnswerToRecord, AnswerWrite, Post, RecordResult
from bot.core.scoring import is_ranked, points_for_post

SOURCES = ("thread", "modal", "dm")


class UnknownPost(LookupError):
    """An answer names a post that does not exist in its workspace."""


@dataclass
class AnswerPlan:
    results: list[RecordResult] = field(default_factory=list)
    inserts: list[AnswerWrite] = field(default_factory=list)
    replaces: list[AnswerWrite] = field(default_factory=list)
    # The (post, user) key of each result and of each insert, to hand out new ids.
    result_keys: list[tuple[int, str]] = field(default_factory=list)
    insert_keys: list[tuple[int, str]] = field(default_factory=list)


def validate(item: AnswerToRecord) -> None:
    answer = item.answer
    if answer.source not in SOURCES:
        raise ValueError(f"answer source must be one of {SOURCES}, got {answer.source!r}")
    if answer.answered_at.tzinfo is None or answer.answered_at.utcoffset() is None:
        raise ValueError("answered_at must be a timezone-aware datetime")


def plan_answers(
    items: Sequence[AnswerToRecord],
    posts: Mapping[int, Post],
    states: Mapping[tuple[int, str], AnswerState],
    seen_events: set[str],
) -> AnswerPlan:
    plan = AnswerPlan()
    live = dict(states)
    seen = set(seen_events)
    pending: dict[tuple[int, str], int] = {}  # key -> index in plan.inserts, this batch
    for item in items:
        validate(item)
        answer = item.answer
        key = (answer.post_id, answer.user_id)
        plan.result_keys.append(key)
        post = posts.get(answer.post_id)
        if post is None or post.team_id != answer.team_id:
            raise UnknownPost(f"no post {answer.post_id} in workspace {answer.team_id}")
        state = live.get(key)
        known_id = state.id if state else None
        if answer.event_id is not None and answer.event_id in seen:
            plan.results.append(RecordResult(False, known_id, False, True, "duplicate"))
            continue
        if not accepts_answers(post, answer.answered_at):
            plan.results.append(RecordResult(False, known_id, False, False, "closed"))
            continue
        if answer.event_id is not None:
            seen.add(answer.event_id)
        score = None if item.grade is None else float(item.grade["score"])
        points = 0
        if score is not None:
            points = (
                points_for_post(score, post.difficulty, post.kind)
                if item.points is None
                else item.points
            )
        write = AnswerWrite(
            answer_id=None if state is None else state.id,
            team_id=answer.team_id,
            post_id=answer.post_id,
            user_id=answer.user_id,
            channel_id=post.channel_id,
            day=post.day,
            ranked=is_ranked(post.kind),
            text=answer.text,
            source=answer.source,
            message_ts=answer.message_ts,
            event_id=answer.event_id,
            answered_at=answer.answered_at,
            score=score,
            points=points,
            grade=item.grade,
            graded_at=None if item.grade is None else answer.answered_at,
        )
        if state is None and key not in pending:
            pending[key] = len(plan.inserts)
            plan.insert_keys.append(key)
            plan.inserts.append(write)
            plan.results.append(RecordResult(True, None, False, False))
            continue
        if key in pending:
            # Inserted earlier in this same batch: fold the newer version into that row.
            index = pending[key]
            if answer.answered_at < plan.inserts[index].answered_at:
                plan.results.append(RecordResult(False, None, False, True, "stale"))
                continue
            plan.inserts[index] = write
            plan.results.append(RecordResult(True, None, True, False))
            continue
        assert state is not None
        if answer.answered_at < state.last_event_at:
            plan.results.append(RecordResult(False, state.id, False, True, "stale"))
            continue
        if state.status == "live" and state.text == answer.text and item.grade is None:
            plan.results.append(RecordResult(False, state.id, False, True, "unchanged"))
            continue
        plan.replaces.append(write)
        live[key] = replace(
            state,
            event_id=answer.event_id,
            last_event_at=answer.answered_at,
            revision=state.revision + 1,
            status="live",
            text=answer.text,
        )
        plan.results.append(RecordResult(True, state.id, state.status == "live", False))
    return plan


def with_new_ids(plan: AnswerPlan, new_ids: Sequence[int]) -> list[RecordResult]:
    """The plan's results; rows first inserted by this batch report their new ids,
    whatever the outcome of each later item for the same (post, user)."""
    ids = dict(zip(plan.insert_keys, new_ids, strict=True))
    return [
        replace(result, answer_id=ids[key]) if result.answer_id is None and key in ids else result
        for key, result in zip(plan.result_keys, plan.results, strict=True)
    ]
