"""The packet (readers only, sealed until one's own card is in, every opening logged),
the hiring manager's decision against the majority, and closing a panel."""

from __future__ import annotations

import pytest

from bot.ports.requests import ViewSubmission
from bot.ports.slack import SlackUnavailable, TriggerExpired
from bot.slack.blocks import ids
from bot.usecases.panels import debrief, progress
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import (
    ADMIN,
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    OUTSIDER,
    current,
    dms,
    draft,
    last_reply,
    live,
    submit_card,
    text_of,
    to,
)

EVIDENCE = "Designed the whole evaluation and caught the leakage unprompted."


async def open_packet(deps, panel, user, trigger="t1"):
    await debrief.open_packet(
        deps, team_id=TEAM, user_id=user, ref=str(panel.id), trigger_id=trigger, reply_to=to(user)
    )


async def access_log(deps, panel):
    async with deps.storage.reading() as uow:
        return await uow.panels.access_log(panel.id)


async def all_in(deps, **panel_changes):
    """A live panel with a room whose three cards are in: one yes, two no."""
    panel = await live(deps, room=True, **panel_changes)
    await submit_card(deps, panel, "UA", rating="4", recommendation="strong_yes", evidence=EVIDENCE)
    await submit_card(deps, panel, "UB", rating="2", recommendation="no")
    await submit_card(deps, panel, "UC", rating="2", recommendation="no")
    return await current(deps, panel.id)


def decision(panel, user, value="hire", reason="Strong systems depth."):
    values: dict[str, str | list[str]] = {"decision.decision": value, "reason.reason": reason}
    return ViewSubmission(TEAM, user, ids.DECISION_MODAL, str(panel.id), values, to(user))


# -- the packet -----------------------------------------------------------------------------


async def test_the_hiring_manager_opens_the_packet_and_the_opening_is_logged(deps, gateway):
    panel = await all_in(deps)
    await open_packet(deps, panel, HIRING_MANAGER)
    (call,) = gateway.calls_to("open_view")
    shown = str(call["view"])
    assert "The panel is split: 1 yes, 2 no." in shown
    assert EVIDENCE in shown and "Strong Yes: 1" in shown and "No: 2" in shown
    assert await access_log(deps, panel) == [(HIRING_MANAGER, "packet", deps.now())]


async def test_the_coordinator_and_admins_never_read_the_cards(deps, gateway):
    panel = await all_in(deps)
    await open_packet(deps, panel, COORDINATOR)
    assert last_reply(deps, COORDINATOR) == (
        "The packet is for the interviewers and the hiring manager only."
    )
    await open_packet(deps, panel, ADMIN)
    assert last_reply(deps, ADMIN) == "I can't find that panel, or you are not on it."
    await open_packet(deps, panel, OUTSIDER)
    assert gateway.calls_to("open_view") == [] and await access_log(deps, panel) == []


async def test_before_the_packet_opens_nobody_reads_anothers_card(deps, gateway):
    panel = await live(deps, room=True)
    await submit_card(deps, panel, "UA")
    for reader in ("UA", "UB", HIRING_MANAGER):
        await open_packet(deps, panel, reader)
        assert last_reply(deps, reader) == (
            "The packet opens when every scorecard is in (1/3 so far), or at the debrief."
        )
    assert gateway.calls_to("open_view") == [] and await access_log(deps, panel) == []


async def test_a_partial_packet_stays_sealed_for_an_interviewer_yet_to_submit(deps, gateway, clock):
    panel = await live(deps, room=True)
    await submit_card(deps, panel, "UA")
    clock.set(panel.debrief_at)
    await open_packet(deps, panel, "UB")
    assert (
        last_reply(deps, "UB") == "Submit your own scorecard first: then the packet opens for you."
    )
    assert gateway.calls_to("open_view") == []
    await open_packet(deps, panel, "UA")
    (call,) = gateway.calls_to("open_view")
    assert "Partial: the debrief time came before every scorecard was in." in str(call["view"])
    assert await access_log(deps, panel) == [("UA", "packet", clock.now)]


async def test_an_interviewer_who_submitted_reads_everyones_cards_once_open(deps, gateway):
    panel = await all_in(deps)
    await open_packet(deps, panel, "UB")
    (call,) = gateway.calls_to("open_view")
    assert all(f"<@{who}>" in str(call["view"]) for who in INTERVIEWERS)


@pytest.mark.parametrize("error", [TriggerExpired("expired_trigger_id"), SlackUnavailable("x")])
async def test_a_packet_that_did_not_open_is_not_logged(deps, gateway, error):
    panel = await all_in(deps)
    gateway.fail("open_view", error)
    await open_packet(deps, panel, HIRING_MANAGER)
    assert await access_log(deps, panel) == []
    assert "open the packet again" in last_reply(deps, HIRING_MANAGER) or "try again" in (
        last_reply(deps, HIRING_MANAGER)
    )


# -- the decision -------------------------------------------------------------------------


async def open_decision(deps, panel, user):
    await debrief.open_decision(
        deps, team_id=TEAM, user_id=user, ref=str(panel.id), trigger_id="t1", reply_to=to(user)
    )


