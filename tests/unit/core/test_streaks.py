from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.core.periods import local_day
from bot.core.streaks import Streak, streak_gaps, streaks, streaks_over_gaps


def weekdays(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def test_no_questions_no_streak():
    assert streaks([], [], date(2024, 1, 1)) == Streak(0, 0)


def test_weekend_without_questions_keeps_a_weekday_streak():
    # Mon 2024-01-01 .. Fri, then Mon..Wed next week: eight question days in a row.
    asked = weekdays(date(2024, 1, 1), 8)
    assert streaks(asked, asked, today=date(2024, 1, 10)) == Streak(8, 8)


def test_a_missed_question_day_breaks_the_streak():
    asked = weekdays(date(2024, 1, 1), 8)
    answered = [d for d in asked if d != date(2024, 1, 5)]  # skipped Friday
    assert streaks(asked, answered, today=date(2024, 1, 10)) == Streak(3, 4)


def test_todays_unanswered_question_does_not_break_the_streak_yet():
    asked = weekdays(date(2024, 1, 1), 5)
    assert streaks(asked, asked[:-1], today=asked[-1]) == Streak(4, 4)
    # ...but the day after, it does.
    assert streaks(asked, asked[:-1], today=asked[-1] + timedelta(days=3)) == Streak(0, 4)


def test_future_days_are_ignored():
    asked = [date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3)]
    assert streaks(asked, asked, today=date(2024, 1, 2)) == Streak(2, 2)


def test_practice_answer_on_a_day_without_channel_question_extends():
    asked = [date(2024, 1, 5), date(2024, 1, 8)]  # Friday, Monday
    answered = [date(2024, 1, 5), date(2024, 1, 6), date(2024, 1, 8)]  # + Saturday practice
    assert streaks(asked, answered, today=date(2024, 1, 8)) == Streak(3, 3)


def test_days_in_the_users_zone_across_the_dst_change():
    # A 09:00 Europe/Berlin question each weekday around the March change. Seen from
    # Los Angeles (which changed two weeks earlier) the posts land at 00:00 or 01:00,
    # always on the same local date, so nothing is skipped or doubled.
    posts = []
    for day in weekdays(date(2024, 3, 25), 6):
        hour_utc = 8 if day < date(2024, 3, 31) else 7
        posts.append(datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC))
    la_days = [local_day(p, "America/Los_Angeles") for p in posts]
    assert la_days == weekdays(date(2024, 3, 25), 6)
    today = local_day(posts[-1] + timedelta(hours=2), "America/Los_Angeles")
    assert streaks(la_days, la_days, today) == Streak(6, 6)


def test_a_late_evening_question_counts_on_the_users_own_day():
    # 23:30 UTC posts are next-day questions in Tokyo: the Tokyo user's streak runs on
    # Tokyo dates, one per question, with the weekend gap still not breaking it.
    posts = [datetime(2024, 1, d, 23, 30, tzinfo=UTC) for d in (1, 2, 3, 4, 5, 8)]
    tokyo = [local_day(p, "Asia/Tokyo") for p in posts]
    assert tokyo[0] == date(2024, 1, 2) and tokyo[-1] == date(2024, 1, 9)
    assert streaks(tokyo, tokyo, today=date(2024, 1, 9)) == Streak(6, 6)


@given(st.lists(st.booleans(), max_size=60))
def test_best_is_the_longest_run_and_current_the_trailing_run(pattern):
    asked = weekdays(date(2024, 1, 1), len(pattern))
    answered = [day for day, hit in zip(asked, pattern, strict=True) if hit]
    today = asked[-1] + timedelta(days=1) if asked else date(2024, 1, 1)
    result = streaks(asked, answered, today)
    runs, run = [0], 0
    for hit in pattern:
        run = run + 1 if hit else 0
        runs.append(run)
    assert result == Streak(current=run, best=max(runs))


_days = st.integers(0, 40).map(lambda n: date(2024, 1, 1) + timedelta(days=n))


@given(st.sets(_days), st.sets(_days), _days)
def test_gaps_between_answered_days_decide_the_same_streaks(asked, answered, today):
    gaps = streak_gaps(answered, today)
    assert all(before - after > timedelta(days=1) for after, before in gaps)
    broken = {(after, before) for after, before in gaps if any(after < q < before for q in asked)}
    assert streaks_over_gaps(answered, today, broken) == streaks(asked, answered, today)


def test_the_gap_before_today_breaks_the_current_run_only():
    answered = [date(2024, 1, 1), date(2024, 1, 2)]
    today = date(2024, 1, 5)
    assert streak_gaps(answered, today) == [(date(2024, 1, 2), today)]
    assert streaks_over_gaps(answered, today, {(date(2024, 1, 2), today)}) == Streak(0, 2)
    assert streaks_over_gaps(answered, today, set()) == Streak(2, 2)
    assert streak_gaps(answered, date(2024, 1, 3)) == []  # nothing strictly between
