"""Fixtures over the in-memory fakes (`tests.unit.fakes`): no I/O anywhere."""

from __future__ import annotations

import pytest

from bot.usecases.deps import Deps
from questionbank.loader import Bank
from tests.unit.fakes import (
    TEAM,
    FakeClock,
    FakeGateway,
    FakeSlack,
    FakeStorage,
    bundled_bank,
    make_deps,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def storage() -> FakeStorage:
    return FakeStorage()


@pytest.fixture
def slack() -> FakeSlack:
    return FakeSlack(TEAM)


@pytest.fixture
def gateway(slack: FakeSlack) -> FakeGateway:
    return slack.gateway_for(TEAM)


@pytest.fixture
def bank() -> Bank:
    return bundled_bank()


@pytest.fixture
def deps(storage: FakeStorage, slack: FakeSlack, clock: FakeClock) -> Deps:
    return make_deps(storage=storage, slack=slack, clock=clock)
