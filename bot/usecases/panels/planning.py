"""The coordinator's draft: swap one question, re-roll one interviewer, confirm. Each
change is one transaction that stores the new plan and edits the plan message."""

from __future__ import annotations

from bot.core.panel_plan import Plan, PlanningError, reroll_interviewer, swap_question
from bot.core.panel_records import PanelQuestion
from bot.core.panel_rules import reminder_times
from bot.slack.blocks import plain
from bot.usecases.deps import Deps, ReplyTo, reply, reply_in
from bot.usecases.panels import shown
from bot.usecases.panels.access import NOT_FOUND, PanelView, load, member_view

ONLY_COORDINATOR = "Only the panel's coordinator can change or confirm its plan."


def _parts(value: str, count: int) -> list[str] | None:
    parts = value.split("|")
    return parts if len(parts) == count and all(parts) else None


async def _draft(
    deps: Deps, team_id: str, user_id: str, ref: str, reply_to: ReplyTo
) -> PanelView | None:
    view = await member_view(deps, team_id, user_id, ref)
    if view is None:
        await reply(deps, reply_to, plain(NOT_FOUND))
        return None
    if user_id != view.panel.coordinator_id:
        await reply(deps, reply_to, plain(ONLY_COORDINATOR))
        return None
    if view.panel.status != "draft":
        await reply(deps, reply_to, plain("This plan is confirmed already: the kits are out."))
        return None
    return view


async def _store(deps: Deps, view: PanelView, plan: Plan, changed: set[str]) -> None:
    now = deps.now()
    async with deps.storage.transaction() as uow:
        panel = await uow.panels.get(view.panel.id)
        if panel is None or panel.status != "draft":
            return  # confirmed in the meantime: the confirmed plan stands
        for interview in view.scheduled():
            if interview.interviewer_id not in changed:
                continue
            await uow.panels.set_questions(
                panel.id,
                interview.id,
                [
                    PanelQuestion(interview.id, n, q.question_id, q.minutes, q.topics)
                    for n, q in enumerate(plan.by_interviewer[interview.interviewer_id])
                ],
            )
        fresh = await load(uow, panel)
        await uow.outbox.add(
            shown.edit(
                panel,
                shown.plan_key(panel),
                shown.plan_message(deps, fresh, plan.shortfalls),
                user_id=panel.coordinator_id,
            ),
            now,
        )


async def swap(deps: Deps, *, team_id: str, user_id: str, value: str, reply_to: ReplyTo) -> None:
    parts = _parts(value, 3)
    if parts is None:
        return
    view = await _draft(deps, team_id, user_id, parts[0], reply_to)
    if view is None:
        return
    async with deps.storage.reading() as uow:
        request = await shown.plan_request(uow, view)
    plan = shown.stored_plan(view)
    if parts[1] not in plan.by_interviewer:
        await reply(deps, reply_to, plain("That interviewer is no longer on this panel."))
        return
    try:
        plan = swap_question(list(deps.bank), request, plan, parts[1], parts[2], deps.rng)
    except PlanningError as exc:
        await reply(deps, reply_to, plain(f"I couldn't swap that question: {exc}."))
        return
    await _store(deps, view, plan, {parts[1]})


async def reroll(deps: Deps, *, team_id: str, user_id: str, value: str, reply_to: ReplyTo) -> None:
    parts = _parts(value, 2)
    if parts is None:
        return
    view = await _draft(deps, team_id, user_id, parts[0], reply_to)
    if view is None:
        return
    async with deps.storage.reading() as uow:
        request = await shown.plan_request(uow, view)
    plan = shown.stored_plan(view)
    if parts[1] not in plan.by_interviewer:
        await reply(deps, reply_to, plain("That interviewer is no longer on this panel."))
        return
    try:
        plan = reroll_interviewer(list(deps.bank), request, plan, parts[1], deps.rng)
    except PlanningError as exc:
        await reply(deps, reply_to, plain(f"I couldn't re-roll: {exc}."))
        return
    await _store(deps, view, plan, {parts[1]})


async def confirm(deps: Deps, *, team_id: str, user_id: str, value: str, reply_to: ReplyTo) -> None:
    """Live: the questions count as asked for the candidate and as exposed, each
    interviewer's kit is sent and their reminders are set. Twice is once."""
    view = await _draft(deps, team_id, user_id, value, reply_to)
    if view is None:
        return
    now = deps.now()
    async with deps.storage.transaction() as uow:
        if not await uow.panels.transition(view.panel.id, ("draft",), "live", now):
            return
        panel = await uow.panels.get(view.panel.id)
        assert panel is not None
        live = await load(uow, panel)
        planned = [q.question_id for q in live.questions]
        await uow.panels.expose(panel.team_id, planned, now)
        await uow.panels.note_asked(
            panel.team_id, panel.code, planned, panel_id=panel.id, reason="planned", now=now
        )
        for interview in live.scheduled():
            await uow.outbox.add(
                shown.dm(
                    panel,
                    shown.kit_key(interview),
                    interview.interviewer_id,
                    shown.kit(deps, live, interview),
                ),
                now,
            )
            await uow.panels.add_reminders(
                interview,
                [(r.kind, r.at) for r in reminder_times(interview.ends_at, interview.tz)],
            )
        await uow.outbox.add(
            shown.edit(
                panel,
                shown.plan_key(panel),
                shown.plan_message(deps, live),
                user_id=panel.coordinator_id,
            ),
            now,
        )
        await reply_in(
            uow,
            reply_to,
            plain(
                f"✅ Panel *{panel.code}* is live: {len(live.scheduled())} kits are on their "
                "way, and a private debrief channel is being set up."
            ),
            now,
        )
