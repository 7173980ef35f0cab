"""`stats.for_user` against the plain computation over every answer, on random data.

The oracle reads every question day of the user's channels (`streaks_from_every_day`, the
original rule, kept as the fallback for zones whose local date can step back) and
recomputes answered count, average and mastery straight from the answers.
"""

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.periods import local_dates_in_order
from bot.core.records import TopicMastery, UserStats
from bot.storage.sqlite import stats as stats_repository

from .conftest import answer, channel_post, graded

ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Lord_Howe",  # half-hour DST
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "America/Santiago",  # falls back at local midnight
)
TOPICS = ("pca", "svd", "overfitting", "metrics", "ensembles")


async def oracle(store, team, user, *, now, tz):
    db = store.db
    if tz is None:
        row = await db.fetchone(
            "SELECT tz FROM users WHERE team_id = ? AND user_id = ?", (team, user)
        )
        tz = row[0] if row and row[0] else "UTC"
    totals = await db.fetchone(
        "SELECT COUNT(*), AVG(score) FROM answers"
        " WHERE team_id = ? AND user_id = ? AND status = 'live'",
        (team, user),
    )
    board = await store.leaderboards.rank(team, user, period="all", now=now)
    current, best = await store.stats.every_day(team, user, now, tz)
    rows = await db.fetchall(
        "SELECT t.value, COUNT(*), AVG(a.score)"
        " FROM answers AS a JOIN posts AS p ON p.id = a.post_id, json_each(p.topics) AS t"
        " WHERE a.team_id = ? AND a.user_id = ? AND a.status = 'live'"
        " AND a.score IS NOT NULL GROUP BY t.value ORDER BY t.value",
        (team, user),
    )
    return UserStats(
        answered=int(totals[0]),
        average_score=None if totals[1] is None else float(totals[1]),
        points=board.points if board else 0,
        rank=board.rank if board else None,
        streak=current,
        best_streak=best,
        topic_mastery={r[0]: TopicMastery(r[0], int(r[1]), float(r[2])) for r in rows},
    )


async def build(store, rng, team, days, users, channels):
    """Posts at random times of day (so local days differ by zone), answers with edits,
    withdrawals, late grades, practice questions and failed posts."""
    await store.workspaces.upsert(team, tz=rng.choice(ZONES), now=datetime(2020, 1, 1, tzinfo=UTC))
    for user in users:
        tz = rng.choice((None, *ZONES))
        await store.users.upsert(team, user, tz=tz, now=datetime(2020, 1, 1, tzinfo=UTC))
    event = 0
    ungraded = []
    for day in days:
        posts = []
        for channel in channels:
            if rng.random() < 0.55:
                opened = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
                    minutes=rng.randrange(24 * 60)
                )
                posts.append(
                    await store.posts.create(
                        team,
                        channel,
                        f"q{rng.randrange(50)}",
                        kind="channel",
                        opened_at=opened,
                        deadline_at=opened + timedelta(hours=rng.choice((2, 8, 30))),
                        difficulty=rng.choice(("easy", "medium", "hard")),
                        topics=rng.sample(TOPICS, rng.choice((0, 1, 1, 2))),
                    )
                )
        if rng.random() < 0.15:
            user = rng.choice(users)
            opened = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
                minutes=rng.randrange(24 * 60)
            )
            posts.append(
                await store.posts.create(
                    team,
                    "D" + user,
                    "q-practice",
                    kind="dm",
                    opened_at=opened,
                    deadline_at=None,
                    difficulty="medium",
                    topics=rng.sample(TOPICS, 1),
                    user_id=user,
                )
            )
        for post in posts:
            who = [post.user_id] if post.kind == "dm" else users
            for user in who:
                if rng.random() > 0.5:
                    continue
                event += 1
                grade = graded(round(rng.random(), 3)) if rng.random() < 0.8 else None
                source = "dm" if post.kind == "dm" else "thread"
                result = await store.answers.record(
                    answer(
                        post, user, event=f"E{event}", minutes=rng.randrange(1, 60), source=source
                    ),
                    grade,
                )
                if grade is None and result.answer_id is not None:
                    ungraded.append(result.answer_id)
                roll = rng.random()
                if roll < 0.2:  # an edit, regraded
                    event += 1
                    await store.answers.record(
                        answer(post, user, "edited", event=f"E{event}", minutes=90, source=source),
                        graded(round(rng.random(), 3)),
                    )
                elif roll < 0.35:  # deleted, sometimes answered again
                    await store.answers.withdraw(
                        team, post.id, user, now=post.opened_at + timedelta(minutes=95)
                    )
                    if rng.random() < 0.4:
                        event += 1
                        await store.answers.record(
                            answer(
                                post, user, "again", event=f"E{event}", minutes=100, source=source
                            ),
                            graded(round(rng.random(), 3)),
                        )
            if post.kind == "channel" and rng.random() < 0.06:
                await store.posts.mark_failed(post.id, "slack said no", post.opened_at)
    late = [(i, graded(round(rng.random(), 3)), None) for i in ungraded if rng.random() < 0.5]
    await store.answers.set_grades(late, datetime(2025, 1, 1, tzinfo=UTC))


