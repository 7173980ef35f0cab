"""The inbox: requests recorded with a group commit, then processed in order."""

from __future__ import annotations

import asyncio

import pytest

from bot.jobs import inbox
from bot.jobs.inbox import MAX_ATTEMPTS, RETRY_AFTER, InboxWorker, InboxWriter, decode, encode
from bot.jobs.tasks import BackgroundTasks
from bot.ports.requests import HomeOpened, MessageEvent, SlashCommand
from tests.unit.builders import CHANNEL, USER, fake, reply_to
from tests.unit.fakes import TEAM


@pytest.fixture
def tasks():
    return BackgroundTasks()


@pytest.fixture
def worker(deps, tasks):
    return InboxWorker(deps, tasks)


@pytest.fixture
def writer(deps, worker):
    return InboxWriter(deps, worker)


def command(text="topics", user=USER):
    return SlashCommand(TEAM, user, CHANNEL, text, reply_to(user))


def message(event_id, text="hello", channel=CHANNEL):
    return MessageEvent(TEAM, event_id, channel, "channel", None, USER, None, text, "1.1", None)


@pytest.fixture
def processed(monkeypatch):
    """The requests `inbound.process` was given, in order, each after a yield."""
    seen = []

    async def process(deps, request):
        seen.append(request)
        await asyncio.sleep(0)

    monkeypatch.setattr(inbox.inbound, "process", process)
    return seen


def test_requests_survive_their_json(deps):
    for request in (command("ask <@U2>"), message("Ev1", "naïve ✅"), HomeOpened(TEAM, USER)):
        assert decode(inbox.kind_of(request), encode(request)) == request


async def test_requests_arriving_together_are_recorded_in_one_commit(
    deps, writer, tasks, monkeypatch
):
    batches = []
    add_many = fake(deps).uow.inbox.add_many

    async def recorded(entries, now):
        batches.append(len(entries))
        return await add_many(entries, now)

    monkeypatch.setattr(fake(deps).uow.inbox, "add_many", recorded)
    accepted = await asyncio.gather(*(writer.accept(command(f"t{n}"), {}) for n in range(3)))
    assert accepted == [True, True, True] and batches == [3]
    rows = fake(deps).state.inbox.values()
    assert [r.entry.conversation for r in rows] == ["user:U1"] * 3
    await tasks.wait_idle(5)
    assert [r.status for r in fake(deps).state.inbox.values()] == ["done"] * 3


async def test_a_retried_event_is_recorded_once(deps, writer, tasks, processed):
    assert await writer.accept(message("Ev1"), {"event_id": "Ev1"})
    assert not await writer.accept(message("Ev1"), {"event_id": "Ev1"})
    (row,) = fake(deps).state.inbox.values()
    assert (row.entry.kind, row.entry.dedupe_key, row.entry.payload) == (
        "message",
        "Ev1",
        '{"event_id":"Ev1"}',
    )
    await tasks.wait_idle(5)
    assert len(processed) == 1


async def test_a_request_from_another_workspace_is_refused(deps, writer):
    other = SlashCommand("T2", USER, CHANNEL, "topics", reply_to())
    assert not await writer.accept(other, {})
    assert fake(deps).state.inbox == {}


async def record(deps, *requests):
    async with deps.storage.transaction() as uow:
        return await uow.inbox.add_many(
            [inbox.entry_for(request, {}) for request in requests], deps.now()
        )


async def test_a_request_is_processed_and_done_with_its_outcome(deps, worker, gateway):
    (row_id,) = await record(deps, command("topics"))
    await worker.drain()
    assert fake(deps).state.inbox[row_id].status == "done"
    assert [m.text for m in fake(deps).messages()] == ["mlquiz topics"]
    assert worker.processed == 1


async def test_a_request_that_changes_nothing_is_done_too(deps, worker):
    (row_id,) = await record(deps, message("Ev9"))  # top-level chatter
    await worker.drain()
    done = fake(deps).state.inbox[row_id]
    assert (done.status, done.done_at) == ("done", deps.now())
    assert fake(deps).messages() == []


