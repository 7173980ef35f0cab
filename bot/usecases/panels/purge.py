"""Purging a panel: names and free text erased, numeric ratings kept without the
candidate code, the app's own messages about it deleted from Slack, the debrief room
archived, and a receipt written. By the coordinator or an admin, or automatically a
retention period after the decision."""

from __future__ import annotations

import logging

from bot.core.panel_records import Panel
from bot.core.panel_rules import may_purge
from bot.ports.slack import SlackError
from bot.slack.blocks import plain
from bot.usecases.deps import Deps, ReplyTo, reply, reply_in
from bot.usecases.panels import shown
from bot.usecases.panels.access import NOT_FOUND, load, member_view
from bot.usecases.profiles import is_admin

log = logging.getLogger("mlquiz.panels")
RETENTION = "retention"  # who purged, when the retention period did


async def purge_command(
    deps: Deps, *, team_id: str, user_id: str, ref: str, reply_to: ReplyTo
) -> None:
    view = await member_view(deps, team_id, user_id, ref, admins_too=True)
    if view is None:
        await reply(deps, reply_to, plain(NOT_FOUND))
        return
    admin = await is_admin(deps, team_id, user_id)
    if not may_purge(user_id, view.members, is_admin=admin):
        await reply(deps, reply_to, plain("Only the coordinator or a workspace admin purges."))
        return
    summary = await purge(deps, view.panel, by=user_id, reply_to=reply_to)
    if summary is None:
        await reply(deps, reply_to, plain("This panel was purged already."))


async def purge(
    deps: Deps, panel: Panel, *, by: str, reply_to: ReplyTo | None = None
) -> dict[str, int] | None:
    """One transaction: erase, queue the deletions, write the receipt."""
    now = deps.now()
    async with deps.storage.transaction() as uow:
        current = await uow.panels.get(panel.id)
        if current is None or current.status == "purged":
            return None
        view = await load(uow, current)
        cards = await uow.panels.scorecards(panel.id)
        messages = [
            row
            for row in await uow.outbox.with_subject(shown.subject(current))
            if row.outgoing.action in ("post", "dm")
        ]
        for row in messages:
            if row.status in ("pending", "sending"):
                continue  # never reached Slack yet: it is dropped below instead
            if row.status == "sent":
                await uow.outbox.add(shown.delete(current, row.outgoing.key), now)
        await uow.panels.cancel_panel_reminders(panel.id)
        summary = {
            "interviews": len(view.interviews),
            "scorecards": len(cards),
            "messages_deleted": sum(1 for r in messages if r.status == "sent"),
        }
        await uow.panels.purge(current, by, now, summary)
        await uow.outbox.drop_pending(shown.subject(current), now)
        if reply_to is not None:
            await reply_in(
                uow,
                reply_to,
                plain(
                    f"🧹 Panel {current.id} is purged: the candidate's name, notes and "
                    f"evidence are erased, {summary['messages_deleted']} messages are being "
                    "deleted from Slack and the debrief room will be archived. Ratings stay, "
                    "without the candidate code."
                ),
                now,
            )
    log.info("panel %s purged by %s: %s", panel.id, by, summary)
    return summary


async def finish_purges(deps: Deps) -> int:
    """Finish each purge in Slack: a message that was on its way during the purge and
    landed after it is deleted too; once every deletion has settled, the room is
    archived (a message in an archived channel cannot be deleted) and the records of
    the panel's messages are forgotten."""
    async with deps.storage.reading() as uow:
        purged = await uow.panels.unfinished_purges()
    finished = 0
    for panel in purged:
        now = deps.now()
        async with deps.storage.transaction() as uow:
            deletions = {
                r.outgoing.target_key: r for r in await uow.outbox.with_subject(f"purge:{panel.id}")
            }
            messages = await uow.outbox.with_subject(shown.subject(panel))
            late = [
                row
                for row in messages
                if row.status == "sent"
                and row.outgoing.action in ("post", "dm")
                and row.outgoing.key not in deletions
            ]
            for row in late:
                await uow.outbox.add(shown.delete(panel, row.outgoing.key), now)
        unsettled = any(r.status in ("pending", "sending") for r in messages)
        if late or unsettled or any(r.status in ("pending", "sending") for r in deletions.values()):
            continue
        if panel.debrief_channel is not None and not await _archive(deps, panel):
            continue
        async with deps.storage.transaction() as uow:
            await uow.panels.finish_purge(panel.id, deps.now())
            await uow.outbox.forget_subject(shown.subject(panel))
            await uow.outbox.forget_subject(f"purge:{panel.id}")
        finished += 1
    return finished


async def _archive(deps: Deps, panel: Panel) -> bool:
    assert panel.debrief_channel is not None
    try:
        await deps.slack.gateway_for(panel.team_id).archive(panel.debrief_channel)
    except SlackError as exc:
        # A group DM cannot be archived: with the app's messages deleted, it is done.
        settled = (
            "channel_not_found",
            "already_archived",
            "not_in_channel",
            "method_not_supported_for_channel_type",
        )
        if exc.code not in settled:
            log.warning("panel %s: archiving the room failed: %s", panel.id, exc.code)
            return False
    return True


async def purge_expired(deps: Deps) -> int:
    """Panels whose retention period after the decision has passed."""
    async with deps.storage.reading() as uow:
        due = await uow.panels.due_for_retention(deps.now())
    for panel in due:
        await purge(deps, panel, by=RETENTION)
    return len(due)
