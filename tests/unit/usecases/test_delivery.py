"""What a message reaching Slack (or never reaching it) means for its question."""

from __future__ import annotations

import pytest

from bot.core.records import OutboxRow, Outgoing
from bot.usecases import delivery
from tests.unit.builders import CHANNEL, channel_post, fake
from tests.unit.fakes import T0, TEAM


def row(subject: str | None) -> OutboxRow:
    outgoing = Outgoing(team_id=TEAM, key="k", action="post", channel_id=CHANNEL, subject=subject)
    return OutboxRow(1, outgoing, "sending", 1, "me", T0, CHANNEL, None, None, T0)


async def test_a_sent_question_learns_where_it_is(deps):
    post = await channel_post(deps, posted=False)
    async with deps.storage.transaction() as uow:
        await delivery.message_sent(uow, row(f"post:{post.id}"), "C9", "1709.1")
    moved = fake(deps).state.posts[post.id]
    assert (moved.channel_id, moved.message_ts) == ("C9", "1709.1")


@pytest.mark.parametrize("subject", [None, "recap:1", "post:", "post:x1", "feedback:3"])
async def test_messages_about_no_post_change_no_post(deps, subject):
    post = await channel_post(deps, posted=False)
    async with deps.storage.transaction() as uow:
        await delivery.message_sent(uow, row(subject), "C9", "1709.1")
        await delivery.message_failed(uow, row(subject), "boom", deps.now())
    assert fake(deps).state.posts[post.id] == post


async def test_a_question_that_never_reached_slack_is_failed(deps):
    post = await channel_post(deps, posted=False)
    async with deps.storage.transaction() as uow:
        await delivery.message_failed(uow, row(f"post:{post.id}"), "channel_not_found", deps.now())
    failed = fake(deps).state.posts[post.id]
    assert failed.status == "failed" and failed.closed_at == deps.now()
    assert failed.error == (
        "2024-03-04T09:00:00.000000+00:00 the question was never posted (channel_not_found)"
    )


async def test_a_revealed_question_is_not_failed_afterwards(deps):
    post = await channel_post(deps)
    async with deps.storage.transaction() as uow:
        await uow.posts.mark_revealed(post.id, deps.now())
        await delivery.message_failed(uow, row(f"post:{post.id}"), "late", deps.now())
    assert fake(deps).state.posts[post.id].status == "revealed"
