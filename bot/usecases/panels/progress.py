"""The debrief room's progress message (who has submitted, never what), kept current
in place, and the moment the packet opens: when every scorecard is in, or at the
debrief time (then partial)."""

from __future__ import annotations

from bot.core.panel_rules import packet_state
from bot.ports.storage import UnitOfWork
from bot.slack.blocks import plain
from bot.usecases.deps import Deps
from bot.usecases.panels import shown
from bot.usecases.panels.access import load


async def refresh_progress(deps: Deps, uow: UnitOfWork, panel_id: int) -> None:
    """Edit the progress message (inside the caller's transaction), opening the
    packet first when it is due. Before the room exists there is nothing to edit:
    the room's first message shows the state of the moment."""
    panel = await uow.panels.get(panel_id)
    if panel is None or panel.status in ("draft", "purged"):
        return
    now = deps.now()
    view = await load(uow, panel)
    submitted = await uow.panels.submitted(panel.id)
    expected = [i.interviewer_id for i in view.scheduled()]
    state = packet_state(expected, submitted, panel.debrief_at, now)
    opened_now = False
    if state.open and panel.packet_opened_at is None and panel.status == "live":
        opened_now = await uow.panels.mark_packet_open(panel.id, now)
        panel = await uow.panels.get(panel_id)
        assert panel is not None
        view = await load(uow, panel)
    if panel.debrief_channel is None:
        return
    await uow.outbox.add(
        shown.edit(panel, shown.progress_key(panel), shown.progress(view, submitted), user_id=None),
        now,
    )
    if opened_now:
        partial = "" if state.submitted == state.expected else " (partial)"
        await uow.outbox.add(
            shown.post(
                panel,
                f"panel-packet:{panel.id}",
                panel.debrief_channel,
                plain(
                    f"📂 The packet for *{panel.code}* is open{partial}. Open it from the "
                    "message above; the hiring manager records the decision there."
                ),
            ),
            now,
        )


async def open_due_packets(deps: Deps) -> int:
    """At the debrief time the packet opens with what is in."""
    async with deps.storage.reading() as uow:
        due = await uow.panels.due_packets(deps.now())
    for panel in due:
        async with deps.storage.transaction() as uow:
            await refresh_progress(deps, uow, panel.id)
    return len(due)
