"""Slack user profiles, cached in storage: display name, time zone, admin flag."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.core.records import User
from bot.core.schedule import ScheduleError, zone_for
from bot.ports.slack import SlackError
from bot.usecases.deps import Deps

log = logging.getLogger("mlquiz.profiles")
DEFAULT_TZ = "UTC"
# Profiles change (a move, a new admin); re-read them from Slack this often.
PROFILE_MAX_AGE = timedelta(days=1)


async def ensure_user(deps: Deps, team_id: str, user_id: str) -> User | None:
    """The cached profile, fetched from Slack on first sight or once a day."""
    async with deps.storage.reading() as uow:
        cached = await uow.users.get(team_id, user_id)
    if cached is not None and cached.tz and deps.now() - cached.updated_at < PROFILE_MAX_AGE:
        return cached
    try:
        profile = await deps.slack.gateway_for(team_id).profile(user_id)
    except SlackError as exc:
        # A profile we cannot read still gets a row, so answers are never refused for it.
        log.warning("users.info failed for %s: %s", user_id, exc.code)
        if cached is not None:
            return cached  # keep what we knew rather than forget the zone
        async with deps.storage.transaction() as uow:
            return await uow.users.upsert(team_id, user_id, tz=DEFAULT_TZ, now=deps.now())
    async with deps.storage.transaction() as uow:
        return await uow.users.upsert(
            team_id,
            user_id,
            display_name=profile.display_name,
            tz=profile.tz if known_zone(profile.tz) else DEFAULT_TZ,
            is_admin=profile.is_admin,
            now=deps.now(),
        )


def known_zone(tz: str | None) -> bool:
    if not tz:
        return False
    try:
        zone_for(tz)
    except ScheduleError:
        return False
    return True


async def user_tz(deps: Deps, team_id: str, user_id: str) -> str:
    user = await ensure_user(deps, team_id, user_id)
    return (user.tz if user else None) or DEFAULT_TZ


async def is_admin(deps: Deps, team_id: str, user_id: str) -> bool:
    """Workspace admins and owners, and the users listed in ADMIN_USER_IDS."""
    if user_id in deps.admin_user_ids:
        return True
    user = await ensure_user(deps, team_id, user_id)
    return bool(user and user.is_admin)
