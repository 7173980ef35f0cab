from datetime import UTC, datetime, timedelta

import pytest

from bot.core.records import AnswerIn
from bot.storage.sqlite.storage import SqliteStorage

from .store import Store

T0 = datetime(2024, 3, 4, 9, tzinfo=UTC)  # a Monday


@pytest.fixture
async def storage(tmp_path):
    opened = await SqliteStorage.open(tmp_path / "mlquiz.db")
    yield opened
    await opened.close()


@pytest.fixture
def db(storage):
    return storage.db


@pytest.fixture
def store(storage):
    return Store(storage)


async def channel_post(
    store,
    *,
    channel="C1",
    team="T1",
    opened=T0,
    difficulty="medium",
    question="q-pca",
    topics=("pca",),
    hours=8,
):
    return await store.posts.create(
        team,
        channel,
        question,
        kind="channel",
        opened_at=opened,
        deadline_at=opened + timedelta(hours=hours),
        difficulty=difficulty,
        topics=topics,
    )


def answer(post, user="U1", text="an answer", *, event=None, minutes=5, source="thread", ts=None):
    return AnswerIn(
        post.team_id,
        post.id,
        user,
        text,
        source,
        ts,
        event,
        post.opened_at + timedelta(minutes=minutes),
    )


def graded(score):
    return {"score": score, "key_points": [], "flags": []}
