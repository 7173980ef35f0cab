"""How listeners hand a request over: durably recorded before Slack is answered."""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from typing import Any, Protocol

from bot.ports.requests import Request


class Intake(Protocol):
    async def accept(self, request: Request, payload: Mapping[str, Any]) -> bool:
        """Record `request` (decoded from the verified `payload`) for processing; False
        if it was recorded before (Slack retried it). Returns once it is durable."""
        ...


class Background(Protocol):
    """Work that must start now and cannot wait in the inbox (a modal's trigger lasts
    three seconds): run after the ack, supervised."""

    def spawn(
        self, coro: Coroutine[Any, Any, Any], *, name: str, urgent: bool = False
    ) -> object: ...
