"""A new panel: the form (a modal or one line), checked field by field, then planned
and stored as a draft whose plan goes to the coordinator to adjust and confirm."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.core.panel_form import MAX_INTERVIEWERS, PanelForm, default_debrief, problems
from bot.core.panel_plan import PlanningError, PlanRequest, Seat, plan_panel, unknown_topics
from bot.core.panel_records import Panel, PanelQuestion
from bot.core.panel_rules import candidate_code, next_working_morning
from bot.ports.slack import NotFound, SlackError, TriggerExpired, Undeliverable
from bot.slack.blocks import panels as blocks
from bot.slack.blocks import plain
from bot.slack.parser.panels import panel_ref, parse_panel_line
from bot.slack.text import escape
from bot.usecases.deps import Deps, ReplyTo, reply, reply_in
from bot.usecases.panels import shown
from bot.usecases.panels.access import load, member_view
from bot.usecases.profiles import user_tz
from questionbank.topics import topic_label

log = logging.getLogger("mlquiz.panels")
PROFILE_CHECK_SECONDS = 1.5  # the modal's answer must leave within Slack's 3 seconds
FIELD_LABELS = {
    "role": "Role",
    "level": "Level",
    "candidate": "Candidate",
    "code": "Earlier candidate code",
    "interviewers": "Interviewers",
    "hiring_manager": "Hiring manager",
    "coordinator": "Coordinator",
    "topics": "Focus topics",
    "starts": "First interview",
    "minutes": "Minutes",
    "debrief": "Debrief",
    "options": "Options",
}


def interview_topics(deps: Deps) -> dict[str, str]:
    """Topic slug -> label, for topics that have interview questions."""
    return {slug: topic_label(slug) for slug in deps.bank.topics("interview")}


def topic_names(deps: Deps) -> dict[str, str]:
    """Every name a topic goes by (slug, slug with spaces, label) -> slug."""
    names: dict[str, str] = {}
    for slug, label in interview_topics(deps).items():
        for name in (slug, slug.replace("-", " "), label.lower()):
            names[name] = slug
    return names


def _default_times(now: datetime, tz: str) -> tuple[datetime, datetime]:
    """10:00 on the next working day in the creator's zone, debrief at 16:00."""
    morning = next_working_morning(now, tz).astimezone(ZoneInfo(tz))
    day = morning.date()
    zone = ZoneInfo(tz)
    return (
        datetime.combine(day, time(10, 0), zone),
        datetime.combine(day, time(16, 0), zone),
    )


async def open_new_panel_modal(
    deps: Deps, *, team_id: str, user_id: str, channel_id: str, trigger_id: str, reply_to: ReplyTo
) -> None:
    tz = await user_tz(deps, team_id, user_id)
    starts, debrief = _default_times(deps.now(), tz)
    view = blocks.panel_new_modal(
        interview_topics(deps), creator=user_id, starts=starts, debrief=debrief, metadata=channel_id
    )
    try:
        await deps.slack.gateway_for(team_id).open_view(trigger_id, view)
    except TriggerExpired:
        await reply(
            deps, reply_to, plain("I couldn't open the form in time: run the command again.")
        )
    except SlackError as exc:
        log.warning("views.open for a new panel failed: %s", exc.code)
        await reply(deps, reply_to, plain("I couldn't open the form. Please try again."))


