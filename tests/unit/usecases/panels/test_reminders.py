"""Reminders: exactly once each, several fallen due together sent as one, escalated to
the coordinator a day later, and never for a card that is in."""

from __future__ import annotations

from datetime import timedelta

from bot.usecases.panels import debrief, kits, reminders
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import (
    COORDINATOR,
    INTERVIEWERS,
    dms,
    interview_of,
    live,
    submit_card,
    text_of,
    to,
)


async def statuses(deps, panel, user):
    seat = await interview_of(deps, panel, user)
    async with deps.storage.reading() as uow:
        return {
            r.kind: r.status
            for r in await uow.panels.reminders(panel.id)
            if r.interview_id == seat.id
        }


async def test_each_interviewer_is_reminded_at_their_interviews_end_exactly_once(deps, clock):
    panel = await live(deps)
    first = await interview_of(deps, panel, "UA")
    clock.set(first.ends_at - timedelta(seconds=1))
    assert await reminders.send_due_reminders(deps) == 0
    clock.set(first.ends_at)
    assert await reminders.send_due_reminders(deps) == 1
    assert await reminders.send_due_reminders(deps) == 0
    (reminder,) = dms(deps, "UA", "remind:")
    assert reminder.text == f"Scorecard due for {panel.code}"
    assert "Your interview just ended" in text_of(reminder)
    assert (await statuses(deps, panel, "UA"))["end"] == "sent"
    assert dms(deps, "UB", "remind:") == []


async def test_reminders_that_fell_due_together_are_one_nudge(deps, clock):
    panel = await live(deps)
    seat = await interview_of(deps, panel, "UA")
    clock.set(seat.ends_at + timedelta(hours=4, minutes=5))  # end, hour and four_hours
    await reminders.send_due_reminders(deps)
    (reminder,) = dms(deps, "UA", "remind:")
    assert "A few hours ago you interviewed" in text_of(reminder)
    assert await statuses(deps, panel, "UA") == {
        "end": "cancelled",
        "hour": "cancelled",
        "four_hours": "sent",
        "morning": "pending",
        "escalate": "pending",
    }
    for who in INTERVIEWERS:
        assert len(dms(deps, who, "remind:")) == 1, who


async def test_a_missing_card_escalates_to_the_coordinator_a_day_later(deps, clock):
    panel = await live(deps)
    await submit_card(deps, panel, "UB")
    seat = await interview_of(deps, panel, "UA")
    clock.set(seat.ends_at + timedelta(hours=24))
    await reminders.send_due_reminders(deps)
    escalations = dms(deps, COORDINATOR, "remind:")
    assert [m.text for m in escalations] == [f"Scorecards missing for {panel.code}"]
    assert "<@UA>" in text_of(escalations[0]) and "<@UB>" not in text_of(escalations[0])
    # The interviewer's own latest reminder goes too: a different message, a different person.
    (own,) = dms(deps, "UA", "remind:")
    assert "Good morning" in text_of(own)
    clock.set(seat.ends_at + timedelta(days=3))
    await reminders.send_due_reminders(deps)
    assert len(dms(deps, COORDINATOR, "remind:")) == 2  # UA's, then UC's
    assert len(dms(deps, "UA", "remind:")) == 1


async def test_a_submitted_card_cancels_its_reminders(deps, clock):
    panel = await live(deps)
    await submit_card(deps, panel, "UA")
    assert set((await statuses(deps, panel, "UA")).values()) == {"cancelled"}
    clock.advance(days=5)
    await reminders.send_due_reminders(deps)
    assert dms(deps, "UA", "remind:") == []
    assert all(dms(deps, who, "remind:") for who in ("UB", "UC"))


async def test_a_reminder_due_after_its_card_came_in_is_dropped(deps, clock):
    panel = await live(deps)
    seat = await interview_of(deps, panel, "UA")
    await submit_card(deps, panel, "UA")
    async with deps.storage.transaction() as uow:  # e.g. a move re-armed them
        await uow.panels.add_reminders(seat, [("end", seat.ends_at)])
    clock.set(seat.ends_at)
    await reminders.send_due_reminders(deps)
    assert dms(deps, "UA", "remind:") == []
    assert (await statuses(deps, panel, "UA"))["end"] == "cancelled"


async def test_no_reminder_for_someone_who_did_not_interview_or_a_closed_panel(deps, clock):
    panel = await live(deps)
    await kits.did_not_interview(
        deps, team_id=TEAM, user_id="UA", value=str(panel.id), reply_to=to("UA")
    )
    await debrief.close(
        deps, team_id=TEAM, user_id=COORDINATOR, ref=str(panel.id), reply_to=to(COORDINATOR)
    )
    clock.advance(days=5)
    assert await reminders.send_due_reminders(deps) == 0
    assert all(dms(deps, who, "remind:") == [] for who in (*INTERVIEWERS, COORDINATOR))


async def test_a_reminder_sent_by_another_process_is_not_sent_again(deps, clock, monkeypatch):
    panel = await live(deps)
    seat = await interview_of(deps, panel, "UA")
    clock.set(seat.ends_at)
    async with deps.storage.reading() as uow:
        due = await uow.panels.due_reminders(clock.now)
    (end,) = [r for r in due if r.interview_id == seat.id]
    async with deps.storage.transaction() as uow:
        assert await uow.panels.set_reminder_status(end.id, "sent")  # the other process

    async def stale(now, limit=200):
        return due

    monkeypatch.setattr(fake(deps).uow.panels, "due_reminders", stale)
    assert await reminders.send_due_reminders(deps) == 0
    assert dms(deps, "UA", "remind:") == []
