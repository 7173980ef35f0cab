"""The debrief room: a group DM of the same people where the workspace forbids apps to
create channels, and a room that was made before a crash (the channel exists in Slack,
the app never recorded it) adopted on the next tick instead of made twice."""

from __future__ import annotations

from bot.core.panel_rules import debrief_channel_name
from tests.e2e.helpers import message_text
from tests.e2e.panels.panel_helpers import (
    CANDIDATE,
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    live_panel,
    panel_record,
)

MEMBERS = {*INTERVIEWERS, HIRING_MANAGER, COORDINATOR}


def progress_messages(sandbox, room: str) -> list[dict]:
    return [m for m in sandbox.standin.messages(room) if m["text"].startswith("Scorecards")]


async def test_a_group_dm_holds_the_members_when_channels_are_forbidden(sandbox, clock):
    sandbox.standin.restrict_channel_creation()
    panel = await live_panel(sandbox, clock)
    await sandbox.tick()
    await sandbox.tick()
    room = (await panel_record(sandbox, panel.id)).debrief_channel
    assert room is not None
    assert sandbox.standin.call_count("conversations.create") == 1, "tried once, refused"
    info = sandbox.standin.channel_info(room)
    assert info["is_mpim"], info
    assert set(sandbox.standin.members(room)) >= MEMBERS
    [progress] = progress_messages(sandbox, room)
    assert f"0/{len(INTERVIEWERS)} submitted" in message_text(progress)
    assert CANDIDATE not in str(info) and CANDIDATE not in message_text(progress)


async def test_a_room_made_before_a_crash_is_adopted_not_made_twice(sandbox, clock):
    panel = await live_panel(sandbox, clock)
    # The app created the channel, then died before recording it: Slack has it (with
    # the app in it, as its creator), the panel has no room.
    name = debrief_channel_name(panel.code)
    sandbox.standin.add_channel("G0LEFTOVER", name=name, is_private=True, members=[])
    await sandbox.tick()
    await sandbox.tick()
    assert (await panel_record(sandbox, panel.id)).debrief_channel == "G0LEFTOVER"
    assert sandbox.standin.call_count("conversations.create") == 0
    named = [
        c for c in sandbox.standin.workspace.channels.values() if getattr(c, "name", None) == name
    ]
    assert len(named) == 1, "one room of that name"
    assert set(sandbox.standin.members("G0LEFTOVER")) >= MEMBERS
    assert len(progress_messages(sandbox, "G0LEFTOVER")) == 1
