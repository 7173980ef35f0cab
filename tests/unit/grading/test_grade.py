"""grade(): statuses, weights, required points, flags, round trip, rubric building."""

from __future__ import annotations

import pytest

from bot.grading import PASS_THRESHOLD, Flag, Grade, KeyPointResult, Rubric, grade, split_claims
from bot.grading.rubric import rubric_for
from questionbank.models import Question

RUBRIC = Rubric.from_reference(
    "Bagging trains models on bootstrap samples and averages them, which reduces variance.",
    key_points=[
        {"text": "Bagging reduces variance", "aliases": ["lowers the variance"], "weight": 2},
        "Models are trained on bootstrap samples",
        {"text": "Predictions are averaged or voted", "weight": 1},
    ],
    prompt="What does bagging do?",
)


def make_question(**changes) -> Question:
    data = {
        "id": "bagging-basics",
        "title": "Bagging",
        "prompt": "What does bagging do and which error does it reduce?",
        "topics": ["ensembles"],
        "difficulty": "easy",
        "why_asked": "Checks ensemble basics.",
        "expected_answer": (
            "Bagging fits many models on bootstrap samples drawn with replacement and "
            "averages their predictions. Averaging reduces variance while leaving bias "
            "about the same, so it suits deep trees."
        ),
        "key_points": [
            {"text": "Bagging reduces variance", "weight": 2, "required": True},
            {"text": "Each model is fitted on a bootstrap sample drawn with replacement"},
            {"text": "Predictions are averaged or voted"},
        ],
    }
    data.update(changes)
    return Question.model_validate(data)


def test_full_answer_covers_every_point_with_snippets():
    g = grade(
        RUBRIC,
        "Each model is trained on a bootstrap sample; the predictions are averaged or voted, "
        "which reduces variance.",
    )
    assert g.passed and g.score >= 0.9
    assert [kp.status for kp in g.key_points] == ["covered"] * 3
    assert g.key_points[0].snippet == "reduces variance"
    assert all(0.0 <= kp.similarity <= 1.0 for kp in g.key_points)


def test_alias_counts_like_the_text():
    g = grade(RUBRIC, "Bagging mostly lowers the variance of the model.")
    assert g.key_points[0].status == "covered"


def test_weights_count():
    heavy = grade(RUBRIC, "Bagging reduces variance of a high variance model a lot.")
    light = grade(RUBRIC, "The final predictions are averaged or voted across models.")
    assert heavy.score > light.score


def test_one_shared_word_is_not_a_match():
    g = grade(RUBRIC, "Variance is a statistic that describes how spread out numbers are.")
    assert g.key_points[0].status == "missed"


def test_missed_required_point_caps_below_pass():
    question = make_question()
    g = grade(
        question,
        "Each model is fitted on a bootstrap sample drawn with replacement, and the "
        "predictions are averaged or voted at the end to get the final answer.",
    )
    assert g.key_points[0].status == "missed"
    assert g.score < PASS_THRESHOLD


def test_negated_point_is_not_covered_and_flagged():
    g = grade(RUBRIC, "Bagging does not reduce variance; it only makes training slower.")
    assert g.key_points[0].status == "missed"
    assert g.has_flag("negated")


def test_matching_negations_on_both_sides_are_not_a_contradiction():
    rubric = Rubric.from_reference("x", key_points=["K-means needs no labels"])
    g = grade(rubric, "K-means needs no labels at all, it clusters raw points.")
    assert g.key_points[0].status == "covered"
    assert not g.has_flag("negated")


def test_too_short_flag():
    assert grade(RUBRIC, "variance").has_flag("too_short")


def test_keyword_list_flag_and_cap():
    g = grade(RUBRIC, "bagging, variance, bootstrap, averaging, voting")
    assert g.has_flag("keyword_list")
    assert g.score < PASS_THRESHOLD


def test_copy_of_the_reference_is_capped_only_when_its_author_could_have_seen_it():
    seen = grade(RUBRIC, RUBRIC.reference, seen_reference=True)
    assert seen.has_flag("copied_reference")
    assert seen.score <= 0.2
    assert seen.limited_by == "copied_reference"
    # Without having seen the published answer, an answer close to it is a good answer:
    # flagged for a reviewer, graded like any other.
    unseen = grade(RUBRIC, RUBRIC.reference)
    assert unseen.has_flag("copied_reference")
    assert unseen.score > 0.6
    assert unseen.limited_by is None
    # The positional call the app makes today means "not seen".
    assert grade(RUBRIC, RUBRIC.reference) == grade(RUBRIC, RUBRIC.reference, seen_reference=False)


