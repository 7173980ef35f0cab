"""Builders for the panel use-case tests: the people, a valid form, panels in each
state, scorecards, and delivery of the outbox through the real `Deliverer`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.core.panel_form import PanelForm
from bot.core.panel_records import Interview, Panel
from bot.core.records import Outgoing
from bot.jobs.delivery import Deliverer
from bot.jobs.tasks import BackgroundTasks
from bot.ports.requests import ButtonPress, ReplyTo, ViewSubmission
from bot.slack.blocks import ids
from bot.usecases.deps import Deps
from bot.usecases.panels import create, planning, rooms, scorecards
from bot.usecases.panels.access import PanelView, load
from tests.unit.builders import fake
from tests.unit.fakes import T0, TEAM, FakeGateway, FakeResponder

COORDINATOR = "UCO"
HIRING_MANAGER = "UHM"
INTERVIEWERS = ("UA", "UB", "UC")
OUTSIDER = "UX"
ADMIN = "UADMIN"
NAME = "Grace Hopper"
TOPICS = ("evaluation-metrics", "probability")
STARTS = T0 + timedelta(days=1)  # Tuesday 09:00 UTC
MINUTES = 45
# Three interviews of 45 minutes back to back: the last ends at 11:15.
LAST_END = STARTS + timedelta(minutes=3 * MINUTES)


def add_people(gateway: FakeGateway) -> None:
    for user in (COORDINATOR, HIRING_MANAGER, *INTERVIEWERS, OUTSIDER, "UD"):
        gateway.add_user(user)
    gateway.add_user(ADMIN, admin=True)


def to(user: str) -> ReplyTo:
    return ReplyTo(TEAM, user, response_url=f"https://hooks.slack.com/commands/{TEAM}/{user}")


def panel_form(**changes: Any) -> PanelForm:
    form = PanelForm(
        role="ML Engineer",
        level="senior",
        interviewers=INTERVIEWERS,
        hiring_manager=HIRING_MANAGER,
        coordinator=COORDINATOR,
        topics=TOPICS,
        starts_at=STARTS,
        minutes=MINUTES,
        debrief_at=LAST_END + timedelta(hours=2),
        candidate_name=NAME,
    )
    return replace(form, **changes)


async def draft(deps: Deps, *, code: str = "", by: str = COORDINATOR, **changes: Any) -> Panel:
    return await create.create(
        deps, team_id=TEAM, user_id=by, form=panel_form(**changes), reply_to=to(by), code=code
    )


async def confirm(deps: Deps, panel: Panel, *, by: str = COORDINATOR) -> None:
    await planning.confirm(deps, team_id=TEAM, user_id=by, value=str(panel.id), reply_to=to(by))


async def live(deps: Deps, *, room: bool = False, **changes: Any) -> Panel:
    panel = await draft(deps, **changes)
    await confirm(deps, panel)
    if room:
        assert await rooms.open_room(deps, await current(deps, panel.id), deps.leases)
    return await current(deps, panel.id)


async def current(deps: Deps, panel_id: int) -> Panel:
    async with deps.storage.reading() as uow:
        panel = await uow.panels.get(panel_id)
    assert panel is not None
    return panel


async def view_of(deps: Deps, panel: Panel) -> PanelView:
    fresh = await current(deps, panel.id)
    async with deps.storage.reading() as uow:
        return await load(uow, fresh)


async def interview_of(deps: Deps, panel: Panel, user: str) -> Interview:
    interview = (await view_of(deps, panel)).interview_of(user)
    assert interview is not None
    return interview


async def kit_questions(deps: Deps, panel: Panel, user: str) -> list[str]:
    view = await view_of(deps, panel)
    interview = view.interview_of(user)
    assert interview is not None
    return [q.question_id for q in view.questions_of(interview)]


async def planned(deps: Deps, panel: Panel) -> dict[str, list[str]]:
    """Interviewer -> their planned question ids."""
    view = await view_of(deps, panel)
    return {
        i.interviewer_id: [q.question_id for q in view.questions_of(i)] for i in view.scheduled()
    }


async def deliver(deps: Deps) -> int:
    """Send every due message through the real deliverer and the fake Slack."""
    deliverer = Deliverer(deps, FakeResponder(), BackgroundTasks())
    return await deliverer.deliver_due()


def replies(deps: Deps, user: str | None = None) -> list[str]:
    """What the use cases answered (through response_urls), oldest first."""
    return [
        m.text for m in fake(deps).messages(action="respond") if user is None or m.user_id == user
    ]


def last_reply(deps: Deps, user: str) -> str:
    found = replies(deps, user)
    assert found, f"no reply to {user}"
    return found[-1]


def dms(deps: Deps, user: str, key_prefix: str = "") -> list[Outgoing]:
    return [
        m
        for m in fake(deps).messages(action="dm", user_id=user)
        if m.key.startswith(key_prefix) and m.subject is not None
    ]


def edits_of(deps: Deps, target_key: str) -> list[Outgoing]:
    return fake(deps).messages(action="update", target_key=target_key)


def text_of(message: Outgoing) -> str:
    """A message's text and blocks, for asserting what it shows."""
    return message.text + json.dumps(message.blocks, ensure_ascii=False)


def card_values(
    question_ids: list[str],
    *,
    rating: str = "3",
    recommendation: str = "yes",
    evidence: str = "",
    notes: str = "",
    points: tuple[str, ...] = (),
) -> dict[str, str | list[str]]:
    """A complete scorecard modal's state for these questions and the panel's topics."""
    values: dict[str, str | list[str]] = {
        "recommendation.recommendation": recommendation,
        "evidence.evidence": evidence,
    }
    for qid in question_ids:
        values[f"rating:{qid}.rating"] = rating
        values[f"notes:{qid}.notes"] = notes
        values[f"points:{qid}.points"] = list(points)
    for topic in TOPICS:
        values[f"topic:{topic}.topic"] = rating
    return values


def card_submission(panel: Panel, user: str, values: dict[str, str | list[str]]) -> ViewSubmission:
    return ViewSubmission(TEAM, user, ids.SCORECARD_MODAL, str(panel.id), values, to(user))


async def submit_card(deps: Deps, panel: Panel, user: str, **card: Any) -> None:
    questions = await kit_questions(deps, panel, user)
    async with deps.storage.reading() as uow:
        knew = await uow.panels.knew(TEAM, panel.code)
    values = card_values([q for q in questions if q not in knew], **card)
    await scorecards.submit(deps, card_submission(panel, user, values))


def press(user: str, action_id: str, value: str, trigger: str = "trigger-1") -> ButtonPress:
    return ButtonPress(TEAM, user, action_id, value, trigger, to(user))
