"""Setting up and driving a panel in the e2e sandbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.panel_records import Panel
from bot.slack.blocks import ids
from slack_standin.render import buttons as find_buttons
from tests.e2e.helpers import message_text

COORDINATOR = "U0ADA"  # ada, an admin, runs the panel
INTERVIEWERS = ["U0BAYES", "U0CLARA", "U0DAN"]
HIRING_MANAGER = "U0HUGO"
OUTSIDER = "U0EVE"
CANDIDATE = "Grace Hopper"


def add_panel_people(sandbox) -> None:
    for user_id, name, tz in (
        ("U0DAN", "dan", "Europe/London"),
        ("U0HUGO", "hugo", "America/Los_Angeles"),
        ("U0EVE", "eve", "Europe/Paris"),
    ):
        sandbox.standin.add_user(user_id, name=name, real_name=name.title(), tz=tz)


def interview_topics(sandbox, count: int = 2) -> list[str]:
    topics = sandbox.bank.topics("interview")
    return sorted(topics, key=lambda t: -topics[t])[:count]


def bot_dms(sandbox, user_id: str) -> list[dict[str, Any]]:
    bot = sandbox.standin.bot_user_id
    return [m for m in sandbox.standin.messages(sandbox.dm(user_id)) if m.get("user") == bot]


def latest_with(sandbox, user_id: str, action_id: str) -> dict[str, Any] | None:
    """The newest bot DM to `user_id` carrying the button `action_id`."""
    for message in reversed(bot_dms(sandbox, user_id)):
        if any(b.action_id == action_id for b in find_buttons(message.get("blocks"))):
            return message
    return None


async def panel_record(sandbox, panel_id: int) -> Panel:
    async with sandbox.app.storage.reading() as uow:
        panel = await uow.panels.get(panel_id)
    assert panel is not None
    return panel


def form_values(
    sandbox,
    starts: datetime,
    *,
    minutes: str = "45",
    debrief: datetime | None = None,
    topics: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    return {
        "role": {"role": "ML Engineer"},
        "level": {"level": "senior"},
        "candidate": {"candidate": CANDIDATE},
        "interviewers": {"interviewers": INTERVIEWERS},
        "hiring_manager": {"hiring_manager": HIRING_MANAGER},
        "coordinator": {"coordinator": COORDINATOR},
        "topics": {"topics": topics or interview_topics(sandbox)},
        "starts": {"starts": int(starts.timestamp())},
        "minutes": {"minutes": minutes},
        "debrief": {"debrief": int((debrief or starts + timedelta(hours=4)).timestamp())},
    }


async def new_panel(sandbox, clock, *, topics: list[str] | None = None) -> Panel:
    """Open the modal with `/mlquiz panel new`, submit it, return the draft."""
    await sandbox.command(COORDINATOR, "panel new")
    view = sandbox.standin.open_views(COORDINATOR)[-1]
    assert view["callback_id"] == ids.PANEL_NEW_MODAL
    starts = clock.now + timedelta(days=1)
    # Interviews of 45 minutes back to back: the last ends 2h15 after the first starts.
    debrief = starts + timedelta(hours=3, minutes=15)
    response = await sandbox.submit_modal(
        COORDINATOR, form_values(sandbox, starts, debrief=debrief, topics=topics)
    )
    assert response.status == 200
    assert not sandbox.standin.open_views(COORDINATOR), response.json()
    async with sandbox.app.storage.reading() as uow:
        panels = await uow.panels.for_member(sandbox.team_id, COORDINATOR)
    assert panels
    return panels[0]


async def fill_scorecard(
    sandbox, user_id: str, panel_id: int, *, recommendation: str, rating: int
) -> Any:
    kit = latest_with(sandbox, user_id, ids.PANEL_SCORECARD)
    assert kit is not None
    await sandbox.press(
        user_id, ids.PANEL_SCORECARD, channel_id=sandbox.dm(user_id), message_ts=kit["ts"]
    )
    view = sandbox.standin.open_views(user_id)[-1]
    assert view["callback_id"] == ids.SCORECARD_MODAL
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        block_id = block.get("block_id", "")
        if block_id.startswith("rating:"):
            values[block_id] = {"rating": str(rating)}
        elif block_id.startswith("topic:"):
            values[block_id] = {"topic": str(rating)}
        elif block_id.startswith("notes:"):
            values[block_id] = {"notes": "They explained the trade-offs clearly."}
    values["recommendation"] = {"recommendation": recommendation}
    if recommendation.startswith("strong"):
        values["evidence"] = {"evidence": "Designed the whole pipeline and its tests unprompted."}
    return await sandbox.submit_modal(user_id, values)


def first_option(message: dict[str, Any], action_id: str) -> str:
    """The value of the first option of the select menu `action_id` in a message."""
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return str(element["options"][0]["value"])
    raise LookupError(action_id)


PANEL_TABLES = (
    "panels",
    "panel_candidates",
    "panel_interviews",
    "panel_questions",
    "panel_scorecards",
    "panel_question_ratings",
    "panel_scorecard_history",
    "panel_reminders",
    "panel_decisions",
    "panel_access_log",
    "question_exposure",
    "candidate_questions",
    "panel_settings",
    "panel_purge_receipts",
)


async def panel_rows(sandbox) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every panel table: compare two of these to prove nothing changed."""
    db = sandbox.app.storage.db
    return {
        table: [tuple(row) for row in await db.fetchall(f"SELECT * FROM {table} ORDER BY 1")]
        for table in PANEL_TABLES
    }


async def confirm_plan(sandbox, panel: Panel) -> Panel:
    """The coordinator confirms the draft: kits go out, the panel is live."""
    plan = latest_with(sandbox, COORDINATOR, ids.PANEL_CONFIRM)
    assert plan is not None
    await sandbox.press(
        COORDINATOR, ids.PANEL_CONFIRM, channel_id=sandbox.dm(COORDINATOR), message_ts=plan["ts"]
    )
    live = await panel_record(sandbox, panel.id)
    assert live.status == "live"
    return live


async def live_panel(sandbox, clock, *, topics: list[str] | None = None) -> Panel:
    add_panel_people(sandbox)
    return await confirm_plan(sandbox, await new_panel(sandbox, clock, topics=topics))


async def planned_ids(sandbox, panel_id: int) -> set[str]:
    async with sandbox.app.storage.reading() as uow:
        return {q.question_id for q in await uow.panels.questions(panel_id)}


async def press_as(
    sandbox,
    user_id: str,
    action_id: str,
    message: dict[str, Any],
    channel_id: str,
    value: str | None = None,
) -> Any:
    """`user_id` presses a button of a message that may be in someone else's DM (a
    payload built from what is on that screen, `value` forged if given)."""
    payload = sandbox.driver.build_block_actions(
        user_id, action_id, value, channel_id=channel_id, message_ts=message["ts"]
    )
    response = await sandbox.driver.send_interaction(payload)
    await sandbox.settle()
    return response


def view_text(view: dict[str, Any]) -> str:
    return message_text({"blocks": view.get("blocks") or []})


async def interviews_of(sandbox, panel_id: int) -> dict[str, Any]:
    """The panel's scheduled interviews by interviewer."""
    async with sandbox.app.storage.reading() as uow:
        return {i.interviewer_id: i for i in await uow.panels.interviews(panel_id)}


async def reminders_of(sandbox, panel_id: int) -> list[Any]:
    async with sandbox.app.storage.reading() as uow:
        return await uow.panels.reminders(panel_id)
