from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.periods import quarter_of, season
from bot.core.records import AnswerToRecord
from bot.usecases.appeals import override_grade, resolve_appeal, submit_appeal
from bot.usecases.deps import Deps, ReplyTo
from questionbank.loader import load_bank

from .conftest import T0, answer, channel_post, graded
from .store import Store


def table(rows):
    return [(r.rank, r.user_id, r.points) for r in rows]


async def test_empty_boards(store):
    for period in ("week", "month", "all", season(date(2024, 1, 1), date(2024, 3, 31))):
        assert await store.leaderboards.top("T1", period=period, now=T0) == []
        assert await store.leaderboards.rank("T1", "U1", period=period, now=T0) is None


async def test_ties_share_rank_and_order_is_stable(store):
    post = await channel_post(store)
    scores = {"U4": 0.25, "U2": 0.5, "U3": 0.5, "U1": 1.0, "U5": 0.25}
    for n, (user, score) in enumerate(scores.items()):
        await store.answers.record(answer(post, user, event=f"E{n}"), graded(score))
    top = await store.leaderboards.top("T1", channel_id="C1", period="all", now=T0)
    assert table(top) == [(1, "U1", 20), (2, "U2", 10), (2, "U3", 10), (4, "U4", 5), (4, "U5", 5)]
    assert [r.average_score for r in top] == [1.0, 0.5, 0.5, 0.25, 0.25]
    assert table(await store.leaderboards.top("T1", period="all", now=T0, limit=3)) == [
        (1, "U1", 20),
        (2, "U2", 10),
        (2, "U3", 10),
    ]
    mine = await store.leaderboards.rank("T1", "U5", period="all", now=T0)
    assert (mine.rank, mine.points) == (4, 5)


async def test_scopes_and_periods_in_the_workspace_zone(store):
    await store.workspaces.upsert("T1", tz="America/New_York", now=T0)
    # Sunday 2024-03-31 23:30 New York = Monday 03:30 UTC: still last week and March there.
    sunday_late = datetime(2024, 4, 1, 3, 30, tzinfo=UTC)
    monday = datetime(2024, 4, 1, 14, tzinfo=UTC)
    old = await channel_post(store, channel="C1", opened=sunday_late)
    new = await channel_post(store, channel="C2", opened=monday)
    assert old.day == date(2024, 3, 31) and new.day == date(2024, 4, 1)
    await store.answers.record(answer(old, "U1", event="E1"), graded(1.0))
    await store.answers.record(answer(new, "U2", event="E2"), graded(0.5))
    now = monday + timedelta(hours=1)
    lb = store.leaderboards
    assert table(await lb.top("T1", period="week", now=now)) == [(1, "U2", 10)]
    assert table(await lb.top("T1", period="month", now=now)) == [(1, "U2", 10)]
    assert table(await lb.top("T1", period="all", now=now)) == [(1, "U1", 20), (2, "U2", 10)]
    assert table(await lb.top("T1", channel_id="C1", period="all", now=now)) == [(1, "U1", 20)]
    march = season(date(2024, 3, 1), date(2024, 3, 31))
    assert table(await lb.top("T1", period=march, now=now)) == [(1, "U1", 20)]
    spring = season(date(2024, 3, 31), date(2024, 4, 1))
    assert table(await lb.top("T1", period=spring, now=now)) == [(1, "U1", 20), (2, "U2", 10)]
    assert (await lb.rank("T1", "U2", period=spring, now=now)).rank == 2
    assert table(await lb.top("T2", period="all", now=now)) == []  # other workspace


async def test_overrides_and_withdrawals_move_the_board(store):
    post = await channel_post(store, difficulty="hard")
    a = await store.answers.record(answer(post, "U1", event="E1"), graded(0.2))
    await store.answers.record(answer(post, "U2", event="E2"), graded(0.5))
    assert table(await store.leaderboards.top("T1", now=T0)) == [(1, "U2", 15), (2, "U1", 6)]
    async with store.storage.transaction() as uow:
        override = await override_grade(
            uow,
            team_id="T1",
            answer_id=a.answer_id,
            by_user_id="UADMIN",
            score=1.0,
            note="was right",
            now=T0,
        )
    assert (override.old_score, override.score) == (0.2, 1.0)
    assert table(await store.leaderboards.top("T1", now=T0)) == [(1, "U1", 30), (2, "U2", 15)]
    labels = await store.feedback.labels("T1")
    assert [(x.question_id, x.machine_score, x.human_score) for x in labels] == [
        ("q-pca", 0.2, 1.0)
    ]


