"""The rules of an interview panel (pure): candidate codes, rating anchors, who sees
what when, the debrief packet's findings, the reminders' times, interviewers'
calibration. Nothing here reads the clock or a random source of its own."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from questionbank.models import KeyPoint, Question
from questionbank.topics import topic_label

# Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECOMMENDATIONS = ("strong_no", "no", "yes", "strong_yes")
RECOMMENDATION_LABELS = {
    "strong_no": "Strong No",
    "no": "No",
    "yes": "Yes",
    "strong_yes": "Strong Yes",
}
DECISIONS = ("hire", "no_hire", "another_round", "hold")
DECISION_LABELS = {
    "hire": "Hire",
    "no_hire": "No hire",
    "another_round": "Another round",
    "hold": "Hold",
}
RATINGS = (1, 2, 3, 4)


def candidate_code(rng: random.Random, taken: Iterable[str] = ()) -> str:
    """A code like `C-7KQ4M` that names the candidate everywhere but in views opened by
    panel members: never derived from their name."""
    existing = set(taken)
    while True:
        body = "".join(rng.choice(CODE_ALPHABET) for _ in range(5))
        code = "C-" + body
        # All digits would read as a panel id when typed without its "C-".
        if code not in existing and not body.isdigit():
            return code


def debrief_channel_name(code: str) -> str:
    """The debrief channel's name: the code only (Slack names are lowercase, no spaces)."""
    return "debrief-" + code.lower().replace("_", "-")


# ---------------------------------------------------------------- rating anchors


@dataclass(frozen=True)
class Anchor:
    rating: int
    label: str
    meaning: str


def anchor_points(question: Question) -> tuple[KeyPoint, ...]:
    """The points the anchors hinge on: the required ones, else the two weightiest."""
    required = tuple(p for p in question.key_points if p.required)
    if required:
        return required
    return tuple(sorted(question.key_points, key=lambda p: -p.weight)[:2])


def rating_anchors(question: Question) -> tuple[Anchor, ...]:
    """1-4 anchors generated from the rubric: no required point -> 1, some -> 2, all
    -> 3, all plus strong signals -> 4."""
    points = anchor_points(question)
    # Each part is a sentence of the bank's ending in a full stop; joined, they end in one.
    names = "; ".join(_clause(p.text) for p in points)
    signals = (
        "; ".join(_clause(s) for s in question.strong_answer_signals[:3])
        or "depth beyond the key points"
    )
    several = len(points) > 1
    return (
        Anchor(1, "Not shown", f"None of: {names}."),
        Anchor(
            2,
            "Partly",
            ("Some but not all of: " if several else "Touched on, not established: ") + names + ".",
        ),
        Anchor(3, "Solid", f"All of: {names}."),
        Anchor(4, "Strong", f"All of those, plus: {signals}."),
    )


def _clause(text: str) -> str:
    return text.strip().rstrip(".")


def suggested_rating(question: Question, shown: Iterable[str]) -> int:
    """The anchor the checked key points point to (a hint; the interviewer rates)."""
    checked = set(shown)
    points = anchor_points(question)
    hit = sum(1 for p in points if p.text in checked)
    if hit == 0:
        return 1
    if hit < len(points):
        return 2
    everything = all(p.text in checked for p in question.key_points)
    return 4 if everything and question.strong_answer_signals else 3


# ---------------------------------------------------------------- visibility


class Role(Enum):
    INTERVIEWER = "interviewer"
    HIRING_MANAGER = "hiring manager"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    OUTSIDER = "outsider"


@dataclass(frozen=True)
class Membership:
    interviewers: frozenset[str]
    hiring_manager: str
    coordinator: str

    def roles(self, user: str, *, is_admin: bool = False) -> set[Role]:
        found: set[Role] = set()
        if user in self.interviewers:
            found.add(Role.INTERVIEWER)
        if user == self.hiring_manager:
            found.add(Role.HIRING_MANAGER)
        if user == self.coordinator:
            found.add(Role.COORDINATOR)
        if is_admin:
            found.add(Role.ADMIN)
        return found or {Role.OUTSIDER}

    def is_member(self, user: str) -> bool:
        return user in self.interviewers or user in (self.hiring_manager, self.coordinator)

    def readers(self) -> frozenset[str]:
        """Who reads scorecards once the packet is open: the interviewers and the
        hiring manager (the coordinator runs the process, and never reads them)."""
        return self.interviewers | {self.hiring_manager}


