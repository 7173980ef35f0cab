"""Everything a use case needs, built once by the composition root (`bot.bootstrap`)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.leases import LeasePolicy
from bot.core.records import Outgoing
from bot.ports.requests import ReplyTo
from bot.ports.slack import Gateways, Message
from bot.ports.storage import Storage, UnitOfWork
from questionbank.loader import Bank

Clock = Callable[[], datetime]
RESPONSE_URL_LIFETIME = timedelta(minutes=30)


@dataclass(frozen=True)
class Deps:
    storage: Storage
    slack: Gateways
    bank: Bank
    clock: Clock
    rng: random.Random = field(default_factory=random.Random)
    admin_user_ids: frozenset[str] = frozenset()
    leases: LeasePolicy = field(default_factory=LeasePolicy)
    owner: str = "local"  # this process, as holder of leases (see bot.jobs.liveness)
    # Hosts a response_url may point at: Slack's, and the Web API's (the stand-in).
    reply_hosts: frozenset[str] = frozenset({"hooks.slack.com"})

    def now(self) -> datetime:
        return self.clock()


def new_key(prefix: str) -> str:
    """A fresh outbox key for a message nothing else refers to (replies, notices)."""
    return f"{prefix}:{uuid.uuid4().hex}"


def reply_message(
    to: ReplyTo, message: Message, *, now: datetime, key: str | None = None
) -> Outgoing:
    key = key or new_key("reply")
    blocks = tuple(message.blocks)
    if to.response_url:
        return Outgoing(
            team_id=to.team_id,
            key=key,
            action="respond",
            text=message.text,
            blocks=blocks,
            url=to.response_url,
            user_id=to.user_id,
            # Slack honours a response_url for 30 minutes; after that, nobody is listening.
            expires_at=now + RESPONSE_URL_LIFETIME,
        )
    if to.channel_id and not to.channel_id.startswith("D"):
        return Outgoing(
            team_id=to.team_id,
            key=key,
            action="ephemeral",
            text=message.text,
            blocks=blocks,
            channel_id=to.channel_id,
            user_id=to.user_id,
        )
    return Outgoing(
        team_id=to.team_id,
        key=key,
        action="dm",
        text=message.text,
        blocks=blocks,
        user_id=to.user_id,
        channel_id=to.channel_id,
    )


async def reply_in(uow: UnitOfWork, to: ReplyTo, message: Message, now: datetime) -> None:
    """Answer inside the caller's transaction: sent once it commits."""
    await uow.outbox.add(reply_message(to, message, now=now), now)


async def reply(deps: Deps, to: ReplyTo, message: Message) -> None:
    """Answer on its own (nothing else to write)."""
    async with deps.storage.transaction() as uow:
        await reply_in(uow, to, message, deps.now())


def post_message(
    team_id: str,
    key: str,
    channel_id: str,
    message: Message,
    *,
    thread_ts: str | None = None,
    subject: str | None = None,
    expires_at: datetime | None = None,
) -> Outgoing:
    return Outgoing(
        team_id=team_id,
        key=key,
        action="post",
        text=message.text,
        blocks=tuple(message.blocks),
        channel_id=channel_id,
        thread_ts=thread_ts,
        subject=subject,
        expires_at=expires_at,
    )


def dm_message(
    team_id: str, key: str, user_id: str, message: Message, *, subject: str | None = None
) -> Outgoing:
    return Outgoing(
        team_id=team_id,
        key=key,
        action="dm",
        text=message.text,
        blocks=tuple(message.blocks),
        user_id=user_id,
        subject=subject,
    )


def update_message(team_id: str, key: str, channel_id: str, ts: str, message: Message) -> Outgoing:
    return Outgoing(
        team_id=team_id,
        key=key,
        action="update",
        text=message.text,
        blocks=tuple(message.blocks),
        channel_id=channel_id,
        target_ts=ts,
    )


def reaction(team_id: str, channel_id: str, ts: str, name: str) -> Outgoing:
    return Outgoing(
        team_id=team_id,
        key=f"react:{channel_id}:{ts}:{name}",
        action="react",
        channel_id=channel_id,
        target_ts=ts,
        reaction=name,
    )


def ephemeral_message(team_id: str, channel_id: str, user_id: str, message: Message) -> Outgoing:
    return Outgoing(
        team_id=team_id,
        key=new_key("ephemeral"),
        action="ephemeral",
        text=message.text,
        blocks=tuple(message.blocks),
        channel_id=channel_id,
        user_id=user_id,
    )
