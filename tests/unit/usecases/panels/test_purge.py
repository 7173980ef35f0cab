"""Purging a panel: free text erased, the app's messages deleted through the outbox,
the ones not sent yet dropped, a receipt; the room archived once the deletions
settled; and the automatic purge a retention period after the decision."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.panel_records import PanelSettings
from bot.core.records import Outgoing
from bot.ports.requests import ViewSubmission
from bot.ports.slack import SlackError
from bot.slack.blocks import ids
from bot.usecases.panels import debrief, purge, reminders
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import (
    ADMIN,
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    NAME,
    OUTSIDER,
    current,
    deliver,
    draft,
    interview_of,
    last_reply,
    live,
    submit_card,
    to,
)

NOTES = "They knew the trade-offs and said why."


async def purge_by(deps, panel, user):
    await purge.purge_command(
        deps, team_id=TEAM, user_id=user, ref=str(panel.id), reply_to=to(user)
    )


async def with_subject(deps, subject):
    async with deps.storage.reading() as uow:
        return await uow.outbox.with_subject(subject)


async def in_slack(deps, panel):
    """The panel's posts and DMs the outbox says are in Slack."""
    return [
        row
        for row in await with_subject(deps, f"panel:{panel.id}")
        if row.status == "sent" and row.outgoing.action in ("post", "dm")
    ]


async def panel_in_slack(deps, clock):
    """A live panel with a room and two cards in, delivered; then UA's reminder falls
    due and is recorded, not sent yet."""
    panel = await live(deps, room=True)
    for who in ("UB", "UC"):
        await submit_card(deps, panel, who, notes=NOTES)
    await deliver(deps)
    clock.set((await interview_of(deps, panel, "UA")).ends_at)
    assert await reminders.send_due_reminders(deps) == 1
    return await current(deps, panel.id)


async def test_a_purge_erases_deletes_drops_and_writes_a_receipt(deps, clock):
    panel = await panel_in_slack(deps, clock)
    sent = await in_slack(deps, panel)
    # The plan, the room's progress, three kits and two grader notes are in Slack.
    assert len(sent) == 7
    (reminder,) = [
        r for r in await with_subject(deps, f"panel:{panel.id}") if r.status == "pending"
    ]
    await purge_by(deps, panel, COORDINATOR)

    purged = await current(deps, panel.id)
    assert (purged.status, purged.code, purged.role) == ("purged", f"purged-{panel.id}", "")
    async with deps.storage.reading() as uow:
        assert await uow.panels.candidate_name(TEAM, panel.code) is None
        cards = await uow.panels.scorecards(panel.id)
        (receipt,) = await uow.panels.purge_receipts(TEAM)
        left = await uow.panels.reminders(panel.id)
    assert len(cards) == 2 and all(c.evidence == "" and c.notes == "" for c in cards)
    assert all(r.notes == "" and r.shown_points == () for c in cards for r in c.question_ratings)
    assert {r.rating for c in cards for r in c.question_ratings} == {3}  # ratings stay
    assert "pending" not in {r.status for r in left}
    # Every message in Slack gets its deletion; the one not sent yet never goes.
    deletions = await with_subject(deps, f"purge:{panel.id}")
    assert sorted(d.outgoing.target_key for d in deletions) == sorted(r.outgoing.key for r in sent)
    assert {(d.outgoing.action, d.outgoing.key) for d in deletions} == {
        ("delete", f"delete:{r.outgoing.key}") for r in sent
    }
    assert fake(deps).message(reminder.outgoing.key).status == "expired"
    assert (receipt["panel_id"], receipt["by"]) == (panel.id, COORDINATOR)
    assert (receipt["interviews"], receipt["scorecards"], receipt["messages_deleted"]) == (3, 2, 7)
    assert NAME not in str(receipt)
    assert "7 messages are being deleted" in last_reply(deps, COORDINATOR)


