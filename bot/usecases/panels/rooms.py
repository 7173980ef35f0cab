"""The debrief room: a private channel named by the candidate code (never the name),
or a group DM where the workspace forbids the app to create channels.

A room is made under a lease, and found before it is made again: a crash between
creating the channel and recording it leaves a channel of that name, which the retry
adopts instead of failing on `name_taken` or making a second one."""

from __future__ import annotations

import logging

from bot.core.leases import LeasePolicy
from bot.core.panel_records import Panel
from bot.core.panel_rules import debrief_channel_name
from bot.ports.slack import Forbidden, SlackError, SlackGateway
from bot.slack.blocks import plain
from bot.usecases.deps import Deps, new_key
from bot.usecases.panels import shown
from bot.usecases.panels.access import PanelView, load

log = logging.getLogger("mlquiz.panels")
MAX_GROUP_DM = 8  # conversations.open takes at most 8 people


def room_key(panel: Panel) -> str:
    return f"panel-room:{panel.id}"


async def _make_room(gateway: SlackGateway, view: PanelView) -> str:
    name = debrief_channel_name(view.panel.code)
    people = [p for p in view.everyone() if p != gateway.bot_user_id]
    try:
        channel = await gateway.find_channel(name)
        if channel is None:
            try:
                channel = await gateway.create_private_channel(name)
            except SlackError as exc:
                if exc.code != "name_taken":
                    raise
                channel = await gateway.find_channel(name)
                if channel is None:
                    raise
        await gateway.invite(channel, people)
        return channel
    except Forbidden as exc:
        # The workspace does not let apps create channels: a group DM holds the same
        # people, privately.
        log.info("panel %s: no private channel (%s), using a group DM", view.panel.id, exc.code)
        return await gateway.open_group_dm(people[:MAX_GROUP_DM])


async def open_rooms(deps: Deps) -> int:
    """Give every live panel without one its debrief room, then post its progress."""
    async with deps.storage.reading() as uow:
        panels = [p for p in await uow.panels.in_status(("live",)) if p.debrief_channel is None]
    made = 0
    for panel in panels:
        if await open_room(deps, panel, deps.leases):
            made += 1
    return made


async def open_room(deps: Deps, panel: Panel, policy: LeasePolicy) -> bool:
    now = deps.now()
    key = room_key(panel)
    async with deps.storage.transaction() as uow:
        if not await uow.leases.take(
            key, team_id=panel.team_id, kind="panel-room", owner=deps.owner, now=now, policy=policy
        ):
            return False
        view = await load(uow, panel)
    try:
        channel = await _make_room(deps.slack.gateway_for(panel.team_id), view)
    except SlackError as exc:
        log.warning("panel %s: debrief room failed: %s", panel.id, exc.code)
        async with deps.storage.transaction() as uow:
            await uow.leases.finish(key, owner=deps.owner, now=deps.now(), error=exc.code)
        return False
    async with deps.storage.transaction() as uow:
        current = await uow.panels.get(panel.id)
        if current is None or current.debrief_channel is not None:
            await uow.leases.finish(key, owner=deps.owner, now=deps.now())
            return False
        await uow.panels.set_debrief_channel(panel.id, channel)
        current = await uow.panels.get(panel.id)
        assert current is not None
        fresh = await load(uow, current)
        submitted = await uow.panels.submitted(panel.id)
        await uow.outbox.add(
            shown.post(
                current, shown.progress_key(current), channel, shown.progress(fresh, submitted)
            ),
            deps.now(),
        )
        await uow.leases.finish(key, owner=deps.owner, now=deps.now())
    return True


async def change_room_members(
    deps: Deps, panel: Panel, *, joining: list[str], leaving: list[str]
) -> None:
    """A replacement joins the room and the person replaced leaves it (after the commit:
    Slack is never awaited inside a transaction). A group DM cannot change its people:
    the coordinator is told instead."""
    if panel.debrief_channel is None:
        return  # a room made later invites whoever is on the panel then
    gateway = deps.slack.gateway_for(panel.team_id)
    try:
        if joining:
            await gateway.invite(panel.debrief_channel, joining)
        for user in leaving:
            await gateway.remove(panel.debrief_channel, user)
    except SlackError as exc:
        log.warning("panel %s: changing the room's members failed: %s", panel.id, exc.code)
        if exc.code != "method_not_supported_for_channel_type":
            return
        note = plain(
            f"The debrief for *{panel.code}* is a group DM, and Slack cannot add or remove "
            "people in one: "
            + " ".join(f"<@{u}> joins" for u in joining)
            + (" and " if joining and leaving else "")
            + " ".join(f"<@{u}> leaves" for u in leaving)
            + ". Start a new group DM for the debrief if they need it; the packet itself is "
            "only ever shown to current members."
        )
        async with deps.storage.transaction() as uow:
            await uow.outbox.add(
                shown.dm(panel, new_key("room-members"), panel.coordinator_id, note),
                deps.now(),
            )
