"""Agreement between grader scores and human scores: the numbers `mlquiz calibrate` prints.

Pure statistics on lists of floats, with the standard library only, the plain
token-recall baseline the grader is compared with, and `calibrate()`, which grades an
in-memory list of human judgements (`Judged`) and reports both. A file of graded answers
(`mlquiz calibrate FILE`) and the app's own overrides and upheld appeals go through the
same function.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.grading.text import clean_markup, tokenize

if TYPE_CHECKING:
    from bot.grading.rubric import Rubric
    from questionbank.models import Question

# Scores are binned to the nearest of 0, 0.5 and 1 before kappa: wrong / partly right /
# right, the three grades a human reviewer actually distinguishes.
KAPPA_BINS = (0.0, 0.5, 1.0)
HUMAN_PASS = 0.5


def token_recall(reference: str, answer: str) -> float:
    """Share of the reference's distinct content words that the answer uses: the baseline."""
    wanted = {t.key for t in tokenize(clean_markup(reference)) if t.content}
    if not wanted:
        return 0.0
    used = {t.key for t in tokenize(clean_markup(answer)) if t.content}
    return len(wanted & used) / len(wanted)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson r; 0.0 when either side is constant (no linear relation can be measured)."""
    if len(xs) < 2 or len(set(xs)) < 2 or len(set(ys)) < 2:
        return 0.0
    return statistics.correlation(xs, ys)


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        shared = (i + j) / 2 + 1
        for k in range(i, j + 1):
            result[order[k]] = shared
        i = j + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    return pearson(ranks(xs), ranks(ys))


def to_bin(score: float, bins: Sequence[float] = KAPPA_BINS) -> int:
    """Index of the nearest bin value (ties go up: 0.75 counts as right)."""
    best = 0
    for i, value in enumerate(bins):
        if abs(score - value) <= abs(score - bins[best]):
            best = i
    return best


def quadratic_weighted_kappa(a: Sequence[int], b: Sequence[int], n_classes: int) -> float:
    """Cohen's kappa with quadratic disagreement weights over classes 0..n_classes-1."""
    n = len(a)
    if n == 0 or n_classes < 2:
        return 0.0
    observed = [[0.0] * n_classes for _ in range(n_classes)]
    for i, j in zip(a, b, strict=True):
        observed[i][j] += 1
    hist_a = [sum(row) for row in observed]
    hist_b = [sum(observed[i][j] for i in range(n_classes)) for j in range(n_classes)]
    numerator = 0.0
    denominator = 0.0
    for i in range(n_classes):
        for j in range(n_classes):
            weight = (i - j) ** 2 / (n_classes - 1) ** 2
            numerator += weight * observed[i][j]
            denominator += weight * hist_a[i] * hist_b[j] / n
    if denominator == 0:
        return 1.0 if numerator == 0 else 0.0
    return 1.0 - numerator / denominator


def binned_kappa(grader: Sequence[float], human: Sequence[float]) -> float:
    return quadratic_weighted_kappa(
        [to_bin(s) for s in grader], [to_bin(s) for s in human], len(KAPPA_BINS)
    )


@dataclass(frozen=True, slots=True)
class ThresholdChoice:
    threshold: float
    accuracy: float
    balanced_accuracy: float


