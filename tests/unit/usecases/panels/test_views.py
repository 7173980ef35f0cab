"""What a member sees: the list, one panel (the only place the name shows, and logged),
App Home's interviews and scorecards due, and calibration private to each person."""

from __future__ import annotations

from datetime import timedelta

from bot.ports.slack import TriggerExpired
from bot.usecases import info
from bot.usecases.panels import views
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import (
    ADMIN,
    COORDINATOR,
    HIRING_MANAGER,
    NAME,
    OUTSIDER,
    draft,
    interview_of,
    last_reply,
    live,
    submit_card,
    to,
)


async def list_for(deps, user):
    await views.list_panels(deps, team_id=TEAM, user_id=user, reply_to=to(user))
    return str(fake(deps).messages(action="respond", user_id=user)[-1].blocks)


async def show(deps, panel, user, trigger="t1"):
    await views.show_panel(
        deps, team_id=TEAM, user_id=user, ref=str(panel.id), trigger_id=trigger, reply_to=to(user)
    )


async def home(deps, user, *, admin=False):
    async with deps.storage.reading() as uow:
        return str(await views.home_blocks(deps, uow, TEAM, user, admin=admin, now=deps.now()))


async def test_the_list_shows_a_members_panels_with_their_progress(deps):
    first = await live(deps)
    await submit_card(deps, first, "UA")
    second = await draft(deps, role="Data Scientist", interviewers=("UB", "UC"))
    shown = await list_for(deps, "UA")
    assert first.code in shown and "scorecards 1/3" in shown
    assert second.code not in shown  # UA is not on it
    both = await list_for(deps, HIRING_MANAGER)
    assert first.code in both and second.code in both
    assert both.index(second.code) < both.index(first.code)  # newest first
    assert NAME not in both


async def test_a_stranger_has_no_panels(deps):
    await live(deps)
    assert "You are on no interview panel" in await list_for(deps, OUTSIDER)


async def test_a_member_sees_the_panel_with_the_name_and_the_opening_is_logged(deps, gateway):
    panel = await live(deps)
    await show(deps, panel, "UB")
    (call,) = gateway.calls_to("open_view")
    assert NAME in str(call["view"]) and panel.code in str(call["view"])
    async with deps.storage.reading() as uow:
        assert await uow.panels.access_log(panel.id) == [("UB", "panel", deps.now())]


async def test_strangers_and_admins_do_not_see_a_panel(deps, gateway):
    panel = await live(deps)
    for user in (OUTSIDER, ADMIN):
        await show(deps, panel, user)
        assert last_reply(deps, user) == "I can't find that panel, or you are not on it."
    assert gateway.calls_to("open_view") == []
    async with deps.storage.reading() as uow:
        assert await uow.panels.access_log(panel.id) == []


async def test_a_panel_view_that_did_not_open_is_not_logged(deps, gateway):
    panel = await live(deps)
    gateway.fail("open_view", TriggerExpired("expired_trigger_id"))
    await show(deps, panel, "UA")
    assert "took too long" in last_reply(deps, "UA")
    async with deps.storage.reading() as uow:
        assert await uow.panels.access_log(panel.id) == []


# -- App Home -----------------------------------------------------------------------------


async def test_home_is_empty_for_someone_never_on_a_panel(deps):
    await live(deps)
    async with deps.storage.reading() as uow:
        assert await views.home_blocks(deps, uow, TEAM, OUTSIDER, admin=False, now=deps.now()) == []


async def test_home_lists_upcoming_interviews_then_the_card_due_then_overdue(deps, clock):
    panel = await live(deps)
    assert "*My interviews*" in await home(deps, "UA") and "Scorecards due" not in (
        await home(deps, "UA")
    )
    assert "My interviews" not in await home(deps, COORDINATOR)  # not interviewing
    seat = await interview_of(deps, panel, "UA")
    clock.set(seat.ends_at + timedelta(hours=1))
    shown = await home(deps, "UA")
    assert "🟡 due" in shown and "overdue" not in shown and "My interviews" not in shown
    clock.set(seat.ends_at + timedelta(hours=24, minutes=1))
    shown = await home(deps, "UA")
    assert "🔴 *overdue*" in shown and "'style': 'danger'" in shown
    await submit_card(deps, panel, "UA")
    assert "Scorecards due" not in await home(deps, "UA")


async def test_a_draft_shows_nothing_on_home(deps):
    await draft(deps)
    assert await home(deps, "UA") == "[]"


async def calibrated(deps, clock):
    """A panel whose three cards are in: UA lenient, UB and UC stricter."""
    panel = await live(deps)
    clock.set((await interview_of(deps, panel, "UC")).ends_at + timedelta(hours=2))
    await submit_card(deps, panel, "UA", rating="4", points=("k0",))
    await submit_card(deps, panel, "UB", rating="2")
    await submit_card(deps, panel, "UC", rating="2")
    return panel


async def test_calibration_is_private_to_each_interviewer(deps, clock):
    await calibrated(deps, clock)
    mine = await home(deps, "UA")
    assert "Your interviewer calibration* (only you see this)" in mine
    assert "<@UA> · 1 panel(s) · leniency +1.33" in mine
    assert "<@UB>" not in mine and "Team calibration" not in mine
    theirs = await home(deps, "UB")
    assert "<@UB> · 1 panel(s) · leniency -0.67" in theirs and "<@UA>" not in theirs


async def test_admins_see_the_team_alphabetically_never_ranked(deps, clock, gateway):
    await calibrated(deps, clock)
    team = await home(deps, ADMIN, admin=True)
    assert "Team calibration* (admins only; alphabetical, not a ranking)" in team
    assert team.index("<@UA>") < team.index("<@UB>") < team.index("<@UC>")
    assert "Team calibration" not in await home(deps, HIRING_MANAGER, admin=False)


async def test_app_home_carries_the_panel_part(deps, gateway):
    await live(deps)
    await info.publish_home(deps, team_id=TEAM, user_id="UA")
    await info.publish_home(deps, team_id=TEAM, user_id=OUTSIDER)
    mine, theirs = (str(c["view"]) for c in gateway.calls_to("publish_home"))
    assert "Interview panels" in mine and "My interviews" in mine
    assert "Interview panels" not in theirs
