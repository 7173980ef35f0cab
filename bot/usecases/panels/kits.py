"""Interviewers' private kits: the expected answer on request, "the candidate knew
this", "I did not interview", the kit again, the rubric removed after the interview,
and the changes that re-send kits (an interviewer replaced, an interview moved)."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.panel_plan import PlanningError, Seat, replan_seat
from bot.core.panel_records import Interview, PanelQuestion
from bot.core.panel_rules import reminder_times
from bot.ports.slack import SlackError, TriggerExpired
from bot.ports.storage import UnitOfWork
from bot.slack.blocks import panels as blocks
from bot.slack.blocks import plain
from bot.slack.parser.panels import mention, parse_local_time
from bot.slack.text import escape
from bot.usecases.deps import Deps, ReplyTo, reply, reply_in
from bot.usecases.panels import shown
from bot.usecases.panels.access import NOT_FOUND, PanelView, load, member_view
from bot.usecases.panels.progress import refresh_progress
from bot.usecases.panels.rooms import change_room_members
from bot.usecases.profiles import user_tz

log = logging.getLogger("mlquiz.panels")


def _split(value: str) -> tuple[str, str] | None:
    ref, _, question_id = value.partition("|")
    return (ref, question_id) if ref and question_id else None


async def _interviewer(
    deps: Deps, team_id: str, user_id: str, ref: str, reply_to: ReplyTo
) -> tuple[PanelView, Interview] | None:
    view = await member_view(deps, team_id, user_id, ref)
    if view is None:
        await reply(deps, reply_to, plain(NOT_FOUND))
        return None
    interview = view.interview_of(user_id)
    if interview is None:
        await reply(deps, reply_to, plain("Only the panel's interviewers have kits."))
        return None
    return view, interview


async def open_expected_answer(
    deps: Deps, *, team_id: str, user_id: str, value: str, trigger_id: str, reply_to: ReplyTo
) -> None:
    parts = _split(value)
    if parts is None:
        return
    found = await _interviewer(deps, team_id, user_id, parts[0], reply_to)
    if found is None:
        return
    view, interview = found
    mine = {q.question_id for q in view.questions_of(interview)}
    question = deps.bank.get(parts[1]) if parts[1] in mine else None
    if question is None:
        await reply(deps, reply_to, plain("That question is not in your kit."))
        return
    try:
        await deps.slack.gateway_for(team_id).open_view(
            trigger_id, blocks.expected_answer_view(question)
        )
    except TriggerExpired:
        await reply(deps, reply_to, plain("That took too long: press *Expected answer* again."))
    except SlackError as exc:
        log.warning("views.open for an expected answer failed: %s", exc.code)


async def candidate_knew(
    deps: Deps, *, team_id: str, user_id: str, value: str, reply_to: ReplyTo
) -> None:
    """The question is retired from this candidate and its exposure counted; the
    scorecard no longer asks for a rating of it."""
    parts = _split(value)
    if parts is None:
        return
    found = await _interviewer(deps, team_id, user_id, parts[0], reply_to)
    if found is None:
        return
    view, interview = found
    if parts[1] not in {q.question_id for q in view.questions_of(interview)}:
        await reply(deps, reply_to, plain("That question is not in your kit."))
        return
    panel, now = view.panel, deps.now()
    question = deps.bank.get(parts[1])
    title = escape(question.title) if question else parts[1]
    async with deps.storage.transaction() as uow:
        await uow.panels.note_asked(
            panel.team_id, panel.code, [parts[1]], panel_id=panel.id, reason="knew", now=now
        )
        await uow.panels.expose(panel.team_id, [parts[1]], now)
        await reply_in(
            uow,
            reply_to,
            plain(
                f"Noted: the candidate knew *{title}*. It is never planned for them again, "
                "and your scorecard will not ask you to rate it."
            ),
            now,
        )


async def did_not_interview(
    deps: Deps, *, team_id: str, user_id: str, value: str, reply_to: ReplyTo
) -> None:
    found = await _interviewer(deps, team_id, user_id, value, reply_to)
    if found is None:
        return
    view, interview = found
    panel, now = view.panel, deps.now()
    async with deps.storage.transaction() as uow:
        if await uow.panels.scorecard(panel.id, user_id) is not None:
            await reply_in(
                uow,
                reply_to,
                plain("You submitted a scorecard already, so you did interview."),
                now,
            )
            return
        await uow.panels.set_interview_status(interview.id, "did_not_interview")
        await uow.panels.cancel_reminders(interview.id)
        await uow.outbox.add(
            shown.dm(
                panel,
                f"declined:{interview.id}",
                panel.coordinator_id,
                plain(
                    f"<@{user_id}> says they did not interview for *{panel.code}*: their "
                    "reminders are off and the packet no longer waits for them. To put "
                    f"someone else in: `/mlquiz panel replace {panel.id} @{user_id} @someone`."
                ),
            ),
            now,
        )
        await refresh_progress(deps, uow, panel.id)
        await reply_in(uow, reply_to, plain("Thanks: your reminders are off."), now)


async def show_kit(deps: Deps, *, team_id: str, user_id: str, ref: str, reply_to: ReplyTo) -> None:
    """The kit again, privately, as long as the rubric has not been removed."""
    found = await _interviewer(deps, team_id, user_id, ref, reply_to)
    if found is None:
        return
    view, interview = found
    if view.panel.status == "draft":
        await reply(deps, reply_to, plain("The plan is not confirmed yet: no kits so far."))
        return
    if interview.kit_redacted:
        await reply(
            deps,
            reply_to,
            plain("Your interview is over and the rubric was removed; your scorecard is open."),
        )
        return
    await reply(deps, reply_to, shown.kit(deps, view, interview))


async def redact_kits(deps: Deps) -> int:
    """Remove the rubric from kits a set time after their interview, so it stops
    turning up in Slack search. The flag and the edit commit together."""
    now = deps.now()
    async with deps.storage.reading() as uow:
        due = await uow.panels.kits_to_redact(now)
    done = 0
    for interview in due:
        async with deps.storage.transaction() as uow:
            current = await uow.panels.get_interview(interview.id)
            panel = await uow.panels.get(interview.panel_id)
            if current is None or panel is None or current.kit_redacted:
                continue
            await uow.panels.set_kit_redacted(current.id)
            if current.status == "scheduled" and await uow.outbox.by_key(shown.kit_key(current)):
                await uow.outbox.add(
                    shown.edit(
                        panel,
                        shown.kit_key(current),
                        blocks.kit_redacted(panel, current),
                        user_id=current.interviewer_id,
                    ),
                    now,
                )
            done += 1
    return done


async def _coordinated(
    deps: Deps, team_id: str, user_id: str, ref: str, reply_to: ReplyTo
) -> PanelView | None:
    view = await member_view(deps, team_id, user_id, ref)
    if view is None:
        await reply(deps, reply_to, plain(NOT_FOUND))
        return None
    if user_id != view.panel.coordinator_id:
        await reply(deps, reply_to, plain("Only the panel's coordinator can change it."))
        return None
    if view.panel.status not in ("draft", "live"):
        await reply(deps, reply_to, plain("This panel is decided or closed: it cannot change."))
        return None
    return view


async def _send_kit(
    deps: Deps,
    uow: UnitOfWork,
    view: PanelView,
    interview: Interview,
    now: datetime,
    *,
    moved: bool = False,
) -> None:
    await uow.outbox.add(
        shown.dm(
            view.panel,
            shown.kit_key(interview),
            interview.interviewer_id,
            shown.kit(deps, view, interview),
        ),
        now,
    )
    await uow.panels.add_reminders(
        interview,
        [(r.kind, r.at) for r in reminder_times(interview.ends_at, interview.tz)],
        again=moved,
    )


async def _withdraw_kit(
    uow: UnitOfWork, view: PanelView, interview: Interview, now: datetime
) -> None:
    """The old kit message is deleted: its holder no longer needs the rubric."""
    if await uow.outbox.by_key(shown.kit_key(interview)) is not None:
        await uow.outbox.add(shown.delete(view.panel, shown.kit_key(interview)), now)


async def replace_interviewer(
    deps: Deps, *, team_id: str, user_id: str, ref: str, args: tuple[str, ...], reply_to: ReplyTo
) -> None:
    """`panel replace ID @old @new`: the newcomer takes the seat and its questions where
    they fit; only their kit is sent (and the old one withdrawn)."""
    view = await _coordinated(deps, team_id, user_id, ref, reply_to)
    if view is None:
        return
    people = [mention(a) for a in args]
    if len(people) != 2 or None in people:
        await reply(deps, reply_to, plain("Write it as `/mlquiz panel replace ID @old @new`."))
        return
    old, new = str(people[0]), str(people[1])
    seat = view.interview_of(old)
    if seat is None:
        await reply(deps, reply_to, plain(f"<@{old}> is not interviewing on this panel."))
        return
    if view.interview_of(new) is not None:
        await reply(deps, reply_to, plain(f"<@{new}> is on this panel already."))
        return
    tz = await user_tz(deps, team_id, new)
    now = deps.now()
    async with deps.storage.transaction() as uow:
        request = await shown.plan_request(uow, view)
        try:
            plan = replan_seat(
                list(deps.bank),
                request,
                shown.stored_plan(view),
                old,
                Seat(new, seat.minutes),
                deps.rng,
            )
        except PlanningError as exc:
            await reply_in(uow, reply_to, plain(f"I couldn't replace them: {exc}."), now)
            return
        await uow.panels.set_interview_status(seat.id, "replaced")
        await uow.panels.cancel_reminders(seat.id)
        newcomer = await uow.panels.add_interview(
            view.panel, new, starts_at=seat.starts_at, minutes=seat.minutes, tz=tz
        )
        await uow.panels.set_questions(
            view.panel.id,
            newcomer.id,
            [
                PanelQuestion(newcomer.id, n, q.question_id, q.minutes, q.topics)
                for n, q in enumerate(plan.by_interviewer[new])
            ],
        )
        fresh = await load(uow, view.panel)
        if view.panel.status == "live":
            await _withdraw_kit(uow, view, seat, now)
            await _send_kit(deps, uow, fresh, newcomer, now)
            await refresh_progress(deps, uow, view.panel.id)
            await uow.outbox.add(
                shown.dm(
                    view.panel,
                    f"replaced:{seat.id}",
                    old,
                    plain(
                        f"You are no longer interviewing for *{view.panel.code}*; "
                        "thanks. Your kit was withdrawn."
                    ),
                ),
                now,
            )
        else:
            await uow.outbox.add(
                shown.edit(
                    view.panel,
                    shown.plan_key(view.panel),
                    shown.plan_message(deps, fresh, plan.shortfalls),
                    user_id=view.panel.coordinator_id,
                ),
                now,
            )
        await reply_in(
            uow, reply_to, plain(f"<@{new}> replaces <@{old}> on *{view.panel.code}*."), now
        )
    # The newcomer joins the debrief room if it exists already (a room made later
    # invites every current member).
    async with deps.storage.reading() as uow:
        current = await uow.panels.get(view.panel.id)
    if current is not None and current.status == "live":
        await change_room_members(deps, current, joining=[new], leaving=[old])


async def move_interview(
    deps: Deps, *, team_id: str, user_id: str, ref: str, args: tuple[str, ...], reply_to: ReplyTo
) -> None:
    """`panel move ID @who 2026-12-03T14:00`: that interview's time changes, its kit is
    sent again with the new time, and its reminders follow; nothing else changes."""
    view = await _coordinated(deps, team_id, user_id, ref, reply_to)
    if view is None:
        return
    who = mention(args[0]) if args else None
    tz = await user_tz(deps, team_id, user_id)
    starts = parse_local_time(" ".join(args[1:]), tz) if len(args) > 1 else None
    if who is None or starts is None:
        await reply(
            deps,
            reply_to,
            plain("Write it as `/mlquiz panel move ID @who 2026-12-03T14:00` (your time zone)."),
        )
        return
    now = deps.now()
    if starts <= now:
        await reply(deps, reply_to, plain("The new time must be in the future."))
        return
    interview = view.interview_of(who)
    if interview is None:
        await reply(deps, reply_to, plain(f"<@{who}> is not interviewing on this panel."))
        return
    async with deps.storage.transaction() as uow:
        await uow.panels.move_interview(interview.id, starts)
        moved = await uow.panels.get_interview(interview.id)
        assert moved is not None
        fresh = await load(uow, view.panel)
        if view.panel.status == "live":
            await _withdraw_kit(uow, view, interview, now)
            await _send_kit(deps, uow, fresh, moved, now, moved=True)
        else:
            await uow.outbox.add(
                shown.edit(
                    view.panel,
                    shown.plan_key(view.panel),
                    shown.plan_message(deps, fresh),
                    user_id=view.panel.coordinator_id,
                ),
                now,
            )
        await reply_in(uow, reply_to, plain(f"<@{who}>'s interview is moved."), now)
