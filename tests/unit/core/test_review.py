from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating
from hypothesis import given
from hypothesis import strategies as st

from bot.core.review import channel_rotation, rating_for_score, review

NOW = datetime(2024, 6, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (0.0, Rating.Again),
        (0.39, Rating.Again),
        (0.4, Rating.Hard),
        (0.59, Rating.Hard),
        (0.6, Rating.Good),
        (0.84, Rating.Good),
        (0.85, Rating.Easy),
        (1.0, Rating.Easy),
    ],
)
def test_score_to_rating(score, rating):
    assert rating_for_score(score) == rating


@pytest.mark.parametrize("score", [-0.1, 1.1, float("nan")])
def test_bad_scores_are_refused(score):
    with pytest.raises(ValueError):
        rating_for_score(score)


def test_a_poor_answer_comes_back_tomorrow_a_good_one_later():
    poor = review(None, 0.1, NOW)
    good = review(None, 0.7, NOW)
    easy = review(None, 0.95, NOW)
    assert poor.due_at == NOW + timedelta(days=1)
    assert poor.due_at < good.due_at < easy.due_at


def test_intervals_grow_with_repeated_good_reviews_and_shrink_after_a_lapse():
    first = review(None, 0.9, NOW)
    second = review(first.card, 0.9, first.due_at)
    assert second.due_at - first.due_at > first.due_at - NOW
    lapse = review(second.card, 0.0, second.due_at)
    assert lapse.due_at - second.due_at < second.due_at - first.due_at


def test_review_is_deterministic_and_needs_an_aware_now():
    assert review(None, 0.5, NOW) == review(None, 0.5, NOW)
    with pytest.raises(ValueError):
        review(None, 0.5, datetime(2024, 1, 1))


def test_rotation_prefers_unused_questions_in_pool_order():
    last = {"q2": NOW}
    assert channel_rotation(["q1", "q2", "q3"], last) == ["q1", "q3"]


def test_rotation_after_the_pool_is_exhausted_is_least_recently_used_first():
    last = {"q1": NOW, "q2": NOW - timedelta(days=9), "q3": NOW - timedelta(days=3)}
    assert channel_rotation(["q1", "q2", "q3"], last) == ["q2", "q3", "q1"]


def test_rotation_ignores_questions_outside_the_pool_and_duplicates():
    last = {"q9": NOW - timedelta(days=100), "q1": NOW}
    assert channel_rotation(["q1", "q1", "q2"], last) == ["q2"]
    assert channel_rotation([], last) == []


@given(st.lists(st.sampled_from([f"q{i}" for i in range(8)]), unique=True, min_size=1))
def test_rotation_never_repeats_until_the_pool_is_used_up(used_order):
    pool = [f"q{i}" for i in range(8)]
    last = {qid: NOW + timedelta(minutes=i) for i, qid in enumerate(used_order)}
    order = channel_rotation(pool, last)
    if len(used_order) < len(pool):
        assert set(order) == set(pool) - set(used_order)
    else:
        assert order == used_order
