"""A whole interview panel through the real app and the stand-in: `panel new` to purge."""

from __future__ import annotations

from datetime import timedelta

from bot.slack.blocks import ids
from tests.e2e.helpers import ephemeral_texts, message_text
from tests.e2e.panels.panel_helpers import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    OUTSIDER,
    add_panel_people,
    bot_dms,
    fill_scorecard,
    first_option,
    latest_with,
    new_panel,
    panel_record,
)


async def test_a_panel_from_creation_to_purge(sandbox, clock):
    add_panel_people(sandbox)
    panel = await new_panel(sandbox, clock)
    assert panel.status == "draft"
    plan = latest_with(sandbox, COORDINATOR, ids.PANEL_CONFIRM)
    assert plan is not None and panel.code in message_text(plan)

    # The coordinator swaps one question, then confirms: each interviewer gets a kit.
    dm = sandbox.dm(COORDINATOR)
    swap = first_option(plan, ids.PANEL_SWAP)
    await sandbox.press(
        COORDINATOR, ids.PANEL_SWAP, channel_id=dm, message_ts=plan["ts"], value=swap
    )
    swapped = swap.split("|")[2]
    async with sandbox.app.storage.reading() as uow:
        planned = [q.question_id for q in await uow.panels.questions(panel.id)]
    assert swapped not in planned
    await sandbox.press(COORDINATOR, ids.PANEL_CONFIRM, channel_id=dm, message_ts=plan["ts"])
    assert (await panel_record(sandbox, panel.id)).status == "live"
    for who in INTERVIEWERS:
        kit = latest_with(sandbox, who, ids.PANEL_SCORECARD)
        assert kit is not None, who
        assert "Key points" in message_text(kit)
        assert "Candidate" not in message_text(kit)

    # The debrief room: a private channel named by the code, with every member in it.
    await sandbox.tick()
    room = (await panel_record(sandbox, panel.id)).debrief_channel
    assert room is not None
    info = sandbox.standin.channel_info(room)
    assert info["name"] == "debrief-" + panel.code.lower()
    assert info["is_private"]
    assert {*INTERVIEWERS, HIRING_MANAGER, COORDINATOR} <= set(info["members"])

    # A stranger is refused everywhere.
    await sandbox.command(OUTSIDER, f"panel show {panel.id}")
    await sandbox.command(OUTSIDER, f"panel kit {panel.id}")
    assert all("can't find that panel" in t for t in ephemeral_texts(sandbox, OUTSIDER))

    # Interviews end: reminders go out, once each.
    first_end = panel.debrief_at - timedelta(hours=1)
    clock.set(first_end + timedelta(minutes=1))
    await sandbox.tick()
    await sandbox.tick()
    for who in INTERVIEWERS:
        reminders = [m for m in bot_dms(sandbox, who) if "Scorecard due" in m.get("text", "")]
        assert len(reminders) == 1, (who, len(reminders))

    # The first interviewer submits; the packet stays sealed for them.
    await fill_scorecard(sandbox, INTERVIEWERS[0], panel.id, recommendation="strong_yes", rating=4)
    await sandbox.command(INTERVIEWERS[0], f"panel debrief {panel.id}")
    assert "opens when every scorecard is in" in ephemeral_texts(sandbox, INTERVIEWERS[0])[-1]
    for who in INTERVIEWERS[1:]:
        await fill_scorecard(sandbox, who, panel.id, recommendation="no", rating=2)
    record = await panel_record(sandbox, panel.id)
    assert record.packet_opened_at is not None
    progress = sandbox.standin.message(room, _progress(sandbox, room))
    assert f"{len(INTERVIEWERS)}/{len(INTERVIEWERS)} submitted" in message_text(progress)

    # The hiring manager opens the packet: the split is flagged, and the opening logged.
    await sandbox.press(
        HIRING_MANAGER, ids.PANEL_PACKET, channel_id=room, message_ts=_progress(sandbox, room)
    )
    packet = sandbox.standin.open_views(HIRING_MANAGER)[-1]
    assert "split" in message_text({"blocks": packet["blocks"]})
    async with sandbox.app.storage.reading() as uow:
        log = await uow.panels.access_log(panel.id)
    assert [(who, what) for who, what, _ in log] == [(HIRING_MANAGER, "packet")]

    # The coordinator never reads scorecards.
    await sandbox.press(
        COORDINATOR, ids.PANEL_PACKET, channel_id=room, message_ts=_progress(sandbox, room)
    )
    assert "interviewers and the hiring manager only" in ephemeral_texts(sandbox, COORDINATOR)[-1]

    # The decision, against the majority (two of three said no).
    await sandbox.press(
        HIRING_MANAGER, ids.PANEL_DECIDE, channel_id=room, message_ts=_progress(sandbox, room)
    )
    await sandbox.submit_modal(
        HIRING_MANAGER,
        {"decision": {"decision": "hire"}, "reason": {"reason": "Strong systems depth."}},
    )
    decided = [m for m in sandbox.standin.messages(room) if "Decision on" in m.get("text", "")]
    assert len(decided) == 1
    assert "against the panel's majority" in " ".join(message_text(decided[0]).split())
    assert (await panel_record(sandbox, panel.id)).status == "decided"

    # Purge: names and notes erased, the app's messages deleted, the room archived.
    await sandbox.command(COORDINATOR, f"panel purge {panel.id}")
    await sandbox.tick()
    await sandbox.tick()
    purged = await panel_record(sandbox, panel.id)
    assert purged.status == "purged"
    async with sandbox.app.storage.reading() as uow:
        assert await uow.panels.candidate_name(sandbox.team_id, panel.code) is None
        cards = await uow.panels.scorecards(panel.id)
    assert cards and all(c.evidence == "" for c in cards)
    assert all(r.notes == "" for c in cards for r in c.question_ratings)
    for who in INTERVIEWERS:
        assert latest_with(sandbox, who, ids.PANEL_SCORECARD) is None, who
    assert sandbox.standin.channel_info(room)["is_archived"]


def _progress(sandbox, room: str) -> str:
    message = next(
        m for m in sandbox.standin.messages(room) if m.get("text", "").startswith("Scorecards")
    )
    return message["ts"]
