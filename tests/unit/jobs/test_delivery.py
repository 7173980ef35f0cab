"""Delivering the outbox: once, in order per conversation, retried, reconciled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.records import Outgoing
from bot.jobs.delivery import HISTORY_MARGIN, Deliverer, RetryPolicy
from bot.jobs.tasks import BackgroundTasks
from bot.ports.slack import (
    Forbidden,
    NotFound,
    SlackError,
    SlackUnavailable,
    TriggerExpired,
    Undeliverable,
)
from tests.unit.builders import CHANNEL, URL, USER, channel_post, fake
from tests.unit.fakes import TEAM, FakeResponder


@pytest.fixture
def responder():
    return FakeResponder()


@pytest.fixture
def deliverer(deps, responder):
    return Deliverer(deps, responder, BackgroundTasks(), retry=RetryPolicy(max_attempts=3))


async def add(deps, key="m1", action="post", **fields) -> int:
    values = {"channel_id": CHANNEL, "text": key, **fields}
    async with deps.storage.transaction() as uow:
        return await uow.outbox.add(
            Outgoing(team_id=TEAM, key=key, action=action, **values), deps.now()
        )


def row(deps, message_id):
    return fake(deps).state.outbox[message_id]


async def test_a_post_is_sent_marked_sent_and_tells_its_question(deps, gateway, deliverer):
    post = await channel_post(deps, posted=False)
    message_id = await add(deps, f"post:{post.id}", subject=f"post:{post.id}")
    await deliverer.deliver([message_id])
    (call,) = gateway.calls_to("post")
    assert (call["channel"], call["thread_ts"], call["metadata"]) == (
        CHANNEL,
        None,
        {"key": f"post:{post.id}"},
    )
    assert call["message"].text == f"post:{post.id}"
    sent = row(deps, message_id)
    assert (sent.status, sent.channel_id, sent.attempts, sent.error) == ("sent", CHANNEL, 1, None)
    assert sent.ts == gateway.posted[0].ts
    assert fake(deps).state.posts[post.id].message_ts == sent.ts
    assert gateway.calls_to("find_by_key") == []  # a first attempt has nothing to look for
    assert deliverer.delivered == 1


async def test_a_sent_message_is_not_sent_again(deps, gateway, deliverer):
    message_id = await add(deps)
    await deliverer.deliver([message_id])
    await deliverer.deliver([message_id])
    assert await deliverer.deliver_due() == 0
    assert len(gateway.calls_to("post")) == 1


async def test_a_retry_after_an_unknown_outcome_finds_the_message_in_history(
    deps, gateway, deliverer
):
    message_id = await add(deps, "post:7")
    gateway.fail("post", SlackUnavailable("timeout"))
    await deliverer.deliver([message_id])
    assert row(deps, message_id).status == "pending"
    found = gateway.slack_has(CHANNEL, "post:7")  # the timed-out post had landed
    gateway.recover("post")
    deps.clock.advance(seconds=5)
    assert await deliverer.deliver_due() == 1
    (lookup,) = gateway.calls_to("find_by_key")
    oldest = row(deps, message_id).created_at - HISTORY_MARGIN
    assert (lookup["channel"], lookup["key"], lookup["oldest"]) == (
        CHANNEL,
        "post:7",
        f"{oldest.timestamp():.6f}",
    )
    assert len(gateway.calls_to("post")) == 1  # the failed attempt only
    sent = row(deps, message_id)
    assert (sent.status, sent.ts, sent.attempts) == ("sent", found.ts, 2)


async def test_a_retry_that_finds_nothing_posts(deps, gateway, deliverer):
    message_id = await add(deps, thread_ts="1709.5")
    gateway.fail("post", SlackUnavailable("timeout"))
    await deliverer.deliver([message_id])
    gateway.recover("post")
    deps.clock.advance(seconds=5)
    await deliverer.deliver_due()
    assert [c["thread_ts"] for c in gateway.calls_to("find_by_key")] == ["1709.5"]
    assert len(gateway.calls_to("post")) == 2
    assert row(deps, message_id).status == "sent"


async def test_a_message_left_sending_by_a_dead_process_is_reconciled(deps, gateway, deliverer):
    message_id = await add(deps, "post:8")
    async with deps.storage.transaction() as uow:
        await uow.outbox.begin([message_id], owner="ghost", now=deps.now(), policy=deps.leases)
    gateway.slack_has(CHANNEL, "post:8")
    assert await deliverer.deliver_due() == 1
    assert gateway.calls_to("post") == []
    assert row(deps, message_id).status == "sent"


async def test_a_message_being_sent_by_a_live_process_is_left_to_it(deps, gateway, deliverer):
    message_id = await add(deps)
    async with deps.storage.transaction() as uow:
        await uow.processes.beat("busy", host="h", pid=1, now=deps.now())
        await uow.outbox.begin([message_id], owner="busy", now=deps.now(), policy=deps.leases)
    assert await deliverer.deliver_due() == 0
    await deliverer.deliver([message_id])
    assert gateway.calls == [] and row(deps, message_id).owner == "busy"


async def test_an_undeliverable_dm_is_recorded_and_its_question_failed(deps, gateway, deliverer):
    post = await channel_post(deps, posted=False)
    message_id = await add(
        deps, "post:1", action="dm", channel_id=None, user_id=USER, subject=f"post:{post.id}"
    )
    gateway.fail("open_dm", Undeliverable("user_not_found"))
    await deliverer.deliver([message_id])
    failed = row(deps, message_id)
    assert (failed.status, failed.error, failed.owner) == ("undeliverable", "user_not_found", None)
    question = fake(deps).state.posts[post.id]
    assert question.status == "failed" and question.error is not None
    assert question.error.endswith("the question was never posted (user_not_found)")


async def test_a_dm_opens_the_conversation_first(deps, gateway, deliverer):
    message_id = await add(deps, "feedback:3", action="dm", channel_id=None, user_id=USER)
    await deliverer.deliver([message_id])
    assert gateway.calls_to("open_dm") == [{"user": USER}]
    assert gateway.calls_to("post")[0]["channel"] == "DU1"
    sent = row(deps, message_id)
    assert (sent.status, sent.channel_id) == ("sent", "DU1")


@pytest.mark.parametrize(
    "error",
    [
        NotFound("channel_not_found"),
        Forbidden("restricted_action"),
        TriggerExpired("expired_trigger_id"),
        SlackError("invalid_blocks"),
    ],
)
async def test_a_refusal_fails_the_message_for_good(deps, gateway, deliverer, error):
    message_id = await add(deps)
    gateway.fail("post", error)
    await deliverer.deliver([message_id])
    failed = row(deps, message_id)
    assert (failed.status, failed.error) == ("failed", error.code)
    deps.clock.advance(hours=1)
    assert await deliverer.deliver_due() == 0


async def test_slack_unavailable_is_retried_with_backoff_until_max_attempts(
    deps, gateway, deliverer
):
    post = await channel_post(deps, posted=False)
    message_id = await add(deps, f"post:{post.id}", subject=f"post:{post.id}")
    gateway.fail("post", SlackUnavailable("fatal_error"))
    await deliverer.deliver([message_id])
    waiting = row(deps, message_id)
    assert (waiting.status, waiting.error, waiting.owner) == ("pending", "fatal_error", None)
    assert waiting.not_before == deps.now() + timedelta(seconds=5)
    deps.clock.advance(seconds=4)
    assert await deliverer.deliver_due() == 0  # not yet
    deps.clock.advance(seconds=1)
    assert await deliverer.deliver_due() == 1
    assert row(deps, message_id).not_before == deps.now() + timedelta(seconds=10)
    deps.clock.advance(seconds=10)
    await deliverer.deliver_due()
    given_up = row(deps, message_id)
    assert (given_up.status, given_up.attempts, given_up.error) == ("failed", 3, "fatal_error")
    assert fake(deps).state.posts[post.id].status == "failed"
    assert len(gateway.calls_to("post")) == 3


def test_backoff_doubles_up_to_its_cap():
    policy = RetryPolicy()
    delays = [policy.delay(n).total_seconds() for n in (0, 1, 2, 3, 8, 20)]
    assert delays == [5, 5, 10, 20, 600, 600]


async def test_an_expired_message_is_not_sent(deps, gateway, deliverer, responder):
    message_id = await add(deps, action="respond", url=URL, expires_at=deps.now())
    await deliverer.deliver([message_id])
    expired = row(deps, message_id)
    assert (expired.status, expired.error) == ("expired", "not sent in time")
    assert responder.responses == [] and gateway.calls == []


async def test_an_expired_retry_keeps_its_last_error(deps, responder, deliverer):
    message_id = await add(
        deps, action="respond", url=URL, expires_at=deps.now() + timedelta(seconds=3)
    )
    responder.error = SlackUnavailable("http_500")
    await deliverer.deliver([message_id])
    deps.clock.advance(seconds=5)
    await deliverer.deliver_due()
    assert (row(deps, message_id).status, row(deps, message_id).error) == ("expired", "http_500")
    assert len(responder.responses) == 1


async def test_messages_of_one_conversation_go_out_in_order(deps, gateway, deliverer):
    ids = [await add(deps, f"m{n}") for n in range(4)]
    other = await add(deps, "elsewhere", channel_id="C2")
    await deliverer.deliver([other, *reversed(ids)])
    in_channel = [c["metadata"]["key"] for c in gateway.calls_to("post") if c["channel"] == CHANNEL]
    assert in_channel == ["m0", "m1", "m2", "m3"]
    assert all(row(deps, i).status == "sent" for i in [*ids, other])


async def test_replies_reactions_and_ephemerals_use_their_own_calls(
    deps, gateway, deliverer, responder
):
    reply = await add(deps, "r", action="respond", url=URL, channel_id=None)
    react = await add(deps, "k", action="react", target_ts="1709.1", reaction="white_check_mark")
    note = await add(deps, "e", action="ephemeral", user_id=USER)
    await deliverer.deliver([reply, react, note])
    assert [(url, m.text) for url, m in responder.responses] == [(URL, "r")]
    assert gateway.calls_to("react") == [
        {"channel": CHANNEL, "ts": "1709.1", "name": "white_check_mark"}
    ]
    assert [(c["channel"], c["user"]) for c in gateway.calls_to("ephemeral")] == [(CHANNEL, USER)]
    assert [row(deps, i).status for i in (reply, react, note)] == ["sent"] * 3
    assert row(deps, react).ts == "1709.1"


async def test_an_update_waits_for_the_message_it_changes(deps, gateway, deliverer):
    update = await add(deps, "u", action="update", channel_id=None, target_key="p")
    await deliverer.deliver([update])
    assert (row(deps, update).status, row(deps, update).error) == ("pending", "target_not_sent")
    target = await add(deps, "p")
    await deliverer.deliver([target])
    deps.clock.advance(seconds=5)
    await deliverer.deliver_due()
    (call,) = gateway.calls_to("update")
    assert (call["channel"], call["ts"]) == (CHANNEL, row(deps, target).ts)
    assert row(deps, update).status == "sent"


async def test_an_update_or_delete_with_its_target_goes_straight_there(deps, gateway, deliverer):
    update = await add(deps, "u", action="update", target_ts="1709.2")
    delete = await add(deps, "d", action="delete", target_ts="1709.3")
    await deliverer.deliver([update, delete])
    assert [c["ts"] for c in gateway.calls_to("update")] == ["1709.2"]
    assert gateway.calls_to("delete") == [{"channel": CHANNEL, "ts": "1709.3"}]


async def test_a_bug_while_sending_keeps_the_message_for_later(deps, gateway, deliverer):
    message_id = await add(deps)
    gateway.fail("post", RuntimeError("a bug"))
    await deliverer.deliver([message_id])
    kept = row(deps, message_id)
    assert (kept.status, kept.error) == ("pending", "internal error")


async def test_new_messages_are_delivered_right_after_their_commit(deps, gateway, responder):
    tasks = BackgroundTasks()
    deliverer = Deliverer(deps, responder, tasks)
    deps.storage.on_new_messages(deliverer.wake)
    first = await add(deps, "a")
    second = await add(deps, "b")
    await tasks.wait_idle(5)
    assert [c["metadata"]["key"] for c in gateway.calls_to("post")] == ["a", "b"]
    assert row(deps, first).status == row(deps, second).status == "sent"
    assert tasks.failures == 0
