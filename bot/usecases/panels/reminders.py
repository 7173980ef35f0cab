"""Reminders that escalate: at the interview's end, an hour later, four hours later and
the next working morning in the interviewer's zone; at 24 hours the coordinator hears
who is missing.

Exactly once by construction: a reminder is marked sent and its message recorded in
the outbox in one transaction, and only a pending reminder can be marked."""

from __future__ import annotations

from bot.core.panel_records import Reminder
from bot.slack.blocks import panels as blocks
from bot.usecases.deps import Deps
from bot.usecases.panels import shown


async def send_due_reminders(deps: Deps) -> int:
    async with deps.storage.reading() as uow:
        due = await uow.panels.due_reminders(deps.now())
    # Reminders that fell due together (the app was down, or the tick is slow) are one
    # nudge, not a burst: the latest of each interview is sent, the earlier ones dropped.
    # The coordinator's escalation is a different message to a different person.
    latest: dict[tuple[int, bool], Reminder] = {}
    for reminder in due:
        group = (reminder.interview_id, reminder.kind == "escalate")
        if group not in latest or reminder.due_at >= latest[group].due_at:
            latest[group] = reminder
    sent = 0
    for reminder in due:
        if latest[(reminder.interview_id, reminder.kind == "escalate")] is not reminder:
            async with deps.storage.transaction() as uow:
                await uow.panels.set_reminder_status(reminder.id, "cancelled")
        elif await _send(deps, reminder):
            sent += 1
    return sent


async def _send(deps: Deps, reminder: Reminder) -> bool:
    now = deps.now()
    async with deps.storage.transaction() as uow:
        panel = await uow.panels.get(reminder.panel_id)
        interview = await uow.panels.get_interview(reminder.interview_id)
        still_due = (
            panel is not None
            and interview is not None
            and panel.status == "live"
            and interview.status == "scheduled"
            and await uow.panels.scorecard(panel.id, interview.interviewer_id) is None
        )
        if not still_due:
            await uow.panels.set_reminder_status(reminder.id, "cancelled")
            return False
        assert panel is not None and interview is not None
        if not await uow.panels.set_reminder_status(reminder.id, "sent"):
            return False  # another process sent it
        if reminder.kind == "escalate":
            # Each interview escalates on its own, a day after it ended.
            message = blocks.escalation_message(panel, [interview.interviewer_id])
            to = panel.coordinator_id
        else:
            message = blocks.reminder_message(panel, interview, reminder.kind)
            to = interview.interviewer_id
        await uow.outbox.add(shown.dm(panel, f"remind:{reminder.id}", to, message), now)
    return True
