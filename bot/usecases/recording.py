"""Writing answers, grades and review cards: the core's rules applied to storage.

Each function runs inside the caller's transaction (`uow`), so what it reads and what
it writes are one atomic step."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.records import AnswerToRecord, GradeWrite, RecordResult, ReviewCard, ReviewWrite
from bot.core.review import review
from bot.core.scoring import points_for_post
from bot.grading import Grade
from bot.ports.storage import UnitOfWork


async def record_answer(uow: UnitOfWork, item: AnswerToRecord) -> RecordResult:
    return (await uow.answers.record([item]))[0]


async def store_grades(
    uow: UnitOfWork, grades: Sequence[tuple[int, Grade]], now: datetime
) -> dict[int, int]:
    """Grade stored answers (at the reveal); returns the points each earned."""
    if not grades:
        return {}
    facts = await uow.answers.post_facts([answer_id for answer_id, _ in grades])
    writes = []
    for answer_id, grade in grades:
        if answer_id not in facts:
            raise LookupError(f"no answer {answer_id}")
        _team, difficulty, kind = facts[answer_id]
        points = points_for_post(grade.score, difficulty, kind)
        writes.append(GradeWrite(answer_id, grade.score, points, grade.to_dict(), now))
    await uow.answers.set_grades(writes)
    return {write.answer_id: write.points for write in writes}


async def review_card(
    uow: UnitOfWork, team_id: str, user_id: str, question_id: str, score: float, now: datetime
) -> ReviewCard:
    """Review the user's card for this question with the grade they just got (FSRS)."""
    card = await uow.reviews.card(team_id, user_id, question_id)
    reviewed = review(card, score, now)
    return await uow.reviews.save(
        team_id,
        user_id,
        question_id,
        card=reviewed.card,
        due_at=reviewed.due_at,
        score=score,
        now=now,
    )


async def review_cards(
    uow: UnitOfWork,
    team_id: str,
    question_id: str,
    scores: Sequence[tuple[str, float]],
    now: datetime,
) -> None:
    """`review_card` for many users of one question (a reveal): one read, one write."""
    cards = await uow.reviews.cards_for_question(team_id, question_id, [u for u, _ in scores])
    writes = []
    for user_id, score in scores:
        reviewed = review(cards.get(user_id), score, now)
        writes.append(ReviewWrite(user_id, reviewed.card, reviewed.due_at, score))
    await uow.reviews.save_many(team_id, question_id, writes, now)
