"""Interview panels on screen: the new-panel form, the plan, private kits, the scorecard,
progress, the debrief packet and the decision.

The candidate's name appears only in `panel_view`, a modal opened by a panel member;
every message names the candidate by code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    CheckboxesElement,
    DateTimePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    StaticSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.blocks import (
    StaticMultiSelectElement as MultiStaticSelectElement,
)
from slack_sdk.models.views import View

from bot.core.panel_plan import LEVELS
from bot.core.panel_records import Interview, Panel, Scorecard
from bot.core.panel_rules import (
    DECISION_LABELS,
    RECOMMENDATION_LABELS,
    RECOMMENDATIONS,
    Anchor,
    Calibration,
    Finding,
    Packet,
)
from bot.ports.slack import Message
from bot.slack.blocks import ids
from bot.slack.blocks.common import (
    actions,
    button,
    context,
    divider,
    header,
    long_sections,
    render,
    section,
)
from bot.slack.blocks.daily import slack_date
from bot.slack.text import escape, truncate
from questionbank.models import Question
from questionbank.topics import topic_label

MINUTE_CHOICES = (30, 45, 60, 75, 90)
MAX_NOTES = 3000


def _option(text: str, value: str) -> Option:
    return Option(text=truncate(text, 75), value=value)


def _when(moment: datetime) -> str:
    """A time every reader sees in their own zone."""
    return slack_date(moment, moment.strftime("%Y-%m-%d %H:%M UTC"))


# ---------------------------------------------------------------- creating a panel


def panel_new_modal(
    topics: Mapping[str, str],
    *,
    creator: str,
    starts: datetime,
    debrief: datetime,
    metadata: str = "",
) -> dict[str, Any]:
    topic_options = [_option(label, slug) for slug, label in list(topics.items())[:100]]
    blocks = [
        InputBlock(
            block_id="role",
            label="Role",
            element=PlainTextInputElement(
                action_id="role", placeholder="e.g. ML Engineer", max_length=80
            ),
        ),
        InputBlock(
            block_id="level",
            label="Level",
            element=StaticSelectElement(
                action_id="level",
                options=[_option(level.title(), level) for level in LEVELS],
                initial_option=_option("Senior", "senior"),
            ),
        ),
        InputBlock(
            block_id="candidate",
            label="Candidate's name (optional, seen only by the panel)",
            optional=True,
            element=PlainTextInputElement(action_id="candidate", max_length=120),
        ),
        InputBlock(
            block_id="code",
            label="Earlier candidate code (a later round: their questions are not repeated)",
            optional=True,
            element=PlainTextInputElement(
                action_id="code", placeholder="e.g. C-7KQ4M", max_length=12
            ),
        ),
        InputBlock(
            block_id="interviewers",
            label="Interviewers (2 to 6), in interview order",
            element=UserMultiSelectElement(action_id="interviewers", max_selected_items=6),
        ),
        InputBlock(
            block_id="hiring_manager",
            label="Hiring manager",
            element=UserSelectElement(action_id="hiring_manager"),
        ),
        InputBlock(
            block_id="coordinator",
            label="Coordinator",
            element=UserSelectElement(action_id="coordinator", initial_user=creator),
        ),
        InputBlock(
            block_id="topics",
            label="Focus topics",
            element=MultiStaticSelectElement(
                action_id="topics", options=topic_options, max_selected_items=8
            ),
        ),
        InputBlock(
            block_id="starts",
            label="First interview starts",
            element=DateTimePickerElement(
                action_id="starts", initial_date_time=int(starts.timestamp())
            ),
        ),
        InputBlock(
            block_id="minutes",
            label="Minutes per interview (back to back)",
            element=StaticSelectElement(
                action_id="minutes",
                options=[_option(f"{m} minutes", str(m)) for m in MINUTE_CHOICES],
                initial_option=_option("45 minutes", "45"),
            ),
        ),
        InputBlock(
            block_id="debrief",
            label="Debrief",
            element=DateTimePickerElement(
                action_id="debrief", initial_date_time=int(debrief.timestamp())
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=ids.PANEL_NEW_MODAL,
        private_metadata=metadata,
        title="New interview panel",
        submit="Plan the panel",
        close="Cancel",
        blocks=blocks,
    ).to_dict()


# ---------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PlannedLine:
    question: Question
    minutes: int
    topics: tuple[str, ...]


@dataclass(frozen=True)
class SeatView:
    interviewer: str
    starts_at: datetime
    minutes: int
    lines: tuple[PlannedLine, ...]


def _matrix_text(topics: Sequence[str], seats: Sequence[SeatView], cell: Any) -> str:
    """A fixed-width topic x interviewer table for a code block."""
    width = max([len(topic_label(t)) for t in topics] + [10])
    head = " " * width + "  " + "  ".join(f"#{n + 1}" for n in range(len(seats)))
    rows = [head]
    for topic in topics:
        cells = "  ".join(f"{cell(topic, s):>2}" for s in seats)
        rows.append(f"{truncate(topic_label(topic), width):<{width}}  {cells}")
    return "```\n" + "\n".join(rows) + "\n```"


def plan_message(
    panel: Panel, seats: Sequence[SeatView], shortfalls: Sequence[str], *, confirmed: bool
) -> Message:
    blocks = [
        header(f"Panel plan: {panel.role} ({panel.level}) · {panel.code}"),
        context(
            f"Debrief {_when(panel.debrief_at)} · coordinator <@{panel.coordinator_id}> · "
            f"hiring manager <@{panel.hiring_manager_id}>"
        ),
    ]
    for n, seat in enumerate(seats, start=1):
        lines = [
            f"• *{escape(line.question.title)}* ({line.minutes} min; "
            + (", ".join(topic_label(t) for t in line.topics) or "general")
            + ")"
            for line in seat.lines
        ] or ["_no question fits this interview's time_"]
        used = sum(line.minutes for line in seat.lines)
        blocks.append(
            section(
                f"*#{n} <@{seat.interviewer}>* · {_when(seat.starts_at)} · "
                f"{used} of {seat.minutes} min\n" + "\n".join(lines)
            )
        )
        if not confirmed:
            controls: list[Any] = []
            if seat.lines:
                controls.append(
                    StaticSelectElement(
                        action_id=ids.PANEL_SWAP,
                        placeholder="Swap a question…",
                        options=[
                            _option(
                                line.question.title,
                                f"{panel.id}|{seat.interviewer}|{line.question.id}",
                            )
                            for line in seat.lines[:100]
                        ],
                    )
                )
            controls.append(
                button(
                    "Re-roll this interviewer", ids.PANEL_REROLL, f"{panel.id}|{seat.interviewer}"
                )
            )
            blocks.append(ActionsBlock(elements=controls))
    if panel.focus_topics:
        blocks.append(
            section(
                "*Coverage* (questions per focus topic and interviewer)\n"
                + _matrix_text(
                    panel.focus_topics,
                    seats,
                    lambda topic, seat: sum(1 for line in seat.lines if topic in line.topics),
                )
            )
        )
    if shortfalls:
        blocks.append(
            section("*Not possible with this panel*\n" + "\n".join(f"• {s}" for s in shortfalls))
        )
    if confirmed:
        blocks.append(context("✅ Confirmed: kits are on their way to the interviewers."))
    else:
        blocks.append(
            actions(
                button(
                    "Confirm and send the kits", ids.PANEL_CONFIRM, str(panel.id), style="primary"
                )
            )
        )
    return Message(text=f"Panel plan {panel.code}", blocks=render(blocks))


# ---------------------------------------------------------------- kits


@dataclass(frozen=True)
class KitQuestion:
    question: Question
    minutes: int
    anchors: tuple[Anchor, ...]


def kit_message(panel: Panel, interview: Interview, questions: Sequence[KitQuestion]) -> Message:
    blocks = [
        header(f"Interview kit · {panel.role} ({panel.level}) · {panel.code}"),
        context(
            f"Your interview: {_when(interview.starts_at)}, {interview.minutes} minutes. "
            "Private to you; the rubric is removed from this message after the interview."
        ),
    ]
    for n, item in enumerate(questions, start=1):
        q = item.question
        points = "\n".join(
            f"• {escape(p.text)}" + (" *(required)*" if p.required else "") for p in q.key_points
        )
        signals = "\n".join(f"• {escape(s)}" for s in q.strong_answer_signals) or "_none listed_"
        probes = "\n".join(f"• {escape(f)}" for f in q.follow_ups) or "_none listed_"
        anchors = "\n".join(f"*{a.rating} {a.label}*: {escape(a.meaning)}" for a in item.anchors)
        blocks += [
            divider(),
            section(f"*{n}. {escape(q.title)}* · {item.minutes} min"),
            *long_sections(escape(q.prompt)),
            section(f"*Why we ask it*\n{escape(q.why_asked)}"),
            section(f"*Key points*\n{points}"),
            section(f"*A strong answer shows*\n{signals}\n*Follow-up probes*\n{probes}"),
            context(truncate("Rating anchors: " + anchors.replace("\n", " · "), 2000)),
            actions(
                button("Expected answer", ids.PANEL_EXPECTED, f"{panel.id}|{q.id}"),
                button("The candidate already knew this", ids.PANEL_KNEW, f"{panel.id}|{q.id}"),
            ),
        ]
    blocks += [
        divider(),
        actions(
            button("Open my scorecard", ids.PANEL_SCORECARD, str(panel.id), style="primary"),
            button("I did not interview", ids.PANEL_NOT_INTERVIEWED, str(panel.id)),
        ),
    ]
    return Message(text=f"Interview kit {panel.code}", blocks=render(blocks))


def kit_redacted(panel: Panel, interview: Interview) -> Message:
    blocks = [
        header(f"Interview kit · {panel.code}"),
        section(
            f"Your interview for *{escape(panel.role)}* was {_when(interview.starts_at)}. "
            "The rubric was removed from this message so it no longer turns up in Slack search."
        ),
        actions(button("Open my scorecard", ids.PANEL_SCORECARD, str(panel.id), style="primary")),
    ]
    return Message(text=f"Interview kit {panel.code} (rubric removed)", blocks=render(blocks))


def expected_answer_view(question: Question) -> dict[str, Any]:
    return View(
        type="modal",
        title="Expected answer",
        close="Close",
        blocks=[
            section(f"*{escape(question.title)}*"),
            *long_sections(escape(question.expected_answer))[:40],
        ],
    ).to_dict()


# ---------------------------------------------------------------- scorecards


def scorecard_modal(
    panel: Panel,
    questions: Sequence[KitQuestion],
    existing: Scorecard | None,
) -> dict[str, Any]:
    ratings = {r.question_id: r for r in (existing.question_ratings if existing else ())}
    rating_options = [_option(f"{n}", str(n)) for n in (1, 2, 3, 4)]
    blocks: list[Any] = [
        context(
            f"{panel.code} · {escape(panel.role)}. Nobody sees your scorecard until they have "
            "submitted their own; the packet opens when all are in."
        )
    ]
    for item in questions:
        q = item.question
        given = ratings.get(q.id)
        anchors = " · ".join(f"*{a.rating}* {a.label}: {escape(a.meaning)}" for a in item.anchors)
        options = [_option(p.text, f"k{n}") for n, p in enumerate(q.key_points[:10])]
        shown = {
            f"k{n}"
            for n, p in enumerate(q.key_points[:10])
            if given and p.text in given.shown_points
        }
        blocks.append(section(f"*{escape(q.title)}*"))
        blocks.append(context(truncate(anchors, 2000)))
        blocks.append(
            InputBlock(
                block_id=f"points:{q.id}",
                label="Key points the candidate showed",
                optional=True,
                element=CheckboxesElement(
                    action_id="points",
                    options=options,
                    initial_options=[o for o in options if o.value in shown] or None,
                ),
            )
        )
        blocks.append(
            InputBlock(
                block_id=f"rating:{q.id}",
                label="Rating (1-4)",
                element=RadioButtonsElement(
                    action_id="rating",
                    options=rating_options,
                    initial_option=(
                        next(
                            (o for o in rating_options if given and o.value == str(given.rating)),
                            None,
                        )
                    ),
                ),
            )
        )
        blocks.append(
            InputBlock(
                block_id=f"notes:{q.id}",
                label="Notes (what the candidate said and did)",
                optional=True,
                element=PlainTextInputElement(
                    action_id="notes",
                    multiline=True,
                    max_length=MAX_NOTES,
                    initial_value=given.notes if given and given.notes else None,
                ),
            )
        )
    topic_options = [_option(f"{n}", str(n)) for n in (1, 2, 3, 4)] + [
        _option("Not assessed", "none")
    ]
    for topic in panel.focus_topics:
        previous = existing.topic_ratings.get(topic) if existing else None
        initial = (
            next(
                (o for o in topic_options if o.value == (str(previous) if previous else "none")),
                None,
            )
            if existing
            else None
        )
        blocks.append(
            InputBlock(
                block_id=f"topic:{topic}",
                label=truncate(f"Topic: {topic_label(topic)}", 2000),
                element=StaticSelectElement(
                    action_id="topic", options=topic_options, initial_option=initial
                ),
            )
        )
    rec_options = [_option(RECOMMENDATION_LABELS[r], r) for r in RECOMMENDATIONS]
    blocks.append(
        InputBlock(
            block_id="recommendation",
            label="Overall recommendation (no neutral)",
            element=RadioButtonsElement(
                action_id="recommendation",
                options=rec_options,
                initial_option=next(
                    (o for o in rec_options if existing and o.value == existing.recommendation),
                    None,
                ),
            ),
        )
    )
    blocks.append(
        InputBlock(
            block_id="evidence",
            label="Evidence (required for Strong No or Strong Yes)",
            optional=True,
            element=PlainTextInputElement(
                action_id="evidence",
                multiline=True,
                max_length=MAX_NOTES,
                initial_value=existing.evidence if existing and existing.evidence else None,
            ),
        )
    )
    return View(
        type="modal",
        callback_id=ids.SCORECARD_MODAL,
        private_metadata=str(panel.id),
        title="Scorecard",
        submit="Submit",
        close="Cancel",
        blocks=blocks[:100],
    ).to_dict()


def grader_assist(
    panel: Panel, suggestions: Mapping[str, Sequence[str]], titles: Mapping[str, str]
) -> Message:
    lines = [
        f"• *{escape(titles.get(qid, qid))}*: " + "; ".join(escape(p) for p in points)
        for qid, points in suggestions.items()
        if points
    ]
    text = (
        "*Suggestion, not a rating:* your notes also show evidence for these key points, "
        "which you did not tick. Your ratings stand as you gave them.\n" + "\n".join(lines)
        if lines
        else "Thanks: your scorecard is in. Your notes show no key point you did not tick."
    )
    return Message(text=f"Scorecard for {panel.code} received", blocks=render([section(text)]))


# ---------------------------------------------------------------- progress and packet


def progress_message(
    panel: Panel,
    expected: Sequence[str],
    submitted: set[str],
    *,
    packet_open: bool = False,
    partial: bool = False,
) -> Message:
    """Who has submitted, never what: every member sees this in the debrief room."""
    lines = [("✅" if who in submitted else "⏳") + f" <@{who}>" for who in expected]
    done = len([w for w in expected if w in submitted])
    blocks: list[Any] = [
        header(f"Debrief {panel.code}: {truncate(panel.role, 80)} ({panel.level})"),
        section(f"*Scorecards: {done}/{len(expected)} submitted*\n" + "\n".join(lines)),
    ]
    if packet_open:
        blocks.append(
            section(
                "*The packet is open*"
                + (" (partial: the debrief time came first)" if partial else "")
                + ". Interviewers who submitted and the hiring manager can open it; "
                "every opening is logged."
            )
        )
        blocks.append(
            actions(
                button("Open the packet", ids.PANEL_PACKET, str(panel.id), style="primary"),
                button("Record the decision", ids.PANEL_DECIDE, str(panel.id)),
            )
        )
    else:
        blocks.append(
            context(
                f"The packet opens when all are in, or at the debrief, {_when(panel.debrief_at)}."
            )
        )
    return Message(
        text=f"Scorecards {done}/{len(expected)} for {panel.code}", blocks=render(blocks)
    )


def packet_view(
    panel: Panel,
    packet: Packet,
    cards: Sequence[Scorecard],
    titles: Mapping[str, str],
    *,
    partial: bool,
) -> dict[str, Any]:
    """The debrief packet, in a modal only readers open (each opening is logged)."""
    dist = " · ".join(
        f"{RECOMMENDATION_LABELS[r]}: {packet.distribution.get(r, 0)}" for r in RECOMMENDATIONS
    )
    names = "  ".join(f"#{n + 1} <@{who}>" for n, who in enumerate(packet.interviewers))
    table = (
        "```\n"
        + "\n".join(
            f"{truncate(topic_label(topic), 28):<28}  "
            + "  ".join(f"{('-' if r is None else r):>2}" for r in ratings)
            for topic, ratings in packet.matrix
        )
        + "\n```"
        if packet.matrix
        else "_no focus topics_"
    )
    findings = "\n".join(f"• {escape_finding(f)}" for f in packet.findings) or "_nothing flagged_"
    out: list[Any] = [
        section(f"*{escape(panel.role)}* ({panel.level}) · {panel.code}"),
        section(f"*Recommendations*\n{dist}"),
        section(f"*Ratings by topic* ({names})\n{table}"),
        section(f"*To discuss*\n{truncate(findings, 2900)}"),
    ]
    if partial:
        out.append(context("Partial: the debrief time came before every scorecard was in."))
    for card in cards:
        lines = [
            f"• {escape(titles.get(r.question_id, r.question_id))}: *{r.rating}*"
            + (f" — {escape(truncate(r.notes, 300))}" if r.notes else "")
            for r in card.question_ratings
        ]
        label = "edited after the packet opened" if card.edited_after_packet else ""
        out.append(divider())
        out.append(
            section(
                truncate(
                    f"*<@{card.interviewer_id}>: {RECOMMENDATION_LABELS[card.recommendation]}*"
                    + (f" ({label}, revision {card.revision})" if label else "")
                    + "\n"
                    + "\n".join(lines)
                    + (f"\n_Evidence:_ {escape(card.evidence)}" if card.evidence else ""),
                    2900,
                )
            )
        )
    return View(
        type="modal",
        title=truncate(f"Packet {panel.code}", 24),
        close="Close",
        blocks=out[:100],
    ).to_dict()


def escape_finding(finding: Finding) -> str:
    # Findings are built from key point texts and user ids the app itself wrote.
    return finding.text


def decision_modal(panel: Panel) -> dict[str, Any]:
    options = [_option(label, value) for value, label in DECISION_LABELS.items()]
    return View(
        type="modal",
        callback_id=ids.DECISION_MODAL,
        private_metadata=str(panel.id),
        title="Decision",
        submit="Record",
        close="Cancel",
        blocks=[
            section(
                f"The decision on *{panel.code}* ({escape(panel.role)}),"
                " recorded by the hiring manager."
            ),
            InputBlock(
                block_id="decision",
                label="Decision",
                element=RadioButtonsElement(action_id="decision", options=options),
            ),
            InputBlock(
                block_id="reason",
                label="Reason",
                element=PlainTextInputElement(action_id="reason", multiline=True, max_length=2000),
            ),
        ],
    ).to_dict()


def decision_message(panel: Panel, decision: str, *, against_majority: bool, by: str) -> Message:
    text = f"*Decision on {panel.code}: {DECISION_LABELS[decision]}*, recorded by <@{by}>."
    if against_majority:
        text += " This goes against the panel's majority recommendation."
    return Message(text=f"Decision on {panel.code}", blocks=render([section(text)]))


# ---------------------------------------------------------------- reminders and lists


def reminder_message(panel: Panel, interview: Interview, kind: str) -> Message:
    # The morning reminder comes on the next working day, which after a Friday
    # interview is a Monday: the day is named, in the interviewer's zone.
    day = interview.starts_at.astimezone(ZoneInfo(interview.tz)).strftime("%A")
    when = {
        "end": "Your interview just ended",
        "hour": "An hour ago you interviewed",
        "four_hours": "A few hours ago you interviewed",
        "morning": f"Good morning: on {day} you interviewed",
    }.get(kind, "You interviewed")
    blocks = [
        section(
            f"{when} for *{escape(panel.role)}* ({panel.code}). Your scorecard is due: "
            "rate while it is fresh, before you hear the others."
        ),
        actions(
            button("Open my scorecard", ids.PANEL_SCORECARD, str(panel.id), style="primary"),
            button("I did not interview", ids.PANEL_NOT_INTERVIEWED, str(panel.id)),
        ),
    ]
    return Message(text=f"Scorecard due for {panel.code}", blocks=render(blocks))


def escalation_message(panel: Panel, missing: Sequence[str]) -> Message:
    who = ", ".join(f"<@{m}>" for m in missing)
    return Message(
        text=f"Scorecards missing for {panel.code}",
        blocks=render(
            [
                section(
                    f"A day after their interviews, these scorecards for *{panel.code}* "
                    f"({escape(panel.role)}) are still missing: {who}."
                )
            ]
        ),
    )


def panel_list(panels: Sequence[tuple[Panel, int, int]]) -> Message:
    if not panels:
        return Message(
            text="No panels",
            blocks=render(
                [section("You are on no interview panel. `/mlquiz panel new` starts one.")]
            ),
        )
    lines = [
        f"• *{p.id}* · {p.code} · {escape(p.role)} ({p.level}) · {p.status} · "
        f"scorecards {done}/{total} · debrief {_when(p.debrief_at)}"
        for p, done, total in panels
    ]
    return Message(
        text="Your panels",
        blocks=render([header("Your interview panels"), section("\n".join(lines)[:2900])]),
    )


def panel_view(
    panel: Panel,
    candidate_name: str | None,
    seats: Sequence[SeatView],
    submitted: set[str],
) -> dict[str, Any]:
    name = escape(candidate_name) if candidate_name else "_not recorded_"
    lines = [
        f"{'✅' if s.interviewer in submitted else '⏳'} <@{s.interviewer}>"
        f" · {_when(s.starts_at)} · " + ", ".join(escape(line.question.title) for line in s.lines)
        for s in seats
    ]
    return View(
        type="modal",
        title=truncate(f"Panel {panel.code}", 24),
        close="Close",
        blocks=[
            section(
                f"*{escape(panel.role)}* ({panel.level}) · status *{panel.status}*\n"
                f"Candidate: {name} (visible to panel members only)\n"
                f"Coordinator <@{panel.coordinator_id}> · hiring manager "
                f"<@{panel.hiring_manager_id}> · debrief {_when(panel.debrief_at)}"
            ),
            section("\n".join(lines)[:2900] or "_no interviews_"),
        ],
    ).to_dict()


# ---------------------------------------------------------------- App Home


def _duration(delta: timedelta | None) -> str:
    if delta is None:
        return "-"
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def _calibration_line(c: Calibration) -> str:
    leniency = "-" if c.leniency is None else f"{c.leniency:+.2f}"
    cited = "-" if c.evidence_cited is None else f"{round(100 * c.evidence_cited)}%"
    return (
        f"<@{c.interviewer}> · {c.panels} panel(s) · leniency {leniency} · "
        f"time to submit {_duration(c.median_time_to_submit)} · key points cited {cited}"
    )


def home_section(
    upcoming: Sequence[tuple[Panel, Interview]],
    due: Sequence[tuple[Panel, Interview, bool]],
    mine: Calibration | None,
    team: Sequence[Calibration],
) -> list[Any]:
    """ "My interviews", "Scorecards due" (overdue ones marked red) and calibration."""
    out: list[Any] = [divider(), header("Interview panels")]
    if due:
        out.append(section("*Scorecards due*"))
        for panel, interview, overdue in due[:10]:
            mark = "🔴 *overdue*" if overdue else "🟡 due"
            out.append(
                section(
                    f"{mark} · {panel.code} · {escape(panel.role)} · interviewed "
                    f"{_when(interview.starts_at)}"
                )
            )
            out.append(
                actions(
                    button(
                        "Open my scorecard",
                        ids.PANEL_SCORECARD,
                        str(panel.id),
                        style="danger" if overdue else "primary",
                    )
                )
            )
    if upcoming:
        lines = [
            f"• {panel.code} · {escape(panel.role)} ({panel.level}) · "
            f"{_when(interview.starts_at)}, {interview.minutes} min"
            for panel, interview in upcoming[:10]
        ]
        out.append(section("*My interviews*\n" + "\n".join(lines)))
    if mine is not None:
        out.append(
            section(
                "*Your interviewer calibration* (only you see this)\n"
                + _calibration_line(mine)
                + "\n_Leniency is your average rating minus your panels' average: near "
                "zero means you rate like your fellow interviewers._"
            )
        )
    if team:
        out.append(
            section(
                truncate(
                    "*Team calibration* (admins only; alphabetical, not a ranking)\n"
                    + "\n".join(_calibration_line(c) for c in team[:30]),
                    2900,
                )
            )
        )
    return out


def panel_buttons(panel: Panel) -> Message:
    """A panel's modals, one press away (a recorded command has no trigger to use)."""
    return Message(
        text=f"Panel {panel.code}",
        blocks=render(
            [
                section(f"*{panel.code}* · {escape(panel.role)} ({panel.level}) · {panel.status}"),
                actions(
                    button("Show the panel", ids.PANEL_SHOW, str(panel.id)),
                    button("Open my scorecard", ids.PANEL_SCORECARD, str(panel.id)),
                    button("Open the packet", ids.PANEL_PACKET, str(panel.id)),
                    button("Record the decision", ids.PANEL_DECIDE, str(panel.id)),
                ),
            ]
        ),
    )
