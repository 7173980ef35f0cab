import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.ranking import Standing, board_order, competition_ranks, rank_of


def standing(user, points, answered=1, score_sum=0.5):
    return Standing(user, points, answered, score_sum)


def ranks(standings, **kwargs):
    return [(r.rank, r.standing.user_id) for r in competition_ranks(standings, **kwargs)]


def test_ties_share_a_rank_and_the_next_rank_skips():
    board = board_order(
        [standing("U4", 10), standing("U2", 30), standing("U3", 30), standing("U1", 50)]
    )
    assert ranks(board) == [(1, "U1"), (2, "U2"), (2, "U3"), (4, "U4")]


def test_equal_points_are_ordered_by_user_id_whatever_the_input_order():
    a = board_order([standing("UB", 5), standing("UA", 5), standing("UC", 5)])
    b = board_order([standing("UC", 5), standing("UB", 5), standing("UA", 5)])
    assert [s.user_id for s in a] == [s.user_id for s in b] == ["UA", "UB", "UC"]
    assert ranks(a) == [(1, "UA"), (1, "UB"), (1, "UC")]


def test_empty_board():
    assert competition_ranks([]) == []


def test_a_slice_continues_the_ranks_of_the_rows_above_it():
    page = [standing("U5", 20), standing("U6", 20), standing("U7", 10)]
    assert ranks(page, first_rank=11, points_above=20) == [(11, "U5"), (11, "U6"), (13, "U7")]
    assert ranks(page, first_rank=11, points_above=25) == [(11, "U5"), (11, "U6"), (13, "U7")]


def test_average_score():
    assert standing("U1", 10, answered=4, score_sum=3.0).average_score == 0.75
    assert standing("U1", 0, answered=0, score_sum=0).average_score == 0.0


def test_rank_from_count_above():
    assert rank_of(0) == 1
    assert rank_of(3) == 4
    with pytest.raises(ValueError):
        rank_of(-1)


@given(st.lists(st.integers(min_value=0, max_value=20), max_size=30))
def test_rank_is_one_plus_the_number_of_people_strictly_ahead(points):
    board = board_order(standing(f"U{i:02d}", p) for i, p in enumerate(points))
    for ranked in competition_ranks(board):
        ahead = sum(1 for p in points if p > ranked.standing.points)
        assert ranked.rank == rank_of(ahead)
