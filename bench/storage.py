"""Storage benchmark: a synthetic year of answers, then recording and leaderboard timings.

    python bench/storage.py                 # full scale: 100k users, 2k channels, 2M answers
    python bench/storage.py --scale 0.05    # a quick run
    python bench/storage.py --db big.db --reuse   # keep the built file and reuse it

Workspaces are skewed (the largest holds about a fifth of everything) and every timing
uses the largest one, the worst case. The bulk build writes rows with plain
`executemany` and computes the leaderboard rollups afterwards with the same SQL the app
uses (`ScoreRepository.rebuild`); the measured part goes through `Store`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.services import AnswerToRecord, Store
from bot.storage.database import Database, split_sql
from bot.storage.migrations import load_migrations
from bot.storage.records import AnswerIn

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
    # Rollups are computed in one pass after the load; triggers come back afterwards.
    triggers = conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'answers'"
    ).fetchall()
    conn.execute("BEGIN")
    for (name,) in triggers:
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
            " difficulty, kind, day, opened_at, deadline_at, revealed_at, status)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'channel', ?, ?, ?, ?, 'revealed')",
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
    asyncio.run(_rebuild_and_restore(path))
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
    db = await Database.open(path)
    await db.close()


async def _rebuild_and_restore(path: Path) -> None:
    db = await Database.open(path)
    try:
        store = Store(db)
        await store.leaderboards.rebuild()
        statements = [
            s
            for m in load_migrations()
            for s in split_sql(m.sql)
            if s.upper().startswith("CREATE TRIGGER")
        ]
        async with db.transaction():
            for statement in statements:
                await db.execute(statement)
    finally:
        await db.close()


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
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p99_ms": round(p99, 3),
        "n": len(ordered),
    }


async def timed(samples: int, make_call) -> dict:
    times = []
    for i in range(samples):
        call = make_call(i)
        start = time.perf_counter()
        await call
        times.append((time.perf_counter() - start) * 1000)
    return percentiles(times)


async def measure(path: Path, samples: int, record_n: int, batch: int, seed: int) -> dict:
    db = await Database.open(path)
    try:
        return await _measure(db, samples, record_n, batch, seed)
    finally:
        await db.close()


async def _measure(db: Database, samples: int, record_n: int, batch: int, seed: int) -> dict:
    rng = random.Random(seed + 1)
    store = Store(db)
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
    results: dict = {}

    # Leaderboards: top-10 per scope and period, random channels of the largest workspace.
    for period in ("week", "month", "all"):
        results[f"channel_top10_{period}"] = await timed(
            samples,
            lambda i, p=period: store.leaderboards.top(
                big, channel_id=rng.choice(channels), period=p, now=now
            ),
        )
        results[f"workspace_top10_{period}"] = await timed(
            samples, lambda i, p=period: store.leaderboards.top(big, period=p, now=now)
        )
    results["user_rank_workspace_all"] = await timed(
        samples, lambda i: store.leaderboards.rank(big, rng.choice(active), period="all", now=now)
    )
    results["user_rank_workspace_week"] = await timed(
        samples, lambda i: store.leaderboards.rank(big, rng.choice(active), period="week", now=now)
    )
    results["user_stats"] = await timed(
        samples,
        lambda i: store.stats.for_user(big, rng.choice(active), now=now, tz="Europe/Berlin"),
    )

    # Recording: new posts on a fresh day, answers through the service vs raw inserts.
    users = [f"U000{i:06d}" for i in range(1000)]
    opened = datetime.combine(date.fromisoformat(NEW_DAY), datetime.min.time(), UTC) + timedelta(
        hours=9
    )
    post_ids: list[int] = []
    channel_of: dict[int, str] = {}
    for channel in channels[: max(4, record_n // len(users) * 2 + 4)]:
        post = await store.posts.create(
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
    half = len(post_ids) // 2
    service_posts, raw_posts = post_ids[:half], post_ids[half:]

    def items_for(posts: list[int], tag: str) -> list[AnswerToRecord]:
        items = []
        for n in range(record_n):
            post_id, user = posts[n % len(posts)], users[(n // len(posts)) % len(users)]
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

    run = uuid.uuid4().hex[:8]  # a reused file keeps earlier runs' event ids
    items = items_for(service_posts, f"EvS{run}")
    raw_rows = [
        raw_row(it, channel_of[it.answer.post_id]) for it in items_for(raw_posts, f"EvR{run}")
    ]
    insert = (
        "INSERT INTO {table} (team_id, post_id, user_id, channel_id, day, ranked, text, source,"
        " message_ts, event_id, answered_at, last_event_at, score, points, grade, graded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )

    async def service_batch(i: int) -> float:
        start = time.perf_counter()
        outcome = await store.answers.record_many(items[i : i + batch])
        elapsed = time.perf_counter() - start
        assert all(r.stored for r in outcome)
        return elapsed

    async def raw_batch(i: int) -> float:
        start = time.perf_counter()
        async with db.transaction() as conn:
            await conn.executemany(insert.format(table="answers"), raw_rows[i : i + batch])
        return time.perf_counter() - start

    # Batches alternate between the two paths (and which goes first), so both see the
    # same cache state: the same users' rollup rows are touched by each.
    service_s = raw_s = 0.0
    for n, i in enumerate(range(0, len(items), batch)):
        if n % 2:
            raw_s += await raw_batch(i)
            service_s += await service_batch(i)
        else:
            service_s += await service_batch(i)
            raw_s += await raw_batch(i)
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        outcome = await store.answers.record_many(items[i : i + batch])
        assert all(r.duplicate for r in outcome)
    replay_s = time.perf_counter() - start

    single = items_for(service_posts, f"EvO{run}")[: min(2000, record_n)]
    single = [
        AnswerToRecord(
            AnswerIn(
                **{
                    **it.answer.__dict__,
                    "text": "edited answer",
                    "answered_at": opened + timedelta(minutes=6),
                }
            ),
            it.grade,
        )
        for it in single
    ]
    start = time.perf_counter()
    for it in single:
        outcome = await store.answers.record(it.answer, it.grade)
        assert outcome.replaced
    single_s = time.perf_counter() - start

    # The same rows into a same-sized copy of the table with its indexes but without the
    # rollup triggers: what the triggers cost.
    await db.execute("DROP TABLE IF EXISTS bench_answers_plain")
    schema = await db.fetchone("SELECT sql FROM sqlite_schema WHERE name = 'answers'")
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
        async with db.transaction() as conn:
            await conn.executemany(
                insert.format(table="bench_answers_plain"), plain_rows[i : i + batch]
            )
    plain_s = time.perf_counter() - start
    await db.execute("DROP TABLE bench_answers_plain")

    results["record"] = {
        "answers": record_n,
        "batch": batch,
        "service_record_many_per_s": round(record_n / service_s),
        "service_replay_duplicates_per_s": round(record_n / replay_s),
        "service_single_record_edits_per_s": round(len(single) / single_s),
        "raw_executemany_same_table_per_s": round(record_n / raw_s),
        "raw_executemany_without_rollup_triggers_per_s": round(record_n / plain_s),
        "service_vs_raw": round(raw_s / service_s, 3),
    }
    return results


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
    meta = built_meta(args.db) if args.reuse else None
    build_s = None
    if meta is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        start = time.perf_counter()
        meta = build(args.db, args.scale, args.seed)
        build_s = round(time.perf_counter() - start, 1)
    record_n = max(1000, min(args.record, meta["answers"]))
    figures = asyncio.run(measure(args.db, args.samples, record_n, args.batch, args.seed))
    size = sum(p.stat().st_size for p in (args.db, Path(f"{args.db}-wal")) if p.exists())
    report = {
        "dataset": meta,
        "build_seconds": build_s,
        "file_size_mb": round(size / 2**20, 1),
        **figures,
    }
    if args.json:
        print(json.dumps(report))
    else:
        print_report(report)
    if tmpdir is not None:
        tmpdir.cleanup()


def print_report(report: dict) -> None:
    meta = report["dataset"]
    print(
        f"dataset: {meta['users']:,} users, {meta['channels']:,} channels, "
        f"{meta['posts']:,} posts, {meta['answers']:,} graded answers "
        f"(scale {meta['scale']}); built in {report['build_seconds']} s; "
        f"file {report['file_size_mb']} MB"
    )
    print("queries on the largest workspace (ms)        median      p99")
    for key, value in report.items():
        if isinstance(value, dict) and "p99_ms" in value:
            print(f"  {key:<40} {value['median_ms']:>8.2f} {value['p99_ms']:>8.2f}")
    rec = report["record"]
    print(f"recording {rec['answers']:,} graded answers, {rec['batch']} per transaction (per s):")
    for key, value in rec.items():
        if key.endswith("_per_s"):
            print(f"  {key:<48} {value:>10,}")
    print(f"  service / raw same-table rate: {rec['service_vs_raw']}")


if __name__ == "__main__":
    main()
