"""Planning an interview panel's questions (pure; `rng` is passed in).

Each interviewer gets distinct questions that fit their interview. Every focus topic is
covered by at least two different interviewers where the panel allows it, and the plan
says plainly where it does not. Difficulty follows the level; a question the candidate
was asked before is never planned; interview-only questions come first, then the
least exposed. A swap replaces one question, a re-roll one interviewer's set, leaving
the rest of the plan as it was."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from questionbank.models import Difficulty, Question, Use

LEVELS = ("junior", "mid", "senior", "staff")
# The difficulties a level is asked, best fitting first.
LEVEL_DIFFICULTIES: dict[str, tuple[Difficulty, ...]] = {
    "junior": (Difficulty.easy, Difficulty.medium),
    "mid": (Difficulty.medium, Difficulty.easy, Difficulty.hard),
    "senior": (Difficulty.hard, Difficulty.medium),
    "staff": (Difficulty.hard, Difficulty.medium),
}
COVERAGE_WANTED = 2  # interviewers per focus topic
# Minutes an interviewer keeps for introductions and the candidate's own questions.
SLACK_MINUTES = 5


class PlanningError(ValueError):
    """The panel cannot be planned at all (the message says why, for the form)."""


@dataclass(frozen=True)
class Seat:
    """One interviewer's interview: who, and how long."""

    interviewer: str
    minutes: int


@dataclass(frozen=True)
class PlanRequest:
    seats: tuple[Seat, ...]
    focus_topics: tuple[str, ...]
    level: str
    asked_before: frozenset[str] = frozenset()  # the candidate's earlier questions
    exposure: Mapping[str, int] = field(default_factory=dict)  # times each was planned
    held: frozenset[str] = frozenset()  # questions not to plan (retired, swapped out)


@dataclass(frozen=True)
class PlannedQuestion:
    question_id: str
    minutes: int
    topics: tuple[str, ...]  # the focus topics it covers


@dataclass(frozen=True)
class Plan:
    """Each interviewer's questions, in asking order, and what the plan could not do."""

    by_interviewer: Mapping[str, tuple[PlannedQuestion, ...]]
    shortfalls: tuple[str, ...]

    def coverage(self, topic: str) -> list[str]:
        """The interviewers who cover `topic`."""
        return [
            who
            for who, questions in self.by_interviewer.items()
            if any(topic in q.topics for q in questions)
        ]

    def question_ids(self) -> list[str]:
        return [q.question_id for qs in self.by_interviewer.values() for q in qs]

    def matrix(self, topics: Sequence[str]) -> list[tuple[str, list[int]]]:
        """Topic × interviewer: how many of each interviewer's questions cover it."""
        interviewers = list(self.by_interviewer)
        return [
            (
                topic,
                [
                    sum(1 for q in self.by_interviewer[who] if topic in q.topics)
                    for who in interviewers
                ],
            )
            for topic in topics
        ]


def eligible(bank: Sequence[Question], request: PlanRequest) -> list[Question]:
    """Questions this panel may ask: for interviews, at the level, new to the candidate."""
    allowed = set(LEVEL_DIFFICULTIES[request.level])
    asked, held = request.asked_before, request.held
    # `q.for_interview`, spelled out: this runs over the whole bank on every plan.
    return [
        q
        for q in bank
        if q.difficulty in allowed
        and q.use is not Use.practice
        and q.id not in asked
        and q.id not in held
    ]


def _preference(q: Question, request: PlanRequest, noise: float) -> tuple[float, ...]:
    """Lower is better: interview-only first, then the fitting difficulty, then the
    least exposed, then chance."""
    order = LEVEL_DIFFICULTIES[request.level]
    return (
        0 if q.use is Use.interview else 1,
        order.index(q.difficulty),
        request.exposure.get(q.id, 0),
        noise,
    )