@dataclass(frozen=True)
class PacketState:
    open: bool
    partial: bool
    submitted: frozenset[str]
    expected: frozenset[str]


def packet_state(
    expected: Iterable[str], submitted: Iterable[str], debrief_at: datetime, now: datetime
) -> PacketState:
    """The packet opens when every expected scorecard is in, or at the debrief time
    (then marked partial)."""
    wanted = frozenset(expected)
    done = frozenset(submitted) & wanted
    complete = bool(wanted) and done == wanted
    due = now >= debrief_at
    return PacketState(complete or due, due and not complete, done, wanted)


def may_read_scorecard(
    viewer: str,
    author: str,
    members: Membership,
    state: PacketState,
) -> bool:
    """Own card: always. Anyone else's: only a reader (interviewer or hiring manager),
    only once the packet is open, and an interviewer only after submitting their own.
    Nobody else ever: not the coordinator, not an admin."""
    if viewer == author:
        return True
    if viewer not in members.readers() or not state.open:
        return False
    # An interviewer who has not submitted yet must rate without knowing the others.
    return viewer not in members.interviewers or viewer in state.submitted


def may_see_progress(viewer: str, members: Membership, *, is_admin: bool = False) -> bool:
    """Who has submitted (never what): every member, and admins."""
    return members.is_member(viewer) or is_admin


def may_purge(viewer: str, members: Membership, *, is_admin: bool) -> bool:
    return is_admin or viewer == members.coordinator


def may_decide(viewer: str, members: Membership) -> bool:
    return viewer == members.hiring_manager


# ---------------------------------------------------------------- the packet


@dataclass(frozen=True)
class CardSummary:
    """What a packet needs of one submitted scorecard."""

    interviewer: str
    recommendation: str
    question_ratings: Mapping[str, int]  # question id -> 1..4
    topic_ratings: Mapping[str, int | None]  # focus topic -> 1..4, None: not assessed
    shown_points: Mapping[str, frozenset[str]]  # question id -> key point texts


@dataclass(frozen=True)
class Finding:
    kind: str  # "split", "apart", "thin_topic", "unseen_point"
    text: str


@dataclass(frozen=True)
class Packet:
    distribution: Mapping[str, int]
    matrix: list[tuple[str, list[int | None]]]  # topic -> rating per interviewer
    interviewers: list[str]
    findings: list[Finding] = field(default_factory=list)
    majority: str | None = None  # "yes" | "no" | None (a tie)


def packet(
    cards: Sequence[CardSummary],
    focus_topics: Sequence[str],
    required_points: Mapping[str, Sequence[str]],
    titles: Mapping[str, str] | None = None,
) -> Packet:
    """Recommendations counted, the topic x interviewer matrix, and what to talk about:
    ratings two apart on a topic, a yes/no split, topics rated by fewer than two, and
    required key points nobody saw evidence for (questions named by `titles`)."""
    titles = titles or {}
    interviewers = [c.interviewer for c in cards]
    distribution = Counter(c.recommendation for c in cards)
    matrix = [(topic, [c.topic_ratings.get(topic) for c in cards]) for topic in focus_topics]
    findings: list[Finding] = []
    yes = sum(distribution[r] for r in ("yes", "strong_yes"))
    no = sum(distribution[r] for r in ("no", "strong_no"))
    if yes and no:
        findings.append(Finding("split", f"The panel is split: {yes} yes, {no} no."))
    for topic, ratings in matrix:
        given = [r for r in ratings if r is not None]
        if len(given) >= 2 and max(given) - min(given) >= 2:
            low = [interviewers[i] for i, r in enumerate(ratings) if r == min(given)]
            high = [interviewers[i] for i, r in enumerate(ratings) if r == max(given)]
            findings.append(
                Finding(
                    "apart",
                    f"{topic_label(topic)}: ratings {min(given)} and {max(given)} are two or "
                    "more apart "
                    f"({' '.join(f'<@{u}>' for u in low)} vs "
                    f"{' '.join(f'<@{u}>' for u in high)}).",
                )
            )
        if len(given) < 2:
            findings.append(
                Finding(
                    "thin_topic",
                    f"{topic_label(topic)}: rated by {len(given)} interviewer(s), not two.",
                )
            )
    shown = {
        qid: set().union(*(c.shown_points.get(qid, frozenset()) for c in cards))
        for qid in required_points
    }
    for qid, points in required_points.items():
        missing = [p for p in points if p not in shown.get(qid, set())]
        if missing and any(qid in c.question_ratings for c in cards):
            findings.append(
                Finding(
                    "unseen_point",
                    f"Nobody saw evidence for a required point of “{titles.get(qid, qid)}”: "
                    + "; ".join(missing),
                )
            )
    majority = "yes" if yes > no else "no" if no > yes else None
    return Packet(dict(distribution), matrix, interviewers, findings, majority)


