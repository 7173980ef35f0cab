"""Sealed scorecards: the modal, its checks (inline, before the ack, so nothing typed
is lost), the submission, and the grader's suggestion afterwards.

A submission stores the card, stops the interviewer's reminders, updates the room's
progress and, when it is the last one, opens the packet: all in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core.panel_records import QuestionRating, ScorecardIn
from bot.core.panel_rules import RECOMMENDATIONS, rating_anchors
from bot.grading import grade
from bot.ports.requests import ViewSubmission
from bot.ports.slack import SlackError, TriggerExpired
from bot.slack.blocks import panels as blocks
from bot.slack.blocks import plain
from bot.slack.text import has_words
from bot.usecases.deps import Deps, ReplyTo, reply, reply_in
from bot.usecases.panels import shown
from bot.usecases.panels.access import NOT_FOUND, PanelView, member_view
from bot.usecases.panels.progress import refresh_progress
from questionbank.models import Question

log = logging.getLogger("mlquiz.panels")
OPEN_STATUSES = ("live", "decided")
MAX_TEXT = blocks.MAX_NOTES
EVIDENCE_WORDS = 5


@dataclass(frozen=True)
class ParsedCard:
    card: ScorecardIn
    problems: dict[str, str]  # block id -> what is wrong


def _one(values: Mapping[str, str | list[str]], key: str) -> str:
    value = values.get(key, "")
    return value if isinstance(value, str) else ""


def _many(values: Mapping[str, str | list[str]], key: str) -> list[str]:
    value = values.get(key, [])
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def parse_card(
    values: Mapping[str, str | list[str]], questions: Sequence[Question], topics: Sequence[str]
) -> ParsedCard:
    """The modal's state as a scorecard, and every problem by block id (pure)."""
    found: dict[str, str] = {}
    ratings = []
    for q in questions:
        rating = _one(values, f"rating:{q.id}.rating")
        if rating not in ("1", "2", "3", "4"):
            found[f"rating:{q.id}"] = "Rate this question from 1 to 4."
            continue
        points = {
            q.key_points[int(v[1:])].text
            for v in _many(values, f"points:{q.id}.points")
            if v[:1] == "k"
            and v[1:].isascii()
            and v[1:].isdigit()
            and int(v[1:]) < len(q.key_points)
        }
        notes = _one(values, f"notes:{q.id}.notes").strip()[:MAX_TEXT]
        shown_points = tuple(p.text for p in q.key_points if p.text in points)
        ratings.append(QuestionRating(q.id, int(rating), shown_points, notes))
    topic_ratings: dict[str, int | None] = {}
    for topic in topics:
        value = _one(values, f"topic:{topic}.topic")
        if value in ("1", "2", "3", "4"):
            topic_ratings[topic] = int(value)
        elif value == "none":
            topic_ratings[topic] = None
        else:
            found[f"topic:{topic}"] = "Rate this topic, or choose Not assessed."
    recommendation = _one(values, "recommendation.recommendation")
    if recommendation not in RECOMMENDATIONS:
        found["recommendation"] = "Choose a recommendation: there is no neutral."
    evidence = _one(values, "evidence.evidence").strip()[:MAX_TEXT]
    if recommendation.startswith("strong_") and (
        not has_words(evidence) or len(evidence.split()) < EVIDENCE_WORDS
    ):
        found["evidence"] = "A Strong recommendation needs its evidence: what did you see?"
    card = ScorecardIn(
        recommendation=recommendation,
        evidence=evidence,
        notes="",
        question_ratings=tuple(ratings),
        topic_ratings=topic_ratings,
    )
    return ParsedCard(card, found)


async def _rated_questions(deps: Deps, view: PanelView, user_id: str) -> list[Question]:
    """The interviewer's questions, less those the candidate already knew."""
    interview = view.interview_of(user_id)
    if interview is None:
        return []
    async with deps.storage.reading() as uow:
        knew = await uow.panels.knew(view.panel.team_id, view.panel.code)
    return [q for q in shown.questions_of(deps, view, interview) if q.id not in knew]


