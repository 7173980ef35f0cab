"""The debrief room: a private channel named by the code, made once under a lease,
adopted when it exists already, a group DM where channels are forbidden."""

from __future__ import annotations

from bot.core.panel_rules import debrief_channel_name
from bot.ports.slack import Forbidden, SlackError
from bot.usecases.panels import rooms
from tests.unit.builders import fake
from tests.unit.fakes import TEAM, Call
from tests.unit.panel_builders import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    NAME,
    current,
    draft,
    live,
    text_of,
)

EVERYONE = [*INTERVIEWERS, HIRING_MANAGER, COORDINATOR]


def room_name(panel):
    return debrief_channel_name(panel.code)


async def test_a_live_panel_gets_a_private_channel_named_by_its_code_once(deps, gateway):
    panel = await live(deps)
    await draft(deps)  # a draft gets no room
    assert await rooms.open_rooms(deps) == 1
    name = room_name(panel)
    assert name == "debrief-" + panel.code.lower() and "grace" not in name
    assert gateway.calls_to("create_private_channel") == [{"name": name}]
    channel = f"G{name.upper()}"
    assert gateway.calls_to("invite") == [{"channel": channel, "users": EVERYONE}]
    assert (await current(deps, panel.id)).debrief_channel == channel
    (progress,) = fake(deps).messages(key=f"panel-progress:{panel.id}")
    assert (progress.action, progress.channel_id) == ("post", channel)
    assert progress.subject == f"panel:{panel.id}"
    assert f"Scorecards 0/{len(INTERVIEWERS)}" in progress.text and NAME not in text_of(progress)
    lease = fake(deps).state.leases[rooms.room_key(panel)]
    assert (lease.status, lease.kind) == ("done", "panel-room")
    assert await rooms.open_rooms(deps) == 0
    assert len(gateway.calls_to("create_private_channel")) == 1


async def test_a_channel_made_before_a_crash_is_adopted(deps, gateway):
    panel = await live(deps)
    gateway.channels_made.add(room_name(panel))  # created, but never recorded
    assert await rooms.open_rooms(deps) == 1
    assert gateway.calls_to("create_private_channel") == []
    assert (await current(deps, panel.id)).debrief_channel == f"G{room_name(panel).upper()}"


async def test_name_taken_is_resolved_by_finding_the_channel(deps, gateway, monkeypatch):
    panel = await live(deps)
    answers = iter([None, "GFOUND"])  # not listed at first; there once Slack says taken

    async def find_channel(name):
        gateway.calls.append(Call("find_channel", {"name": name}))
        return next(answers)

    monkeypatch.setattr(gateway, "find_channel", find_channel)
    gateway.fail("create_private_channel", SlackError("name_taken"))
    assert await rooms.open_rooms(deps) == 1
    assert (await current(deps, panel.id)).debrief_channel == "GFOUND"
    assert gateway.calls_to("invite") == [{"channel": "GFOUND", "users": EVERYONE}]


async def test_name_taken_by_a_channel_the_app_cannot_see_is_a_failure(deps, gateway):
    panel = await live(deps)
    gateway.fail("create_private_channel", SlackError("name_taken"))
    assert await rooms.open_rooms(deps) == 0
    assert (await current(deps, panel.id)).debrief_channel is None
    assert fake(deps).state.leases[rooms.room_key(panel)].last_error == "name_taken"


async def test_where_channels_are_forbidden_a_group_dm_holds_the_panel(deps, gateway):
    panel = await live(deps)
    gateway.fail("create_private_channel", Forbidden("restricted_action"))
    assert await rooms.open_rooms(deps) == 1
    (group,) = gateway.calls_to("open_group_dm")
    assert group == {"users": EVERYONE}
    channel = (await current(deps, panel.id)).debrief_channel
    assert channel == "G" + "".join(EVERYONE)
    assert fake(deps).messages(key=f"panel-progress:{panel.id}")[0].channel_id == channel


async def test_a_failure_is_recorded_on_the_lease_and_retried(deps, gateway, clock):
    panel = await live(deps)
    gateway.fail("create_private_channel", SlackError("fatal_error"))
    assert await rooms.open_rooms(deps) == 0
    lease = fake(deps).state.leases[rooms.room_key(panel)]
    assert (lease.status, lease.attempts, lease.last_error) == ("failed", 1, "fatal_error")
    assert (await current(deps, panel.id)).debrief_channel is None
    assert fake(deps).messages(key=f"panel-progress:{panel.id}") == []
    gateway.recover("create_private_channel")
    assert await rooms.open_rooms(deps) == 1
    lease = fake(deps).state.leases[rooms.room_key(panel)]
    assert (lease.status, lease.attempts) == ("done", 2)


async def test_a_room_being_made_by_a_live_process_is_left_to_it(deps):
    panel = await live(deps)
    async with deps.storage.transaction() as uow:
        await uow.processes.beat("other", host="h", pid=2, now=deps.now())
        assert await uow.leases.take(
            rooms.room_key(panel),
            team_id=TEAM,
            kind="panel-room",
            owner="other",
            now=deps.now(),
            policy=deps.leases,
        )
    assert await rooms.open_rooms(deps) == 0
    assert (await current(deps, panel.id)).debrief_channel is None


async def test_a_room_recorded_meanwhile_is_not_replaced(deps, gateway, monkeypatch):
    panel = await live(deps)
    real = gateway.create_private_channel

    async def create_while_another_records(name):
        async with deps.storage.transaction() as uow:
            await uow.panels.set_debrief_channel(panel.id, "GOTHER")
        return await real(name)

    monkeypatch.setattr(gateway, "create_private_channel", create_while_another_records)
    assert await rooms.open_rooms(deps) == 0
    assert (await current(deps, panel.id)).debrief_channel == "GOTHER"
    assert fake(deps).messages(key=f"panel-progress:{panel.id}") == []


async def test_changing_a_rooms_members_is_best_effort(deps, gateway):
    panel = await live(deps, room=True)
    gateway.fail("invite", SlackError("not_in_channel"))
    await rooms.change_room_members(deps, panel, joining=["UD"], leaving=["UA"])  # logged
    assert gateway.calls_to("invite")[-1]["users"] == ["UD"]
    notes = fake(deps).messages(action="dm", user_id=panel.coordinator_id)
    assert not [m for m in notes if m.key.startswith("room-members")]


async def test_a_replacement_joins_and_the_replaced_leaves(deps, gateway):
    panel = await live(deps, room=True)
    await rooms.change_room_members(deps, panel, joining=["UD"], leaving=["UA"])
    assert gateway.calls_to("invite")[-1] == {"channel": panel.debrief_channel, "users": ["UD"]}
    assert gateway.calls_to("remove") == [{"channel": panel.debrief_channel, "user": "UA"}]


async def test_a_group_dm_room_that_cannot_change_is_reported_to_the_coordinator(deps, gateway):
    panel = await live(deps, room=True)
    gateway.fail("invite", SlackError("method_not_supported_for_channel_type"))
    await rooms.change_room_members(deps, panel, joining=["UD"], leaving=["UA"])
    notes = [
        m
        for m in fake(deps).messages(action="dm", user_id=panel.coordinator_id)
        if m.key.startswith("room-members")
    ]
    assert len(notes) == 1 and "group DM" in notes[0].text and "<@UD> joins" in notes[0].text
