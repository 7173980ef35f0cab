"""Call hooks: run test code at an exact moment of a Web API call.

The crash tests kill the app between "Slack did it" and "the app heard back".  A hook runs
its callback inside the stand-in's request handler:

- `phase="after_effect"` (default): after the method's effect is applied (the message is
  stored) and before the HTTP answer is written.  It fires only for calls that succeed.
- `phase="before_effect"`: after the call is authenticated and before anything changes.

After the callback the stand-in answers if the caller is still connected.  With
`hang=True` it never answers (the caller sees a timeout) until `release()` or `stop()`;
with `drop=True` it closes the connection without an answer.

A hook fires for calls where `when(params)` is true, after skipping the first `skip` of
them, at most `times` times (`None`: every time).  `await hook.wait()` waits for it to fire,
so tests never sleep.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PHASES = ("before_effect", "after_effect")


@dataclass
class CallInfo:
    """What a hook's callback may look at (a callback may also take no argument)."""

    method: str
    params: dict[str, Any]
    phase: str
    # The success body for after_effect, None before the effect.
    result: dict[str, Any] | None = None


@dataclass(eq=False)
class CallHook:
    method: str
    callback: Callable[..., Any] | None
    when: Callable[[dict[str, Any]], bool] | None = None
    times: int | None = 1
    phase: str = "after_effect"
    hang: bool = False
    drop: bool = False
    skip: int = 0
    fired: int = 0
    matched: int = 0
    active: bool = True
    calls: list[CallInfo] = field(default_factory=list)
    error: Exception | None = None
    _fired_event: asyncio.Event | None = None

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"phase must be one of {PHASES}, not {self.phase!r}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None for every call)")
        if self.hang and self.drop:
            raise ValueError("a hook either hangs or drops the connection, not both")
        if self.skip < 0:
            raise ValueError("skip must not be negative")

    def _event(self) -> asyncio.Event:
        if self._fired_event is None:
            self._fired_event = asyncio.Event()
        return self._fired_event

    def matches(self, method: str, phase: str, params: dict[str, Any]) -> bool:
        """Whether this call fires the hook; counts the calls `when` lets through."""
        if not self.active or method != self.method or phase != self.phase:
            return False
        if self.when is not None and not self.when(params):
            return False
        self.matched += 1
        if self.matched <= self.skip:
            return False
        return self.times is None or self.fired < self.times

    async def run(self, info: CallInfo) -> None:
        self.fired += 1
        self.calls.append(info)
        if self.times is not None and self.fired >= self.times:
            self.active = False
        try:
            if self.callback is not None:
                result = self.callback(info) if _takes_argument(self.callback) else self.callback()
                if inspect.isawaitable(result):
                    await result
        except Exception as exc:
            # The call then fails with HTTP 500; `wait()` raises it in the test.
            self.error = exc
            raise
        finally:
            self._event().set()

    async def wait(self, timeout: float | None = 10.0) -> CallInfo:
        """Wait until the hook has fired (at least once); returns the latest call, or
        raises what the callback raised."""
        await asyncio.wait_for(self._event().wait(), timeout)
        if self.error is not None:
            raise self.error
        return self.calls[-1]

    def cancel(self) -> None:
        self.active = False


def _takes_argument(callback: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [
        p
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    return bool(positional) and (
        positional[0].kind == inspect.Parameter.VAR_POSITIONAL
        or positional[0].default is inspect.Parameter.empty
    )


class HookBook:
    def __init__(self) -> None:
        self.hooks: list[CallHook] = []

    def add(self, hook: CallHook) -> CallHook:
        self.hooks.append(hook)
        return hook

    def firing(self, method: str, phase: str, params: dict[str, Any]) -> list[CallHook]:
        return [h for h in self.hooks if h.matches(method, phase, params)]

    def clear(self) -> None:
        for hook in self.hooks:
            hook.cancel()
        self.hooks.clear()
