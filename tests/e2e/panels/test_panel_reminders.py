"""Scorecard reminders by moving the clock: at the interview's end, an hour later, four
hours later, the next working morning in the interviewer's own zone, and the
coordinator's escalation a day after; each at its minute, not a minute before, and
never again. A scorecard stops them, and so does "I did not interview".

The interviews are on a Friday, so the next working morning is Monday; New York moves
to summer time that Sunday (8 March 2026), London and Kolkata do not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.slack.blocks import ids
from tests.e2e.helpers import message_text
from tests.e2e.panels.panel_helpers import (
    COORDINATOR,
    INTERVIEWERS,
    bot_dms,
    fill_scorecard,
    latest_with,
    live_panel,
    reminders_of,
)

BAYES, CLARA, DAN = INTERVIEWERS  # New York, Kolkata, London
THURSDAY = datetime(2026, 3, 5, 7, 30, tzinfo=UTC)


def at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


# Interviews of 45 minutes from Friday 07:30 UTC: bayes ends 08:15, clara 09:00, dan 09:45.
DUE = [
    (at(6, 8, 15), BAYES, "end"),
    (at(6, 9, 0), CLARA, "end"),
    (at(6, 9, 15), BAYES, "hour"),
    (at(6, 9, 45), DAN, "end"),  # then dan says he did not interview
    (at(6, 10, 0), CLARA, "hour"),  # then clara submits her scorecard
    (at(6, 10, 45), DAN, "hour"),
    (at(6, 12, 15), BAYES, "four_hours"),
    (at(6, 13, 0), CLARA, "four_hours"),
    (at(6, 13, 45), DAN, "four_hours"),
    (at(7, 8, 15), BAYES, "escalate"),  # to the coordinator
    (at(7, 9, 0), CLARA, "escalate"),
    (at(7, 9, 45), DAN, "escalate"),
    (at(9, 3, 30), CLARA, "morning"),  # 09:00 in Kolkata
    (at(9, 9, 0), DAN, "morning"),  # 09:00 in London
    (at(9, 13, 0), BAYES, "morning"),  # 09:00 in New York, on summer time
]
STOPPED = {CLARA: at(6, 10, 0), DAN: at(6, 9, 45)}  # nothing after these


def nudges(sandbox) -> dict[str, list[str]]:
    """The reminder DMs each person has had, and the coordinator's escalations."""
    found = {
        who: [
            message_text(m) for m in bot_dms(sandbox, who) if m["text"].startswith("Scorecard due")
        ]
        for who in INTERVIEWERS
    }
    found[COORDINATOR] = [
        message_text(m)
        for m in bot_dms(sandbox, COORDINATOR)
        if m["text"].startswith("Scorecards missing")
    ]
    return found


async def test_reminders_escalate_on_time_and_stop_when_answered(sandbox, clock):
    clock.set(THURSDAY)
    panel = await live_panel(sandbox, clock)
    assert {(r.kind, r.due_at) for r in await reminders_of(sandbox, panel.id)} == {
        (kind, moment) for moment, _who, kind in DUE
    }, "each interviewer has the five reminders above"

    for moment, who, kind in DUE:
        stopped = who in STOPPED and moment > STOPPED[who]
        clock.set(moment - timedelta(minutes=1))
        before = nudges(sandbox)
        await sandbox.tick()
        assert nudges(sandbox) == before, f"{who} {kind}: nothing a minute early"
        clock.set(moment + timedelta(seconds=30))
        await sandbox.tick()
        await sandbox.tick()  # a second tick at the same moment sends nothing more
        after = nudges(sandbox)
        to = COORDINATOR if kind == "escalate" else who
        new = {p: after[p][len(before[p]) :] for p in after}
        expected = [] if stopped else [to]
        assert [p for p, texts in new.items() for _ in texts] == expected, (who, kind, new)
        if stopped:
            continue
        text = " ".join(new[to][0].split())
        if kind == "escalate":
            assert f"@{who}" in text and panel.code in text
            assert all(f"@{other}" not in text for other in INTERVIEWERS if other != who)
        elif kind == "morning":
            assert text.startswith("Good morning"), text
            assert "Friday" in text, "the interview was on Friday, not yesterday"
        if (who, kind) == (DAN, "end"):
            reminder = latest_with(sandbox, DAN, ids.PANEL_NOT_INTERVIEWED)
            await sandbox.press(
                DAN,
                ids.PANEL_NOT_INTERVIEWED,
                channel_id=sandbox.dm(DAN),
                message_ts=reminder["ts"],
            )
            told = message_text(bot_dms(sandbox, COORDINATOR)[-1])
            assert f"@{DAN} says they did not interview" in told
        if (who, kind) == (CLARA, "hour"):
            await fill_scorecard(sandbox, CLARA, panel.id, recommendation="yes", rating=3)

    # Everything that was due is settled: sent once or cancelled, nothing pending.
    states = {(r.interview_id, r.kind): r.status for r in await reminders_of(sandbox, panel.id)}
    assert set(states.values()) == {"sent", "cancelled"}
    assert [len(texts) for texts in nudges(sandbox).values()] == [4, 2, 1, 1]