def days_around(*starts_and_counts):
    return [start + timedelta(days=n) for start, count in starts_and_counts for n in range(count)]


async def assert_same_for_everyone(store, team, users, nows):
    compared = 0
    for user in [*users, "U-never"]:
        for now in nows:
            for tz in (
                None,
                "UTC",
                "Europe/Berlin",
                "America/New_York",
                "Asia/Tokyo",
                "Pacific/Kiritimati",
                "America/St_Johns",
                "Australia/Lord_Howe",
            ):
                got = await store.stats.for_user(team, user, now=now, tz=tz)
                want = await oracle(store, team, user, now=now, tz=tz)
                assert got == want, (user, now, tz)
                compared += 1
    return compared


@pytest.mark.parametrize(("seed", "few_channels"), [(1, 16), (2, 16), (3, 0), (4, 2)])
async def test_for_user_matches_the_full_computation(store, monkeypatch, seed, few_channels):
    # few_channels picks how gaps are probed: per channel, or along the workspace.
    monkeypatch.setattr(stats_repository, "_FEW_CHANNELS", few_channels)
    rng = random.Random(seed)
    users = [f"U{n}" for n in range(6)]
    # Spring and autumn clock changes in Europe, the US and Australia/Chile.
    days = days_around((date(2024, 3, 1), 45), (date(2024, 10, 20), 20))
    await build(store, rng, "T1", days, users, ["C1", "C2", "C3", "C4"])
    count = await store.db.fetchone("SELECT COUNT(*) FROM answers")
    assert count[0] > 200
    nows = [
        datetime(2024, 3, 20, 12, tzinfo=UTC),
        datetime(2024, 4, 14, 23, 30, tzinfo=UTC),
        datetime(2024, 11, 8, 6, tzinfo=UTC),
        datetime(2024, 11, 20, tzinfo=UTC),
    ]
    assert await assert_same_for_everyone(store, "T1", users, nows) > 0


async def test_a_zone_whose_date_steps_back_uses_the_full_scan(store):
    # Newfoundland fell back at 00:01 until 2010: 00:00-00:01 came twice, on two dates.
    assert not local_dates_in_order("America/St_Johns", 2009)
    assert local_dates_in_order("America/St_Johns", 2024)
    rng = random.Random(9)
    users = [f"U{n}" for n in range(4)]
    await build(store, rng, "T1", days_around((date(2009, 10, 20), 25)), users, ["C1", "C2"])
    nows = [datetime(2009, 11, 3, 3, 30, tzinfo=UTC), datetime(2009, 11, 20, tzinfo=UTC)]
    assert await assert_same_for_everyone(store, "T1", users, nows) > 0


async def test_a_question_in_the_repeated_hour_keeps_its_own_date(store):
    # 2009-11-01 02:31 UTC: St John's went from 00:01 back to 23:01 on Oct 31. A question
    # at 02:45 UTC is an Oct 31 question (answered that day via another post), even
    # though it comes after the first local midnight of Nov 1.
    at = [datetime(2009, 10, 31, 12), datetime(2009, 11, 1, 2, 45), datetime(2009, 11, 2, 12)]
    posts = [
        await channel_post(store, opened=opened.replace(tzinfo=UTC), question=f"q{n}")
        for n, opened in enumerate(at)
    ]
    for n in (0, 2):
        await store.answers.record(answer(posts[n], event=f"E{n}"), graded(0.5))
    now = datetime(2009, 11, 2, 18, tzinfo=UTC)
    stats = await store.stats.for_user("T1", "U1", now=now, tz="America/St_Johns")
    assert (stats.streak, stats.best_streak) == (2, 2)
    assert stats == await oracle(store, "T1", "U1", now=now, tz="America/St_Johns")
