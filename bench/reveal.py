"""The reveal of one channel post with many answers, and thread-reply ingest over HTTP.

Reveal: grade and store every answer, post the ranked summary, close the original, send
every participant a feedback DM (to the local stand-in on loopback, in this process).
Ingest: signed Events API thread replies through the real HTTP app (signature check,
dedupe, store, reaction), 20 in flight.

    python bench/reveal.py [--answers 1000] [--replies 500] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.sandbox import CHANNEL_ID, Sandbox

from bot.config import Settings
from bot.storage import AnswerIn
from bot.usecases import daily

FILLER_TEXT = (
    "In practice I would check this on a validation set and compare with a simple "
    "baseline before trusting the number, because the data can surprise you."
)
FILLER = tuple(FILLER_TEXT.split(" "))


def realistic_answer(question, rng: random.Random) -> str:
    """50 to 200 words: some key points in other words, plus filler a person would write."""
    points = [max(p.aliases or [p.text], key=len) for p in question.key_points]
    chosen = rng.sample(points, rng.randint(0, len(points)))
    words = " ".join(chosen).split()
    while len(words) < rng.randint(50, 200):
        words += FILLER[: rng.randint(5, len(FILLER))]
    return " ".join(words)


async def _open_post(sandbox: Sandbox):
    await sandbox.command("U0ADA", "post-now")
    message = sandbox.latest_question(CHANNEL_ID)
    return await sandbox.ctx.store.posts.by_message(sandbox.ctx.team_id, CHANNEL_ID, message["ts"])


async def bench_reveal(answers: int) -> dict:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory(prefix="mlquiz-bench-") as tmp:
        return await _bench_reveal(answers, rng, Path(tmp) / "reveal.db")


async def _bench_reveal(answers: int, rng: random.Random, db_path: Path) -> dict:
    settings = Settings(_env_file=None, database_path=db_path)
    async with Sandbox(settings, run_scheduler=False, rng=random.Random(3)) as sandbox:
        ctx = sandbox.ctx
        post = await _open_post(sandbox)
        question = ctx.bank.get(post.question_id)
        now = ctx.now()
        for n in range(answers):
            user = f"U{n:07d}"
            sandbox.standin.add_user(user, name=f"user{n}", tz="Europe/Berlin")
            await ctx.store.answers.record(
                AnswerIn(
                    team_id=ctx.team_id,
                    post_id=post.id,
                    user_id=user,
                    text=realistic_answer(question, rng),
                    source="thread",
                    message_ts=f"1700000000.{n:06d}",
                    event_id=f"EvBENCH{n}",
                    answered_at=now,
                )
            )
        started = time.perf_counter()
        await daily.reveal_post(ctx, await ctx.store.posts.get(post.id), owner="bench")
        total = time.perf_counter() - started
        timings = ctx.last_reveal
        dms = len(sandbox.standin.calls_to("chat.postMessage")) - 2  # minus post + summary
    return {
        "answers": timings.answers,
        "total_s": round(total, 3),
        "grade_and_store_s": round(timings.grade_and_store, 3),
        "summary_and_close_s": round(timings.summary_and_close, 3),
        "feedback_dms_s": round(timings.feedback_dms, 3),
        "dms_sent": dms,
        "reveal_work_excluding_dms_s": round(
            timings.grade_and_store + timings.summary_and_close, 3
        ),
    }


async def bench_ingest(replies: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="mlquiz-bench-") as tmp:
        return await _bench_ingest(replies, Path(tmp) / "ingest.db")


async def _bench_ingest(replies: int, db_path: Path) -> dict:
    settings = Settings(_env_file=None, database_path=db_path)
    rng = random.Random(5)
    async with Sandbox(settings, run_scheduler=False) as sandbox:
        post = await _open_post(sandbox)
        question = sandbox.ctx.bank.get(post.question_id)
        events = []
        for n in range(replies):
            user = f"U{n:07d}"
            sandbox.standin.add_user(user, name=f"user{n}", tz="Europe/Berlin")
            events.append(
                sandbox.driver.message_event(
                    CHANNEL_ID, user, realistic_answer(question, rng), thread_ts=post.message_ts
                )
            )
        gate = asyncio.Semaphore(20)

        async def send(event) -> None:
            async with gate:
                response = await sandbox.driver.event(event)
                assert response.status == 200

        started = time.perf_counter()
        await asyncio.gather(*(send(event) for event in events))
        await sandbox.settle(timeout=600)
        elapsed = time.perf_counter() - started
        stored = len(await sandbox.ctx.store.answers.for_post(post.id))
    return {
        "replies": replies,
        "stored": stored,
        "seconds": round(elapsed, 3),
        "answers_per_second": round(replies / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--replies", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    results = {
        "reveal": asyncio.run(bench_reveal(args.answers)),
        "ingest": asyncio.run(bench_ingest(args.replies)),
    }
    if args.json:
        print(json.dumps(results))
        return
    r, i = results["reveal"], results["ingest"]
    print(f"reveal of {r['answers']} answers: {r['total_s']} s in all")
    print(
        f"  grade + store {r['grade_and_store_s']} s, summary + close "
        f"{r['summary_and_close_s']} s  (reveal work excluding DMs: "
        f"{r['reveal_work_excluding_dms_s']} s)"
    )
    print(f"  {r['dms_sent']} feedback DMs to the stand-in: {r['feedback_dms_s']} s")
    print(
        f"ingest: {i['replies']} signed thread replies -> {i['stored']} stored in "
        f"{i['seconds']} s = {i['answers_per_second']} answers/s"
    )


if __name__ == "__main__":
    main()
