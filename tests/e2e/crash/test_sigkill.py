"""SIGKILL at the worst moments, then a restart on the same database: nothing an ack
promised is lost, no post or DM is doubled, and a post's question is the one Slack
shows."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.slack.blocks.ids import ANSWER_BUTTON
from questionbank.loader import load_bank
from questionbank.samples import answer_from
from tests.e2e.crash.conftest import CHANNEL, PEOPLE, eventually
from tests.e2e.helpers import message_text

ADMIN = "U0ADMIN"
PARTICIPANTS = [p.user_id for p in PEOPLE if p.user_id != ADMIN]


def daily_posts(workspace):
    return [
        m for m in workspace.standin.messages(CHANNEL) if "QUESTION OF THE DAY" in message_text(m)
    ]


async def post_a_question(app, workspace):
    response = await workspace.command(ADMIN, "post-now", channel_id=CHANNEL)
    assert response.status == 200
    return await eventually(lambda: workspace.latest_question(CHANNEL, ANSWER_BUTTON))


async def answers_of(app, ts):
    storage = await app.storage()
    try:
        async with storage.reading() as uow:
            post = await uow.posts.by_message(workspace_team(app), CHANNEL, ts)
            return post, (await uow.answers.for_post(post.id) if post else [])
    finally:
        await storage.close()


def workspace_team(app) -> str:
    return app.workspace.connection().team_id


async def test_acked_answers_survive_a_sigkill_right_after_the_acks(app, workspace):
    await app.start()
    question = await post_a_question(app, workspace)
    users = PARTICIPANTS[:200]
    events = [
        workspace.slack.message_event(
            CHANNEL, user, f"Answer {n}: variance and bias.", thread_ts=question["ts"]
        )
        for n, user in enumerate(users)
    ]
    ids = [f"EvCRASH{n:04d}" for n in range(len(events))]
    gate = asyncio.Semaphore(20)

    async def deliver(event, event_id):
        async with gate:
            response = await workspace.slack.event(event, event_id=event_id)
            assert response.status == 200, response.text
            return response

    await asyncio.gather(*(deliver(e, i) for e, i in zip(events, ids, strict=True)))
    app.kill()  # every one of them was acknowledged; none may be lost
    await app.restart()
    _post, stored = await eventually(
        lambda: _all_stored(app, question["ts"], len(users)), timeout=60
    )
    assert sorted(a.user_id for a in stored) == sorted(users)

    # Slack, having timed out on some of those acks, retries them all: nothing doubles.
    tolerant = workspace.slack.tolerant()
    for event, event_id in zip(events, ids, strict=True):
        await tolerant.event(event, event_id=event_id, retry_num=1)
    await asyncio.sleep(1.0)  # the worker's turn; nothing new may appear
    _post, again = await answers_of(app, question["ts"])
    assert len(again) == len(users)
    await eventually(
        lambda: len(workspace.standin.calls_to("reactions.add")) >= len(users), timeout=30
    )
    reacted = {params["timestamp"] for params in workspace.standin.calls_to("reactions.add")}
    assert reacted == {e["ts"] for e in events}, "one ✅ per answer"


async def _all_stored(app, ts, count):
    post, stored = await answers_of(app, ts)
    return (post, stored) if len(stored) == count else None


async def test_a_crash_between_slacks_ok_and_the_write_leaves_one_post(app, workspace):
    await app.start()
    hook = workspace.standin.on_call(
        "chat.postMessage", app.kill, when=lambda params: params.get("channel") == CHANNEL
    )
    await workspace.command(ADMIN, "post-now", channel_id=CHANNEL)
    await hook.wait(30)  # Slack stored the question; the app died before it knew the ts
    await app.process.wait()
    [shown] = daily_posts(workspace)
    await app.start()
    post, _ = await eventually(lambda: _post_for(app, shown["ts"]), timeout=30)
    assert len(daily_posts(workspace)) == 1, "reconciled from history, not posted again"
    title = load_bank().get(post.question_id).title
    assert shown["text"] == f"Question of the day: {title}", "the row names the question shown"
    # The thread works: an answer there is taken, and post-now knows a question is open.
    await workspace.reply(PARTICIPANTS[0], "An answer.", channel_id=CHANNEL, thread_ts=shown["ts"])
    await eventually(lambda: workspace.standin.reactions(CHANNEL, _last_reply(workspace, shown)))
    await workspace.command(ADMIN, "post-now", channel_id=CHANNEL)
    await eventually(
        lambda: any(
            "already an open question" in r["payload"].get("text", "")
            for r in workspace.standin.responses
        )
    )


def _last_reply(workspace, parent):
    return workspace.standin.thread(CHANNEL, parent["ts"])[-1]["ts"]


async def _post_for(app, ts):
    post, answers = await answers_of(app, ts)
    return (post, answers) if post is not None else None


async def test_a_crash_during_the_feedback_dms_doubles_none(app, workspace):
    await app.start()
    question_message = await post_a_question(app, workspace)
    post, _ = await answers_of(app, question_message["ts"])
    question = load_bank().get(post.question_id)
    participants = PARTICIPANTS[:42]
    for n, user in enumerate(participants):
        await workspace.reply(
            user,
            answer_from(question, 1 + n % 4),
            channel_id=CHANNEL,
            thread_ts=question_message["ts"],
        )
    await eventually(
        lambda: _all_stored(app, question_message["ts"], len(participants)), timeout=60
    )
    hook = workspace.standin.on_call(
        "chat.postMessage",
        app.kill,
        when=lambda params: workspace.standin.is_dm(params.get("channel")),
        skip=15,  # the 16th feedback DM reaches Slack, then the app dies
    )
    await workspace.command(ADMIN, "reveal", channel_id=CHANNEL)
    await hook.wait(60)
    await app.process.wait()
    # After the summary is public, answers no longer count, even before the restart.
    await app.start()
    late = PARTICIPANTS[50]
    await workspace.reply(
        late, "A late answer.", channel_id=CHANNEL, thread_ts=question_message["ts"]
    )
    for user in participants:
        await eventually(
            lambda user=user: workspace.standin.messages(workspace.dm(user)), timeout=60
        )
    await asyncio.sleep(1.0)
    for user in participants:
        assert len(workspace.standin.messages(workspace.dm(user))) == 1, f"{user}: one DM"
    summaries = [
        m
        for m in workspace.standin.thread(CHANNEL, question_message["ts"])
        if "ANSWERS ARE IN" in message_text(m)
    ]
    assert len(summaries) == 1
    _post, stored = await answers_of(app, question_message["ts"])
    assert late not in {a.user_id for a in stored}, "no answer after the reveal"
    await workspace.command(ADMIN, "reveal", channel_id=CHANNEL)
    await eventually(
        lambda: any(
            "no open question" in r["payload"].get("text", "") for r in workspace.standin.responses
        )
    )


async def test_a_crash_while_the_recap_posts_doubles_nothing(app, workspace):
    thursday = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    app.at(thursday)
    await app.start()
    await workspace.command(ADMIN, "schedule 10:00 UTC daily", channel_id=CHANNEL)
    await workspace.command(ADMIN, "config recap fri", channel_id=CHANNEL)
    await eventually(lambda: len(workspace.standin.responses) >= 2)
    await app.killed()

    friday_evening = datetime(2026, 3, 6, 17, 0, 20, tzinfo=UTC)  # the recap is due now
    app.at(friday_evening)
    hook = workspace.standin.on_call(
        "chat.postMessage",
        app.kill,
        when=lambda params: "Weekly recap" in str(params.get("text", "")),
    )
    await app.start(healthy=False)  # the recap goes out on the first tick
    await hook.wait(30)
    await app.process.wait()
    await app.start()
    await asyncio.sleep(2.0)  # several ticks: the recap is not sent again
    recaps = [m for m in workspace.standin.messages(CHANNEL) if "WEEKLY RECAP" in message_text(m)]
    assert len(recaps) == 1
    storage = await app.storage()
    try:
        rows = await storage.db.fetchall("SELECT status, ts FROM outbox WHERE key LIKE 'recap:%'")
    finally:
        await storage.close()
    assert [tuple(r) for r in rows] == [("sent", recaps[0]["ts"])]
