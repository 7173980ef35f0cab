"""The packet (opened by readers only, every opening logged), the hiring manager's
decision, and closing a panel. Nothing here decides for anyone: the decision is the
hiring manager's, and the record says whether it goes against the panel's majority."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.core.panel_records import Scorecard
from bot.core.panel_rules import (
    DECISION_LABELS,
    CardSummary,
    Packet,
    against_majority,
    anchor_points,
    may_decide,
    may_read_scorecard,
    packet,
    packet_state,
)
from bot.ports.requests import ViewSubmission
from bot.ports.slack import SlackError, TriggerExpired
from bot.slack.blocks import panels as blocks
from bot.slack.blocks import plain
from bot.slack.text import escape
from bot.usecases.deps import Deps, ReplyTo, reply, reply_in
from bot.usecases.panels import shown
from bot.usecases.panels.access import NOT_FOUND, PanelView, member_view

log = logging.getLogger("mlquiz.panels")


def build_packet(deps: Deps, view: PanelView, cards: list[Scorecard]) -> Packet:
    """The packet of the cards that are in (pure apart from the bank lookups)."""
    required: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for planned in view.questions:
        question = deps.bank.get(planned.question_id)
        if question is not None:
            required[question.id] = [p.text for p in anchor_points(question)]
            titles[question.id] = question.title
    summaries = [
        CardSummary(
            interviewer=c.interviewer_id,
            recommendation=c.recommendation,
            question_ratings={r.question_id: r.rating for r in c.question_ratings},
            topic_ratings=dict(c.topic_ratings),
            shown_points={r.question_id: frozenset(r.shown_points) for r in c.question_ratings},
        )
        for c in cards
    ]
    return packet(summaries, view.panel.focus_topics, required, titles)


async def _readable(
    deps: Deps, team_id: str, user_id: str, ref: str, reply_to: ReplyTo
) -> tuple[PanelView, list[Scorecard], bool] | None:
    """The panel and the cards this reader may read, or None after saying why not."""
    view = await member_view(deps, team_id, user_id, ref)
    if view is None:
        await reply(deps, reply_to, plain(NOT_FOUND))
        return None
    members = view.members
    async with deps.storage.reading() as uow:
        cards = await uow.panels.scorecards(view.panel.id)
    expected = [i.interviewer_id for i in view.scheduled()]
    state = packet_state(
        expected, {c.interviewer_id for c in cards}, view.panel.debrief_at, deps.now()
    )
    opened = state.open or view.panel.packet_opened_at is not None
    # Once opened, the packet stays open (an interviewer declining later does not shut it).
    state = replace(state, open=opened)
    if user_id not in members.readers():
        await reply(
            deps,
            reply_to,
            plain("The packet is for the interviewers and the hiring manager only."),
        )
        return None
    if not opened:
        await reply(
            deps,
            reply_to,
            plain(
                f"The packet opens when every scorecard is in ({len(state.submitted)}/"
                f"{len(state.expected)} so far), or at the debrief."
            ),
        )
        return None
    readable = [c for c in cards if may_read_scorecard(user_id, c.interviewer_id, members, state)]
    if len(readable) < len(cards):
        await reply(
            deps,
            reply_to,
            plain("Submit your own scorecard first: then the packet opens for you."),
        )
        return None
    return view, readable, state.submitted != state.expected


async def open_packet(
    deps: Deps, *, team_id: str, user_id: str, ref: str, trigger_id: str, reply_to: ReplyTo
) -> None:
    found = await _readable(deps, team_id, user_id, ref, reply_to)
    if found is None:
        return
    view, cards, partial = found
    built = build_packet(deps, view, cards)
    titles = {
        q.question_id: question.title
        for q in view.questions
        if (question := deps.bank.get(q.question_id)) is not None
    }
    try:
        await deps.slack.gateway_for(team_id).open_view(
            trigger_id, blocks.packet_view(view.panel, built, cards, titles, partial=partial)
        )
    except TriggerExpired:
        await reply(deps, reply_to, plain("That took too long: open the packet again."))
        return
    except SlackError as exc:
        log.warning("views.open for a packet failed: %s", exc.code)
        await reply(deps, reply_to, plain("I couldn't open the packet. Please try again."))
        return
    async with deps.storage.transaction() as uow:
        await uow.panels.log_access(view.panel, user_id, "packet", deps.now())


async def open_decision(
    deps: Deps, *, team_id: str, user_id: str, ref: str, trigger_id: str, reply_to: ReplyTo
) -> None:
    view = await member_view(deps, team_id, user_id, ref)
    if view is None:
        await reply(deps, reply_to, plain(NOT_FOUND))
        return
    if not may_decide(user_id, view.members):
        await reply(deps, reply_to, plain("Only the hiring manager records the decision."))
        return
    if view.panel.packet_opened_at is None:
        await reply(deps, reply_to, plain("The decision comes after the packet opens."))
        return
    if view.panel.status not in ("live", "decided"):
        await reply(deps, reply_to, plain("This panel is closed."))
        return
    try:
        await deps.slack.gateway_for(team_id).open_view(
            trigger_id, blocks.decision_modal(view.panel)
        )
    except TriggerExpired:
        await reply(deps, reply_to, plain("That took too long: press the button again."))
    except SlackError as exc:
        log.warning("views.open for a decision failed: %s", exc.code)


async def check_decision(deps: Deps, submission: ViewSubmission) -> dict[str, str]:
    """Problems to show in the decision modal before the ack. A submission from anyone
    but the hiring manager (a forged one) is refused there, not dropped in silence
    after the modal closed as if it had been recorded."""
    view = await member_view(
        deps, submission.team_id, submission.user_id, submission.private_metadata
    )
    if view is None:
        return {"decision": NOT_FOUND}
    if not may_decide(submission.user_id, view.members):
        return {"decision": "Only the hiring manager records the decision."}
    return decision_problems(submission)


def decision_problems(submission: ViewSubmission) -> dict[str, str]:
    decision = submission.values.get("decision.decision", "")
    reason = submission.values.get("reason.reason", "")
    found = {}
    if decision not in DECISION_LABELS:
        found["decision"] = "Choose the decision."
    if not isinstance(reason, str) or not reason.strip():
        found["reason"] = "Say why, for the record."
    return found


async def submit_decision(deps: Deps, submission: ViewSubmission) -> None:
    team_id, user_id = submission.team_id, submission.user_id
    view = await member_view(deps, team_id, user_id, submission.private_metadata)
    if view is None or not may_decide(user_id, view.members):
        return
    if decision_problems(submission) or view.panel.status not in ("live", "decided"):
        await reply(deps, submission.reply_to, plain("The decision was not recorded."))
        return
    decision = str(submission.values["decision.decision"])
    reason = str(submission.values["reason.reason"]).strip()[:2000]
    now = deps.now()
    async with deps.storage.transaction() as uow:
        cards = await uow.panels.scorecards(view.panel.id)
        majority = build_packet(deps, view, cards).majority
        against = against_majority(decision, majority)
        record = await uow.panels.decide(
            view.panel, user_id, decision, reason, against_majority=against, now=now
        )
        await uow.panels.transition(view.panel.id, ("live", "decided"), "decided", now)
        await uow.panels.cancel_panel_reminders(view.panel.id)
        message = blocks.decision_message(
            view.panel, decision, against_majority=against, by=user_id
        )
        target = view.panel.debrief_channel
        if target:
            await uow.outbox.add(
                shown.post(view.panel, f"panel-decision:{record.id}", target, message), now
            )
        else:
            await uow.outbox.add(
                shown.dm(view.panel, f"panel-decision:{record.id}", user_id, message), now
            )
        await reply_in(
            uow,
            submission.reply_to,
            plain(f"Recorded: *{DECISION_LABELS[decision]}* for {view.panel.code}."),
            now,
        )


async def close(deps: Deps, *, team_id: str, user_id: str, ref: str, reply_to: ReplyTo) -> None:
    """The coordinator or hiring manager closes the panel: reminders stop, scorecards
    no longer change; the data stays until the purge or the retention period."""
    view = await member_view(deps, team_id, user_id, ref)
    if view is None:
        await reply(deps, reply_to, plain(NOT_FOUND))
        return
    panel = view.panel
    if user_id not in (panel.coordinator_id, panel.hiring_manager_id):
        await reply(deps, reply_to, plain("Only the coordinator or hiring manager closes it."))
        return
    now = deps.now()
    async with deps.storage.transaction() as uow:
        if not await uow.panels.transition(panel.id, ("draft", "live", "decided"), "closed", now):
            await reply_in(uow, reply_to, plain("This panel is closed already."), now)
            return
        await uow.panels.cancel_panel_reminders(panel.id)
        await reply_in(
            uow,
            reply_to,
            plain(
                f"Panel *{panel.code}* ({escape(panel.role)}) is closed. Its data is kept "
                f"until `/mlquiz panel purge {panel.id}` or the retention period."
            ),
            now,
        )