def _ranked(
    pool: Sequence[Question], request: PlanRequest, noise: Sequence[float]
) -> list[Question]:
    """`pool` sorted by `_preference` (with `noise[i]` for `pool[i]`), its keys built
    with the lookups hoisted out of the loop: a plan sorts the whole eligible pool."""
    fit = {d: n for n, d in enumerate(LEVEL_DIFFICULTIES[request.level])}
    exposure = request.exposure
    interview = Use.interview
    keys = [
        (0 if q.use is interview else 1, fit[q.difficulty], exposure.get(q.id, 0), chance)
        for q, chance in zip(pool, noise, strict=True)
    ]
    order = sorted(range(len(pool)), key=keys.__getitem__)
    return [pool[i] for i in order]


def plan_panel(bank: Sequence[Question], request: PlanRequest, rng: random.Random) -> Plan:
    if not request.seats:
        raise PlanningError("a panel needs interviewers")
    if len({s.interviewer for s in request.seats}) != len(request.seats):
        raise PlanningError("each interviewer can sit once on a panel")
    if request.level not in LEVELS:
        raise PlanningError(f"the level must be one of {', '.join(LEVELS)}")
    pool = eligible(bank, request)
    if not pool:
        raise PlanningError("no interview question fits this level")
    noise = {q.id: rng.random() for q in pool}
    ranked = _ranked(pool, request, [noise[q.id] for q in pool])
    focus = list(dict.fromkeys(request.focus_topics))
    left = {s.interviewer: max(0, s.minutes - SLACK_MINUTES) for s in request.seats}
    chosen: dict[str, list[PlannedQuestion]] = {s.interviewer: [] for s in request.seats}
    # Every choice is the first unused question in `ranked` that fits: the scans below
    # walk positions in that order, over the whole pool or over one focus topic's
    # questions only, and stop at once when no question is short enough.
    minutes = [q.minutes for q in ranked]
    taken = [False] * len(ranked)
    everything = list(range(len(ranked)))
    on_topic: dict[str, list[int]] = {t: [] for t in focus}
    for at, q in enumerate(ranked):
        for t in q.topics:
            if t in on_topic:
                on_topic[t].append(at)
    shortest = min(minutes)

    def covers(who: str, topic: str) -> bool:
        return any(topic in q.topics for q in chosen[who])

    def take(who: str, position: int) -> None:
        question = ranked[position]
        taken[position] = True
        left[who] -= minutes[position]
        chosen[who].append(
            PlannedQuestion(
                question.id, question.minutes, tuple(t for t in focus if t in question.topics)
            )
        )

    def best_for(who: str, topic: str | None) -> int | None:
        room = left[who]
        if room < shortest:
            return None
        for position in everything if topic is None else on_topic[topic]:
            if not taken[position] and minutes[position] <= room:
                return position
        return None

    # Coverage first: round after round, each focus topic gains one more interviewer,
    # the one with the most time left who does not cover it yet.
    for _round in range(COVERAGE_WANTED):
        for topic in focus:
            if len([w for w in chosen if covers(w, topic)]) > _round:
                continue
            for who in sorted(chosen, key=lambda w: (-left[w], w)):
                if covers(who, topic):
                    continue
                position = best_for(who, topic)
                if position is not None:
                    take(who, position)
                    break
    # Then fill each interview's remaining time: focus topics first, then anything.
    progress = True
    while progress:
        progress = False
        for who in sorted(chosen, key=lambda w: (-left[w], w)):
            position = next((p for p in (best_for(who, t) for t in focus) if p is not None), None)
            if position is None:
                position = best_for(who, None)
            if position is not None:
                take(who, position)
                progress = True
    plan = repair_coverage(Plan({w: tuple(qs) for w, qs in chosen.items()}, ()), ranked, request)
    return replace(plan, shortfalls=tuple(shortfalls(plan, focus, pool, request)))


