"""A stored panel turned into what its messages show, and the outbox records that
carry them. Every message about a panel has the subject `panel:<id>`, so a purge can
find and delete them all."""

from __future__ import annotations

from bot.core.panel_plan import Plan, PlannedQuestion, PlanRequest, Seat
from bot.core.panel_records import Interview, Panel
from bot.core.panel_rules import rating_anchors
from bot.core.records import Outgoing
from bot.ports.slack import Message
from bot.ports.storage import UnitOfWork
from bot.slack.blocks import panels as blocks
from bot.usecases.deps import Deps, new_key
from bot.usecases.panels.access import PanelView
from questionbank.models import Question


def subject(panel: Panel) -> str:
    return f"panel:{panel.id}"


def plan_key(panel: Panel) -> str:
    return f"panel-plan:{panel.id}"


def kit_key(interview: Interview) -> str:
    return f"kit:{interview.panel_id}:{interview.id}:v{interview.kit_version}"


def progress_key(panel: Panel) -> str:
    return f"panel-progress:{panel.id}"


def dm(panel: Panel, key: str, user_id: str, message: Message) -> Outgoing:
    return Outgoing(
        team_id=panel.team_id,
        key=key,
        action="dm",
        text=message.text,
        blocks=tuple(message.blocks),
        user_id=user_id,
        subject=subject(panel),
    )


def post(panel: Panel, key: str, channel_id: str, message: Message) -> Outgoing:
    return Outgoing(
        team_id=panel.team_id,
        key=key,
        action="post",
        text=message.text,
        blocks=tuple(message.blocks),
        channel_id=channel_id,
        subject=subject(panel),
    )


def edit(panel: Panel, target_key: str, message: Message, *, user_id: str | None) -> Outgoing:
    """A change to an earlier message, found by its key once it is in Slack."""
    return Outgoing(
        team_id=panel.team_id,
        key=new_key("panel-edit"),
        action="update",
        text=message.text,
        blocks=tuple(message.blocks),
        target_key=target_key,
        user_id=user_id,
    )


def delete(panel: Panel, target_key: str) -> Outgoing:
    return Outgoing(
        team_id=panel.team_id,
        key=f"delete:{target_key}",
        action="delete",
        target_key=target_key,
        subject=f"purge:{panel.id}",
    )


def questions_of(deps: Deps, view: PanelView, interview: Interview) -> list[Question]:
    found = []
    for planned in view.questions_of(interview):
        question = deps.bank.get(planned.question_id)
        if question is not None:
            found.append(question)
    return found


def seat_views(deps: Deps, view: PanelView) -> list[blocks.SeatView]:
    seats = []
    for interview in view.scheduled():
        lines = []
        for planned in view.questions_of(interview):
            question = deps.bank.get(planned.question_id)
            if question is not None:
                lines.append(blocks.PlannedLine(question, planned.minutes, planned.topics))
        seats.append(
            blocks.SeatView(
                interview.interviewer_id, interview.starts_at, interview.minutes, tuple(lines)
            )
        )
    return seats


def stored_plan(view: PanelView) -> Plan:
    return Plan(
        {
            i.interviewer_id: tuple(
                PlannedQuestion(q.question_id, q.minutes, q.topics) for q in view.questions_of(i)
            )
            for i in view.scheduled()
        },
        (),
    )


async def plan_request(uow: UnitOfWork, view: PanelView) -> PlanRequest:
    panel = view.panel
    return PlanRequest(
        seats=tuple(Seat(i.interviewer_id, i.minutes) for i in view.scheduled()),
        focus_topics=panel.focus_topics,
        level=panel.level,
        asked_before=frozenset(await uow.panels.asked_before(panel.team_id, panel.code)),
        exposure=await uow.panels.exposure(panel.team_id),
    )


def plan_message(deps: Deps, view: PanelView, shortfalls: tuple[str, ...] = ()) -> Message:
    return blocks.plan_message(
        view.panel,
        seat_views(deps, view),
        shortfalls,
        confirmed=view.panel.status != "draft",
    )


def kit(deps: Deps, view: PanelView, interview: Interview) -> Message:
    items = [
        blocks.KitQuestion(q, planned.minutes, rating_anchors(q))
        for planned in view.questions_of(interview)
        if (q := deps.bank.get(planned.question_id)) is not None
    ]
    return blocks.kit_message(view.panel, interview, items)


def progress(view: PanelView, submitted: set[str]) -> Message:
    expected = [i.interviewer_id for i in view.scheduled()]
    panel = view.panel
    return blocks.progress_message(
        panel,
        expected,
        submitted,
        packet_open=panel.packet_opened_at is not None,
        partial=panel.packet_opened_at is not None and not set(expected) <= submitted,
    )
