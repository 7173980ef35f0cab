"""This process's heartbeat: what makes the leases and messages it holds its own.

Each serving process registers under a fresh owner id (host:pid:random) and beats
every few seconds. Work held by an owner that stopped beating, or that stopped
cleanly, is taken over by the next process that looks. At start-up, owners on this
host whose pid no longer runs are marked stopped at once, so a restart after a crash
resumes their work immediately instead of waiting out the staleness window."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from contextlib import suppress

from bot.core.leases import HEARTBEAT_EVERY
from bot.usecases.deps import Deps

log = logging.getLogger("mlquiz.liveness")


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive, just not ours to signal
    return True


class Liveness:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.host = socket.gethostname()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.beat()
        async with self.deps.storage.transaction() as uow:
            for owner, pid in await uow.processes.running_on(self.host):
                if owner != self.deps.owner and not pid_alive(pid):
                    log.info("process %s is gone; its work is taken over", owner)
                    await uow.processes.stopped(owner, self.deps.now())
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="heartbeat")

    async def beat(self) -> None:
        async with self.deps.storage.transaction() as uow:
            await uow.processes.beat(
                self.deps.owner, host=self.host, pid=os.getpid(), now=self.deps.now()
            )

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_EVERY.total_seconds())
            try:
                await self.beat()
            except Exception:
                log.exception("heartbeat failed")

    async def stop(self) -> None:
        """A clean stop: what this process held is free for the others at once."""
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
        with suppress(Exception):
            async with self.deps.storage.transaction() as uow:
                await uow.processes.stopped(self.deps.owner, self.deps.now())
