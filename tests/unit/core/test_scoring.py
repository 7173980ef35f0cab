import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.scoring import POINTS_BASE, points_for, points_for_post


@pytest.mark.parametrize(
    ("score", "difficulty", "points"),
    [
        (1.0, "easy", 10),
        (1.0, "medium", 20),
        (1.0, "hard", 30),
        (0.0, "hard", 0),
        (0.75, "medium", 15),
        (0.25, "easy", 3),  # half up, not banker's rounding (2)
        (0.05, "easy", 1),
        (0.04, "easy", 0),
        (0.5, "hard", 15),
        (0.55, "hard", 17),  # 16.5 rounds up
    ],
)
def test_points_table(score, difficulty, points):
    assert points_for(score, difficulty) == points


@pytest.mark.parametrize("score", [-0.01, 1.01, math.nan])
def test_score_out_of_range_is_refused(score):
    with pytest.raises(ValueError):
        points_for(score, "easy")


def test_unknown_difficulty_is_refused():
    with pytest.raises(ValueError, match="difficulty"):
        points_for(0.5, "legendary")


def test_practice_in_a_dm_earns_no_points():
    assert points_for_post(1.0, "hard", "dm") == 0
    assert points_for_post(1.0, "hard", "channel") == 30


@given(
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
    st.sampled_from(sorted(POINTS_BASE)),
)
def test_points_grow_with_score_and_stay_within_the_base(a, b, difficulty):
    low, high = sorted((a, b))
    assert 0 <= points_for(low, difficulty) <= points_for(high, difficulty)
    assert points_for(high, difficulty) <= POINTS_BASE[difficulty]
