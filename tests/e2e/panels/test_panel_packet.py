"""The panel's later life, with the workspace's own settings: the packet opens at the
debrief time with a scorecard missing (marked partial), an edit after it opened is
labelled, each kit loses its rubric `kit_redact_hours` after its interview, and the
panel is purged `retention_days` after the decision. `/mlquiz config panel` is for
admins only."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.slack.blocks import ids
from tests.e2e.helpers import last_ephemeral, message_text
from tests.e2e.panels.panel_helpers import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    add_panel_people,
    confirm_plan,
    fill_scorecard,
    interviews_of,
    latest_with,
    live_panel,
    panel_record,
    panel_rows,
    view_text,
)

BAYES, CLARA, DAN = INTERVIEWERS


def flat(text: str) -> str:
    return " ".join(text.split())


async def settings_of(sandbox):
    async with sandbox.app.storage.reading() as uow:
        return await uow.panels.settings(sandbox.team_id)


async def test_panel_settings_are_for_admins(sandbox):
    default = await settings_of(sandbox)
    for text, answer in (
        ("config panel", "Panel settings:"),
        ("config panel retention_days=0", "`retention_days` takes a whole number from 1 to 3650"),
        ("config panel retension_days=5", "Did you mean `retention_days`?"),
    ):
        await sandbox.command(COORDINATOR, text)
        assert answer in flat(last_ephemeral(sandbox, COORDINATOR)), text
    assert await settings_of(sandbox) == default
    before = await panel_rows(sandbox)
    await sandbox.command(BAYES, "config panel retention_days=1 leak_guard_days=0")
    assert "Only workspace admins" in last_ephemeral(sandbox, BAYES)
    assert await panel_rows(sandbox) == before
    await sandbox.command(COORDINATOR, "config panel kit_redact_hours=6 retention_days=10")
    reply = flat(last_ephemeral(sandbox, COORDINATOR))
    assert "Panel settings saved" in reply and "`retention_days=10`" in reply
    saved = await settings_of(sandbox)
    assert (saved.kit_redact_hours, saved.retention_days) == (6, 10)
    assert saved.leak_guard_days == default.leak_guard_days


def progress(sandbox, room: str) -> dict:
    return next(m for m in sandbox.standin.messages(room) if m["text"].startswith("Scorecards"))


async def open_packet(sandbox, room: str) -> str:
    await sandbox.press(
        HIRING_MANAGER, ids.PANEL_PACKET, channel_id=room, message_ts=progress(sandbox, room)["ts"]
    )
    view = sandbox.standin.open_views(HIRING_MANAGER)[-1]
    sandbox.standin.view_store.clear(HIRING_MANAGER)
    return flat(view_text(view))


async def test_partial_packet_labelled_edit_redacted_kits_and_retention(sandbox, clock):
    await sandbox.command(COORDINATOR, "config panel kit_redact_hours=6 retention_days=10")
    panel = await live_panel(sandbox, clock)
    await sandbox.tick()
    room = (await panel_record(sandbox, panel.id)).debrief_channel
    kits = {who: latest_with(sandbox, who, ids.PANEL_KNEW) for who in INTERVIEWERS}
    interviews = await interviews_of(sandbox, panel.id)

    # Two of three scorecards are in when the debrief comes: the packet opens, partial.
    clock.set(interviews[DAN].ends_at + timedelta(minutes=5))
    await fill_scorecard(sandbox, BAYES, panel.id, recommendation="yes", rating=3)
    await fill_scorecard(sandbox, CLARA, panel.id, recommendation="no", rating=2)
    await sandbox.tick()
    assert (await panel_record(sandbox, panel.id)).packet_opened_at is None
    clock.set(panel.debrief_at + timedelta(seconds=30))
    await sandbox.tick()
    assert (await panel_record(sandbox, panel.id)).packet_opened_at is not None
    notices = [m for m in sandbox.standin.messages(room) if "The packet for" in m["text"]]
    assert len(notices) == 1 and "(partial)" in notices[0]["text"]
    assert "2/3 submitted" in message_text(progress(sandbox, room))
    assert "partial: the debrief time came first" in flat(message_text(progress(sandbox, room)))
    packet = await open_packet(sandbox, room)
    assert "Partial: the debrief time came before every scorecard was in." in packet
    assert f"@{BAYES}: Yes" in packet and f"@{CLARA}: No" in packet
    assert f"@{DAN}:" not in packet and "edited after the packet opened" not in packet

    # bayes changes his mind after reading it: kept, labelled, announced in the room.
    await fill_scorecard(sandbox, BAYES, panel.id, recommendation="no", rating=2)
    edits = [m for m in sandbox.standin.messages(room) if "changed their scorecard" in m["text"]]
    assert len(edits) == 1 and "(revision 2)" in edits[0]["text"]
    packet = await open_packet(sandbox, room)
    assert f"*@{BAYES}: No* (edited after the packet opened, revision 2)" in packet
    assert f"*@{CLARA}: No* •" in packet, "clara's card is not labelled"
    async with sandbox.app.storage.reading() as uow:
        log = await uow.panels.access_log(panel.id)
        card = await uow.panels.scorecard(panel.id, BAYES)
        history = await uow.panels.scorecard_history(card.id)
    assert [what for _, what, _ in log] == ["packet", "packet"]
    assert len(history) >= 1, "the earlier version is kept"

    # Each kit loses its rubric six hours after its own interview, not before.
    for who in INTERVIEWERS:
        redact_at = interviews[who].ends_at + timedelta(hours=6)
        clock.set(redact_at - timedelta(minutes=1))
        await sandbox.tick()
        assert "Key points" in message_text(
            sandbox.standin.message(sandbox.dm(who), kits[who]["ts"])
        )
        clock.set(redact_at + timedelta(minutes=1))
        await sandbox.tick()
        shown = message_text(sandbox.standin.message(sandbox.dm(who), kits[who]["ts"]))
        assert "Key points" not in shown and "rubric was removed" in flat(shown), who
        for later in INTERVIEWERS[INTERVIEWERS.index(who) + 1 :]:
            kit = sandbox.standin.message(sandbox.dm(later), kits[later]["ts"])
            assert "Key points" in message_text(kit), f"{later}'s kit is not redacted yet"
    await sandbox.command(BAYES, f"panel kit {panel.id}")
    assert "the rubric was removed" in last_ephemeral(sandbox, BAYES)

    # The decision; ten days after it, the retention purge.
    await sandbox.press(
        HIRING_MANAGER, ids.PANEL_DECIDE, channel_id=room, message_ts=progress(sandbox, room)["ts"]
    )
    await sandbox.submit_modal(
        HIRING_MANAGER,
        {"decision": {"decision": "no_hire"}, "reason": {"reason": "Not strong enough yet."}},
    )
    async with sandbox.app.storage.reading() as uow:
        decided_at = (await uow.panels.decision(panel.id)).decided_at
    clock.set(decided_at + timedelta(days=10) - timedelta(hours=1))
    await sandbox.tick()
    assert (await panel_record(sandbox, panel.id)).status == "decided"
    clock.set(decided_at + timedelta(days=10, minutes=1))
    await sandbox.tick()
    await sandbox.tick()
    purged = await panel_record(sandbox, panel.id)
    assert purged.status == "purged" and purged.code != panel.code
    async with sandbox.app.storage.reading() as uow:
        assert await uow.panels.candidate_name(sandbox.team_id, panel.code) is None
        [receipt] = await uow.panels.purge_receipts(sandbox.team_id)
        cards = await uow.panels.scorecards(panel.id)
    assert receipt["by"] == "retention" and receipt["scorecards"] == 2
    assert cards and {c.recommendation for c in cards} == {"no"}, "ratings stay"
    assert all(c.evidence == "" for c in cards)
    for who in INTERVIEWERS:
        assert sandbox.standin.message(sandbox.dm(who), kits[who]["ts"]) is None, who
    assert sandbox.standin.channel_info(room)["is_archived"]


async def test_the_redacted_kit_echoes_the_role_escaped(sandbox, clock):
    add_panel_people(sandbox)
    await sandbox.command(
        COORDINATOR,
        f'panel new "<!channel> *ML* Engineer" senior <@{BAYES}> <@{CLARA}> '
        f"hm=<@{HIRING_MANAGER}> topics=probability start=2026-03-03T10:00",
    )
    async with sandbox.app.storage.reading() as uow:
        [draft] = await uow.panels.for_member(sandbox.team_id, COORDINATOR)
    panel = await confirm_plan(sandbox, draft)
    kit = latest_with(sandbox, BAYES, ids.PANEL_KNEW)
    clock.set((await interviews_of(sandbox, panel.id))[CLARA].ends_at + timedelta(days=2))
    await sandbox.tick()
    redacted = sandbox.standin.message(sandbox.dm(BAYES), kit["ts"])
    shown = json.dumps(redacted["blocks"])
    assert "rubric was removed" in flat(message_text(redacted))
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