def best_threshold(
    grader: Sequence[float], human: Sequence[float], human_pass: float = HUMAN_PASS
) -> ThresholdChoice:
    """The pass threshold whose pass/fail agrees most often with human pass/fail.

    Thresholds 0.05..0.95 in steps of 0.01; among equally accurate ones the middle of the
    best run is taken, so the answer does not sit on the edge of a plateau.
    """
    truth = [h >= human_pass for h in human]
    n = len(truth)
    positives = sum(truth)
    negatives = n - positives
    scored: list[tuple[float, float, float]] = []
    for step in range(5, 96):
        t = step / 100
        predicted = [g >= t for g in grader]
        tp = sum(1 for p, y in zip(predicted, truth, strict=True) if p and y)
        tn = sum(1 for p, y in zip(predicted, truth, strict=True) if not p and not y)
        accuracy = (tp + tn) / n if n else 0.0
        recall_pos = tp / positives if positives else 1.0
        recall_neg = tn / negatives if negatives else 1.0
        scored.append((t, accuracy, (recall_pos + recall_neg) / 2))
    top = max(s[1] for s in scored)
    best_run = [s for s in scored if math.isclose(s[1], top)]
    chosen = best_run[len(best_run) // 2]
    return ThresholdChoice(chosen[0], chosen[1], chosen[2])


@dataclass(frozen=True, slots=True)
class Agreement:
    n: int
    pearson: float
    spearman: float
    kappa: float
    threshold: ThresholdChoice


def agreement(grader: Sequence[float], human: Sequence[float]) -> Agreement:
    return Agreement(
        n=len(grader),
        pearson=pearson(grader, human),
        spearman=spearman(grader, human),
        kappa=binned_kappa(grader, human),
        threshold=best_threshold(grader, human),
    )


# --- Grading a list of human judgements ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Judged:
    """One human judgement: what was asked, what was answered, the score a person gave.

    `question` is a bank Question or a Rubric; `group` names the question in the
    per-question table (its id by default); `seen_reference` whether the author could
    have seen the published answer (used only when calibrate caps copies).
    """

    question: Question | Rubric
    answer: str
    human: float
    group: str = ""
    seen_reference: bool = False

    def __post_init__(self) -> None:
        if not 0.0 <= self.human <= 1.0:
            raise ValueError(f"human score {self.human} outside [0, 1]")


@dataclass(frozen=True, slots=True)
class GroupAgreement:
    question: str
    n: int
    pearson: float
    grader_mean: float
    human_mean: float


@dataclass(frozen=True, slots=True)
class Calibration:
    """The grader's agreement with the judgements, next to plain token recall."""

    overall: Agreement
    longer: Agreement | None  # answers of more than min_words words
    baseline: Agreement  # plain token recall of the reference
    baseline_longer: Agreement | None
    per_group: list[GroupAgreement]
    min_words: int
    grader_scores: list[float] = field(default_factory=list)
    human_scores: list[float] = field(default_factory=list)


def calibrate(
    judged: Iterable[Judged], *, min_words: int = 3, cap_copies: bool = False
) -> Calibration:
    """Grade every judged answer and measure agreement with the human scores.

    Copies of the published answer are only capped with `cap_copies` (and then only for
    judgements whose author could have seen it), as in the app; by default they are
    graded like any other answer. Needs at least two judgements.
    """
    from bot.grading.engine import grade
    from bot.grading.rubric import Rubric, rubric_for

    machine: list[float] = []
    recall: list[float] = []
    human: list[float] = []
    words: list[int] = []
    groups: list[str] = []
    for item in judged:
        rubric = item.question if isinstance(item.question, Rubric) else rubric_for(item.question)
        seen = cap_copies and item.seen_reference
        machine.append(grade(rubric, item.answer, seen_reference=seen).score)
        reference = rubric.reference or " ".join(kp.text for kp in rubric.key_points)
        recall.append(token_recall(reference, item.answer))
        human.append(item.human)
        words.append(len(item.answer.split()))
        groups.append(item.group or rubric.question_id or rubric.reference[:40])
    if len(machine) < 2:
        raise ValueError("need at least two judged answers")
    keep = [i for i, n in enumerate(words) if n > min_words]

    def subset(values: list[float]) -> list[float]:
        return [values[i] for i in keep]

    return Calibration(
        overall=agreement(machine, human),
        longer=agreement(subset(machine), subset(human)) if keep else None,
        baseline=agreement(recall, human),
        baseline_longer=agreement(subset(recall), subset(human)) if keep else None,
        per_group=_per_group(machine, human, groups),
        min_words=min_words,
        grader_scores=machine,
        human_scores=human,
    )


def _per_group(machine: list[float], human: list[float], groups: list[str]) -> list[GroupAgreement]:
    rows = []
    for group in dict.fromkeys(groups):
        idx = [i for i, g in enumerate(groups) if g == group]
        g_scores = [machine[i] for i in idx]
        h_scores = [human[i] for i in idx]
        rows.append(
            GroupAgreement(
                question=group,
                n=len(idx),
                pearson=pearson(g_scores, h_scores),
                grader_mean=statistics.fmean(g_scores),
                human_mean=statistics.fmean(h_scores),
            )
        )
    return rows