async def open_scorecard(
    deps: Deps, *, team_id: str, user_id: str, ref: str, trigger_id: str, reply_to: ReplyTo
) -> None:
    view = await member_view(deps, team_id, user_id, ref)
    if view is None:
        await reply(deps, reply_to, plain(NOT_FOUND))
        return
    if view.interview_of(user_id) is None:
        await reply(deps, reply_to, plain("Only the panel's interviewers write scorecards."))
        return
    if view.panel.status not in OPEN_STATUSES:
        await reply(deps, reply_to, plain("Scorecards open once the plan is confirmed."))
        return
    questions = await _rated_questions(deps, view, user_id)
    async with deps.storage.reading() as uow:
        existing = await uow.panels.scorecard(view.panel.id, user_id)
    items = [blocks.KitQuestion(q, q.minutes, rating_anchors(q)) for q in questions]
    try:
        await deps.slack.gateway_for(team_id).open_view(
            trigger_id, blocks.scorecard_modal(view.panel, items, existing)
        )
    except TriggerExpired:
        await reply(deps, reply_to, plain("That took too long: press *Open my scorecard* again."))
    except SlackError as exc:
        log.warning("views.open for a scorecard failed: %s", exc.code)
        await reply(deps, reply_to, plain("I couldn't open your scorecard. Please try again."))


async def check_submission(deps: Deps, submission: ViewSubmission) -> dict[str, str]:
    """Problems to show in the modal (before the ack); empty when it can be stored."""
    view = await member_view(
        deps, submission.team_id, submission.user_id, submission.private_metadata
    )
    if view is None:
        return {"recommendation": NOT_FOUND}
    if view.interview_of(submission.user_id) is None:
        return {"recommendation": "Only the panel's interviewers write scorecards."}
    if view.panel.status not in OPEN_STATUSES:
        return {"recommendation": "This panel is closed: scorecards can no longer change."}
    questions = await _rated_questions(deps, view, submission.user_id)
    return parse_card(submission.values, questions, view.panel.focus_topics).problems


async def submit(deps: Deps, submission: ViewSubmission) -> None:
    team_id, user_id = submission.team_id, submission.user_id
    view = await member_view(deps, team_id, user_id, submission.private_metadata)
    if view is None or view.interview_of(user_id) is None:
        return
    if view.panel.status not in OPEN_STATUSES:
        await reply(deps, submission.reply_to, plain("This panel is closed: nothing was saved."))
        return
    questions = await _rated_questions(deps, view, user_id)
    parsed = parse_card(submission.values, questions, view.panel.focus_topics)
    if parsed.problems:
        # Checked before the ack too; this is a submission that raced a change.
        await reply(
            deps,
            submission.reply_to,
            plain("Your scorecard was not saved: " + " ".join(parsed.problems.values())),
        )
        return
    interview = view.interview_of(user_id)
    assert interview is not None
    now = deps.now()
    async with deps.storage.transaction() as uow:
        panel = await uow.panels.get(view.panel.id)
        assert panel is not None
        packet_open = panel.packet_opened_at is not None
        saved = await uow.panels.save_scorecard(
            panel.id, team_id, user_id, parsed.card, packet_open=packet_open, now=now
        )
        await uow.panels.cancel_reminders(interview.id)
        await refresh_progress(deps, uow, panel.id)
        if saved.edited_after_packet and packet_open and panel.debrief_channel:
            await uow.outbox.add(
                shown.post(
                    panel,
                    f"panel-edit:{saved.id}:r{saved.revision}",
                    panel.debrief_channel,
                    plain(
                        f"✏️ <@{user_id}> changed their scorecard after the packet opened "
                        f"(revision {saved.revision}); the earlier version is kept."
                    ),
                ),
                now,
            )
        await uow.outbox.add(
            shown.dm(
                panel,
                f"assist:{saved.id}:r{saved.revision}",
                user_id,
                blocks.grader_assist(
                    panel, suggestions(questions, parsed.card), {q.id: q.title for q in questions}
                ),
            ),
            now,
        )
        await reply_in(
            uow,
            submission.reply_to,
            plain(f"Scorecard for *{panel.code}* saved (revision {saved.revision})."),
            now,
        )


def suggestions(questions: Sequence[Question], card: ScorecardIn) -> dict[str, list[str]]:
    """Key points the interviewer's own notes show evidence for but they did not tick.
    A suggestion only: it never changes a rating nor scores the candidate."""
    by_id = {q.id: q for q in questions}
    found: dict[str, list[str]] = {}
    for rating in card.question_ratings:
        question = by_id.get(rating.question_id)
        if question is None or not has_words(rating.notes):
            continue
        result = grade(question, rating.notes)
        ticked = set(rating.shown_points)
        extra = [
            point.text
            for point in result.key_points
            if point.status == "covered" and point.text not in ticked
        ]
        if extra:
            found[question.id] = extra
    return found
