"""Slack user profiles, cached in storage (display name, time zone, admin flag)."""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_sdk.errors import SlackApiError

from bot.usecases.context import AppContext

log = logging.getLogger("mlquiz.users")
DEFAULT_TZ = "UTC"
# Profiles change (a move, a new admin); re-read them from Slack this often.
PROFILE_MAX_AGE = timedelta(days=1)


async def ensure_user(ctx: AppContext, team_id: str, user_id: str):
    """The cached profile, fetched from Slack on first sight."""
    cached = await ctx.store.users.get(team_id, user_id)
    if cached is not None and cached.tz and ctx.now() - cached.updated_at < PROFILE_MAX_AGE:
        return cached
    try:
        response = await ctx.client.users_info(user=user_id)
        info = response["user"]
        await ctx.store.users.upsert(
            team_id,
            user_id,
            display_name=(info.get("profile") or {}).get("display_name") or info.get("real_name"),
            tz=info.get("tz") or DEFAULT_TZ,
            is_admin=bool(info.get("is_admin") or info.get("is_owner")),
            now=ctx.now(),
        )
    except SlackApiError as exc:
        # A profile we cannot read still gets a row, so answers are never refused for it.
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
        if cached is not None:
            return cached  # keep what we knew rather than forget the zone
        await ctx.store.users.upsert(team_id, user_id, tz=DEFAULT_TZ, now=ctx.now())
    return await ctx.store.users.get(team_id, user_id)


async def user_tz(ctx: AppContext, team_id: str, user_id: str) -> str:
    user = await ensure_user(ctx, team_id, user_id)
    return (user.tz if user else None) or DEFAULT_TZ