def test_off_topic_flag():
    g = grade(RUBRIC, "The canteen serves lasagne on Wednesdays and soup every Friday.")
    assert g.has_flag("off_topic")
    assert g.score <= 0.05


def test_flags_explain_themselves():
    g = grade(RUBRIC, "bagging, variance, bootstrap, averaging, voting")
    assert all(isinstance(f, Flag) and len(f.message) > 10 for f in g.flags)


def test_round_trip_through_dict():
    g = grade(RUBRIC, "Bagging reduces variance by averaging models fit on bootstrap samples.")
    again = Grade.from_dict(g.to_dict())
    assert again == g
    assert again.passed == g.passed


def test_from_dict_rejects_bad_values():
    with pytest.raises(ValueError):
        Grade.from_dict({"score": 1.5})
    with pytest.raises(ValueError):
        KeyPointResult.from_dict({"text": "x", "status": "great", "similarity": 1})
    with pytest.raises(ValueError):
        Flag.from_dict({"code": "rude", "message": "x"})


def test_question_rubric_is_cached_and_rebuilt_when_changed():
    question = make_question()
    assert rubric_for(question) is rubric_for(question)
    assert rubric_for(make_question()) is rubric_for(question)  # equal content
    changed = make_question(expected_answer="Something else entirely about bagging.")
    assert rubric_for(changed) is not rubric_for(question)


def test_question_without_key_points_in_rubric_uses_reference():
    rubric = Rubric.from_reference(
        "Bagging reduces variance. Boosting reduces bias; stacking learns a combiner."
    )
    assert rubric.auto_key_points
    assert [kp.text for kp in rubric.key_points] == [
        "Bagging reduces variance",
        "Boosting reduces bias",
        "stacking learns a combiner",
    ]


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        (
            "Steps:\n- scale the features\n- fit PCA on train\n• keep 95% variance",
            ["scale the features", "fit PCA on train", "keep 95% variance"],
        ),
        (
            "1. Split into k folds 2. Train on k-1 folds",
            ["Split into k folds", "Train on k-1 folds"],
        ),
        (
            "L1 gives sparse weights while L2 shrinks them smoothly.",
            ["L1 gives sparse weights", "L2 shrinks them smoothly"],
        ),
        (
            "Filters are cheap, whereas wrappers refit the model. Yes. Use e.g. lasso "
            "for sparsity.",
            ["Filters are cheap", "wrappers refit the model", "Use e.g. lasso for sparsity"],
        ),
    ],
)
def test_split_claims(text, claims):
    assert split_claims(text) == claims


def test_grading_is_fast_enough_to_call_per_message():
    # Not a benchmark (see bench/grading.py); guards against accidental blow-ups.
    long_answer = "Bagging reduces variance by averaging bootstrap models. " * 800
    g = grade(RUBRIC, long_answer)
    assert 0.0 <= g.score <= 1.0


PASSAGE = (
    "Bagging trains many models on bootstrap samples drawn with replacement and averages "
    "their predictions, which mainly reduces variance and suits deep trees. Boosting trains "
    "models in sequence, each one correcting the errors of the ensemble so far, which "
    "mainly reduces bias and suits shallow trees. Random forests add feature subsampling "
    "to bagging so the trees are less correlated."
)
LONG = Rubric.from_reference(PASSAGE + " " + PASSAGE.replace("Bagging", "It"))


def test_a_partial_copy_is_flagged_and_only_its_own_words_count_when_seen():
    own = "In my own words: boosting fixes what earlier models got wrong."
    lifted = PASSAGE.split(". ")[0] + ". " + own
    unseen = grade(LONG, lifted)
    seen = grade(LONG, lifted, seen_reference=True)
    assert unseen.has_flag("copied_reference") and seen.has_flag("copied_reference")
    assert "word for word" in unseen.flags[-1].message or "copy" in unseen.flags[-1].message
    assert seen.score < unseen.score
    assert seen.limited_by == "copied_reference"
    # The flag quotes the lifted words.
    message = next(f.message for f in seen.flags if f.code == "copied_reference")
    assert "“Bagging trains many models on bootstrap samples" in message


def test_an_answer_in_its_own_words_is_not_a_copy():
    g = grade(
        LONG,
        "Bagging fits each model to a resample of the rows and averages them, so variance "
        "drops; boosting fits models one after another and mainly lowers bias.",
        seen_reference=True,
    )
    assert not g.has_flag("copied_reference")
