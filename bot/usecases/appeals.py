"""Appeals ("I think I was right") and human overrides of a grade: labels for
calibration, and the score that then counts."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.records import Appeal, GradeWrite, Override
from bot.core.scoring import points_for_post
from bot.ports.slack import SlackError
from bot.ports.storage import UnitOfWork
from bot.slack.blocks import plain
from bot.slack.blocks import practice as practice_blocks
from bot.usecases.deps import Deps, ReplyTo, reply
from bot.usecases.forms import post_id_of

log = logging.getLogger("mlquiz.appeals")
NOT_YOURS = "Only the person who answered can appeal this grade."


async def open_appeal_modal(
    deps: Deps, *, team_id: str, user_id: str, value: str, trigger_id: str, reply_to: ReplyTo
) -> None:
    answer_id = post_id_of(value)
    async with deps.storage.reading() as uow:
        answer = await uow.answers.get(answer_id) if answer_id is not None else None
        post = await uow.posts.get(answer.post_id) if answer is not None else None
    if answer is None or answer.user_id != user_id or answer.team_id != team_id:
        await reply(deps, reply_to, plain(NOT_YOURS))
        return
    question = deps.bank.get(post.question_id) if post else None
    title = question.title if question else "this question"
    try:
        await deps.slack.gateway_for(team_id).open_view(
            trigger_id, practice_blocks.appeal_modal(answer.id, title)
        )
    except SlackError as exc:
        log.warning("views.open failed: %s", exc.code)
        await reply(deps, reply_to, plain("I couldn't open the appeal form. Press it again."))


async def submit_appeal(
    deps: Deps, *, team_id: str, user_id: str, answer_value: str, note: str, reply_to: ReplyTo
) -> None:
    """Store the appeal for calibration; only the answer's author may appeal."""
    answer_id = post_id_of(answer_value)
    now = deps.now()
    async with deps.storage.transaction() as uow:
        answer = await uow.answers.get(answer_id) if answer_id is not None else None
        if answer is None or answer.team_id != team_id or answer.user_id != user_id:
            stored = False
        else:
            await uow.feedback.save_appeal(team_id, answer.id, user_id, note[:2000], now)
            stored = True
    text = "Thanks: your appeal is recorded and will be reviewed." if stored else NOT_YOURS
    await reply(deps, reply_to, plain(text))


async def override_grade(
    uow: UnitOfWork,
    *,
    team_id: str,
    answer_id: int,
    by_user_id: str,
    score: float,
    note: str,
    now: datetime,
) -> Override:
    """A person's score replaces the machine's; points and leaderboards follow."""
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score must be within [0, 1], got {score!r}")
    answer = await uow.answers.get(answer_id)
    if answer is None or answer.team_id != team_id:
        raise LookupError(f"no answer {answer_id} in workspace {team_id}")
    facts = await uow.answers.post_facts([answer_id])
    _team, difficulty, kind = facts[answer_id]
    await uow.answers.set_grades(
        [GradeWrite(answer_id, score, points_for_post(score, difficulty, kind), None, now)]
    )
    return await uow.feedback.add_override(
        team_id, answer_id, by_user_id, old_score=answer.score, score=score, note=note, now=now
    )


async def resolve_appeal(
    deps: Deps,
    appeal_id: int,
    *,
    accepted: bool,
    by_user_id: str,
    note: str = "",
    score: float | None = None,
) -> Appeal:
    """Close an appeal; accepting it with a score overrides the grade."""
    now = deps.now()
    async with deps.storage.transaction() as uow:
        appeal = await uow.feedback.appeal(appeal_id)
        if appeal is None:
            raise LookupError(f"no appeal {appeal_id}")
        if appeal.status != "open":
            raise ValueError(f"appeal {appeal_id} is already {appeal.status}")
        closed = await uow.feedback.close_appeal(
            appeal_id, accepted=accepted, by_user_id=by_user_id, note=note, now=now
        )
        if accepted and score is not None:
            await override_grade(
                uow,
                team_id=appeal.team_id,
                answer_id=appeal.answer_id,
                by_user_id=by_user_id,
                score=score,
                note=note,
                now=now,
            )
    return closed
