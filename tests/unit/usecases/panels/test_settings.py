"""`/mlquiz config panel …`: a workspace's panel settings, for admins, within ranges."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.panel_records import PanelSettings
from bot.usecases.panels import settings
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import ADMIN, COORDINATOR, last_reply, to


async def configure(deps, *args, user=ADMIN):
    await settings.configure(deps, team_id=TEAM, user_id=user, args=args, reply_to=to(user))


async def stored(deps):
    async with deps.storage.reading() as uow:
        return await uow.panels.settings(TEAM)


async def test_an_admin_reads_the_settings(deps):
    await configure(deps)
    shown = last_reply(deps, ADMIN)
    assert shown.startswith("*Panel settings:*\n")
    assert "`leak_guard_days=30`" in shown and "`retention_days=180`" in shown
    assert "`kit_redact_hours=24`" in shown
    assert fake(deps).state.panel_settings == {}


async def test_an_admin_changes_some_and_keeps_the_rest(deps):
    await configure(deps, "retention_days=90", "KIT_REDACT_HOURS=6")
    assert await stored(deps) == PanelSettings(TEAM, 30, 90, 6)
    assert last_reply(deps, ADMIN).startswith("*Panel settings saved:*")
    await configure(deps, "leak_guard_days=0")
    assert await stored(deps) == PanelSettings(TEAM, 0, 90, 6)


async def test_admins_listed_in_the_configuration_count(deps):
    deps = replace(deps, admin_user_ids=frozenset({COORDINATOR}))
    await configure(deps, "retention_days=30", user=COORDINATOR)
    assert (await stored(deps)).retention_days == 30


async def test_only_admins_change_panel_settings(deps):
    await configure(deps, "retention_days=1", user=COORDINATOR)
    assert last_reply(deps, COORDINATOR) == "Only workspace admins change panel settings."
    assert await stored(deps) == PanelSettings(TEAM)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("retention_days=0",), "`retention_days` takes a whole number from 1 to 3650."),
        (("leak_guard_days=3651",), "`leak_guard_days` takes a whole number from 0 to 3650."),
        (("kit_redact_hours=721",), "`kit_redact_hours` takes a whole number from 1 to 720."),
        (("kit_redact_hours=-1",), "`kit_redact_hours` takes a whole number from 1 to 720."),
        (("kit_redact_hours=1.5",), "`kit_redact_hours` takes a whole number from 1 to 720."),
        (("retention_days=³",), "`retention_days` takes a whole number from 1 to 3650."),
        (("retention=30",), "I don't know `retention=30`."),
        (("retention_day=30",), "Did you mean `retention_days`?"),
        (("retention_days",), "Did you mean `retention_days`?"),
        (("retention_days=30", "kit_redact_hours=0"), "from 1 to 720"),
    ],
)
async def test_a_wrong_setting_changes_nothing(deps, args, said):
    await configure(deps, *args)
    assert last_reply(deps, ADMIN).startswith("Nothing changed. ")
    assert said in last_reply(deps, ADMIN)
    assert await stored(deps) == PanelSettings(TEAM)
