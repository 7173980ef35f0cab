"""Storage at scale: a synthetic year of answers, then recording, leaderboard, stats and
history timings through the repositories, next to baselines measured in the same run.

    python bench/storage.py                 # full scale: 100k users, 2k channels, 2M answers
    python bench/storage.py --scale 0.05    # a quick run (what `make bench` does)
    python bench/storage.py --db big.db --reuse   # keep the built file and reuse it

Workspaces are skewed (the largest holds about a fifth of everything) and every timing
uses the largest one, the worst case. The bulk build writes rows with plain sqlite3
`executemany`, the rollup triggers dropped, then computes the leaderboard rollups with
the app's own `ScoreRepository.rebuild` and puts the triggers back. Everything measured
goes through the SQLite storage (`bot.storage.sqlite`) the app runs on: reads inside
`storage.reading()` through the use cases the app calls (`bot.usecases.standings`) or
the repositories, writes inside `storage.transaction()` with `uow.answers.record`.

Baselines, same run, same file:
  * the workspace's all-time top 10 as one bare SELECT on a plain sqlite3 connection
  * the same graded answers inserted raw into the same table, with `executemany` and
    with multi-row INSERTs of 500 rows (the repository's statement form), batch by
    batch in turn with the repository's so all see the same cache; and with
    `executemany` into a copy of the table without the rollup triggers (their cost)
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import math
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.records import AnswerIn, AnswerToRecord
from bot.storage.sqlite.storage import SqliteStorage, SqliteUnitOfWork
from bot.usecases import standings

FULL_USERS = 100_000
FULL_CHANNELS = 2_000
FULL_ANSWERS = 2_000_000
TEAMS = 40
YEAR_START = date(2024, 1, 1)
DAYS = 366
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "America/Los_Angeles")
DIFFICULTIES = ("easy", "medium", "hard")
BASE = {"easy": 10, "medium": 20, "hard": 30}
TOPICS = ("pca", "overfitting", "bias-variance", "regularization", "ensembles", "metrics")
BUILT_MARK = "bench-storage-built"
NEW_DAY = "2025-01-06"  # the day the recording measurement writes to


def team_id(index: int) -> str:
    return f"T{index:04d}"


def grade_dict(score: float) -> dict:
    return {
        "score": score,
        "passed": score >= 0.6,
        "key_points": [
            {
                "text": "key point",
                "status": "covered" if score > 0.5 else "missed",
                "similarity": score,
                "snippet": None,
                "weight": 1.0,
                "required": False,
            }
        ],
        "flags": [],
    }


def build(path: Path, scale: float, seed: int) -> dict:
    """Create the synthetic database with plain sqlite3 (the fastest loader)."""
    rng = random.Random(seed)
    n_users = max(TEAMS * 5, int(FULL_USERS * scale))
    n_channels = max(TEAMS, int(FULL_CHANNELS * scale))
    n_answers = max(1_000, int(FULL_ANSWERS * scale))
    weights = [1 / (i + 1) for i in range(TEAMS)]
    total_weight = sum(weights)
    share = [w / total_weight for w in weights]

    asyncio.run(_migrate(path))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    # Rollups are computed in one pass after the load; the triggers, as the migrations
    # left them, come back afterwards.
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'answers'"
    ).fetchall()
    conn.execute("BEGIN")
    for name, _sql in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    created = "2023-12-01T00:00:00.000000+00:00"
    conn.executemany(
        "INSERT INTO workspaces (team_id, name, tz, created_at) VALUES (?, ?, ?, ?)",
        [(team_id(t), f"team {t}", ZONES[t % len(ZONES)], created) for t in range(TEAMS)],
    )
    users_of: list[list[str]] = []
    cum_weights: list[list[float]] = []
    channels_of: list[list[str]] = []
    for t in range(TEAMS):
        count = max(5, round(n_users * share[t]))
        ids = [f"U{t:03d}{i:06d}" for i in range(count)]
        users_of.append(ids)
        # A few people answer most days, most answer now and then.
        running, cum = 0.0, []
        for _ in ids:
            # Capped: nobody answers more than a few questions a day, however keen.
            running += min(rng.paretovariate(1.2), 40.0)
            cum.append(running)
        cum_weights.append(cum)
        team_channels = max(1, round(n_channels * share[t]))
        channels_of.append([f"C{t:03d}{i:05d}" for i in range(team_channels)])
        conn.executemany(
            "INSERT INTO users (team_id, user_id, display_name, tz, is_admin, updated_at)"
            " VALUES (?, ?, ?, ?, 0, ?)",
            [
                (team_id(t), u, f"user {u}", ZONES[(t + i) % len(ZONES)], created)
                for i, u in enumerate(ids)
            ],
        )
    workdays = [
        YEAR_START + timedelta(days=d)
        for d in range(DAYS)
        if (YEAR_START + timedelta(days=d)).weekday() < 5
    ]
    posts_total = sum(len(c) for c in channels_of) * len(workdays)
    posts_left = posts_total
    post_id = answer_id = 0
    answers_made = 0
    post_rows: list[tuple] = []
    answer_rows: list[tuple] = []

    def flush() -> None:
        conn.executemany(
            "INSERT INTO posts (id, team_id, channel_id, message_ts, question_id, topics,"
            " difficulty, kind, day, opened_at, deadline_at, revealed_at, closed_at, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'channel', ?, ?, ?, ?, ?, 'revealed')",
            post_rows,
        )
        conn.executemany(
            "INSERT INTO answers (id, team_id, post_id, user_id, channel_id, day, ranked, text,"
            " source, message_ts, event_id, answered_at, last_event_at, score, points, grade,"
            " graded_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, 'thread', ?, ?, ?, ?, ?, ?, ?, ?)",
            answer_rows,
        )
        post_rows.clear()
        answer_rows.clear()

    for day in workdays:
        opened = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        opened_s = opened.isoformat(timespec="microseconds")
        deadline_s = (opened + timedelta(hours=8)).isoformat(timespec="microseconds")
        for t in range(TEAMS):
            users, cum = users_of[t], cum_weights[t]
            for channel in channels_of[t]:
                post_id += 1
                difficulty = DIFFICULTIES[post_id % 3]
                topic = TOPICS[post_id % len(TOPICS)]
                post_rows.append(
                    (
                        post_id,
                        team_id(t),
                        channel,
                        f"{post_id}.000100",
                        f"q-{post_id % 300}",
                        json.dumps([topic]),
                        difficulty,
                        day.isoformat(),
                        opened_s,
                        deadline_s,
                        deadline_s,
                        deadline_s,
                    )
                )
                # Aim at the answers still wanted, so the total lands on n_answers.
                per_post = max(0.0, (n_answers - answers_made) / posts_left) * 1.05
                posts_left -= 1
                k = min(len(users), int(rng.expovariate(1 / per_post) + 0.5)) if per_post else 0
                for user in set(rng.choices(users, cum_weights=cum, k=k)):
                    answer_id += 1
                    answers_made += 1
                    score = round(rng.betavariate(2.5, 1.5), 3)
                    at = (opened + timedelta(minutes=rng.randint(1, 470))).isoformat(
                        timespec="microseconds"
                    )
                    answer_rows.append(
                        (
                            answer_id,
                            team_id(t),
                            post_id,
                            user,
                            channel,
                            day.isoformat(),
                            "an answer about " + topic,
                            f"{post_id}.{answer_id:06d}",
                            f"Ev{answer_id:010d}",
                            at,
                            at,
                            score,
                            int(BASE[difficulty] * score + 0.5),
                            json.dumps(grade_dict(score), separators=(",", ":")),
                            deadline_s,
                        )
                    )
                if len(answer_rows) >= 100_000:
                    flush()
    flush()
    conn.execute("COMMIT")
    conn.close()
    asyncio.run(_rebuild_and_restore(path, [sql for _name, sql in triggers]))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute(f"PRAGMA application_id = {0x6D6C717A}")
    conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (key TEXT PRIMARY KEY, value TEXT)")
    meta = {
        "users": sum(map(len, users_of)),
        "channels": sum(map(len, channels_of)),
        "posts": post_id,
        "answers": answers_made,
        "scale": scale,
    }
    conn.execute("INSERT OR REPLACE INTO bench_meta VALUES (?, ?)", (BUILT_MARK, json.dumps(meta)))
    conn.close()
    return meta


async def _migrate(path: Path) -> None:
    storage = await SqliteStorage.open(path)
    await storage.close()


async def _rebuild_and_restore(path: Path, triggers: list[str]) -> None:
    storage = await SqliteStorage.open(path)
    try:
        async with storage.transaction() as uow:
            await uow.scores.rebuild()
            for statement in triggers:
                await storage.db.execute(statement)
    finally:
        await storage.close()


def built_meta(path: Path) -> dict | None:
    if not path.exists():
        return None
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM bench_meta WHERE key = ?", (BUILT_MARK,)).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return json.loads(row[0]) if row else None


def raw_row(item: AnswerToRecord, channel: str) -> tuple:
    """The row the repository writes for `item`, for the raw inserts (same columns)."""
    a = item.answer
    assert item.grade is not None
    score = item.grade["score"]
    stamp = a.answered_at.isoformat(timespec="microseconds")
    grade = json.dumps(item.grade, separators=(",", ":"), sort_keys=True)
    return (
        a.team_id,
        a.post_id,
        a.user_id,
        channel,
        NEW_DAY,
        1,
        a.text,
        a.source,
        a.message_ts,
        a.event_id,
        stamp,
        stamp,
        score,
        int(20 * score + 0.5),
        grade,
        stamp,
    )


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(at(0.95), 3),
        "p99_ms": round(at(0.99), 3),
        "n": len(ordered),
    }


Read = Callable[[SqliteUnitOfWork, int], Awaitable[object]]


async def timed(storage: SqliteStorage, samples: int, read: Read) -> dict:
    """`read(uow, i)` `samples` times, each inside its own `storage.reading()`."""
    times = []
    for i in range(samples):
        start = time.perf_counter()
        async with storage.reading() as uow:
            await read(uow, i)
        times.append((time.perf_counter() - start) * 1000)
    return percentiles(times)


def timed_raw(path: Path, samples: int, sql: str, params: tuple) -> dict:
    """The baseline: one bare statement on a plain sqlite3 connection to the same file."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(sql, params).fetchall()  # the same warm cache as the app's reads
        times = []
        for _ in range(samples):
            start = time.perf_counter()
            conn.execute(sql, params).fetchall()
            times.append((time.perf_counter() - start) * 1000)
    finally:
        conn.close()
    return percentiles(times)


