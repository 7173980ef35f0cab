"""Time-to-ack of signed `/mlquiz` requests against the real HTTP app, next to bare
baselines measured in the same run, plus the end-to-end ingest rate of thread replies.

Each server runs in its own process so the load generator does not share its event loop:
  * mlquiz          the real app (composition root, HTTP edge, inbox write before the ack)
  * bolt-default    a slack-bolt AsyncApp with default settings whose listener only acks
  * bolt-pbr        the same with process_before_response=True
  * aiohttp-floor   a bare aiohttp handler that answers 200 (the floor)

    python bench/ack.py [--requests 1000] [--levels 1,10,50] [--rounds 3] [--replies 400]
                        [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_standin.signing import signed_headers

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


# -- servers (child processes) ----------------------------------------------------------


def _serve(kind: str, secret: str, conn, response_urls: int) -> None:
    import os

    if kind.startswith("mlquiz:") and os.environ.get("BENCH_PROFILE"):
        # Where the app's own CPU goes, for whoever tunes it (not part of the figures).
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(asyncio.run, _serve_async(kind, secret, conn, response_urls))
        pstats.Stats(profile).sort_stats(
            os.environ.get("BENCH_PROFILE_SORT", "tottime")
        ).print_stats(int(os.environ.get("BENCH_PROFILE_LINES", "40")))
        return
    asyncio.run(_serve_async(kind, secret, conn, response_urls))


async def _serve_async(kind: str, secret: str, conn, response_urls: int) -> None:
    import logging

    logging.disable(logging.CRITICAL)  # logging must not be what we measure
    if kind == "standin":
        from slack_standin.server import SlackStandin

        standin = SlackStandin(
            signing_secret=secret,
            users={"U0ADA": {"name": "ada", "tz": "Europe/Berlin", "is_admin": True}},
        )
        await standin.start()
        standin.add_channel("C0GENERAL", name="ml-daily", members=["U0ADA"])
        urls = [
            standin.new_response_url(channel_id="C0GENERAL", user_id="U0ADA")
            for _ in range(response_urls)
        ]
        conn.send({"url": standin.api_url, "token": standin.bot_token, "response_urls": urls})
    elif kind.startswith("mlquiz:"):
        # The real app, talking to the stand-in in another process as it would to Slack.
        from pydantic import SecretStr

        from bot.bootstrap import start_runtime
        from bot.config import Settings

        api_url, token = kind.split(":", 1)[1].split("|")
        tmp = tempfile.mkdtemp(prefix="mlquiz-bench-")
        settings = Settings(
            _env_file=None,
            database_path=Path(tmp) / "bench.db",
            port=0,
            slack_bot_token=SecretStr(token),
            slack_signing_secret=SecretStr(secret),
            slack_api_url=api_url,
            admin_user_ids=["U0ADA"],
        )
        runtime = await start_runtime(settings, run_scheduler=False)
        conn.send({"url": f"{runtime.url}/slack/events", "response_urls": []})
        storage = runtime.storage
    else:
        from aiohttp import web
        from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

        from bot.slack.http import HttpServer

        if kind == "aiohttp-floor":

            async def ok(_request):
                return web.Response(status=200)

            app = web.Application()
            app.router.add_post("/slack/events", ok)
        else:
            from slack_bolt.async_app import AsyncApp
            from slack_sdk.web.async_client import AsyncWebClient

            bolt = AsyncApp(
                client=AsyncWebClient(token="xoxb-bench"),
                signing_secret=secret,
                process_before_response=kind == "bolt-pbr",
                # No auth.test call: the bare baseline must not need a Slack.
                authorize=_no_auth,
            )

            @bolt.command("/mlquiz")
            async def only_ack(ack):
                await ack()

            async def dispatch(request):
                # Bolt's own aiohttp adapter, as a bare Bolt app would be served.
                return await to_aiohttp_response(
                    await bolt.async_dispatch(await to_bolt_request(request))
                )

            app = web.Application()
            app.router.add_post("/slack/events", dispatch)
        server = HttpServer(app, host="127.0.0.1", port=0)
        url = await server.start()
        conn.send({"url": f"{url}/slack/events", "response_urls": []})
    loop = asyncio.get_running_loop()
    while True:
        command = await loop.run_in_executor(None, conn.recv)
        if command == "cpu":
            # CPU seconds this server process has used so far, to price each request.
            conn.send(time.process_time())
        elif command == "settled":
            # Seconds until the work behind the acks is all done (requests processed,
            # replies sent), so that one level's backlog does not run into the next.
            # The checks' own CPU is sent along, to be left out of the request's price.
            started, checks = time.perf_counter(), 0.0
            while kind.startswith("mlquiz:"):
                check_started = time.process_time()
                async with storage.reading() as uow:
                    busy = {**await uow.inbox.counts(), **await uow.outbox.counts()}
                checks += time.process_time() - check_started
                if not any(busy.get(s) for s in ("pending", "working", "sending")):
                    break
                await asyncio.sleep(0.05)
            conn.send((time.perf_counter() - started, checks))
        elif command == "question" and kind == "standin":
            # The ts of the newest question in the channel (what replies thread under).
            found = [m for m in standin.messages("C0GENERAL") if "Question" in m.get("text", "")]
            conn.send(found[-1]["ts"] if found else None)
        elif command == "reactions" and kind == "standin":
            # Answers acknowledged with their ✅ (a reaction Slack accepted).
            conn.send(sum(1 for r in standin.records if r.method == "reactions.add" and r.answered))
        elif isinstance(command, tuple) and command[0] == "replies" and kind == "standin":
            # The thread replies people typed, as Slack stores them before telling the app.
            _, count, thread_ts = command
            conn.send(
                [
                    (user, standin.post_as_user("C0GENERAL", user, text, thread_ts=thread_ts)["ts"])
                    for user, text in (
                        (f"U{n:07d}", f"My answer {n}: bias, variance and regularization.")
                        for n in range(count)
                    )
                ]
            )
        else:
            break


async def _no_auth(**_kwargs):
    from slack_bolt.authorization import AuthorizeResult

    return AuthorizeResult(
        enterprise_id=None, team_id="T0001", bot_user_id="UBOT", bot_token="xoxb-bench"
    )


def start_server(kind: str, secret: str, response_urls: int = 0):
    parent, child = mp.Pipe()
    process = mp.get_context("spawn").Process(
        target=_serve, args=(kind, secret, child, response_urls), daemon=True
    )
    process.start()
    info = parent.recv()
    return process, parent, info


# -- load generator ------------------------------------------------------------------------


def slash_body(response_url: str, n: int) -> str:
    return urlencode(
        {
            "token": "bench",
            "team_id": "T0001",
            "team_domain": "bench",
            "channel_id": "C0GENERAL",
            "channel_name": "ml-daily",
            "user_id": "U0ADA",
            "user_name": "ada",
            "command": "/mlquiz",
            "text": "help",
            "api_app_id": "A0001",
            "response_url": response_url or "http://127.0.0.1:9/none",
            "trigger_id": f"trigger.{n}",
        }
    )


async def measure(
    url: str, secret: str, bodies: list[str], concurrency: int, *, content_type: str = FORM
) -> list[float]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                headers = signed_headers(secret, body) | {"Content-Type": content_type}
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{url} answered {response.status}")
                latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- ingest -------------------------------------------------------------------------------


def reply_envelope(n: int, user: str, ts: str, thread_ts: str) -> str:
    return json.dumps(
        {
            "token": "bench",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": f"EvINGEST{n:07d}",
            "event_time": 1_800_000_000 + n,
            "event": {
                "type": "message",
                "channel": "C0GENERAL",
                "channel_type": "channel",
                "user": user,
                "text": f"My answer {n}: bias, variance and regularization.",
                "ts": ts,
                "thread_ts": thread_ts,
                "event_ts": ts,
            },
        }
    )


async def ingest(replies: int, concurrency: int = 20) -> dict:
    """Thread replies sent like Slack sends them (signed, 20 in flight) to the real app in
    its own process, the stand-in in a third: from the first send until every reply is
    stored and has its ✅ in Slack."""
    secret = secrets.token_hex(16)
    standin_process, standin_conn, standin = start_server("standin", secret, 2)
    app_process, app_conn, app = start_server(f"mlquiz:{standin['url']}|{standin['token']}", secret)
    try:
        form = slash_body(standin["response_urls"][0], 0).replace("text=help", "text=post-now")
        async with aiohttp.ClientSession() as session:
            headers = signed_headers(secret, form) | {"Content-Type": FORM}
            async with session.post(app["url"], data=form, headers=headers) as response:
                assert response.status == 200
        thread_ts = None
        for _ in range(200):
            standin_conn.send("question")
            thread_ts = standin_conn.recv()
            if thread_ts:
                break
            await asyncio.sleep(0.05)
        assert thread_ts, "the app did not post a question"
        standin_conn.send(("replies", replies, thread_ts))
        typed = standin_conn.recv()
        bodies = [reply_envelope(n, user, ts, thread_ts) for n, (user, ts) in enumerate(typed)]
        app_conn.send("cpu")
        cpu_before = app_conn.recv()
        started = time.perf_counter()
        latencies = await measure(app["url"], secret, bodies, concurrency, content_type=JSON)
        acked = time.perf_counter() - started
        done = 0
        while done < replies and time.perf_counter() - started < 300:
            standin_conn.send("reactions")
            done = standin_conn.recv()
            await asyncio.sleep(0.02)
        elapsed = time.perf_counter() - started
        app_conn.send("cpu")
        app_cpu_ms = (app_conn.recv() - cpu_before) * 1000 / replies
    finally:
        for conn, process in ((app_conn, app_process), (standin_conn, standin_process)):
            conn.send("stop")
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
    with tempfile.TemporaryDirectory(prefix="mlquiz-bench-") as tmp:
        raw = _raw_inbox_inserts(replies, Path(tmp) / "raw.db")
    return {
        "replies": replies,
        "reactions": done,
        "ack_p99_ms": round(percentile(latencies, 0.99), 2),
        "acked_seconds": round(acked, 3),
        "seconds": round(elapsed, 3),
        "answers_per_second": round(replies / elapsed, 1),
        "app_cpu_ms_per_reply": round(app_cpu_ms, 3),
        "raw_inbox_inserts_per_second": raw,
    }


def _raw_inbox_inserts(rows: int, path: Path) -> float:
    """The baseline: the same number of rows inserted straight into an inbox table (one
    INSERT and commit each, as the requests arrive one by one), with sqlite3, WAL."""
    import sqlite3

    from bot.storage.sqlite.database import split_sql
    from bot.storage.sqlite.migrations import load_migrations

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    for migration in load_migrations():
        for statement in split_sql(migration.sql):
            conn.execute(statement)
    payload = json.dumps({"event": {"text": "x" * 120}})
    started = time.perf_counter()
    for n in range(rows):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO inbox (team_id, kind, dedupe_key, conversation, payload, request,"
            " not_before, received_at) VALUES ('T1', 'message', ?, 'channel:C1', ?, ?, 'x', 'x')",
            (f"Ev{n}", payload, payload),
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return round(rows / elapsed, 1)


# -- main -----------------------------------------------------------------------------------


KINDS = ("aiohttp-floor", "bolt-default", "bolt-pbr", "mlquiz")


async def run(args) -> dict:
    if args.only == "ingest":
        return {"ingest": await ingest(args.replies)}
    secret = secrets.token_hex(16)
    levels = [int(x) for x in args.levels.split(",")]
    total_urls = (args.requests * len(levels) + 50) * args.rounds
    results: dict = {"requests_per_level": args.requests, "rounds": args.rounds, "servers": {}}
    standin_process, standin_conn, standin = start_server("standin", secret, total_urls)
    urls = iter(standin["response_urls"])
    servers = {}
    for kind in KINDS:
        target = f"mlquiz:{standin['url']}|{standin['token']}" if kind == "mlquiz" else kind
        servers[kind] = start_server(target, secret)
    # Rounds take turns between the servers, so a noisy moment of the machine falls on
    # all of them alike; each figure is the median of its rounds.
    rounds: dict[str, dict[int, list[dict]]] = {k: {lv: [] for lv in levels} for k in KINDS}
    try:
        for _ in range(args.rounds):
            for kind in KINDS:
                _, conn, info = servers[kind]
                await measure(
                    info["url"], secret, [slash_body(next(urls, ""), n) for n in range(50)], 5
                )  # warm-up
                await settled(conn)
                for level in levels:
                    bodies = [slash_body(next(urls, ""), n) for n in range(args.requests)]
                    cpu_before = await cpu(conn)
                    latencies = await measure(info["url"], secret, bodies, level)
                    settle_s, settle_cpu = await settled(conn)
                    cpu_ms = (await cpu(conn) - cpu_before - settle_cpu) * 1000 / args.requests
                    rounds[kind][level].append(
                        {
                            "p50_ms": statistics.median(latencies),
                            "p99_ms": percentile(latencies, 0.99),
                            "server_cpu_ms_per_request": cpu_ms,
                            "work_done_after_last_ack_s": settle_s,
                        }
                    )
    finally:
        for process, conn, _ in servers.values():
            conn.send("stop")
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
        standin_conn.send("stop")
        standin_process.join(timeout=30)
    for kind in KINDS:
        for level in levels:
            runs = rounds[kind][level]
            results["servers"].setdefault(kind, {})[str(level)] = {
                key: round(statistics.median(r[key] for r in runs), 3 if "cpu" in key else 2)
                for key in runs[0]
            }
    for level in map(str, levels):
        ours = results["servers"]["mlquiz"][level]
        for bare_kind, key in (("bolt-default", "vs_bolt_default"), ("bolt-pbr", "vs_bolt_pbr")):
            bare = results["servers"][bare_kind][level]
            results.setdefault(key, {})[level] = {
                "p50": round(ours["p50_ms"] / bare["p50_ms"], 2),
                "p99": round(ours["p99_ms"] / bare["p99_ms"], 2),
            }
    if args.only != "ack":
        results["ingest"] = await ingest(args.replies)
    return results


async def cpu(conn) -> float:
    conn.send("cpu")
    return await asyncio.get_running_loop().run_in_executor(None, conn.recv)


async def settled(conn) -> tuple[float, float]:
    """(seconds until the server's work was done, CPU seconds its checks cost)."""
    conn.send("settled")
    return await asyncio.get_running_loop().run_in_executor(None, conn.recv)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--replies", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=("ack", "ingest"), default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = asyncio.run(run(args))
    if args.json:
        print(json.dumps(results))
        return
    if "servers" in results:
        print_acks(args, results)
    if "ingest" in results:
        print_ingest(results["ingest"])


def print_acks(args, results: dict) -> None:
    print(
        f"time to ack, {args.requests} signed /mlquiz requests per level (ms),"
        f" median of {args.rounds} rounds taking turns between the servers"
    )
    print(
        f"{'server':<15}"
        + "".join(f"{'c=' + lv + ' p50/p99':>20}" for lv in args.levels.split(","))
    )
    for kind, by_level in results["servers"].items():
        cells = "".join(f"{v['p50_ms']:>10.2f}/{v['p99_ms']:<9.2f}" for v in by_level.values())
        cpu = max(v["server_cpu_ms_per_request"] for v in by_level.values())
        done = max(v["work_done_after_last_ack_s"] for v in by_level.values())
        print(
            f"{kind:<15}{cells}   server CPU {cpu:.2f} ms/request,"
            f" work done {done:.2f} s after the last ack"
        )
    print("mlquiz / bare bolt (process_before_response):", results["vs_bolt_pbr"])
    print("mlquiz / bare bolt (default):", results["vs_bolt_default"])


def print_ingest(ingest: dict) -> None:
    print(
        f"ingest: {ingest['replies']} thread replies, all acked in {ingest['acked_seconds']} s "
        f"(ack p99 {ingest['ack_p99_ms']} ms), stored with their {ingest['reactions']} "
        f"reactions in {ingest['seconds']} s = {ingest['answers_per_second']} answers/s, "
        f"app CPU {ingest['app_cpu_ms_per_reply']} ms/reply "
        f"(raw inbox inserts, one commit each: {ingest['raw_inbox_inserts_per_second']}/s)"
    )


if __name__ == "__main__":
    main()
