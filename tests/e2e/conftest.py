"""End-to-end fixtures: the real app over signed HTTP against the local Slack stand-in."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from tests.e2e.harness import OfflineApp

START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)  # a Monday morning


class FakeClock:
    """Time travel for the app: tests move it, nothing sleeps."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


def e2e_settings(tmp_path, **overrides) -> Settings:
    values = {
        "database_path": tmp_path / "e2e.db",
        "slack_retry_backoff_seconds": 0.01,
        "slack_max_retries": 6,
        "scheduler_tick_seconds": 3600,
        "admin_user_ids": [],
        "_env_file": None,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sandbox(tmp_path, clock):
    """The app and a local workspace with ada (an admin), bayes and clara."""
    app = OfflineApp(e2e_settings(tmp_path), clock=clock, rng=random.Random(1))
    await app.start()
    try:
        yield app
        # Background work that failed is logged, never lost: no test may leave any.
        assert app.app.tasks.failures == 0, "a background task failed; see the log"
    finally:
        await app.stop()


@pytest.fixture
def users(sandbox):
    return [u.user_id for u in sandbox.users]