async def measure(path: Path, samples: int, record_n: int, batch: int, seed: int) -> dict:
    storage = await SqliteStorage.open(path)
    try:
        return await _measure(storage, path, samples, record_n, batch, seed)
    finally:
        await storage.close()


async def _measure(
    storage: SqliteStorage, path: Path, samples: int, record_n: int, batch: int, seed: int
) -> dict:
    rng = random.Random(seed + 1)
    db = storage.db
    big = team_id(0)
    now = datetime(2024, 12, 20, 15, tzinfo=UTC)  # a Friday: week and month well filled
    channels = [
        r[0]
        for r in await db.fetchall(
            "SELECT DISTINCT channel_id FROM posts WHERE team_id = ?", (big,)
        )
    ]
    active = [
        r[0]
        for r in await db.fetchall(
            "SELECT user_id FROM score_totals"
            " WHERE team_id = ? AND channel_id = '' AND period = 'all'",
            (big,),
        )
    ]
    queries: dict = {}

    # Leaderboards: top 10 per scope and period, random channels of the largest workspace.
    for period in ("week", "month", "all"):
        queries[f"channel_top10_{period}"] = await timed(
            storage,
            samples,
            lambda uow, i, p=period: standings.top(
                uow, big, channel_id=rng.choice(channels), period=p, now=now
            ),
        )
    for period in ("week", "month", "season", "all"):
        queries[f"workspace_top10_{period}"] = await timed(
            storage,
            samples,
            lambda uow, i, p=period: standings.top(uow, big, period=p, now=now),
        )
    for period in ("all", "week"):
        queries[f"user_rank_workspace_{period}"] = await timed(
            storage,
            samples,
            lambda uow, i, p=period: standings.rank(
                uow, big, rng.choice(active), period=p, now=now
            ),
        )
    queries["user_stats"] = await timed(
        storage,
        samples,
        lambda uow, i: standings.user_stats(
            uow, big, rng.choice(active), now=now, tz="Europe/Berlin"
        ),
    )
    # History: what question rotation and practice choice read, and a user's answers.
    queries["channel_question_history"] = await timed(
        storage, samples, lambda uow, i: uow.posts.channel_history(big, rng.choice(channels))
    )
    queries["user_question_history"] = await timed(
        storage, samples, lambda uow, i: uow.posts.user_history(big, rng.choice(active))
    )
    queries["user_last_50_answers"] = await timed(
        storage, samples, lambda uow, i: uow.answers.for_user(big, rng.choice(active), limit=50)
    )
    baselines = {
        "raw_select_workspace_top10_all": timed_raw(
            path,
            samples,
            "SELECT user_id, points, answered, score_sum FROM score_totals"
            " WHERE team_id = ? AND channel_id = '' AND period = 'all' AND answered > 0"
            " ORDER BY points DESC, user_id LIMIT 10",
            (big,),
        )
    }
    record = await measure_recording(storage, big, channels, record_n, batch, rng)
    return {"queries": queries, "baselines": baselines, "record": record}


