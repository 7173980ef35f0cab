"""Scoring against key points derived from a reference answer (no explicit rubric)."""

from __future__ import annotations

import pytest

from bot.grading import Rubric, grade
from bot.grading.rubric import requested_count

REFERENCE = (
    "Bagging reduces variance by averaging models. Boosting reduces bias by fitting models "
    "in sequence. Stacking learns a combiner on model outputs. Random forests decorrelate "
    "trees with feature subsampling."
)


@pytest.mark.parametrize(
    ("prompt", "count"),
    [
        ("State at least 4 of the differences between UDP and TCP headers.", 4),
        ("Please name and describe two challenges.", 2),
        ("Give 3 examples of ensembles.", 3),
        ("Flip a coin 6 times; is at least three heads likely?", None),
        ("What does bagging do?", None),
    ],
)
def test_requested_count(prompt, count):
    assert requested_count(prompt) == count


def test_prompt_count_sets_how_many_claims_a_full_answer_needs():
    answer = "Bagging reduces variance by averaging models, and boosting reduces bias in sequence."
    asked_two = Rubric.from_reference(REFERENCE, prompt="Name two ensemble methods and explain.")
    asked_all = Rubric.from_reference(REFERENCE, prompt="Explain ensemble methods.")
    assert asked_two.compiled.claims_needed == 2
    assert asked_all.compiled.claims_needed == 4
    assert grade(asked_two, answer).score > grade(asked_all, answer).score
    assert grade(asked_two, answer).passed


def test_auto_score_rewards_more_claims():
    rubric = Rubric.from_reference(REFERENCE)
    one = grade(rubric, "Bagging reduces variance by averaging many models together.")
    two = grade(
        rubric,
        "Bagging reduces variance by averaging many models together, and I would add that "
        "boosting, unlike it, reduces bias since each new model is fitted in sequence.",
    )
    assert two.score > one.score


def test_unrelated_answer_is_still_capped_near_zero():
    rubric = Rubric.from_reference(REFERENCE)
    g = grade(rubric, "The canteen serves lasagne on Wednesdays and soup every Friday.")
    assert g.has_flag("off_topic")
    assert g.score <= 0.05


def test_aside_words_of_a_derived_claim_weigh_less():
    from bot.grading.rubric import ASIDE_WEIGHT, aside_keys
    from bot.grading.text import tokenize

    claim = "The learning rate should decrease over training, e.g. from 0.1 to 0.001."
    assert aside_keys(claim, tokenize(claim)) == {"0.1", "0.001"}
    all_aside = "(for example dropout)"
    assert aside_keys(all_aside, tokenize(all_aside)) == frozenset()
    rubric = Rubric.from_reference(claim)
    variant = rubric.compiled.key_points[0].variants[0]
    weights = dict(zip(variant.keys, variant.weights, strict=True))
    assert weights["0.1"] == pytest.approx(weights["~decrease"] * ASIDE_WEIGHT)
    explicit = Rubric.from_reference(claim, [claim])
    variant = explicit.compiled.key_points[0].variants[0]
    assert len(set(variant.weights)) == 1


def test_reference_recall_discounts_words_the_prompt_uses():
    from bot.grading.engine import AnswerView, reference_recall
    from bot.grading.rubric import RECALL_PROMPT_WEIGHT
    from bot.grading.text import tokenize_columns

    reference = "Bagging reduces variance by averaging bootstrap models."
    asked = Rubric.from_reference(reference, prompt="What does bagging do?").compiled
    plain = Rubric.from_reference(reference).compiled

    def recall(answer: str, compiled) -> float:
        view = AnswerView.build(answer, tokenize_columns(answer), compiled)
        return reference_recall(view, compiled)

    # A word the prompt already uses weighs RECALL_PROMPT_WEIGHT of what it would: echoing
    # the question says little. Other words weigh a little more in turn.
    assert RECALL_PROMPT_WEIGHT < 0.5
    assert recall("bagging", asked) < 0.5 * recall("bagging", plain)
    assert recall("variance", asked) > recall("variance", plain)
    assert recall(reference, asked) == pytest.approx(1.0)
    assert recall("", asked) == 0.0


def test_reference_recall_counts_close_words_in_part_and_opposites_not_at_all():
    from bot.grading.engine import AnswerView, reference_recall
    from bot.grading.text import tokenize_columns

    compiled = Rubric.from_reference("The diameter decreases.").compiled

    def recall(answer: str) -> float:
        view = AnswerView.build(answer, tokenize_columns(answer), compiled)
        return reference_recall(view, compiled)

    assert recall("The diameter decreases.") == pytest.approx(1.0)
    # "radius" is no "diameter", but close: it earns part of that word.
    assert 0.0 < recall("radius") < recall("diameter")
    # "increases" is among GloVe's nearest neighbours of "decreases" (cosine 0.94), and
    # its opposite: it earns nothing.
    assert recall("lessens") > 0.0
    assert recall("increases") == 0.0


def test_negation_is_judged_only_on_short_derived_claims():
    short = Rubric.from_reference("Dropout is disabled at test time.")
    flagged = grade(short, "Dropout is not disabled at test time, it stays on.")
    assert "negated" in [f.code for f in flagged.flags]
    # Five content words: a reference sentence, whose polarity is no longer judged.
    long = Rubric.from_reference("Dropout zeroes random hidden units in training.")
    answer = "Dropout does not zero random hidden units in training."
    assert "negated" not in [f.code for f in grade(long, answer).flags]
    explicit = Rubric.from_reference("", ["Dropout zeroes random hidden units in training."])
    assert "negated" in [f.code for f in grade(explicit, answer).flags]


def test_direction_words_are_one_concept():
    reference = "Regularisation reduces the variance of the model."
    rubric = Rubric.from_reference(reference, ["Regularisation reduces variance"])
    for answer in (
        "With regularisation the variance gets lower.",
        "Regularisation makes variance smaller.",
        "Regularisation decreases variance.",
    ):
        assert grade(rubric, answer).key_points[0].status == "covered", answer
    same = grade(rubric, "Regularisation makes variance smaller.").key_points[0].similarity
    opposite = grade(rubric, "Regularisation increases variance.").key_points[0].similarity
    assert opposite < same


def test_correctness_words_are_one_concept():
    rubric = Rubric.from_reference("", ["The model predicts the correct class"])
    answer = "The model predicts the right class for each example."
    assert grade(rubric, answer).key_points[0].status == "covered"
    wrong = Rubric.from_reference("", ["The model predicts the wrong class"])
    answer = "It predicts an incorrect class when the features shift."
    assert grade(wrong, answer).key_points[0].status == "covered"
    assert grade(rubric, answer).key_points[0].status != "covered"


def test_pros_and_cons_words_are_one_concept():
    rubric = Rubric.from_reference("", ["A disadvantage of bagging is slower inference"])
    answer = "One drawback of bagging is the slower inference."
    result = grade(rubric, answer).key_points[0]
    assert result.status == "covered"
    opposite = grade(rubric, "One benefit of bagging is the slower inference.").key_points[0]
    assert opposite.similarity < result.similarity