async def test_the_room_is_archived_once_the_deletions_are_done(deps, gateway, clock):
    panel = await panel_in_slack(deps, clock)
    sent = await in_slack(deps, panel)
    await purge_by(deps, panel, COORDINATOR)
    assert await purge.finish_purges(deps) == 0  # deletions still on their way
    assert gateway.calls_to("archive") == []
    await deliver(deps)
    deleted = {(c["channel"], c["ts"]) for c in gateway.calls_to("delete")}
    assert deleted == {(r.channel_id, r.ts) for r in sent}
    assert await purge.finish_purges(deps) == 1
    assert gateway.calls_to("archive") == [{"channel": panel.debrief_channel}]
    assert (await current(deps, panel.id)).debrief_channel is None
    assert await with_subject(deps, f"panel:{panel.id}") == []
    assert await with_subject(deps, f"purge:{panel.id}") == []
    assert await purge.finish_purges(deps) == 0
    assert len(gateway.calls_to("archive")) == 1


async def test_a_message_that_landed_after_the_purge_is_deleted_too(deps, gateway):
    panel = await live(deps, room=True)
    await deliver(deps)
    # A notice on its way to Slack while the purge runs.
    async with deps.storage.transaction() as uow:
        await uow.processes.beat(deps.owner, host="h", pid=1, now=deps.now())
        notice = await uow.outbox.add(
            Outgoing(
                team_id=TEAM,
                key="notice",
                action="dm",
                user_id="UB",
                text="…",
                subject=f"panel:{panel.id}",
            ),
            deps.now(),
        )
        await uow.outbox.begin([notice], owner=deps.owner, now=deps.now(), policy=deps.leases)
    await purge_by(deps, panel, COORDINATOR)
    assert fake(deps).messages(key="delete:notice") == []
    assert fake(deps).state.outbox[notice].status == "sending"  # neither dropped nor deleted
    async with deps.storage.transaction() as uow:
        await uow.outbox.sent(notice, channel_id="DUB", ts="1709.000999", now=deps.now())
    await deliver(deps)
    assert await purge.finish_purges(deps) == 0  # the late one's deletion is queued first
    (late,) = fake(deps).messages(key="delete:notice")
    assert late.target_key == "notice"
    assert gateway.calls_to("archive") == []
    await deliver(deps)
    assert ("DUB", "1709.000999") in {(c["channel"], c["ts"]) for c in gateway.calls_to("delete")}
    assert await purge.finish_purges(deps) == 1


@pytest.mark.parametrize(
    "code", ["method_not_supported_for_channel_type", "already_archived", "channel_not_found"]
)
async def test_a_room_that_cannot_be_archived_is_done_with_once_cleared(deps, gateway, code):
    panel = await live(deps, room=True)
    await deliver(deps)
    await purge_by(deps, panel, COORDINATOR)
    await deliver(deps)
    gateway.fail("archive", SlackError(code))  # e.g. a group DM
    assert await purge.finish_purges(deps) == 1
    assert (await current(deps, panel.id)).debrief_channel is None
    assert await with_subject(deps, f"panel:{panel.id}") == []


async def test_an_archive_that_failed_for_now_is_tried_again(deps, gateway):
    panel = await live(deps, room=True)
    await deliver(deps)
    await purge_by(deps, panel, COORDINATOR)
    await deliver(deps)
    gateway.fail("archive", SlackError("ratelimited"))
    assert await purge.finish_purges(deps) == 0
    assert (await current(deps, panel.id)).debrief_channel is not None
    gateway.recover("archive")
    assert await purge.finish_purges(deps) == 1


async def test_a_drafts_plan_is_deleted_by_its_purge(deps):
    panel = await draft(deps)
    await deliver(deps)
    await purge_by(deps, panel, COORDINATOR)
    (deletion,) = await with_subject(deps, f"purge:{panel.id}")
    assert deletion.outgoing.target_key == f"panel-plan:{panel.id}"


@pytest.mark.parametrize("user", ["UA", HIRING_MANAGER])
async def test_members_other_than_the_coordinator_cannot_purge(deps, user):
    panel = await live(deps)
    await purge_by(deps, panel, user)
    assert last_reply(deps, user) == "Only the coordinator or a workspace admin purges."
    assert (await current(deps, panel.id)).status == "live"


async def test_an_admin_purges_a_panel_they_are_not_on(deps):
    panel = await live(deps)
    await purge_by(deps, panel, ADMIN)
    assert (await current(deps, panel.id)).status == "purged"
    async with deps.storage.reading() as uow:
        (receipt,) = await uow.panels.purge_receipts(TEAM)
    assert receipt["by"] == ADMIN


