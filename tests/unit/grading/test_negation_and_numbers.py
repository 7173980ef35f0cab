"""Negation scope and numbers: the bugs question writers reported, one test each."""

from __future__ import annotations

from bot.grading import Rubric, grade
from bot.grading.text import tokenize

TANH = Rubric.from_reference(
    "x",
    key_points=[
        {"text": "Sigmoid is not zero centered", "weight": 1},
        {"text": "Tanh is zero centered", "weight": 1},
    ],
)


def _point(g, text):
    return next(kp for kp in g.key_points if kp.text == text)


def test_negation_does_not_cross_a_sentence_end():
    g = grade(TANH, "The sigmoid output is not zero centered. Tanh is zero centered.")
    assert _point(g, "Tanh is zero centered").status == "covered"
    assert not g.has_flag("negated")


def test_negation_does_not_cross_a_comma():
    g = grade(TANH, "The sigmoid output is not zero centered, tanh is zero centered.")
    assert _point(g, "Tanh is zero centered").status == "covered"
    assert not g.has_flag("negated")


def test_negation_stops_at_and_but_while():
    rubric = Rubric.from_reference("x", key_points=["Bias and variance interact"])
    for joiner in (", ", " and ", " but ", " while ", " whereas "):
        answer = (
            f"For 0-1 loss the error doesn't decompose additively{joiner}"
            "bias and variance interact."
        )
        g = grade(rubric, answer)
        assert g.key_points[0].status == "covered", joiner
        assert not g.has_flag("negated"), joiner


def test_negation_still_applies_inside_its_clause():
    g = grade(TANH, "Tanh is not zero centered, it is like the sigmoid.")
    assert _point(g, "Tanh is zero centered").status == "missed"
    assert g.has_flag("negated")


def test_without_negates_only_its_own_noun_phrase():
    rubric = Rubric.from_reference(
        "x", key_points=["Stacked linear layers collapse into one linear model"]
    )
    g = grade(
        rubric, "Without nonlinear activations the stacked layers collapse into one linear model."
    )
    assert g.key_points[0].status == "covered"
    assert not g.has_flag("negated")
    g = grade(
        rubric, "Without non-linear activations the stacked layers collapse into one linear model."
    )
    assert g.key_points[0].status == "covered"
    assert not g.has_flag("negated")


def test_without_still_negates_what_it_governs():
    rubric = Rubric.from_reference("x", key_points=["The model is trained with labels"])
    g = grade(rubric, "The model is trained without labels.")
    assert g.key_points[0].status == "missed"
    assert g.has_flag("negated")


def test_equal_variants_prefer_the_one_whose_polarity_matches():
    rubric = Rubric.from_reference(
        "x",
        key_points=[
            {
                "text": "Dropout is not used at test time",
                "aliases": ["dropout is turned off at test time"],
            }
        ],
    )
    g = grade(rubric, "At test time dropout is turned off.")
    assert g.key_points[0].status == "covered"
    assert not g.has_flag("negated")
    # The text itself still works, and a contradiction is still caught.
    assert grade(rubric, "Dropout is not used at test time.").key_points[0].status == "covered"
    contradiction = grade(rubric, "Dropout is used at test time too.")
    assert contradiction.key_points[0].status == "missed"


def test_numbers_are_matchable_tokens():
    keys = [
        t.key for t in tokenize("dL/dw2 = 4, threshold 1/21 is about 0.048 or 0,5; 10,000 rows")
    ]
    for number in ("4", "1/21", "0.048", "0.5", "10000"):
        assert number in keys, (number, keys)
    assert all(t.content for t in tokenize("4 0.048 1/21"))


def test_numbers_with_units_split_from_the_unit():
    keys = [t.key for t in tokenize("from 300m to 30 m")]
    assert keys.count("300") == 1 and "30" in keys


def test_a_wrong_number_does_not_match_the_right_one():
    rubric = Rubric.from_reference("x", key_points=["dL/dw2 = 4", "dL/dw1 = 6"])
    right = grade(rubric, "By the chain rule dL/dw2 = 4 and dL/dw1 = 6.")
    wrong = grade(rubric, "By the chain rule dL/dw2 = 5 and dL/dw1 = 3.")
    assert right.score > wrong.score
    threshold = Rubric.from_reference("x", key_points=["the threshold is 1/21, about 0.048"])
    good = grade(threshold, "With 20 to 1 costs the threshold is 1/21, about 0.048.")
    bad = grade(threshold, "With 20 to 1 costs the threshold is 1/2, about 0.5.")
    assert good.key_points[0].status == "covered"
    assert bad.key_points[0].status != "covered"


def test_a_negated_repeat_does_not_undo_an_asserted_word():
    # Found by hypothesis: adding a key point's text must not flip an earlier match.
    rubric = Rubric.from_reference(
        "x", key_points=["PCA finds orthogonal directions of maximum variance", "Scale first"]
    )
    before = grade(rubric, "PCA: orthogonal directions: no PCA: variance")
    assert not before.has_flag("negated")
