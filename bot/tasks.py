"""Supervised background work: handlers ack Slack at once and hand slow work here."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("mlquiz.tasks")


class BackgroundTasks:
    """Tracks every task so shutdown can let in-flight work finish and tests can wait
    for it; failures are logged with the task's name rather than lost."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self.failures = 0

    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        self._idle.clear()
        task.add_done_callback(self._finished)
        return task

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
