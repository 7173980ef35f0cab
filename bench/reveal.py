"""The reveal of one channel post with many answers, phase by phase, next to baselines
measured in the same run.

The real app (the composition root, served as the offline sandbox serves it) talks to
the local Slack stand-in on 127.0.0.1 in this process. An admin's `post-now` puts a
question in the channel; N answers (realistic text, each by its own user) are recorded
through the storage's unit of work; then `reveal_post`, the use case the scheduler
calls, grades them all and, in one transaction, stores the grades and points, reviews
each user's card and builds and queues N + 2 messages in the outbox; the outbox's
delivery (`bot.jobs.delivery`) posts the ranked summary in the thread, closes the
original and sends every participant a feedback DM, until the stand-in holds every
message and the outbox has recorded them sent. Phases:
  * grading       the use case's own timer (CPU: the grader)
  * building      the use case's own timer (the summary, the closed post, every DM's
                  Block Kit, built before the transaction opens)
  * storing       the use case's own timer (the one write transaction)
  * other         reading the answers, taking the lease, closing the post to answers
  * delivery      from the commit until every message is in the stand-in and recorded

Baselines, on the same answers and the same stand-in:
  * grading alone `grade()` over the same answers in a plain loop, once before the
                  reveal and once after (the mean is the yardstick)
  * bare Web API  the same feedback DMs (conversations.open + chat.postMessage with the
                  same text, blocks and metadata) from a bare slack_sdk AsyncWebClient
                  on one shared session, 8 in flight like the deliverer; the stand-in's
                  own work is in both figures, so their ratio is what the outbox costs

Thread-reply ingest, which an earlier version of this file measured too, is
`bench/ack.py --only ingest` now (app, stand-in and load generator in separate processes).

    python bench/reveal.py [--answers 1000] [--json]
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

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.core.records import AnswerIn, AnswerToRecord, Post
from bot.devtools.sandbox import CHANNEL_ID, Sandbox
from bot.grading import grade
from bot.usecases.reveal import RevealOutcome, reveal_post
from questionbank.models import Question

ADMIN = "U0ADA"
RECORD_BATCH = 500  # answers per transaction while setting up
DELIVERY_CONCURRENCY = 8  # the deliverer's default: the bare baseline uses the same
FILLER_TEXT = (
    "In practice I would check this on a validation set and compare with a simple "
    "baseline before trusting the number, because the data can surprise you."
)
FILLER = tuple(FILLER_TEXT.split(" "))


def realistic_answer(question: Question, rng: random.Random) -> str:
    """50 to 200 words: some key points in other words, plus filler a person would write."""
    points = [max(p.aliases or [p.text], key=len) for p in question.key_points]
    chosen = rng.sample(points, rng.randint(0, len(points)))
    words = " ".join(chosen).split()
    while len(words) < rng.randint(50, 200):
        words += FILLER[: rng.randint(5, len(FILLER))]
    return " ".join(words)


def user_of(n: int) -> str:
    return f"U{n:07d}"


async def open_post(sandbox: Sandbox) -> Post:
    """A question in the channel, posted by the app as an admin's `post-now` posts it."""
    await sandbox.command(ADMIN, "post-now")
    message = sandbox.latest_question(CHANNEL_ID)
    assert message is not None, "the app did not post a question"
    post = await sandbox.post_of(CHANNEL_ID, message["ts"])
    assert post is not None
    return post


async def record_answers(sandbox: Sandbox, post: Post, texts: list[str]) -> None:
    """Each text as a thread reply of its own user, recorded as ingest records them."""
    now = sandbox.deps.now()
    items = [
        AnswerToRecord(
            AnswerIn(
                team_id=post.team_id,
                post_id=post.id,
                user_id=user_of(n),
                text=text,
                source="thread",
                message_ts=f"1700000000.{n:06d}",
                event_id=f"EvBENCH{n:07d}",
                answered_at=now,
            )
        )
        for n, text in enumerate(texts)
    ]
    for start in range(0, len(items), RECORD_BATCH):
        async with sandbox.deps.storage.transaction() as uow:
            results = await uow.answers.record(items[start : start + RECORD_BATCH])
        assert all(r.stored for r in results), "an answer was not stored"


async def wait_delivered(sandbox: Sandbox, expected: int, timeout: float = 300) -> None:
    """Until the outbox holds no message that is not sent (and `expected` are sent)."""
    storage = sandbox.app.storage
    deadline = time.perf_counter() + timeout
    while True:
        await sandbox.settle(timeout)
        async with storage.reading() as uow:
            counts = await uow.outbox.counts()
        if counts.get("sent", 0) >= expected and set(counts) == {"sent"}:
            return
        if time.perf_counter() > deadline:
            raise RuntimeError(f"messages still not delivered: {counts}")
        await asyncio.sleep(0.01)


async def bare_dms(api_url: str, token: str, dms: list[tuple[str, dict]]) -> float:
    """Seconds to send the same DMs straight through slack_sdk, 8 in flight."""
    queue: asyncio.Queue[tuple[str, dict]] = asyncio.Queue()
    for dm in dms:
        queue.put_nowait(dm)
    async with aiohttp.ClientSession() as session:
        client = AsyncWebClient(token=token, base_url=api_url, session=session)

        async def worker() -> None:
            while not queue.empty():
                user, params = queue.get_nowait()
                opened = await client.conversations_open(users=user)
                await client.chat_postMessage(
                    channel=opened["channel"]["id"],
                    text=params["text"],
                    blocks=params.get("blocks"),
                    metadata=params.get("metadata"),
                )

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(DELIVERY_CONCURRENCY)))
        return time.perf_counter() - started