def against_majority(decision: str, majority: str | None) -> bool:
    """Whether a hiring decision goes against the panel's majority recommendation."""
    if majority is None or decision in ("another_round", "hold"):
        return False
    return (decision == "hire") != (majority == "yes")


# ---------------------------------------------------------------- reminders


@dataclass(frozen=True)
class ReminderTime:
    kind: str  # "end", "hour", "four_hours", "morning", "escalate"
    at: datetime


WORKING_MORNING = time(9, 0)


def next_working_morning(after: datetime, tz: str) -> datetime:
    """09:00 on the next weekday after `after`, in `tz`, as a UTC instant."""
    zone = ZoneInfo(tz)
    local = after.astimezone(zone)
    day: date = local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, WORKING_MORNING, zone).astimezone(ZoneInfo("UTC"))


def reminder_times(interview_end: datetime, tz: str) -> list[ReminderTime]:
    """At the interview's end, an hour later, four hours later and the next working
    morning in the interviewer's zone; at 24 hours the coordinator hears who is
    missing. In time order."""
    times = [
        ReminderTime("end", interview_end),
        ReminderTime("hour", interview_end + timedelta(hours=1)),
        ReminderTime("four_hours", interview_end + timedelta(hours=4)),
        ReminderTime("morning", next_working_morning(interview_end, tz)),
        ReminderTime("escalate", interview_end + timedelta(hours=24)),
    ]
    return sorted(times, key=lambda r: r.at)


# ---------------------------------------------------------------- calibration


@dataclass(frozen=True)
class RatingRecord:
    """One interviewer's average rating on one panel, next to the panel's."""

    panel_id: int
    interviewer: str
    mean_rating: float
    submitted_after: timedelta | None
    cited_share: float  # share of rated questions with at least one key point checked


@dataclass(frozen=True)
class Calibration:
    interviewer: str
    panels: int
    leniency: float | None  # mean of (own mean - panel mean), + is lenient
    median_time_to_submit: timedelta | None
    evidence_cited: float | None


def calibration(records: Sequence[RatingRecord]) -> dict[str, Calibration]:
    """Per interviewer: leniency against the panel mean, time to submit, evidence."""
    by_panel: dict[int, list[RatingRecord]] = {}
    for record in records:
        by_panel.setdefault(record.panel_id, []).append(record)
    deltas: dict[str, list[float]] = {}
    for rows in by_panel.values():
        if len(rows) < 2:
            continue
        mean = statistics.fmean(r.mean_rating for r in rows)
        for r in rows:
            deltas.setdefault(r.interviewer, []).append(r.mean_rating - mean)
    result = {}
    for who in {r.interviewer for r in records}:
        mine = [r for r in records if r.interviewer == who]
        times = [r.submitted_after for r in mine if r.submitted_after is not None]
        result[who] = Calibration(
            interviewer=who,
            panels=len(mine),
            leniency=statistics.fmean(deltas[who]) if deltas.get(who) else None,
            median_time_to_submit=(
                timedelta(seconds=statistics.median(t.total_seconds() for t in times))
                if times
                else None
            ),
            evidence_cited=statistics.fmean(r.cited_share for r in mine) if mine else None,
        )
    return result
