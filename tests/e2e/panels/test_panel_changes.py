"""Changing a live panel re-sends only what changed: a replaced interviewer's kit goes
to the newcomer (the old one deleted), a moved interview's kit is sent again with its
new time, nobody else's kit is touched. "The candidate already knew this" retires a
question from that candidate: their scorecard no longer rates it, and a later round
(`code=`) never plans it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.slack.blocks import ids
from tests.e2e.helpers import last_ephemeral, message_text
from tests.e2e.panels.panel_helpers import (
    CANDIDATE,
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    bot_dms,
    interviews_of,
    latest_with,
    live_panel,
    panel_record,
    planned_ids,
    reminders_of,
)

BAYES, CLARA, DAN = INTERVIEWERS
FAY = "U0FAY"
TOPIC = "lagrange-multipliers"  # round one takes most of it: round two would want it back


def traffic(sandbox, channel: str) -> tuple[int, int, int]:
    """Messages posted, edited and deleted in a conversation."""
    standin = sandbox.standin
    return tuple(
        standin.call_count(method, channel=channel)
        for method in ("chat.postMessage", "chat.update", "chat.delete")
    )


def kit_questions(kit: dict) -> list[str]:
    return [
        str(element["value"]).split("|", 1)[1]
        for block in kit["blocks"]
        for element in block.get("elements") or []
        if element.get("action_id") == ids.PANEL_KNEW
    ]


async def test_changes_resend_only_the_kits_that_changed(sandbox, clock):
    panel = await live_panel(sandbox, clock, topics=[TOPIC])
    sandbox.standin.add_user(FAY, name="fay", real_name="Fay", tz="Europe/Madrid")
    await sandbox.tick()  # the debrief room
    room = (await panel_record(sandbox, panel.id)).debrief_channel
    assert room is not None
    kits = {who: latest_with(sandbox, who, ids.PANEL_KNEW) for who in INTERVIEWERS}
    assert all(kits.values())
    dms = {who: sandbox.dm(who) for who in [*INTERVIEWERS, FAY]}

    # Replace clara with fay: fay gets clara's questions, clara's kit is deleted.
    before = {who: traffic(sandbox, dm) for who, dm in dms.items()}
    await sandbox.command(COORDINATOR, f"panel replace {panel.id} <@{CLARA}> <@{FAY}>")
    assert "replaces" in last_ephemeral(sandbox, COORDINATOR)
    fay_kit = latest_with(sandbox, FAY, ids.PANEL_KNEW)
    assert fay_kit is not None and kit_questions(fay_kit) == kit_questions(kits[CLARA])
    assert sandbox.standin.message(dms[CLARA], kits[CLARA]["ts"]) is None, "old kit deleted"
    assert "no longer interviewing" in message_text(bot_dms(sandbox, CLARA)[-1])
    for who in (BAYES, DAN):
        assert traffic(sandbox, dms[who]) == before[who], f"{who}'s kit is untouched"
    assert traffic(sandbox, dms[FAY])[0] == before[FAY][0] + 1, "one kit for fay"
    interviews = await interviews_of(sandbox, panel.id)
    assert CLARA not in interviews and FAY in interviews
    reminders = await reminders_of(sandbox, panel.id)
    assert {r.status for r in reminders if r.interview_id != interviews[FAY].id} <= {
        "pending",
        "cancelled",
    }
    assert [r.status for r in reminders if r.interview_id == interviews[FAY].id] == ["pending"] * 5
    # fay is in the debrief room, and its progress counts her instead of clara.
    assert FAY in sandbox.standin.members(room), "the newcomer joins the debrief room"
    assert CLARA not in sandbox.standin.members(room), "the one replaced leaves it"
    progress = next(m for m in sandbox.standin.messages(room) if m["text"].startswith("Scorecards"))
    assert f"@{FAY}" in message_text(progress) and f"@{CLARA}" not in message_text(progress)

    # Move dan's interview to 14:00 in ada's zone (Berlin, 13:00 UTC): only his kit.
    before = {who: traffic(sandbox, dm) for who, dm in dms.items()}
    await sandbox.command(COORDINATOR, f"panel move {panel.id} <@{DAN}> 2026-03-04T14:00")
    assert "is moved" in last_ephemeral(sandbox, COORDINATOR)
    moved = (await interviews_of(sandbox, panel.id))[DAN]
    assert moved.starts_at == datetime(2026, 3, 4, 13, 0, tzinfo=UTC)
    assert sandbox.standin.message(dms[DAN], kits[DAN]["ts"]) is None, "old kit deleted"
    new_kit = latest_with(sandbox, DAN, ids.PANEL_KNEW)
    assert new_kit is not None and new_kit["ts"] != kits[DAN]["ts"]
    assert kit_questions(new_kit) == kit_questions(kits[DAN])
    assert "<!date^1772629200^" in str(new_kit["blocks"]), "the kit shows the new time"
    for who in (BAYES, FAY):
        assert traffic(sandbox, dms[who]) == before[who], f"{who}'s kit is untouched"
    ends = {
        r.kind: r.due_at
        for r in await reminders_of(sandbox, panel.id)
        if r.interview_id == moved.id
    }
    assert ends["end"] == moved.ends_at and ends["escalate"] == moved.ends_at + timedelta(days=1)

    # bayes's candidate already knew his first question: retired from the candidate.
    knew = kit_questions(kits[BAYES])[0]
    await sandbox.press(
        BAYES,
        ids.PANEL_KNEW,
        channel_id=dms[BAYES],
        message_ts=kits[BAYES]["ts"],
        value=f"{panel.id}|{knew}",
    )
    assert "never planned for them again" in " ".join(last_ephemeral(sandbox, BAYES).split())
    async with sandbox.app.storage.reading() as uow:
        assert knew in await uow.panels.knew(sandbox.team_id, panel.code)
    await sandbox.press(
        BAYES, ids.PANEL_SCORECARD, channel_id=dms[BAYES], message_ts=kits[BAYES]["ts"]
    )
    card = sandbox.standin.open_views(BAYES)[-1]
    rated = {
        b["block_id"].split(":", 1)[1]
        for b in card["blocks"]
        if b.get("block_id", "").startswith("rating:")
    }
    assert knew not in rated and rated == set(kit_questions(kits[BAYES])[1:])

    # A later round for the same candidate, in one line: none of round one's questions
    # (the one they knew included), though it asks for the same topic; the name carries.
    first_round = await planned_ids(sandbox, panel.id)
    await sandbox.command(
        COORDINATOR,
        f'panel new "ML Engineer" senior <@{BAYES}> <@{DAN}> <@{FAY}> hm=<@{HIRING_MANAGER}> '
        f"topics={TOPIC} start=2026-03-10T10:00 code={panel.code}",
    )
    assert "is planned" in last_ephemeral(sandbox, COORDINATOR), last_ephemeral(
        sandbox, COORDINATOR
    )
    async with sandbox.app.storage.reading() as uow:
        later = (await uow.panels.for_member(sandbox.team_id, COORDINATOR))[0]
        assert later.id != panel.id and later.code != panel.code
        assert await uow.panels.candidate_name(sandbox.team_id, later.code) == CANDIDATE
        asked = await uow.panels.asked_before(sandbox.team_id, later.code)
    second_round = await planned_ids(sandbox, later.id)
    assert second_round and not second_round & first_round
    assert knew not in second_round and knew in asked
