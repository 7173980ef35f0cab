"""Finding a panel by id or code, for its members only, in its own workspace only."""

from __future__ import annotations

import pytest

from bot.usecases.panels import access, kits
from tests.unit.fakes import T0, TEAM
from tests.unit.panel_builders import (
    ADMIN,
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    OUTSIDER,
    last_reply,
    live,
    to,
)


async def other_workspaces_panel(deps):
    """A panel in T2 whose people have the same user ids as ours."""
    async with deps.storage.transaction() as uow:
        panel = await uow.panels.create(
            "T2",
            code="C-THEIR",
            role="R",
            level="senior",
            coordinator_id=COORDINATOR,
            hiring_manager_id=HIRING_MANAGER,
            focus_topics=(),
            debrief_at=T0,
            created_by=COORDINATOR,
            candidate_name="Someone Else",
            now=T0,
        )
        await uow.panels.add_interview(panel, "UA", starts_at=T0, minutes=45, tz="UTC")
    return panel


@pytest.mark.parametrize("ref", ["{id}", "{code}", "{lower}", "#{id}", " {id} "])
async def test_a_member_finds_the_panel_by_id_or_code(deps, ref):
    panel = await live(deps)
    text = ref.format(id=panel.id, code=panel.code, lower=panel.code.lower())
    for user in (*INTERVIEWERS, HIRING_MANAGER, COORDINATOR):
        view = await access.member_view(deps, TEAM, user, text)
        assert view is not None and view.panel.id == panel.id


async def test_strangers_and_admins_are_told_the_same_as_for_no_panel(deps):
    panel = await live(deps)
    assert await access.member_view(deps, TEAM, OUTSIDER, str(panel.id)) is None
    assert await access.member_view(deps, TEAM, ADMIN, str(panel.id)) is None
    assert await access.member_view(deps, TEAM, ADMIN, str(panel.id), admins_too=True)
    assert await access.member_view(deps, TEAM, COORDINATOR, "999") is None
    assert await access.member_view(deps, TEAM, COORDINATOR, "nonsense!") is None


async def test_another_workspaces_panel_is_never_found(deps):
    theirs = await other_workspaces_panel(deps)
    for ref in (str(theirs.id), theirs.code):
        assert await access.member_view(deps, TEAM, COORDINATOR, ref) is None
        assert await access.member_view(deps, TEAM, "UA", ref, admins_too=True) is None
    await kits.show_kit(deps, team_id=TEAM, user_id="UA", ref=str(theirs.id), reply_to=to("UA"))
    assert last_reply(deps, "UA") == access.NOT_FOUND


async def test_a_purged_panel_is_found_by_nobody(deps):
    panel = await live(deps)
    async with deps.storage.transaction() as uow:
        await uow.panels.purge(panel, COORDINATOR, T0, {})
    for ref in (str(panel.id), panel.code, f"purged-{panel.id}"):
        assert await access.member_view(deps, TEAM, COORDINATOR, ref, admins_too=True) is None


async def test_who_is_on_the_panel(deps):
    view = await access.member_view(deps, TEAM, "UA", str((await live(deps)).id))
    assert view is not None
    assert view.everyone() == [*INTERVIEWERS, HIRING_MANAGER, COORDINATOR]
    assert view.members.interviewers == frozenset(INTERVIEWERS)
