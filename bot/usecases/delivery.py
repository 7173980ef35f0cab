"""What the app does when one of its messages reaches Slack, or finally cannot.

Called by the outbox's delivery (`bot.jobs.delivery`) inside the transaction that
records the outcome, so the outcome and its consequences commit together."""

from __future__ import annotations

from datetime import datetime

from bot.core.records import OutboxRow
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
    """A question that never reached Slack is failed, never revealed, and listed."""
    post_id = _subject_post(row)
    if post_id is not None:
        await uow.posts.mark_failed(post_id, f"the question was never posted ({error})", now)
