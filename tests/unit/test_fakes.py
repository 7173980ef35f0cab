"""The fakes keep the promises of the real ports the use cases rely on."""

from __future__ import annotations

import inspect
import typing
from datetime import timedelta
from typing import Any

import pytest

from bot.core.leases import LeasePolicy
from bot.core.records import InboxEntry, Outgoing
from bot.ports import storage as ports
from bot.ports.slack import Gateways, Message, Responder, SlackGateway, Undeliverable
from tests.unit.fakes import (
    T0,
    TEAM,
    FakeGateway,
    FakePanels,
    FakeResponder,
    FakeSlack,
    FakeStorage,
    FakeUnitOfWork,
    State,
)


def note(key: str) -> Outgoing:
    return Outgoing(team_id=TEAM, key=key, action="post", channel_id="C1", text=key)


async def test_a_transaction_that_raises_leaves_nothing_behind():
    storage = FakeStorage()
    with pytest.raises(RuntimeError):
        async with storage.transaction() as uow:
            await uow.outbox.add(note("a"), T0)
            await uow.users.upsert(TEAM, "U1", now=T0)
            raise RuntimeError("boom")
    assert storage.messages() == []
    assert storage.state.users == {} and storage.state.workspaces == {}
    assert (storage.transactions, storage.rollbacks) == (0, 1)


async def test_a_nested_failure_rolls_back_only_its_own_part():
    storage = FakeStorage()
    async with storage.transaction() as uow:
        await uow.outbox.add(note("kept"), T0)
        with pytest.raises(RuntimeError):
            async with storage.transaction() as inner:
                await inner.outbox.add(note("dropped"), T0)
                raise RuntimeError
    assert [m.key for m in storage.messages()] == ["kept"]


async def test_listeners_hear_new_messages_after_commit_only():
    storage = FakeStorage()
    heard: list[list[int]] = []
    storage.on_new_messages(heard.append)
    async with storage.transaction() as uow:
        first = await uow.outbox.add(note("a"), T0)
        assert await uow.outbox.add(note("a"), T0) == first  # same key, same message
        second = await uow.outbox.add(note("b"), T0)
        assert heard == []
    assert heard == [[first, second]]
    with pytest.raises(RuntimeError):
        async with storage.transaction() as uow:
            await uow.outbox.add(note("c"), T0)
            raise RuntimeError
    assert heard == [[first, second]]


async def test_processing_marks_the_request_done_with_its_first_outgoing_message():
    storage = FakeStorage()
    async with storage.transaction() as uow:
        (row_id,) = await uow.inbox.add_many(
            [InboxEntry(TEAM, "command", None, "u", "{}", "{}")], T0
        )
    assert row_id is not None
    with storage.processing(row_id, lambda: T0) as receipt:
        async with storage.transaction() as uow:
            await uow.users.upsert(TEAM, "U1", now=T0)
        assert storage.state.inbox[row_id].status == "pending"
        async with storage.transaction() as uow:
            await uow.outbox.add(note("reply"), T0)
        assert receipt.done
    assert storage.state.inbox[row_id].status == "done"


async def test_a_lease_is_retaken_only_when_failed_or_held_by_the_dead():
    storage = FakeStorage()
    policy = LeasePolicy(stale_after=timedelta(seconds=60), max_attempts=2)
    leases, processes = storage.uow.leases, storage.uow.processes
    await processes.beat("alive", host="h", pid=1, now=T0)
    take: dict[str, Any] = dict(team_id=TEAM, kind="post", now=T0, policy=policy)
    assert await leases.take("k", owner="alive", **take)
    assert not await leases.take("k", owner="other", **take)  # its holder beats
    later: dict[str, Any] = dict(take, now=T0 + timedelta(seconds=61))
    assert await leases.take("k", owner="other", **later)  # the holder went silent
    assert await leases.finish("k", owner="other", now=T0, error="boom")
    assert not await leases.take("k", owner="third", **later)  # no attempts left
    lease = await leases.get("k")
    assert lease is not None and (lease.status, lease.attempts, lease.last_error) == (
        "failed",
        2,
        "boom",
    )


async def test_gateway_records_calls_and_fails_on_request():
    gateway = FakeGateway()
    posted = await gateway.post("C1", Message("hi"), metadata={"key": "k1"})
    gateway.fail("open_dm", Undeliverable("user_not_found"))
    with pytest.raises(Undeliverable):
        await gateway.open_dm("U1")
    assert [call.method for call in gateway.calls] == ["post", "open_dm"]
    found = await gateway.find_by_key("C1", "k1")
    assert found is not None and found.ts == posted.ts
    assert await gateway.find_by_key("C2", "k1") is None


def noted(_message_id: int) -> None:
    return None


def test_every_fake_stands_where_its_port_is_expected():
    """mypy checks these assignments (this file and the fakes are in its `files`)."""
    state = State()
    panels: ports.PanelRepository = FakePanels(state)
    uow: ports.UnitOfWork = FakeUnitOfWork(state, noted)
    storage: ports.Storage = FakeStorage()
    gateway: SlackGateway = FakeGateway()
    gateways: Gateways = FakeSlack()
    responder: Responder = FakeResponder()
    assert all((panels, uow, storage, gateway, gateways, responder))


def protocol_methods(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }


def parameters(signature: inspect.Signature) -> list[tuple[str, Any, bool]]:
    return [
        (p.name, p.kind, p.default is inspect.Parameter.empty)
        for p in signature.parameters.values()
    ]


REPOSITORIES = sorted(n for n, v in vars(ports.UnitOfWork).items() if isinstance(v, property))


@pytest.mark.parametrize("name", REPOSITORIES)
def test_each_fake_repository_has_every_method_of_its_port(name):
    """The same at run time, with the parameters' names, kinds and defaults: a method
    missing from a fake, or taking its arguments otherwise, fails here."""
    port = typing.get_type_hints(vars(ports.UnitOfWork)[name].fget, vars(ports))["return"]
    fake_repository = getattr(FakeUnitOfWork(State(), noted), name)
    for method, signature in protocol_methods(port).items():
        implemented = getattr(fake_repository, method, None)
        assert implemented is not None, f"{type(fake_repository).__name__}.{method} is missing"
        assert inspect.iscoroutinefunction(implemented), method
        mine = parameters(inspect.signature(implemented))
        assert mine == parameters(signature)[1:], f"{name}.{method}"
