"""The coordinator's draft: swap one question, re-roll one interviewer, confirm once."""

from __future__ import annotations

import pytest

from bot.usecases.panels import planning
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    OUTSIDER,
    confirm,
    current,
    dms,
    draft,
    edits_of,
    last_reply,
    planned,
    to,
    view_of,
)


async def swap(deps, value, user=COORDINATOR):
    await planning.swap(deps, team_id=TEAM, user_id=user, value=value, reply_to=to(user))


async def reroll(deps, value, user=COORDINATOR):
    await planning.reroll(deps, team_id=TEAM, user_id=user, value=value, reply_to=to(user))


async def test_a_swap_replaces_one_question_and_edits_the_plan(deps):
    panel = await draft(deps)
    before = await planned(deps, panel)
    old = before["UB"][0]
    await swap(deps, f"{panel.id}|UB|{old}")
    after = await planned(deps, panel)
    assert old not in after["UB"]
    assert after["UB"][1:] == before["UB"][1:] and len(after["UB"]) == len(before["UB"])
    assert {w: after[w] for w in ("UA", "UC")} == {w: before[w] for w in ("UA", "UC")}
    every = [q for qs in after.values() for q in qs]
    assert len(every) == len(set(every))  # still distinct across the panel
    (edit,) = edits_of(deps, f"panel-plan:{panel.id}")
    assert edit.user_id == COORDINATOR
    assert deps.bank.get(after["UB"][0]).title in edit.text + str(edit.blocks)


async def test_a_reroll_changes_only_that_interviewers_questions(deps):
    panel = await draft(deps)
    before = await planned(deps, panel)
    await reroll(deps, f"{panel.id}|UA")
    after = await planned(deps, panel)
    assert after["UA"] and not set(after["UA"]) & set(before["UA"])
    assert {w: after[w] for w in ("UB", "UC")} == {w: before[w] for w in ("UB", "UC")}
    assert len(edits_of(deps, f"panel-plan:{panel.id}")) == 1


@pytest.mark.parametrize("user", [*INTERVIEWERS, HIRING_MANAGER])
async def test_only_the_coordinator_changes_the_plan(deps, user):
    panel = await draft(deps)
    before = await planned(deps, panel)
    await swap(deps, f"{panel.id}|UA|{before['UA'][0]}", user=user)
    await reroll(deps, f"{panel.id}|UA", user=user)
    await confirm(deps, panel, by=user)
    assert replies_of(deps, user) == [planning.ONLY_COORDINATOR] * 3
    assert await planned(deps, panel) == before
    assert (await current(deps, panel.id)).status == "draft"
    assert edits_of(deps, f"panel-plan:{panel.id}") == []


async def test_a_stranger_learns_nothing(deps):
    panel = await draft(deps)
    await confirm(deps, panel, by=OUTSIDER)
    assert last_reply(deps, OUTSIDER) == "I can't find that panel, or you are not on it."
    assert (await current(deps, panel.id)).status == "draft"


def replies_of(deps, user):
    return [m.text for m in fake(deps).messages(action="respond", user_id=user)]


@pytest.mark.parametrize("value", ["", "1", "1|UA", "x|UA|q", "|UA|q"])
async def test_a_malformed_swap_does_nothing(deps, value):
    panel = await draft(deps)
    before = await planned(deps, panel)
    await swap(deps, value.replace("1", str(panel.id)))
    assert await planned(deps, panel) == before


async def test_a_swap_for_someone_not_on_the_panel_is_explained(deps):
    panel = await draft(deps)
    await swap(deps, f"{panel.id}|UD|q-any")
    assert last_reply(deps, COORDINATOR) == "That interviewer is no longer on this panel."


async def test_a_swap_of_a_question_not_in_the_plan_is_explained(deps):
    panel = await draft(deps)
    await swap(deps, f"{panel.id}|UA|not-a-question")
    assert last_reply(deps, COORDINATOR).startswith("I couldn't swap that question:")


async def test_confirm_makes_the_panel_live_and_sends_each_kit_once(deps):
    panel = await draft(deps)
    plan = await planned(deps, panel)
    every = sorted(q for qs in plan.values() for q in qs)
    await confirm(deps, panel)
    live = await current(deps, panel.id)
    assert (live.status, live.confirmed_at) == ("live", deps.now())
    for who in INTERVIEWERS:
        (kit,) = dms(deps, who, "kit:")
        assert kit.key.endswith(":v1") and kit.subject == f"panel:{panel.id}"
    state = fake(deps).state
    assert {qid: e.times for (_, qid), e in state.question_exposure.items()} == dict.fromkeys(
        every, 1
    )
    async with deps.storage.reading() as uow:
        assert sorted(await uow.panels.asked_before(TEAM, panel.code)) == every
        reminders = await uow.panels.reminders(panel.id)
    assert len(reminders) == 5 * len(INTERVIEWERS)
    assert {r.status for r in reminders} == {"pending"}
    assert "is live" in last_reply(deps, COORDINATOR)
    # The plan message shows it confirmed: no more swap menus.
    (edit,) = edits_of(deps, f"panel-plan:{panel.id}")
    assert "Confirmed" in str(edit.blocks) and "panel_swap" not in str(edit.blocks)


async def test_confirming_twice_is_confirming_once(deps):
    panel = await draft(deps)
    await confirm(deps, panel)
    await confirm(deps, panel)
    assert last_reply(deps, COORDINATOR) == "This plan is confirmed already: the kits are out."
    assert all(len(dms(deps, who, "kit:")) == 1 for who in INTERVIEWERS)
    assert {e.times for e in fake(deps).state.question_exposure.values()} == {1}


async def test_a_confirm_that_read_the_draft_before_another_confirmed_does_nothing(
    deps, monkeypatch
):
    """Two presses processed side by side both read a draft; the transition lets one
    through."""
    panel = await draft(deps)
    stale = await view_of(deps, panel)
    await confirm(deps, panel)

    async def still_a_draft(*args, **kwargs):
        return stale

    monkeypatch.setattr(planning, "member_view", still_a_draft)
    await confirm(deps, panel)
    assert all(len(dms(deps, who, "kit:")) == 1 for who in INTERVIEWERS)
    assert {e.times for e in fake(deps).state.question_exposure.values()} == {1}
    assert len(fake(deps).state.panel_reminders) == 5 * len(INTERVIEWERS)
    assert len(replies_of(deps, COORDINATOR)) == 2  # created, live: no second "live"


async def test_a_confirmed_plan_no_longer_changes(deps):
    panel = await draft(deps)
    await confirm(deps, panel)
    before = await planned(deps, panel)
    await swap(deps, f"{panel.id}|UA|{before['UA'][0]}")
    await reroll(deps, f"{panel.id}|UB")
    assert await planned(deps, panel) == before
    assert last_reply(deps, COORDINATOR) == "This plan is confirmed already: the kits are out."