def repair_coverage(plan: Plan, ranked: Sequence[Question], request: PlanRequest) -> Plan:
    """Where a focus topic still has fewer than two interviewers although questions on it
    are left, a long question chosen early crowded it out: swap, in an interviewer who
    does not cover the topic, a question no topic's coverage depends on for the best
    remaining question on the topic that fits in its time."""
    focus = list(dict.fromkeys(request.focus_topics))
    wanted = min(COVERAGE_WANTED, len(request.seats))
    by = {w: list(qs) for w, qs in plan.by_interviewer.items()}
    budget = {s.interviewer: max(0, s.minutes - SLACK_MINUTES) for s in request.seats}
    used = {q.question_id for qs in by.values() for q in qs}

    def covering(topic: str, without: tuple[str, int] | None = None) -> int:
        count = 0
        for who, questions in by.items():
            kept = [q for n, q in enumerate(questions) if (who, n) != without]
            count += any(topic in q.topics for q in kept)
        return count

    def removable(who: str, n: int) -> bool:
        return all(covering(t, (who, n)) >= min(wanted, covering(t)) for t in by[who][n].topics)

    for topic in focus:
        while covering(topic) < wanted:
            swapped = False
            for who in sorted(by, key=lambda w: (-(budget[w] - sum(q.minutes for q in by[w])), w)):
                if any(topic in q.topics for q in by[who]):
                    continue
                room = budget[who] - sum(q.minutes for q in by[who])
                for n in reversed(range(len(by[who]))):
                    if not removable(who, n):
                        continue
                    fits = room + by[who][n].minutes
                    new = next(
                        (
                            q
                            for q in ranked
                            if q.id not in used and topic in q.topics and q.minutes <= fits
                        ),
                        None,
                    )
                    if new is None:
                        continue
                    used.discard(by[who][n].question_id)
                    used.add(new.id)
                    by[who][n] = PlannedQuestion(
                        new.id, new.minutes, tuple(t for t in focus if t in new.topics)
                    )
                    swapped = True
                    break
                if swapped:
                    break
            if not swapped:
                break
    return Plan({w: tuple(qs) for w, qs in by.items()}, plan.shortfalls)


def shortfalls(
    plan: Plan, focus: Sequence[str], pool: Sequence[Question], request: PlanRequest
) -> list[str]:
    """Plain words for every focus topic covered by fewer than two interviewers, and
    for interviewers left without a question."""
    notes = []
    wanted = min(COVERAGE_WANTED, len(request.seats))
    for topic in focus:
        covered = len(plan.coverage(topic))
        if covered >= wanted:
            continue
        available = sum(1 for q in pool if topic in q.topics)
        if available < wanted:
            why = (
                f"only {available} interview question{'s' if available != 1 else ''}"
                f" on it fit{'s' if available == 1 else ''} the {request.level} level"
                " and are new to the candidate"
            )
        else:
            why = "the interviews have no time left for it"
        notes.append(f"{topic}: covered by {covered} interviewer(s), not {wanted}: {why}")
    if len(request.seats) < COVERAGE_WANTED and focus:
        notes.append("a single interviewer cannot give any topic a second opinion")
    for who, questions in plan.by_interviewer.items():
        if not questions:
            notes.append(f"<@{who}> has no question that fits their interview time")
    return notes


def swap_question(
    bank: Sequence[Question],
    request: PlanRequest,
    plan: Plan,
    interviewer: str,
    question_id: str,
    rng: random.Random,
) -> Plan:
    """The plan with one question replaced by the best unused one covering the same
    focus topics (or any, when it covered none) that fits the same time."""
    current = list(plan.by_interviewer[interviewer])
    index = next((i for i, q in enumerate(current) if q.question_id == question_id), None)
    if index is None:
        raise PlanningError("that question is not in this interviewer's plan")
    old = current[index]
    used = set(plan.question_ids())
    budget = old.minutes + max(
        0,
        dict((s.interviewer, s.minutes) for s in request.seats)[interviewer]
        - SLACK_MINUTES
        - sum(q.minutes for q in current),
    )
    pool = [q for q in eligible(bank, request) if q.id not in used and q.minutes <= budget]
    noise = {q.id: rng.random() for q in pool}
    wanted = set(old.topics)
    pool.sort(
        key=lambda q: (
            -len(wanted.intersection(q.topics)),
            *_preference(q, request, noise[q.id]),
        )
    )
    if not pool:
        raise PlanningError("no other question fits there")
    new = pool[0]
    focus = request.focus_topics
    current[index] = PlannedQuestion(
        new.id, new.minutes, tuple(t for t in focus if t in new.topics)
    )
    by = dict(plan.by_interviewer)
    by[interviewer] = tuple(current)
    updated = Plan(by, ())
    return replace(
        updated, shortfalls=tuple(shortfalls(updated, focus, eligible(bank, request), request))
    )