async def test_a_crashing_request_is_retried_then_failed(deps, worker, monkeypatch):
    async def crash(deps, request):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(inbox.inbound, "process", crash)
    (row_id,) = await record(deps, command())
    await worker.drain()
    waiting = fake(deps).state.inbox[row_id]
    assert (waiting.status, waiting.attempts, waiting.error) == (
        "pending",
        1,
        "RuntimeError: kaboom",
    )
    assert waiting.not_before == deps.now() + RETRY_AFTER
    await worker.drain()
    assert fake(deps).state.inbox[row_id].attempts == 1  # its backoff has not passed
    for attempt in range(2, MAX_ATTEMPTS + 1):
        deps.clock.advance(seconds=RETRY_AFTER.total_seconds())
        await worker.drain()
        assert fake(deps).state.inbox[row_id].attempts == attempt
    failed = fake(deps).state.inbox[row_id]
    assert (failed.status, failed.done_at, failed.owner) == ("failed", deps.now(), None)
    deps.clock.advance(hours=1)
    await worker.drain()
    assert fake(deps).state.inbox[row_id].attempts == MAX_ATTEMPTS
    assert worker.processed == 0


async def test_a_crash_after_the_outcome_committed_keeps_the_request_done(
    deps, worker, monkeypatch
):
    real = inbox.inbound.process

    async def reply_then_crash(deps, request):
        await real(deps, request)
        raise RuntimeError("after the reply")

    monkeypatch.setattr(inbox.inbound, "process", reply_then_crash)
    (row_id,) = await record(deps, command("help"))
    await worker.drain()
    assert fake(deps).state.inbox[row_id].status == "done"
    assert len(fake(deps).messages()) == 1


async def test_each_conversation_is_processed_in_arrival_order(deps, worker, processed):
    requests = [
        command("a1", user="UA"),
        command("b1", user="UB"),
        command("a2", user="UA"),
        message("Ev-c1", "c1"),
        command("b2", user="UB"),
        command("a3", user="UA"),
        message("Ev-c2", "c2"),
    ]
    await record(deps, *requests)
    await worker.drain()
    order = [getattr(r, "text", None) for r in processed]
    for conversation in (["a1", "a2", "a3"], ["b1", "b2"], ["c1", "c2"]):
        assert [text for text in order if text in conversation] == conversation
    assert len(order) == 7
    assert {r.status for r in fake(deps).state.inbox.values()} == {"done"}


async def test_a_request_left_working_by_a_dead_process_is_taken_over(deps, worker, processed):
    (row_id,) = await record(deps, command())
    async with deps.storage.transaction() as uow:
        await uow.inbox.take([row_id], owner="ghost", now=deps.now(), policy=deps.leases)
    await worker.drain()
    taken = fake(deps).state.inbox[row_id]
    assert (taken.status, taken.attempts) == ("done", 2)
    assert len(processed) == 1


async def test_a_request_being_processed_by_a_live_process_is_left_to_it(deps, worker, processed):
    (row_id,) = await record(deps, command())
    async with deps.storage.transaction() as uow:
        await uow.processes.beat("busy", host="h", pid=1, now=deps.now())
        await uow.inbox.take([row_id], owner="busy", now=deps.now(), policy=deps.leases)
    await worker.drain()
    assert fake(deps).state.inbox[row_id].status == "working" and processed == []
    deps.clock.advance(seconds=61)  # it stopped beating
    await worker.drain()
    assert fake(deps).state.inbox[row_id].status == "done"


async def test_wake_processes_new_requests_in_the_background(deps, worker, tasks, processed):
    await record(deps, command("one"))
    worker.wake()
    worker.wake()  # while a drain runs: it goes round once more, not twice at once
    await tasks.wait_idle(5)
    assert [r.text for r in processed] == ["one"]


async def test_a_failed_group_commit_fails_every_request_in_it(deps, writer, monkeypatch):
    async def broken(entries, now):
        raise RuntimeError("disk full")

    monkeypatch.setattr(fake(deps).uow.inbox, "add_many", broken)
    results = await asyncio.gather(
        writer.accept(command("a"), {}), writer.accept(command("b"), {}), return_exceptions=True
    )
    assert [str(r) for r in results] == ["disk full", "disk full"]
    monkeypatch.undo()
    assert await writer.accept(command("c"), {})  # the next batch is recorded
    assert [r.entry.conversation for r in fake(deps).state.inbox.values()] == ["user:U1"]
