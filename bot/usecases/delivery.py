"""What the app does when one of its messages reaches Slack, or finally cannot.

Called by the outbox's delivery (`bot.jobs.delivery`) inside the transaction that
records the outcome, so the outcome and its consequences commit together."""

from __future__ import annotations

from datetime import datetime

from bot.core.records import OutboxRow, Outgoing
from bot.ports.storage import UnitOfWork


def _subject_post(row: OutboxRow) -> int | None:
    subject = row.outgoing.subject or ""
    kind, _, ident = subject.partition(":")
    return int(ident) if kind == "post" and ident.isdigit() else None


async def message_sent(uow: UnitOfWork, row: OutboxRow, channel_id: str, ts: str) -> None:
    """A question's message is in Slack: answers in its thread now find it."""
    post_id = _subject_post(row)
    if post_id is not None:
        await uow.posts.set_message(post_id, channel_id, ts)


async def message_failed(uow: UnitOfWork, row: OutboxRow, error: str, now: datetime) -> None:
    """A question that never reached Slack is failed, never revealed, and listed. A
    panel message that cannot reach an interviewer (they left, or closed their DMs) is
    reported to the panel's coordinator."""
    post_id = _subject_post(row)
    if post_id is not None:
        await uow.posts.mark_failed(post_id, f"the question was never posted ({error})", now)
    panel_id = _subject_panel(row)
    if panel_id is not None and row.outgoing.action == "dm" and row.outgoing.user_id:
        await _tell_coordinator(uow, panel_id, row, error, now)


def _subject_panel(row: OutboxRow) -> int | None:
    kind, _, ident = (row.outgoing.subject or "").partition(":")
    return int(ident) if kind == "panel" and ident.isdigit() else None


async def _tell_coordinator(
    uow: UnitOfWork, panel_id: int, row: OutboxRow, error: str, now: datetime
) -> None:
    panel = await uow.panels.get(panel_id)
    who = row.outgoing.user_id
    if panel is None or panel.status == "purged" or who == panel.coordinator_id:
        return
    what = "interview kit" if row.outgoing.key.startswith("kit:") else "message"
    text = (
        f"I couldn't deliver the {what} for *{panel.code}* to <@{who}> ({error}): they may "
        f"have left the workspace. To seat someone else: "
        f"`/mlquiz panel replace {panel.id} @old @new`."
    )
    await uow.outbox.add(
        Outgoing(
            team_id=panel.team_id,
            key=f"undelivered:{row.outgoing.key}",
            action="dm",
            text=text,
            blocks=({"type": "section", "text": {"type": "mrkdwn", "text": text}},),
            user_id=panel.coordinator_id,
            subject=f"panel:{panel.id}",
        ),
        now,
    )