async def _people_problems(deps: Deps, team_id: str, form: PanelForm) -> dict[str, str]:
    """People who cannot sit on a panel: unknown, deactivated or bots."""
    gateway = deps.slack.gateway_for(team_id)
    roles = {
        # At most a panel's worth is looked up (more is an error of its own).
        "interviewers": list(form.interviewers[:MAX_INTERVIEWERS]),
        "hiring_manager": [form.hiring_manager] if form.hiring_manager else [],
        "coordinator": [form.coordinator] if form.coordinator else [],
    }
    people = sorted({who for group in roles.values() for who in group})

    async def look(user: str) -> str | None:
        try:
            profile = await gateway.profile(user)
        except (NotFound, Undeliverable):
            # users.info answers user_not_found, which the gateway types as
            # undeliverable (it is a DM failure elsewhere): nobody of that id is here.
            return "is not in this workspace"
        except SlackError:
            return None  # Slack is slow or down: the worker checks again
        if profile.deleted:
            return "has left the workspace"
        if profile.is_bot:
            return "is a bot"
        return None

    try:
        found = await asyncio.wait_for(
            asyncio.gather(*(look(u) for u in people)), PROFILE_CHECK_SECONDS
        )
    except TimeoutError:
        return {}
    bad = {u: why for u, why in zip(people, found, strict=True) if why}
    result = {}
    for field, group in roles.items():
        wrong = [f"<@{u}> {bad[u]}" for u in group if u in bad]
        if wrong:
            result[field] = "; ".join(wrong) + "."
    return result


async def check_form(
    deps: Deps, team_id: str, user_id: str, form: PanelForm, *, candidate_code_given: str = ""
) -> dict[str, str]:
    """Every problem with the form, by field; empty when it can be planned."""
    now = deps.now()
    found = problems(form, now=now, known_topics=interview_topics(deps))
    asked: set[str] = set()
    if candidate_code_given:
        # A later round for the same candidate: their earlier questions are never
        # planned again, and their name comes along, so only a member of the earlier
        # panel may name it; anyone else hears what an unknown code gets.
        code = panel_ref(candidate_code_given)
        earlier = await member_view(deps, team_id, user_id, code) if isinstance(code, str) else None
        if earlier is None:
            found["code"] = "No earlier panel of yours has that candidate code."
        else:
            async with deps.storage.reading() as uow:
                asked = await uow.panels.asked_before(team_id, earlier.panel.code)
    async with deps.storage.reading() as uow:
        exposure = await uow.panels.exposure(team_id)
    if not found:
        request = _request(form, asked, exposure)
        try:
            plan = plan_panel(list(deps.bank), request, deps.rng)
        except PlanningError as exc:
            found["interviewers"] = f"This panel cannot be planned: {exc}."
        else:
            empty = [who for who, qs in plan.by_interviewer.items() if not qs]
            if empty:
                found["minutes"] = (
                    "No interview question fits in "
                    f"{form.minutes} minutes for {', '.join(f'<@{w}>' for w in empty)}."
                )
    # People who cannot sit on a panel are reported whatever else is wrong, next to
    # what their field already says, so one submission shows every problem.
    for field, problem in (await _people_problems(deps, team_id, form)).items():
        found[field] = f"{found[field]} {problem}" if field in found else problem
    return found


def _request(form: PanelForm, asked: set[str], exposure: dict[str, int]) -> PlanRequest:
    return PlanRequest(
        seats=tuple(Seat(who, form.minutes) for who in form.interviewers),
        focus_topics=form.topics,
        level=form.level,
        asked_before=frozenset(asked),
        exposure=exposure,
    )


def problems_text(found: dict[str, str]) -> str:
    lines = [f"• *{FIELD_LABELS.get(k, k)}*: {v}" for k, v in found.items()]
    return "The panel was not created:\n" + "\n".join(lines)


async def new_from_line(
    deps: Deps, *, team_id: str, user_id: str, rest: str, reply_to: ReplyTo
) -> Panel | None:
    """`/mlquiz panel new "Role" level @a @b … hm=@x topics=… start=…`."""
    tz = await user_tz(deps, team_id, user_id)
    parsed = parse_panel_line(rest, creator=user_id, tz=tz, topic_names=topic_names(deps))
    form = parsed.form
    if form.starts_at is None and "starts" not in parsed.problems:
        starts, _ = _default_times(deps.now(), tz)
        form = PanelForm(**{**form.__dict__, "starts_at": starts.astimezone(ZoneInfo("UTC"))})
    found = dict(parsed.problems)
    if not found:
        found = await check_form(
            deps, team_id, user_id, form, candidate_code_given=_code_option(rest)
        )
    if found:
        await reply(deps, reply_to, plain(problems_text(found)))
        return None
    return await create(
        deps,
        team_id=team_id,
        user_id=user_id,
        form=form,
        reply_to=reply_to,
        code=_code_option(rest),
    )


