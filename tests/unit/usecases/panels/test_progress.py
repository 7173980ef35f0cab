"""The room's progress (who submitted, never what) and the packet's opening: when every
card is in, or at the debrief time, then partial."""

from __future__ import annotations

from datetime import timedelta

from bot.usecases.panels import progress
from tests.unit.builders import fake
from tests.unit.panel_builders import (
    INTERVIEWERS,
    current,
    draft,
    edits_of,
    live,
    submit_card,
    text_of,
)


async def test_the_packet_opens_at_the_debrief_time_marked_partial(deps, clock):
    panel = await live(deps, room=True)
    await submit_card(deps, panel, "UA")
    clock.set(panel.debrief_at - timedelta(seconds=1))
    assert await progress.open_due_packets(deps) == 0
    assert (await current(deps, panel.id)).packet_opened_at is None
    clock.set(panel.debrief_at)
    assert await progress.open_due_packets(deps) == 1
    assert (await current(deps, panel.id)).packet_opened_at == panel.debrief_at
    (opened,) = fake(deps).messages(key=f"panel-packet:{panel.id}")
    assert "is open (partial)" in text_of(opened)
    last = edits_of(deps, f"panel-progress:{panel.id}")[-1]
    assert "partial: the debrief time came first" in text_of(last)
    assert last.text == f"Scorecards 1/{len(INTERVIEWERS)} for {panel.code}"
    assert await progress.open_due_packets(deps) == 0  # once


async def test_without_a_room_the_packet_still_opens_and_nothing_is_posted(deps, clock):
    panel = await live(deps)
    clock.set(panel.debrief_at)
    assert await progress.open_due_packets(deps) == 1
    assert (await current(deps, panel.id)).packet_opened_at == panel.debrief_at
    assert fake(deps).messages(key=f"panel-packet:{panel.id}") == []
    assert edits_of(deps, f"panel-progress:{panel.id}") == []


async def test_a_draft_past_its_debrief_opens_nothing(deps, clock):
    panel = await draft(deps)
    clock.set(panel.debrief_at + timedelta(days=1))
    assert await progress.open_due_packets(deps) == 0
    async with deps.storage.transaction() as uow:
        await progress.refresh_progress(deps, uow, panel.id)
    assert (await current(deps, panel.id)).packet_opened_at is None
    assert fake(deps).messages(action="update") == []


async def test_progress_names_who_submitted_and_never_what(deps):
    panel = await live(deps, room=True)
    evidence = "Could not explain why the validation loss rose while training loss fell."
    await submit_card(deps, panel, "UB", recommendation="strong_no", evidence=evidence)
    (edit,) = edits_of(deps, f"panel-progress:{panel.id}")
    shown = text_of(edit)
    assert "✅ <@UB>" in shown and "⏳ <@UA>" in shown and "⏳ <@UC>" in shown
    assert "Strong No" not in shown and "strong_no" not in shown and "validation" not in shown
