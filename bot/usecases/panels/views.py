"""What a member sees of their panels: the list, one panel (in a modal, the only place
the candidate's name appears), App Home's "my interviews" and "scorecards due", and
their own interviewer calibration (admins see the team's). Never a public ranking of
interviewers."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from bot.core.panel_records import Interview, Panel
from bot.core.panel_rules import Calibration, RatingRecord, calibration
from bot.ports.slack import SlackError, TriggerExpired
from bot.ports.storage import UnitOfWork
from bot.slack.blocks import panels as blocks
from bot.slack.blocks import plain
from bot.usecases.deps import Deps, ReplyTo, reply
from bot.usecases.panels import shown
from bot.usecases.panels.access import NOT_FOUND, load, member_view

log = logging.getLogger("mlquiz.panels")
OVERDUE_AFTER = timedelta(hours=24)  # a scorecard a day after the interview is late


async def list_panels(deps: Deps, *, team_id: str, user_id: str, reply_to: ReplyTo) -> None:
    async with deps.storage.reading() as uow:
        panels = await uow.panels.for_member(team_id, user_id)
        rows = []
        for panel in panels[:20]:
            view = await load(uow, panel)
            submitted = await uow.panels.submitted(panel.id)
            expected = {i.interviewer_id for i in view.scheduled()}
            rows.append((panel, len(expected & submitted), len(expected)))
    await reply(deps, reply_to, blocks.panel_list(rows))


async def show_panel(
    deps: Deps, *, team_id: str, user_id: str, ref: str, trigger_id: str, reply_to: ReplyTo
) -> None:
    """The panel in a modal for a member: the candidate's name lives only here."""
    view = await member_view(deps, team_id, user_id, ref)
    if view is None:
        await reply(deps, reply_to, plain(NOT_FOUND))
        return
    async with deps.storage.reading() as uow:
        name = await uow.panels.candidate_name(team_id, view.panel.code)
        submitted = await uow.panels.submitted(view.panel.id)
    try:
        await deps.slack.gateway_for(team_id).open_view(
            trigger_id,
            blocks.panel_view(view.panel, name, shown.seat_views(deps, view), submitted),
        )
    except TriggerExpired:
        await reply(deps, reply_to, plain("That took too long: run the command again."))
        return
    except SlackError as exc:
        log.warning("views.open for a panel failed: %s", exc.code)
        return
    async with deps.storage.transaction() as uow:
        await uow.panels.log_access(view.panel, user_id, "panel", deps.now())


async def _records(uow: UnitOfWork, team_id: str) -> list[RatingRecord]:
    return [
        RatingRecord(
            panel_id=row.panel_id,
            interviewer=row.interviewer_id,
            mean_rating=row.mean_rating,
            submitted_after=max(timedelta(0), row.submitted_at - row.interview_end),
            cited_share=row.cited_share,
        )
        for row in await uow.panels.rating_history(team_id)
    ]


async def home_blocks(
    deps: Deps, uow: UnitOfWork, team_id: str, user_id: str, *, admin: bool, now: datetime
) -> list[Any]:
    """App Home's panel part (empty for someone who has never been on a panel)."""
    interviews = await uow.panels.interviews_for(team_id, user_id)
    upcoming: list[tuple[Panel, Interview]] = []
    due: list[tuple[Panel, Interview, bool]] = []
    for interview in interviews:
        panel = await uow.panels.get(interview.panel_id)
        if panel is None or panel.status != "live":
            continue
        if interview.starts_at > now:
            upcoming.append((panel, interview))
        elif await uow.panels.scorecard(panel.id, user_id) is None:
            due.append((panel, interview, now - interview.ends_at > OVERDUE_AFTER))
    stats = calibration(await _records(uow, team_id))
    mine = stats.get(user_id)
    team = list(stats.values()) if admin else []
    if not (upcoming or due or mine or team):
        return []
    return blocks.home_section(upcoming, due, mine, _team_view(team))


def _team_view(team: list[Calibration]) -> list[Calibration]:
    # Alphabetical by user id, never by leniency: this is for calibration, not a ranking.
    return sorted(team, key=lambda c: c.interviewer)