async def test_only_the_hiring_manager_opens_the_decision_after_the_packet(deps, gateway):
    panel = await live(deps, room=True)
    await open_decision(deps, panel, HIRING_MANAGER)
    assert last_reply(deps, HIRING_MANAGER) == "The decision comes after the packet opens."
    panel = await all_in(deps)
    for user in ("UA", COORDINATOR):
        await open_decision(deps, panel, user)
        assert last_reply(deps, user) == "Only the hiring manager records the decision."
    assert gateway.calls_to("open_view") == []
    await open_decision(deps, panel, HIRING_MANAGER)
    (call,) = gateway.calls_to("open_view")
    assert call["view"]["callback_id"] == ids.DECISION_MODAL


async def test_a_decision_against_the_majority_is_recorded_as_such(deps):
    panel = await all_in(deps)
    await debrief.submit_decision(deps, decision(panel, HIRING_MANAGER, "hire"))
    async with deps.storage.reading() as uow:
        record = await uow.panels.decision(panel.id)
        reminders = await uow.panels.reminders(panel.id)
    assert record is not None
    assert (record.decision, record.by_user_id, record.against_majority) == (
        "hire",
        HIRING_MANAGER,
        True,
    )
    assert record.reason == "Strong systems depth."
    assert (await current(deps, panel.id)).status == "decided"
    assert {r.status for r in reminders} <= {"cancelled", "sent"}
    (posted,) = fake(deps).messages(key=f"panel-decision:{record.id}")
    assert posted.channel_id == panel.debrief_channel
    assert "against the panel's majority" in text_of(posted)
    assert last_reply(deps, HIRING_MANAGER) == f"Recorded: *Hire* for {panel.code}."


@pytest.mark.parametrize("value", ["no_hire", "another_round", "hold"])
async def test_a_decision_with_the_majority_or_undecided_is_not_against_it(deps, value):
    panel = await all_in(deps)
    await debrief.submit_decision(deps, decision(panel, HIRING_MANAGER, value))
    async with deps.storage.reading() as uow:
        record = await uow.panels.decision(panel.id)
    assert record is not None and not record.against_majority


async def test_a_decision_can_be_revised_and_the_latest_stands(deps):
    panel = await all_in(deps)
    await debrief.submit_decision(deps, decision(panel, HIRING_MANAGER, "hold"))
    await debrief.submit_decision(deps, decision(panel, HIRING_MANAGER, "no_hire"))
    async with deps.storage.reading() as uow:
        record = await uow.panels.decision(panel.id)
    assert record is not None and record.decision == "no_hire"
    assert (await current(deps, panel.id)).status == "decided"


async def test_without_a_room_the_decision_goes_to_the_hiring_manager(deps, clock):
    panel = await live(deps)
    clock.set(panel.debrief_at)
    await progress.open_due_packets(deps)
    await debrief.submit_decision(deps, decision(panel, HIRING_MANAGER, "hold"))
    (message,) = dms(deps, HIRING_MANAGER, "panel-decision:")
    assert "Decision on" in message.text


async def test_nobody_else_records_a_decision(deps):
    panel = await all_in(deps)
    for user in ("UA", COORDINATOR, OUTSIDER):
        await debrief.submit_decision(deps, decision(panel, user))
    assert fake(deps).state.panel_decisions == {}
    assert (await current(deps, panel.id)).status == "live"


@pytest.mark.parametrize(
    ("value", "reason", "problems"),
    [
        ("", "why", {"decision"}),
        ("maybe", "why", {"decision"}),
        ("hire", "  ", {"reason"}),
        ("", "", {"decision", "reason"}),
    ],
)
async def test_a_decision_needs_a_choice_and_a_reason(deps, value, reason, problems):
    panel = await all_in(deps)
    submission = decision(panel, HIRING_MANAGER, value, reason)
    assert set(debrief.decision_problems(submission)) == problems
    await debrief.submit_decision(deps, submission)
    assert last_reply(deps, HIRING_MANAGER) == "The decision was not recorded."
    assert fake(deps).state.panel_decisions == {}


# -- closing ------------------------------------------------------------------------------


async def close(deps, panel, user):
    await debrief.close(deps, team_id=TEAM, user_id=user, ref=str(panel.id), reply_to=to(user))


@pytest.mark.parametrize("user", [COORDINATOR, HIRING_MANAGER])
async def test_the_coordinator_or_hiring_manager_closes_once(deps, user):
    panel = await live(deps)
    await close(deps, panel, user)
    closed = await current(deps, panel.id)
    assert (closed.status, closed.closed_at) == ("closed", deps.now())
    async with deps.storage.reading() as uow:
        assert {r.status for r in await uow.panels.reminders(panel.id)} == {"cancelled"}
    assert "is closed" in last_reply(deps, user)
    await close(deps, panel, user)
    assert last_reply(deps, user) == "This panel is closed already."


async def test_an_interviewer_cannot_close(deps):
    panel = await live(deps)
    await close(deps, panel, "UA")
    assert last_reply(deps, "UA") == "Only the coordinator or hiring manager closes it."
    assert (await current(deps, panel.id)).status == "live"


async def test_a_draft_can_be_closed(deps):
    panel = await draft(deps)
    await close(deps, panel, COORDINATOR)
    assert (await current(deps, panel.id)).status == "closed"


async def test_a_closed_panel_takes_no_decision(deps):
    panel = await all_in(deps)
    await close(deps, panel, COORDINATOR)
    await open_decision(deps, panel, HIRING_MANAGER)
    assert last_reply(deps, HIRING_MANAGER) == "This panel is closed."
    await debrief.submit_decision(deps, decision(panel, HIRING_MANAGER))
    assert fake(deps).state.panel_decisions == {}
