"""Acks first: background work waits for a quiet moment, and never for ever."""

from __future__ import annotations

import asyncio

import pytest

from bot.jobs import inbox
from bot.jobs.inbox import PRESSED_BATCH, InboxWorker
from bot.jobs.tasks import BackgroundTasks
from bot.jobs.traffic import NoTraffic, Traffic
from bot.ports.requests import SlashCommand
from tests.unit.builders import CHANNEL, USER, fake, reply_to
from tests.unit.fakes import TEAM


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_quiet_needs_no_request_in_flight_and_a_moment_without_any():
    clock = Clock()
    traffic = Traffic(settle=0.01, clock=clock)
    assert traffic.quiet()  # nothing ever arrived
    traffic.arrived()
    clock.now += 1
    assert not traffic.quiet()  # still being answered, however long it takes
    traffic.answered()
    assert not traffic.quiet()  # answered just now: its client may send the next one
    clock.now += 0.009
    assert not traffic.quiet()
    clock.now += 0.002
    assert traffic.quiet()


def test_answering_more_than_arrived_never_goes_below_zero():
    traffic = Traffic(settle=0)
    traffic.answered()
    traffic.arrived()
    assert traffic.in_flight == 1


async def test_a_turn_is_given_at_once_when_quiet():
    turn = await Traffic().turn()
    assert not turn.pressed and turn.limit(32, 4) == 32


async def test_a_turn_waits_for_the_answer_then_the_moment():
    traffic = Traffic(settle=0.005, max_wait=5, poll=0.001)
    traffic.arrived()
    waiting = asyncio.ensure_future(traffic.turn())
    await asyncio.sleep(0.02)
    assert not waiting.done()  # the request is not answered yet
    traffic.answered()
    turn = await asyncio.wait_for(waiting, 2)
    assert not turn.pressed


async def test_a_long_burst_still_gives_a_small_turn_after_max_wait():
    traffic = Traffic(settle=0.005, max_wait=0.02, poll=0.001)
    traffic.arrived()  # and never answered: a burst that does not end
    turn = await asyncio.wait_for(traffic.turn(), 2)
    assert turn.pressed and turn.limit(32, 4) == 4


async def test_no_traffic_never_waits():
    traffic = NoTraffic()
    traffic.arrived()
    assert not (await traffic.turn()).pressed
    await asyncio.wait_for(traffic.give_way(), 1)


# -- the inbox worker gives way ------------------------------------------------------------


@pytest.fixture
def processed(monkeypatch):
    seen = []

    async def process(deps, request):
        seen.append(request.text)

    monkeypatch.setattr(inbox.inbound, "process", process)
    return seen


async def record(deps, count):
    async with deps.storage.transaction() as uow:
        return await uow.inbox.add_many(
            [
                inbox.entry_for(
                    SlashCommand(TEAM, USER, CHANNEL, f"c{n}", reply_to(USER)), {"n": n}
                )
                for n in range(count)
            ],
            deps.now(),
        )


async def test_while_requests_wait_for_acks_the_worker_waits(deps, processed):
    traffic = Traffic(settle=0.001, max_wait=30, poll=0.001)
    worker = InboxWorker(deps, BackgroundTasks(), traffic=traffic)
    await record(deps, 3)
    traffic.arrived()
    draining = asyncio.ensure_future(worker.drain())
    await asyncio.sleep(0.03)
    assert processed == []  # nothing ran while a request was in flight
    traffic.answered()
    await asyncio.wait_for(draining, 5)
    assert processed == ["c0", "c1", "c2"]
    assert {r.status for r in fake(deps).state.inbox.values()} == {"done"}


async def test_under_a_burst_that_does_not_end_the_worker_still_progresses(deps, processed):
    traffic = Traffic(settle=0.001, max_wait=0.01, poll=0.001)
    worker = InboxWorker(deps, BackgroundTasks(), traffic=traffic)
    await record(deps, PRESSED_BATCH * 2 + 1)
    traffic.arrived()  # never answered
    await asyncio.wait_for(worker.drain(), 10)
    assert processed == [f"c{n}" for n in range(PRESSED_BATCH * 2 + 1)]
