"""Interview panels: planning against a large bank, next to a naive random assignment
measured in the same run, and the debrief packet.

  * plan         `plan_panel` (bot.core.panel_plan) for a 6-interviewer, 8-topic panel of
                 60-minute senior interviews, many runs, each with its own rng seed and
                 its own 8 focus topics; target < 50 ms median
  * naive        `naive_plan` on the same requests, run by run: random eligible questions
                 per interviewer until their time is used, no thought for coverage
  * eligible     the filter both start with, alone (one pass over the bank): the floor
  * packet       `panel_rules.packet` for 6 submitted scorecards of a planned panel;
                 target < 20 ms median

Coverage failures count, over all runs, the focus topics a plan leaves covered by fewer
than two interviewers (what the planner exists to prevent).

The bank is synthetic and lives in memory only (nothing is written): 2,000 questions
shaped like the bundled bank (its texts and rubrics as templates; its mix of use,
difficulty, topics per question and minutes), spread over 20 topics, with exposure
counts from earlier panels and a few questions the candidate was asked before.

    python bench/panels.py [--bank 2000] [--runs 200] [--seed 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.panel_plan import (
    COVERAGE_WANTED,
    Plan,
    PlanRequest,
    Seat,
    eligible,
    naive_plan,
    plan_panel,
)
from bot.core.panel_rules import RECOMMENDATIONS, CardSummary, anchor_points, packet
from questionbank.loader import load_bank
from questionbank.models import Question

INTERVIEWERS = 6
FOCUS_TOPICS = 8
MINUTES = 60
LEVEL = "senior"
TOPICS = 20
PLAN_TARGET_MS = 50.0
PACKET_TARGET_MS = 20.0
WARMUP = 3
T = TypeVar("T")


def synthetic_bank(size: int, rng: random.Random) -> tuple[list[Question], list[str]]:
    """`size` valid questions built on the bundled ones, and the topics they cover.

    Each copy keeps a bundled question's texts and rubric and draws its use, difficulty,
    number of topics and minutes from the bundled bank's own mix, so the planner meets
    the shapes it meets in production, only many more of them."""
    templates = [q for q in load_bank() if q.for_interview]
    counts: dict[str, int] = {}
    for q in templates:
        for t in q.topics:
            counts[t] = counts.get(t, 0) + 1
    topics = sorted(counts, key=lambda t: (-counts[t], t))[:TOPICS]
    bank = []
    for n in range(size):
        template = rng.choice(templates)
        shape = rng.choice(templates)  # another question's mix, so the traits vary apart
        wanted = min(len(shape.topics), len(topics))
        data = template.model_dump(mode="json")
        data |= {
            "id": f"synthetic-{n:05d}",
            "title": f"{template.title} ({n})",
            "topics": rng.sample(topics, wanted),
            "difficulty": rng.choice(templates).difficulty.value,
            "use": shape.use.value,
            "interview_minutes": rng.choice(templates).minutes,
        }
        bank.append(Question.model_validate(data))
    return bank, topics


def panel_request(bank: Sequence[Question], topics: Sequence[str], rng: random.Random):
    """One run's panel: its focus topics, the team's exposure counts so far, and a few
    questions this candidate had in an earlier round."""
    exposed = rng.sample(range(len(bank)), len(bank) // 5)
    return PlanRequest(
        seats=tuple(Seat(f"U{n:02d}", MINUTES) for n in range(INTERVIEWERS)),
        focus_topics=tuple(rng.sample(list(topics), FOCUS_TOPICS)),
        level=LEVEL,
        asked_before=frozenset(bank[i].id for i in rng.sample(range(len(bank)), 6)),
        exposure={bank[i].id: rng.randint(1, 6) for i in exposed},
    )


def under_covered(plan: Plan, focus: Sequence[str]) -> int:
    """Focus topics covered by fewer than two different interviewers."""
    return sum(1 for t in focus if len(plan.coverage(t)) < COVERAGE_WANTED)


def timed(func: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = func()
    return (time.perf_counter() - started) * 1000, result


def stats(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "runs": len(ordered),
        "median_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(p95, 3),
        "mean_ms": round(statistics.fmean(ordered), 3),
        "min_ms": round(ordered[0], 3),
    }


def scorecards(
    plan: Plan, request: PlanRequest, by_id: dict[str, Question], rng: random.Random
) -> list[CardSummary]:
    """One submitted card per interviewer: ratings for their questions and the focus
    topics (some not assessed), key points ticked at random, every recommendation."""
    cards = []
    for who, planned in plan.by_interviewer.items():
        shown = {}
        for p in planned:
            points = [k.text for k in by_id[p.question_id].key_points]
            shown[p.question_id] = frozenset(rng.sample(points, rng.randint(0, len(points))))
        cards.append(
            CardSummary(
                interviewer=who,
                recommendation=rng.choice(RECOMMENDATIONS),
                question_ratings={p.question_id: rng.randint(1, 4) for p in planned},
                topic_ratings={
                    t: (None if rng.random() < 0.25 else rng.randint(1, 4))
                    for t in request.focus_topics
                },
                shown_points=shown,
            )
        )
    return cards


def run(bank_size: int, runs: int, seed: int) -> dict:
    setup = random.Random(seed)
    built_at = time.perf_counter()
    bank, topics = synthetic_bank(bank_size, setup)
    built_s = time.perf_counter() - built_at
    by_id = {q.id: q for q in bank}
    plan_ms: list[float] = []
    naive_ms: list[float] = []
    filter_ms: list[float] = []
    packet_ms: list[float] = []
    failures = {"plan": 0, "naive": 0}
    runs_failing = {"plan": 0, "naive": 0}
    findings = 0
    for n in range(-WARMUP, runs):
        run_rng = random.Random(f"{seed}:{n}")
        request = panel_request(bank, topics, run_rng)
        # The planner and the baseline get the same request and the same seed; which
        # goes first alternates, so neither always meets a warmer cache.
        order = ("plan", "naive") if n % 2 == 0 else ("naive", "plan")
        plans: dict[str, Plan] = {}
        times: dict[str, float] = {}
        for which in order:
            func = plan_panel if which == "plan" else naive_plan
            rng = random.Random(seed * 1_000_003 + n)
            times[which], plans[which] = timed(lambda f=func, r=rng, q=request: f(bank, q, r))
        elapsed_filter, _ = timed(lambda r=request: eligible(bank, r))
        required = {
            qid: [p.text for p in anchor_points(by_id[qid])] for qid in plans["plan"].question_ids()
        }
        cards = scorecards(plans["plan"], request, by_id, run_rng)
        elapsed_packet, built = timed(
            lambda c=cards, r=request, q=required: packet(c, r.focus_topics, q)
        )
        if n < 0:
            continue  # warm-up: imports, caches, the first allocations
        plan_ms.append(times["plan"])
        naive_ms.append(times["naive"])
        filter_ms.append(elapsed_filter)
        packet_ms.append(elapsed_packet)
        findings += len(built.findings)
        for which, plan in plans.items():
            missing = under_covered(plan, request.focus_topics)
            failures[which] += missing
            runs_failing[which] += missing > 0
        assert len(set(plans["plan"].question_ids())) == len(plans["plan"].question_ids())
    plan_stats, naive_stats = stats(plan_ms), stats(naive_ms)
    packet_stats = stats(packet_ms)
    return {
        "bank": {
            "questions": len(bank),
            "topics": len(topics),
            "eligible_at_level": len(eligible(bank, replace(request, asked_before=frozenset()))),
            "built_seconds": round(built_s, 2),
        },
        "panel": {
            "interviewers": INTERVIEWERS,
            "focus_topics": FOCUS_TOPICS,
            "minutes": MINUTES,
            "level": LEVEL,
        },
        "runs": runs,
        "seed": seed,
        "plan": plan_stats,
        "naive": naive_stats,
        "eligible_filter": stats(filter_ms),
        "packet": {
            **packet_stats,
            "scorecards": INTERVIEWERS,
            "findings_per_packet": round(findings / max(1, runs), 2),
        },
        "coverage_failures": {
            "plan_topics_under_two": failures["plan"],
            "naive_topics_under_two": failures["naive"],
            "plan_runs_with_a_failure": runs_failing["plan"],
            "naive_runs_with_a_failure": runs_failing["naive"],
            "topics_checked": runs * FOCUS_TOPICS,
        },
        "targets": {
            "plan_median_ms": PLAN_TARGET_MS,
            "packet_median_ms": PACKET_TARGET_MS,
            "plan_met": plan_stats["median_ms"] < PLAN_TARGET_MS,
            "packet_met": packet_stats["median_ms"] < PACKET_TARGET_MS,
        },
        "ratios": {
            "plan_vs_naive_median": round(plan_stats["median_ms"] / naive_stats["median_ms"], 2),
            "plan_vs_target": round(plan_stats["median_ms"] / PLAN_TARGET_MS, 3),
            "packet_vs_target": round(packet_stats["median_ms"] / PACKET_TARGET_MS, 4),
        },
    }


def print_report(r: dict) -> None:
    bank, panel, cov = r["bank"], r["panel"], r["coverage_failures"]
    print(
        f"panel planning: {panel['interviewers']} interviewers x {panel['minutes']} min, "
        f"{panel['focus_topics']} focus topics, {panel['level']}; synthetic bank of "
        f"{bank['questions']:,} questions over {bank['topics']} topics "
        f"({bank['eligible_at_level']:,} eligible at the level); {r['runs']} runs, "
        "each its own seed and focus topics"
    )
    print(f"  {'':<44}{'median ms':>10}{'p95 ms':>9}{'mean ms':>9}  topics < 2 (runs)")
    rows = (
        ("plan_panel (the planner)", r["plan"], "plan"),
        ("naive_plan (random assignment, same run)", r["naive"], "naive"),
        ("eligible() alone (the filter both start with)", r["eligible_filter"], None),
    )
    for label, s, key in rows:
        failing = (
            f"  {cov[f'{key}_topics_under_two']:>5} of {cov['topics_checked']}"
            f" ({cov[f'{key}_runs_with_a_failure']} runs)"
            if key
            else ""
        )
        print(
            f"  {label:<44}{s['median_ms']:>10.3f}{s['p95_ms']:>9.3f}{s['mean_ms']:>9.3f}{failing}"
        )
    p = r["packet"]
    print(
        f"  {'packet() for ' + str(p['scorecards']) + ' scorecards':<44}"
        f"{p['median_ms']:>10.3f}{p['p95_ms']:>9.3f}{p['mean_ms']:>9.3f}"
        f"  ({p['findings_per_packet']} findings per packet)"
    )
    ratios, targets = r["ratios"], r["targets"]
    print(
        f"  planner / naive: {ratios['plan_vs_naive_median']}x the time; "
        f"planner median / target ({targets['plan_median_ms']:.0f} ms): {ratios['plan_vs_target']}"
        f" ({'met' if targets['plan_met'] else 'MISSED'}); packet median / target "
        f"({targets['packet_median_ms']:.0f} ms): {ratios['packet_vs_target']}"
        f" ({'met' if targets['packet_met'] else 'MISSED'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=int, default=2000, help="questions in the synthetic bank")
    parser.add_argument("--runs", type=int, default=200, help="panels planned, one seed each")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    results = run(args.bank, args.runs, args.seed)
    if args.json:
        print(json.dumps(results))
        return
    print_report(results)


if __name__ == "__main__":
    main()