async def measure_recording(
    storage: SqliteStorage,
    big: str,
    channels: list[str],
    record_n: int,
    batch: int,
    rng: random.Random,
) -> dict:
    """New posts on a fresh day; graded answers through the repository vs raw inserts."""
    db = storage.db
    opened = datetime.combine(date.fromisoformat(NEW_DAY), datetime.min.time(), UTC) + timedelta(
        hours=9
    )
    post_ids: list[int] = []
    channel_of: dict[int, str] = {}
    async with storage.transaction() as uow:
        for channel in channels[: max(6, record_n // 1000 * 3 + 6)]:
            post = await uow.posts.create(
                big,
                channel,
                "q-bench",
                kind="channel",
                opened_at=opened,
                deadline_at=opened + timedelta(hours=8),
                difficulty="medium",
                topics=["pca"],
            )
            post_ids.append(post.id)
            channel_of[post.id] = post.channel_id
    # Each path writes to posts of its own: the repository, raw executemany, raw multi-row.
    third = len(post_ids) // 3
    service_posts = post_ids[:third]
    raw_posts = post_ids[third : 2 * third]
    multirow_posts = post_ids[2 * third :]
    # Enough people that every (post, user) is new: the largest workspace's own first,
    # so the rollup rows they touch exist, like on a real day.
    users = [f"U000{i:06d}" for i in range(math.ceil(record_n / third))]

    def items_for(posts: list[int], tag: str) -> list[AnswerToRecord]:
        items = []
        for n in range(record_n):
            post_id, user = posts[n % len(posts)], users[n // len(posts)]
            score = round(rng.random(), 3)
            items.append(
                AnswerToRecord(
                    AnswerIn(
                        big,
                        post_id,
                        user,
                        "an answer about pca",
                        "thread",
                        f"9.{n:06d}",
                        f"{tag}{n:09d}",
                        opened + timedelta(minutes=5),
                    ),
                    grade_dict(score),
                )
            )
        return items

    async def record(chunk: list[AnswerToRecord]) -> list:
        async with storage.transaction() as uow:
            return await uow.answers.record(chunk)

    run = uuid.uuid4().hex[:8]  # a reused file keeps earlier runs' event ids
    items = items_for(service_posts, f"EvS{run}")
    raw_rows = [
        raw_row(it, channel_of[it.answer.post_id]) for it in items_for(raw_posts, f"EvR{run}")
    ]
    multirow_rows = [
        raw_row(it, channel_of[it.answer.post_id]) for it in items_for(multirow_posts, f"EvM{run}")
    ]
    columns = (
        "INSERT INTO {table} (team_id, post_id, user_id, channel_id, day, ranked, text, source,"
        " message_ts, event_id, answered_at, last_event_at, score, points, grade, graded_at)"
    )
    one_row = "(" + ", ".join(["?"] * 16) + ")"
    insert = columns + " VALUES " + one_row

    async def service_batch(i: int) -> float:
        start = time.perf_counter()
        outcome = await record(items[i : i + batch])
        elapsed = time.perf_counter() - start
        assert all(r.stored and not r.replaced for r in outcome)
        return elapsed

    async def raw_batch(i: int) -> float:
        start = time.perf_counter()
        async with db.transaction():
            await db.executemany(insert.format(table="answers"), raw_rows[i : i + batch])
        return time.perf_counter() - start

    async def multirow_batch(i: int) -> float:
        # One INSERT of up to 500 rows at a time, the statement form the repository uses.
        start = time.perf_counter()
        async with db.transaction():
            rows = multirow_rows[i : i + batch]
            for at in range(0, len(rows), 500):
                chunk = rows[at : at + 500]
                await db.execute(
                    columns.format(table="answers")
                    + " VALUES "
                    + ", ".join([one_row] * len(chunk)),
                    [value for row in chunk for value in row],
                )
        return time.perf_counter() - start

    # Batch by batch the three paths take turns (and turns at going first), so all see
    # the same cache state: the same users' rollup rows are touched by each.
    paths = {"service": service_batch, "raw": raw_batch, "multirow": multirow_batch}
    spent = dict.fromkeys(paths, 0.0)
    for n, i in enumerate(range(0, len(items), batch)):
        names = list(paths)
        for name in names[n % 3 :] + names[: n % 3]:
            spent[name] += await paths[name](i)
    service_s, raw_s, multirow_s = spent["service"], spent["raw"], spent["multirow"]
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        outcome = await record(items[i : i + batch])
        assert all(r.duplicate for r in outcome)
    replay_s = time.perf_counter() - start

    # Edits, one transaction each, as thread-reply edits arrive: each replaces an answer.
    edits = [
        AnswerToRecord(
            dataclasses.replace(
                it.answer, text="edited answer", answered_at=opened + timedelta(minutes=6)
            ),
            it.grade,
        )
        for it in items_for(service_posts, f"EvO{run}")[: min(2000, record_n)]
    ]
    start = time.perf_counter()
    for it in edits:
        (outcome,) = await record([it])
        assert outcome.replaced
    edits_s = time.perf_counter() - start

    # The same rows into a same-sized copy of the table with its indexes but without the
    # rollup triggers: what the triggers cost.
    await db.execute("DROP TABLE IF EXISTS bench_answers_plain")
    schema = await db.fetchone("SELECT sql FROM sqlite_schema WHERE name = 'answers'")
    assert schema is not None
    await db.execute(
        schema[0]
        .replace("CREATE TABLE answers", "CREATE TABLE bench_answers_plain")
        .replace("REFERENCES posts(id) ON DELETE CASCADE", "")
    )
    await db.execute("CREATE INDEX bench_plain_user ON bench_answers_plain (team_id, user_id)")
    await db.execute(
        "INSERT INTO bench_answers_plain SELECT * FROM answers WHERE day < ?", (NEW_DAY,)
    )
    plain_rows = [(*row[:9], "P" + row[9], *row[10:]) for row in raw_rows]
    start = time.perf_counter()
    for i in range(0, len(plain_rows), batch):
        async with db.transaction():
            await db.executemany(
                insert.format(table="bench_answers_plain"), plain_rows[i : i + batch]
            )
    plain_s = time.perf_counter() - start
    await db.execute("DROP TABLE bench_answers_plain")

    return {
        "answers": record_n,
        "batch": batch,
        "repository_record_per_s": round(record_n / service_s),
        "repository_replay_duplicates_per_s": round(record_n / replay_s),
        "repository_single_edits_per_s": round(len(edits) / edits_s),
        "raw_executemany_same_table_per_s": round(record_n / raw_s),
        "raw_multirow_insert_same_table_per_s": round(record_n / multirow_s),
        "raw_executemany_without_rollup_triggers_per_s": round(record_n / plain_s),
        "repository_vs_raw": round(raw_s / service_s, 3),
        "repository_vs_raw_multirow": round(multirow_s / service_s, 3),
        "raw_with_triggers_vs_without": round(plain_s / raw_s, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--db", type=Path, default=None, help="database file to build/use")
    parser.add_argument("--reuse", action="store_true", help="reuse --db if already built")
    parser.add_argument("--samples", type=int, default=300, help="timed queries per figure")
    parser.add_argument("--record", type=int, default=20_000, help="answers to record")
    parser.add_argument("--batch", type=int, default=500, help="answers per transaction")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    tmpdir = None
    if args.db is None:
        tmpdir = tempfile.TemporaryDirectory(prefix="mlquiz-bench-")
        args.db = Path(tmpdir.name) / "bench.db"
    try:
        report = run(args)
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)


def run(args) -> dict:
    meta = built_meta(args.db) if args.reuse else None
    build_s = None
    if meta is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        start = time.perf_counter()
        meta = build(args.db, args.scale, args.seed)
        build_s = round(time.perf_counter() - start, 1)
    # Measured before the recording adds its rows (and the copy of the table).
    size = sum(p.stat().st_size for p in (args.db, Path(f"{args.db}-wal")) if p.exists())
    record_n = max(1000, min(args.record, meta["answers"]))
    figures = asyncio.run(measure(args.db, args.samples, record_n, args.batch, args.seed))
    raw = figures["baselines"]["raw_select_workspace_top10_all"]
    ours = figures["queries"]["workspace_top10_all"]
    return {
        "dataset": meta,
        "build_seconds": build_s,
        "file_size_mb": round(size / 2**20, 1),
        "bytes_per_answer": round(size / max(1, meta["answers"])),
        **figures,
        "ratios": {
            "workspace_top10_all_vs_raw_select_median": round(
                ours["median_ms"] / raw["median_ms"], 2
            ),
            "workspace_top10_all_vs_raw_select_p95": round(ours["p95_ms"] / raw["p95_ms"], 2),
            "repository_record_vs_raw_executemany": figures["record"]["repository_vs_raw"],
            "repository_record_vs_raw_multirow": figures["record"]["repository_vs_raw_multirow"],
        },
    }


def print_report(report: dict) -> None:
    meta = report["dataset"]
    built = "reused" if report["build_seconds"] is None else f"built in {report['build_seconds']} s"
    print(
        f"dataset: {meta['users']:,} users, {meta['channels']:,} channels, "
        f"{meta['posts']:,} posts, {meta['answers']:,} graded answers "
        f"(scale {meta['scale']}); {built}; file {report['file_size_mb']} MB "
        f"({report['bytes_per_answer']} bytes per answer)"
    )
    print(f"{'reads on the largest workspace (ms)':<44}{'median':>9}{'p95':>9}{'p99':>9}")
    rows = [*report["queries"].items(), *report["baselines"].items()]
    for key, value in rows:
        print(
            f"  {key:<42}{value['median_ms']:>9.3f}{value['p95_ms']:>9.3f}{value['p99_ms']:>9.3f}"
        )
    ratios = report["ratios"]
    print(
        "  workspace top 10 (all time) / bare SELECT: "
        f"{ratios['workspace_top10_all_vs_raw_select_median']}x median, "
        f"{ratios['workspace_top10_all_vs_raw_select_p95']}x p95"
    )
    rec = report["record"]
    print(f"recording {rec['answers']:,} graded answers, {rec['batch']} per transaction (per s):")
    for key, value in rec.items():
        if key.endswith("_per_s"):
            print(f"  {key:<48}{value:>10,}")
    print(
        f"  repository / raw rate, same table: {rec['repository_vs_raw']}x executemany, "
        f"{rec['repository_vs_raw_multirow']}x multi-row INSERT; "
        f"raw with rollup triggers / without: {rec['raw_with_triggers_vs_without']}x"
    )


if __name__ == "__main__":
    main()
