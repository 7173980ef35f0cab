"""The candidate's name appears in no message, channel or notification, only in the
panel's modal opened by a member; their code is what everything else shows."""

from __future__ import annotations

from bot.ports.requests import ViewSubmission
from bot.slack.blocks import ids
from bot.usecases.panels import debrief, progress, reminders, rooms, views
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    NAME,
    deliver,
    live,
    submit_card,
    text_of,
    to,
)


async def test_the_name_stays_in_the_panel_modal(deps, gateway, clock):
    panel = await live(deps)
    await rooms.open_rooms(deps)
    clock.set(panel.debrief_at)
    await reminders.send_due_reminders(deps)
    for who in INTERVIEWERS:
        await submit_card(deps, panel, who, notes="Explained the trade-offs.")
    await progress.open_due_packets(deps)
    values: dict[str, str | list[str]] = {"decision.decision": "hold", "reason.reason": "Wait."}
    await debrief.submit_decision(
        deps,
        ViewSubmission(
            TEAM, HIRING_MANAGER, ids.DECISION_MODAL, str(panel.id), values, to(HIRING_MANAGER)
        ),
    )
    await debrief.open_packet(
        deps,
        team_id=TEAM,
        user_id=HIRING_MANAGER,
        ref=str(panel.id),
        trigger_id="t1",
        reply_to=to(HIRING_MANAGER),
    )
    await deliver(deps)
    assert fake(deps).messages() and all(NAME not in text_of(m) for m in fake(deps).messages())
    slack_calls = [c for c in gateway.calls if c.method != "profile"]
    assert all(NAME not in str(c.params) for c in slack_calls)
    assert all(NAME.split()[0].lower() not in str(c.params) for c in slack_calls)
    # The one place: the panel's own modal, for a member.
    await views.show_panel(
        deps,
        team_id=TEAM,
        user_id=COORDINATOR,
        ref=panel.code,
        trigger_id="t2",
        reply_to=to(COORDINATOR),
    )
    assert NAME in str(gateway.calls_to("open_view")[-1]["view"])