def grading_loop(question: Question, texts: list[str]) -> float:
    """Seconds to grade every text in a plain loop: the grader with nothing around it."""
    started = time.perf_counter()
    for text in texts:
        grade(question, text)
    return time.perf_counter() - started


async def bench_reveal(answers: int, seed: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="mlquiz-bench-") as tmp:
        settings = Settings(_env_file=None, database_path=Path(tmp) / "reveal.db")
        async with Sandbox(settings, run_scheduler=False, rng=random.Random(seed)) as sandbox:
            return await _bench_reveal(sandbox, answers, random.Random(seed + 1))


async def _bench_reveal(sandbox: Sandbox, answers: int, rng: random.Random) -> dict:
    standin = sandbox.standin
    post = await open_post(sandbox)
    question = sandbox.deps.bank.get(post.question_id)
    assert question is not None
    texts = [realistic_answer(question, rng) for _ in range(answers)]
    for n in range(answers):
        standin.add_user(user_of(n), name=f"user{n}", tz="Europe/Berlin")
    await record_answers(sandbox, post, texts)
    grade(question, texts[0])  # the rubric compiled once, for the reveal and the baseline
    # Grading alone runs once before the reveal and once after: on a busy machine the
    # mean of the two is a fairer yardstick than either.
    alone_before = grading_loop(question, texts)
    calls_before = len(standin.calls)

    started = time.perf_counter()
    revealed = await reveal_post(sandbox.deps, post, owner=sandbox.deps.owner)
    committed = time.perf_counter()
    assert revealed.outcome is RevealOutcome.REVEALED and revealed.timings is not None
    await wait_delivered(sandbox, expected=answers + 3)  # + the question, summary, close
    delivered = time.perf_counter()
    timings = revealed.timings

    calls = standin.calls[calls_before:]
    posted = [params for method, params in calls if method == "chat.postMessage"]
    dms = [params for params in posted if standin.is_dm(params["channel"])]
    summaries = [params for params in posted if params.get("thread_ts") == post.message_ts]
    closes = [params for method, params in calls if method == "chat.update"]
    assert len(dms) == answers and len(summaries) == 1 and len(closes) == 1, (
        len(dms),
        len(summaries),
        len(closes),
    )

    alone_after = grading_loop(question, texts)
    grading_alone = (alone_before + alone_after) / 2
    user_by_dm = {standin.dm_channel(user_of(n)): user_of(n) for n in range(answers)}
    bare_s = await bare_dms(
        standin.api_url, standin.bot_token, [(user_by_dm[p["channel"]], p) for p in dms]
    )

    total = delivered - started
    delivery = delivered - committed
    other = committed - started - timings.grading - timings.building - timings.storing
    per_answer = {
        "grading": timings.grading,
        "building": timings.building,
        "storing": timings.storing,
        "other": other,
        "delivery": delivery,
        "total": total,
        "grading_alone": grading_alone,
        "bare_web_api_dms": bare_s,
    }
    return {
        "answers": timings.answers,
        "question_id": question.id,
        "key_points": len(question.key_points),
        "dms_delivered": len(dms),
        "grading_alone_before_and_after_s": [round(alone_before, 3), round(alone_after, 3)],
        "seconds": {key: round(value, 3) for key, value in per_answer.items()},
        "ms_per_answer": {
            key: round(value * 1000 / answers, 3) for key, value in per_answer.items()
        },
        "ratios": {
            "reveal_total_vs_grading_alone": round(total / grading_alone, 2),
            "reveal_work_vs_grading_alone": round((committed - started) / grading_alone, 2),
            "grading_in_reveal_vs_alone": round(timings.grading / grading_alone, 2),
            "delivery_vs_bare_web_api": round(delivery / bare_s, 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # logging must not be what we measure
    results = asyncio.run(bench_reveal(args.answers, args.seed))
    if args.json:
        print(json.dumps(results))
        return
    print_report(results)


def print_report(r: dict) -> None:
    print(
        f"reveal of one channel post with {r['answers']:,} answers "
        f"({r['question_id']}, {r['key_points']} key points); "
        f"{r['dms_delivered']:,} feedback DMs delivered to the stand-in"
    )
    print(f"  {'phase':<48}{'seconds':>9}{'ms/answer':>11}")
    labels = (
        ("grading", "grading"),
        ("building", "building the messages (Block Kit)"),
        ("storing", "storing (grades, cards, messages: 1 transaction)"),
        ("other", "reading answers, lease, closing to answers"),
        ("delivery", "delivery (summary, close, DMs)"),
        ("total", "total"),
        ("grading_alone", "baseline: grading alone (mean of 2 loops)"),
        ("bare_web_api_dms", "baseline: the same DMs, bare Web API client"),
    )
    for key, label in labels:
        print(f"  {label:<48}{r['seconds'][key]:>9.3f}{r['ms_per_answer'][key]:>11.3f}")
    ratios = r["ratios"]
    print(
        f"  reveal / grading alone: {ratios['reveal_total_vs_grading_alone']}x in all, "
        f"{ratios['reveal_work_vs_grading_alone']}x before delivery "
        f"(grading inside the reveal {ratios['grading_in_reveal_vs_alone']}x alone)"
    )
    print(f"  delivery / bare Web API: {ratios['delivery_vs_bare_web_api']}x")


if __name__ == "__main__":
    main()
