"""Agreement statistics used by `mlquiz calibrate`."""

from __future__ import annotations

import math

import pytest

from bot.grading.calibration import (
    best_threshold,
    binned_kappa,
    pearson,
    quadratic_weighted_kappa,
    ranks,
    spearman,
    to_bin,
)


def test_ranks_average_ties():
    assert ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]


def test_pearson_and_spearman():
    xs = [1, 2, 3, 4, 5]
    assert pearson(xs, [2, 4, 6, 8, 10]) == pytest.approx(1.0)
    assert pearson(xs, [5, 4, 3, 2, 1]) == pytest.approx(-1.0)
    # Monotone but not linear: Spearman sees a perfect order, Pearson less.
    cubes = [x**3 for x in xs]
    assert spearman(xs, cubes) == pytest.approx(1.0)
    assert pearson(xs, cubes) < 1.0
    assert pearson(xs, [1, 1, 1, 1, 1]) == 0.0


def test_bins_round_to_nearest_with_ties_up():
    assert [to_bin(s) for s in (0.0, 0.24, 0.25, 0.5, 0.74, 0.75, 1.0)] == [0, 0, 1, 1, 1, 2, 2]


def test_qwk_known_values():
    assert quadratic_weighted_kappa([0, 1, 2], [0, 1, 2], 3) == pytest.approx(1.0)
    # Hand-computed: one off-by-one disagreement among four.
    a, b = [0, 0, 1, 2], [0, 1, 1, 2]
    observed = 0.25  # weight (1/2)^2 * 1 disagreement
    expected = 0.0
    hist_a, hist_b = [2, 1, 1], [1, 2, 1]
    for i in range(3):
        for j in range(3):
            expected += ((i - j) ** 2 / 4) * hist_a[i] * hist_b[j] / 4
    assert quadratic_weighted_kappa(a, b, 3) == pytest.approx(1 - observed / expected)
    assert binned_kappa([0.1, 0.9], [0.0, 1.0]) == pytest.approx(1.0)


def test_best_threshold_separates_passes():
    grader = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]
    human = [0.0, 0.0, 0.25, 1.0, 0.75, 1.0]
    choice = best_threshold(grader, human)
    assert 0.3 < choice.threshold <= 0.7
    assert math.isclose(choice.accuracy, 1.0)


def test_calibrate_grades_an_in_memory_list_of_judgements():
    from bot.grading import Rubric
    from bot.grading.calibration import Judged, calibrate

    rubric = Rubric.from_reference(
        "Bagging trains each model on a bootstrap sample and averages the models, which "
        "reduces their variance.",
        prompt="What does bagging do?",
        question_id="bagging",
    )
    judged = [
        Judged(rubric, "Bagging averages models fit on bootstrap samples to reduce variance.", 1.0),
        Judged(rubric, "It averages several bootstrap models.", 0.5),
        Judged(rubric, "no idea", 0.0),
        Judged(rubric, "The canteen serves soup on Fridays and pasta on Mondays.", 0.0),
        Judged(rubric, rubric.reference, 1.0, seen_reference=True),
    ]
    report = calibrate(judged)
    assert report.overall.n == 5
    assert report.longer is not None and report.longer.n == 4
    assert report.overall.pearson > 0.5
    assert report.baseline.n == 5
    assert [g.question for g in report.per_group] == ["bagging"]
    # Copies are graded like any other answer unless copies are capped, and then only
    # for an author who could have seen the published answer.
    capped = calibrate(judged, cap_copies=True)
    assert capped.grader_scores[4] < report.grader_scores[4]
    assert capped.grader_scores[:4] == report.grader_scores[:4]
    with pytest.raises(ValueError):
        Judged(rubric, "x", 1.5)
    with pytest.raises(ValueError):
        calibrate(judged[:1])


def test_calibrate_takes_bank_questions():
    from bot.grading.calibration import Judged, calibrate
    from questionbank.loader import load_bank

    question = load_bank().get("supervised-unsupervised-core-difference")
    report = calibrate(
        [
            Judged(question, "Supervised learning uses labels; unsupervised finds clusters.", 1),
            Judged(question, "I would use a spreadsheet for it.", 0.0),
        ]
    )
    assert report.per_group[0].question == question.id
