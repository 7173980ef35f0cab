"""Slack profiles cached in storage: name, zone and admin flag, refreshed daily."""

from __future__ import annotations

import pytest

from bot.ports.slack import SlackUnavailable
from bot.usecases import profiles
from tests.unit.builders import USER
from tests.unit.fakes import TEAM, make_deps


async def test_a_new_person_is_read_from_slack_and_cached(deps, gateway):
    gateway.add_user(USER, "ada", tz="Europe/Berlin", admin=True)
    user = await profiles.ensure_user(deps, TEAM, USER)
    assert user is not None
    assert (user.display_name, user.tz, user.is_admin, user.updated_at) == (
        "ada",
        "Europe/Berlin",
        True,
        deps.now(),
    )
    assert await profiles.ensure_user(deps, TEAM, USER) == user
    assert len(gateway.calls_to("profile")) == 1


async def test_a_profile_older_than_a_day_is_read_again(deps, gateway):
    gateway.add_user(USER, "ada", tz="Europe/Berlin")
    await profiles.ensure_user(deps, TEAM, USER)
    deps.clock.advance(days=1)
    gateway.add_user(USER, "ada l.", tz="America/New_York")
    user = await profiles.ensure_user(deps, TEAM, USER)
    assert user is not None and (user.display_name, user.tz) == ("ada l.", "America/New_York")
    assert len(gateway.calls_to("profile")) == 2


async def test_a_cached_profile_without_a_zone_is_read_again(deps, gateway):
    async with deps.storage.transaction() as uow:
        await uow.users.upsert(TEAM, USER, display_name="ada", now=deps.now())
    gateway.add_user(USER, "ada", tz="Asia/Tokyo")
    user = await profiles.ensure_user(deps, TEAM, USER)
    assert user is not None and user.tz == "Asia/Tokyo"


@pytest.mark.parametrize("zone", [None, "", "Mars/Olympus"])
async def test_an_unknown_zone_is_stored_as_utc(deps, gateway, zone):
    gateway.add_user(USER, "ada", tz=zone)
    user = await profiles.ensure_user(deps, TEAM, USER)
    assert user is not None and user.tz == "UTC"


async def test_slack_failing_keeps_what_was_known(deps, gateway):
    gateway.add_user(USER, "ada", tz="Europe/Berlin")
    known = await profiles.ensure_user(deps, TEAM, USER)
    deps.clock.advance(days=2)
    gateway.fail("profile", SlackUnavailable("fatal_error"))
    assert await profiles.ensure_user(deps, TEAM, USER) == known


async def test_slack_failing_on_first_sight_still_gives_a_row(deps, gateway):
    gateway.fail("profile", SlackUnavailable("fatal_error"))
    user = await profiles.ensure_user(deps, TEAM, USER)
    assert user is not None
    assert (user.display_name, user.tz, user.is_admin) == (None, "UTC", False)
    assert await profiles.user_tz(deps, TEAM, USER) == "UTC"


@pytest.mark.parametrize(
    ("zone", "known"),
    [("Europe/Berlin", True), ("UTC", True), ("", False), (None, False), ("Not/AZone", False)],
)
def test_known_zone(zone, known):
    assert profiles.known_zone(zone) is known


async def test_user_tz_is_the_profiles(deps, gateway):
    gateway.add_user(USER, "ada", tz="Asia/Kolkata")
    assert await profiles.user_tz(deps, TEAM, USER) == "Asia/Kolkata"


async def test_admins_are_configured_or_workspace_admins(storage, slack, clock, gateway):
    deps = make_deps(storage=storage, slack=slack, clock=clock, admin_user_ids={"U7"})
    gateway.add_user("U8", "owner", admin=True)
    gateway.add_user("U9", "member", admin=False)
    assert await profiles.is_admin(deps, TEAM, "U7")
    assert gateway.calls_to("profile") == []
    assert await profiles.is_admin(deps, TEAM, "U8")
    assert not await profiles.is_admin(deps, TEAM, "U9")