def _code_option(rest: str) -> str:
    for word in rest.split():
        key, sep, value = word.partition("=")
        if sep and key.lower() in ("code", "candidate"):
            return value
    return ""


async def new_from_modal(
    deps: Deps, *, team_id: str, user_id: str, form: PanelForm, code: str, reply_to: ReplyTo
) -> Panel | None:
    """A modal submission that passed its checks before the ack: checked once more
    (time went by, the bank may have changed), then created."""
    found = await check_form(deps, team_id, user_id, form, candidate_code_given=code)
    if found:
        await reply(deps, reply_to, plain(problems_text(found)))
        return None
    return await create(
        deps, team_id=team_id, user_id=user_id, form=form, reply_to=reply_to, code=code
    )


async def create(
    deps: Deps, *, team_id: str, user_id: str, form: PanelForm, reply_to: ReplyTo, code: str = ""
) -> Panel:
    assert form.starts_at is not None
    tzs = {who: await user_tz(deps, team_id, who) for who in form.interviewers}
    now = deps.now()
    debrief = form.debrief_at or default_debrief(form)
    async with deps.storage.transaction() as uow:
        # Each panel has its own code; a later round for the same candidate carries
        # over what they were asked (never planned again) and their name.
        given = panel_ref(code) if code else None
        earlier = given if isinstance(given, str) else None
        asked = await uow.panels.asked_before(team_id, earlier) if earlier else set()
        name = form.candidate_name or (
            await uow.panels.candidate_name(team_id, earlier) if earlier else None
        )
        candidate = candidate_code(deps.rng, await uow.panels.codes(team_id))
        plan = plan_panel(
            list(deps.bank), _request(form, asked, await uow.panels.exposure(team_id)), deps.rng
        )
        panel = await uow.panels.create(
            team_id,
            code=candidate,
            role=form.role.strip(),
            level=form.level,
            coordinator_id=form.coordinator,
            hiring_manager_id=form.hiring_manager,
            focus_topics=form.topics,
            debrief_at=debrief,
            created_by=user_id,
            candidate_name=name or None,
            now=now,
        )
        if asked:
            await uow.panels.note_asked(
                team_id, candidate, sorted(asked), panel_id=panel.id, reason="planned", now=now
            )
        for who, starts in zip(form.interviewers, form.interview_starts(), strict=True):
            interview = await uow.panels.add_interview(
                panel, who, starts_at=starts, minutes=form.minutes, tz=tzs[who]
            )
            await uow.panels.set_questions(
                panel.id,
                interview.id,
                [
                    PanelQuestion(interview.id, n, q.question_id, q.minutes, q.topics)
                    for n, q in enumerate(plan.by_interviewer[who])
                ],
            )
        view = await load(uow, panel)
        await uow.outbox.add(
            shown.dm(
                panel,
                shown.plan_key(panel),
                panel.coordinator_id,
                shown.plan_message(deps, view, plan.shortfalls),
            ),
            now,
        )
        where = (
            "in your DMs"
            if panel.coordinator_id == user_id
            else f"with the coordinator, <@{panel.coordinator_id}>"
        )
        await reply_in(
            uow,
            reply_to,
            plain(
                f"📋 Panel *{panel.code}* for {escape(panel.role)} is planned. The plan is "
                f"{where}: swap questions there, then confirm to send the kits."
            ),
            now,
        )
    log.info("panel %s created with %d interviewers", panel.id, len(form.interviewers))
    unknown = unknown_topics(form.topics, list(deps.bank))
    if unknown:
        log.warning("panel %s has focus topics without questions: %s", panel.id, unknown)
    return panel