async def test_a_stranger_cannot_purge_and_a_purged_panel_is_gone(deps):
    panel = await live(deps)
    await purge_by(deps, panel, OUTSIDER)
    assert last_reply(deps, OUTSIDER) == "I can't find that panel, or you are not on it."
    await purge_by(deps, panel, COORDINATOR)
    await purge_by(deps, panel, COORDINATOR)
    assert last_reply(deps, COORDINATOR) == "I can't find that panel, or you are not on it."
    async with deps.storage.reading() as uow:
        assert len(await uow.panels.purge_receipts(TEAM)) == 1


async def test_purging_twice_at_once_purges_once(deps):
    panel = await live(deps)
    assert await purge.purge(deps, panel, by=COORDINATOR) is not None
    assert await purge.purge(deps, panel, by=COORDINATOR) is None
    async with deps.storage.reading() as uow:
        assert len(await uow.panels.purge_receipts(TEAM)) == 1


# -- retention ----------------------------------------------------------------------------


async def decided(deps):
    panel = await live(deps)
    for who in INTERVIEWERS:
        await submit_card(deps, panel, who)
    values: dict[str, str | list[str]] = {"decision.decision": "hire", "reason.reason": "Good."}
    await debrief.submit_decision(
        deps,
        ViewSubmission(
            TEAM, HIRING_MANAGER, ids.DECISION_MODAL, str(panel.id), values, to(HIRING_MANAGER)
        ),
    )
    panel = await current(deps, panel.id)
    assert panel.status == "decided"
    return panel


async def test_a_decided_panel_is_purged_when_its_retention_period_ends(deps, clock):
    panel = await decided(deps)
    start = clock.now
    clock.set(start + timedelta(days=180) - timedelta(seconds=1))
    assert await purge.purge_expired(deps) == 0
    clock.set(start + timedelta(days=180))
    assert await purge.purge_expired(deps) == 1
    assert (await current(deps, panel.id)).status == "purged"
    async with deps.storage.reading() as uow:
        (receipt,) = await uow.panels.purge_receipts(TEAM)
    assert receipt["by"] == purge.RETENTION
    assert await purge.purge_expired(deps) == 0


async def test_retention_follows_the_workspace_setting(deps, clock):
    panel = await decided(deps)
    async with deps.storage.transaction() as uow:
        await uow.panels.save_settings(PanelSettings(TEAM, retention_days=7))
    clock.advance(days=7)
    assert await purge.purge_expired(deps) == 1
    assert (await current(deps, panel.id)).status == "purged"


async def test_a_live_panel_is_never_purged_by_retention(deps, clock):
    panel = await live(deps)
    clock.advance(days=1000)
    assert await purge.purge_expired(deps) == 0
    assert (await current(deps, panel.id)).status == "live"


async def test_a_purged_panel_without_a_room_has_its_late_messages_deleted_too(deps, gateway):
    panel = await live(deps)  # the room was never made (say its creation kept failing)
    async with deps.storage.transaction() as uow:
        await uow.processes.beat(deps.owner, host="h", pid=1, now=deps.now())
        in_flight = await uow.outbox.by_key(fake(deps).messages(action="dm", user_id="UA")[0].key)
        assert in_flight is not None
        await uow.outbox.begin([in_flight.id], owner=deps.owner, now=deps.now(), policy=deps.leases)
    await deliver(deps)
    await purge_by(deps, panel, COORDINATOR)
    async with deps.storage.transaction() as uow:
        await uow.outbox.sent(in_flight.id, channel_id="DUA", ts="1709.000777", now=deps.now())
    for _ in range(3):
        await purge.finish_purges(deps)
        await deliver(deps)
    assert ("DUA", "1709.000777") in {(c["channel"], c["ts"]) for c in gateway.calls_to("delete")}
    assert await with_subject(deps, f"panel:{panel.id}") == []
    assert await with_subject(deps, f"purge:{panel.id}") == []
    assert gateway.calls_to("archive") == []  # there was no room to archive
    assert (await current(deps, panel.id)).purge_finished_at is not None
