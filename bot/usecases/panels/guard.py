"""The leak guard: questions planned into a live panel, or into one whose interviews
ended within the guard period, are held out of every public pool (the daily question,
`/mlquiz ask`, review), so no candidate meets a question a colleague just practised
in public and no interviewer's question turns up in a channel."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.ports.storage import UnitOfWork


async def held_out(uow: UnitOfWork, team_id: str, now: datetime) -> set[str]:
    settings = await uow.panels.settings(team_id)
    return await uow.panels.held_questions(team_id, now - timedelta(days=settings.leak_guard_days))
