"""Polarity that reads like a person: failure words, opposite words, sameness for a gap."""

from __future__ import annotations

from bot.grading import Rubric, grade

WORSE = Rubric.from_reference(
    "",
    [
        {
            "text": "An overfit model performs worse on unseen data",
            "aliases": ["does not generalise"],
        },
        "A large gap between training and validation error",
        "Underfitting shows high error on both sets",
    ],
)


def _point(g, start: str):
    return next(kp for kp in g.key_points if kp.text.startswith(start))


def test_failure_words_agree_with_a_point_that_says_something_gets_worse():
    for answer in (
        "Such a model generalises poorly to unseen data.",
        "It fails to generalize to new data.",
        "An overfit model performs worse on unseen data.",
    ):
        g = grade(WORSE, answer)
        assert _point(g, "An overfit").status != "missed", answer
        assert not g.has_flag("negated"), (answer, [f.message for f in g.flags])


def test_negating_a_failure_word_contradicts_the_point():
    g = grade(WORSE, "An overfit model does not perform worse on unseen data.")
    assert _point(g, "An overfit").status == "missed"
    assert g.has_flag("negated")


def test_saying_alike_contradicts_a_difference():
    for answer in (
        "You see it when training error and validation error are both high.",
        "You see it when training error and validation error are high.",
    ):
        g = grade(WORSE, answer)
        assert _point(g, "A large gap").status == "missed", answer
        message = next(f.message for f in g.flags if f.code == "negated")
        # The flag quotes the user's words, not only the rubric's.
        assert "error are" in message and "high" in message, message
    g = grade(WORSE, "A large gap between training and validation error shows it.")
    assert _point(g, "A large gap").status == "covered"


def test_an_opposite_word_in_the_sentence_is_not_the_point():
    g = grade(WORSE, "Overfitting shows high error on both sets.")
    assert _point(g, "Underfitting").status == "missed"
    assert "Overfitting" in next(f.message for f in g.flags if f.code == "negated")
    assert _point(
        grade(WORSE, "Underfitting shows high error on both sets."), "Underfitting"
    ).status == ("covered")


def test_opposite_directions_do_not_match():
    rubric = Rubric.from_reference("", ["The diameter decreases by a factor of ten"])
    assert grade(rubric, "The diameter shrinks by a factor of ten.").key_points[0].status == (
        "covered"
    )
    assert grade(rubric, "The diameter increases by a factor of ten.").key_points[0].status == (
        "missed"
    )


def test_a_noun_of_failure_denies_nothing():
    rubric = Rubric.from_reference("", ["Overfitting is a high-variance problem"])
    g = grade(rubric, "Overfitting is a high-variance failure of the model.")
    assert not g.has_flag("negated")
