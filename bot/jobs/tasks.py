"""Supervised background work: handlers ack Slack at once and hand slow work here."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("mlquiz.tasks")


DEFAULT_RUNNING = 8


class BackgroundTasks:
    """Tracks every task so shutdown can let in-flight work finish and tests can wait
    for it; failures are logged with the task's name rather than lost.

    At most `max_running` run at once; the rest wait their turn in order. On one event
    loop, every running task's slices queue in front of the next ack, so a burst of
    fifty commands would otherwise slow every ack in the burst, and Slack gives acks
    three seconds while the follow-up message can come a moment later."""

    def __init__(self, max_running: int = DEFAULT_RUNNING) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._slots = asyncio.Semaphore(max_running)
        self.failures = 0

    def spawn(
        self, coro: Coroutine[Any, Any, Any], *, name: str, urgent: bool = False
    ) -> asyncio.Task[Any]:
        """`urgent` work skips the queue: opening a modal must use its trigger within
        three seconds even while every slot waits out a rate limit."""
        work = coro if urgent else self._in_turn(coro)
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        self._idle.clear()
        task.add_done_callback(self._finished)
        return task

    async def _in_turn(self, coro: Coroutine[Any, Any, Any]) -> Any:
        async with self._slots:
            return await coro

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.failures += 1
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())
        if not self._tasks:
            self._idle.set()

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until no task is running (tasks may spawn further tasks)."""
        async with asyncio.timeout(timeout):
            while self._tasks:
                await self._idle.wait()
                await asyncio.sleep(0)

    async def drain(self, timeout: float) -> None:
        try:
            await self.wait_idle(timeout)
        except TimeoutError:
            log.warning("cancelling %d background tasks at shutdown", len(self._tasks))
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
