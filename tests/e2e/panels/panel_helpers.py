"""Setting up and driving a panel in the e2e sandbox."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.core.panel_records import Panel
from bot.slack.blocks import ids
from slack_standin.render import buttons as find_buttons

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
    sandbox, starts: datetime, *, minutes: str = "45", debrief: datetime | None = None
) -> dict[str, dict[str, Any]]:
    return {
        "role": {"role": "ML Engineer"},
        "level": {"level": "senior"},
        "candidate": {"candidate": CANDIDATE},
        "interviewers": {"interviewers": INTERVIEWERS},
        "hiring_manager": {"hiring_manager": HIRING_MANAGER},
        "coordinator": {"coordinator": COORDINATOR},
        "topics": {"topics": interview_topics(sandbox)},
        "starts": {"starts": int(starts.timestamp())},
        "minutes": {"minutes": minutes},
        "debrief": {"debrief": int((debrief or starts + timedelta(hours=4)).timestamp())},
    }


async def new_panel(sandbox, clock) -> Panel:
    """Open the modal with `/mlquiz panel new`, submit it, return the draft."""
    await sandbox.command(COORDINATOR, "panel new")
    view = sandbox.standin.open_views(COORDINATOR)[-1]
    assert view["callback_id"] == ids.PANEL_NEW_MODAL
    starts = clock.now + timedelta(days=1)
    # Interviews of 45 minutes back to back: the last ends 2h15 after the first starts.
    debrief = starts + timedelta(hours=3, minutes=15)
    response = await sandbox.submit_modal(
        COORDINATOR, form_values(sandbox, starts, debrief=debrief)
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