def reroll_interviewer(
    bank: Sequence[Question],
    request: PlanRequest,
    plan: Plan,
    interviewer: str,
    rng: random.Random,
) -> Plan:
    """The plan with one interviewer's questions planned again (new ones where
    possible), everyone else's kept."""
    others = {
        q
        for w, qs in plan.by_interviewer.items()
        if w != interviewer
        for q in (x.question_id for x in qs)
    }
    mine = {q.question_id for q in plan.by_interviewer[interviewer]}
    seat = next(s for s in request.seats if s.interviewer == interviewer)
    single = replace(request, seats=(seat,), held=request.held | others | mine)
    fresh = plan_panel(bank, single, rng)
    if not fresh.by_interviewer[interviewer]:
        # Nothing new fits: plan again from the full pool, still without the others'.
        single = replace(request, seats=(seat,), held=request.held | others)
        fresh = plan_panel(bank, single, rng)
    by = dict(plan.by_interviewer)
    by[interviewer] = fresh.by_interviewer[interviewer]
    updated = Plan(by, ())
    focus = request.focus_topics
    return replace(
        updated, shortfalls=tuple(shortfalls(updated, focus, eligible(bank, request), request))
    )


def replan_seat(
    bank: Sequence[Question],
    request: PlanRequest,
    plan: Plan,
    old: str,
    new: Seat,
    rng: random.Random,
) -> Plan:
    """An interviewer replaced: the newcomer takes the seat's questions where they fit
    their time; only what no longer fits is planned again."""
    questions = list(plan.by_interviewer[old])
    budget = max(0, new.minutes - SLACK_MINUTES)
    kept: list[PlannedQuestion] = []
    for q in questions:
        if sum(k.minutes for k in kept) + q.minutes <= budget:
            kept.append(q)
    by = {(new.interviewer if w == old else w): qs for w, qs in plan.by_interviewer.items()}
    by[new.interviewer] = tuple(kept)
    updated = Plan(by, ())
    focus = request.focus_topics
    return replace(
        updated, shortfalls=tuple(shortfalls(updated, focus, eligible(bank, request), request))
    )


def naive_plan(bank: Sequence[Question], request: PlanRequest, rng: random.Random) -> Plan:
    """The baseline the benchmark compares with: random eligible questions per
    interviewer until their time is used, no thought for coverage."""
    pool = eligible(bank, request)
    rng.shuffle(pool)
    used: set[str] = set()
    by: dict[str, tuple[PlannedQuestion, ...]] = {}
    for seat in request.seats:
        left = seat.minutes - SLACK_MINUTES
        picked = []
        for q in pool:
            if q.id not in used and q.minutes <= left:
                used.add(q.id)
                left -= q.minutes
                picked.append(
                    PlannedQuestion(
                        q.id, q.minutes, tuple(t for t in request.focus_topics if t in q.topics)
                    )
                )
        by[seat.interviewer] = tuple(picked)
    plan = Plan(by, ())
    return replace(plan, shortfalls=tuple(shortfalls(plan, request.focus_topics, pool, request)))


def unknown_topics(topics: Collection[str], bank: Sequence[Question]) -> list[str]:
    known = {t for q in bank if q.for_interview for t in q.topics}
    return [t for t in topics if t not in known]