async def test_appeals(store):
    import pytest

    deps = Deps(storage=store.storage, slack=None, bank=load_bank(), clock=lambda: T0)  # type: ignore[arg-type]
    post = await channel_post(store)
    a = await store.answers.record(answer(post, "U1", event="E1"), graded(0.3))

    async def appeal(user, note):
        to = ReplyTo("T1", user)
        await submit_appeal(
            deps, team_id="T1", user_id=user, answer_value=str(a.answer_id), note=note, reply_to=to
        )

    await appeal("U2", "not mine")
    assert await store.feedback.open_appeals("T1") == [], "only the author may appeal"
    await appeal("U1", "I covered it")
    await appeal("U1", "really")
    [stored] = await store.feedback.open_appeals("T1")
    assert stored.note == "really" and stored.user_id == "U1"
    replies = await store.db.fetchall("SELECT body FROM outbox WHERE action = 'dm' ORDER BY id")
    assert ["Only the person" in r[0] for r in replies] == [True, False, False]
    done = await resolve_appeal(
        deps, stored.id, accepted=True, by_user_id="UADMIN", score=0.9, note="agreed"
    )
    assert done.status == "accepted" and await store.feedback.open_appeals("T1") == []
    assert (await store.answers.get(a.answer_id)).score == 0.9
    with pytest.raises(ValueError):
        await resolve_appeal(deps, stored.id, accepted=False, by_user_id="X")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.integers(0, 4),
            st.integers(0, 40),
            st.sampled_from(["record", "edit", "delete", "override"]),
        ),
        min_size=1,
        max_size=25,
    )
)
async def test_rollups_always_equal_a_recount_from_the_answers(tmp_path_factory, ops):
    from bot.storage.sqlite.database import Database

    database = await Database.open(tmp_path_factory.mktemp("h") / "h.db")
    store = Store(database)
    posts = [
        await channel_post(store, channel=f"C{i % 2}", opened=T0 + timedelta(days=9 * i))
        for i in range(4)
    ]
    for n, (p, u, day_score, op) in enumerate(ops):
        post, user, score = posts[p], f"U{u}", day_score / 40
        if op == "delete":
            await store.answers.withdraw(
                "T1", post.id, user, now=post.opened_at + timedelta(minutes=30 + n)
            )
        elif op == "override":
            row = await database.fetchone(
                "SELECT id FROM answers WHERE post_id = ? AND user_id = ? AND score IS NOT NULL",
                (post.id, user),
            )
            if row:
                async with store.storage.transaction() as uow:
                    await override_grade(
                        uow,
                        team_id="T1",
                        answer_id=row[0],
                        by_user_id="UADMIN",
                        score=score,
                        note="",
                        now=T0,
                    )
        else:
            await store.answers.record_many(
                [
                    AnswerToRecord(
                        answer(post, user, f"{op}{n}", event=f"E{n}", minutes=30 + n), graded(score)
                    )
                ]
            )
    for scope in ("", "C0", "C1"):
        expected = await database.fetchall(
            "SELECT user_id, SUM(points), COUNT(*) FROM answers WHERE status = 'live'"
            " AND score IS NOT NULL AND (? = '' OR channel_id = ?) GROUP BY user_id"
            " ORDER BY user_id",
            (scope, scope),
        )
        board = await store.leaderboards.top("T1", channel_id=scope or None, now=T0, limit=99)
        assert sorted((r.user_id, r.points, r.answered) for r in board) == [
            tuple(row) for row in expected
        ]
    # A full rebuild from the answers gives the same rollups the triggers kept.
    query = (
        "SELECT team_id, channel_id, period, user_id, points, answered, ROUND(score_sum, 6)"
        " FROM score_totals WHERE answered > 0 ORDER BY 1, 2, 3, 4"
    )
    before = [tuple(r) for r in await database.fetchall(query)]
    await store.leaderboards.rebuild()
    assert [tuple(r) for r in await database.fetchall(query)] == before
    # Each quarter's rollup rows are the sum of its days.
    scores = store.storage._uow.scores
    for post in posts:
        quarter = quarter_of(post.day)
        for scope in ("", "C0", "C1"):
            summed = await scores.sum_days("T1", scope, quarter.start, quarter.end)
            rolled = await scores.top_totals("T1", scope, quarter.rollup_key, limit=99)
            assert sorted(rolled, key=repr) == sorted(summed, key=repr)
    await database.close()


async def test_migration_10_fills_the_quarters_of_existing_scores(tmp_path):
    from bot.storage.sqlite.database import Database
    from bot.storage.sqlite.migrations import load_migrations

    database = await Database.open(tmp_path / "old.db", migrate=False)
    migrations = load_migrations()
    await database.migrate([m for m in migrations if m.version < 10])
    for day, channel, user, points in [
        ("2024-01-05", "C0", "U1", 10),
        ("2024-03-31", "C1", "U1", 5),
        ("2024-04-01", "C0", "U1", 7),
        ("2024-02-10", "C0", "U2", 3),
    ]:
        await database.execute(
            "INSERT INTO score_daily VALUES ('T1', ?, ?, ?, ?, 1, 0.5)",
            (day, channel, user, points),
        )
    await database.migrate(migrations)
    rows = await database.fetchall(
        "SELECT channel_id, period, user_id, points, answered FROM score_totals"
        " WHERE period LIKE 'quarter:%' ORDER BY 1, 2, 3"
    )
    assert [tuple(r) for r in rows] == [
        ("", "quarter:2024-01-01", "U1", 15, 2),
        ("", "quarter:2024-01-01", "U2", 3, 1),
        ("", "quarter:2024-04-01", "U1", 7, 1),
        ("C0", "quarter:2024-01-01", "U1", 10, 1),
        ("C0", "quarter:2024-01-01", "U2", 3, 1),
        ("C0", "quarter:2024-04-01", "U1", 7, 1),
        ("C1", "quarter:2024-01-01", "U1", 5, 1),
    ]
    await database.close()
