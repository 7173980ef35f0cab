"""A real `mlquiz serve` process against the stand-in, killed with SIGKILL on cue.

The stand-in runs in the test process; the app is a subprocess serving HTTP on a fixed
loopback port with a database file that outlives it, so a restart finds what the
killed process left. Time is the process's wall clock moved by CLOCK_OFFSET_SECONDS."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.storage.sqlite.storage import SqliteStorage
from slack_standin.harness import LocalWorkspace, Person

MLQUIZ = Path(sys.executable).with_name("mlquiz")
CHANNEL = "C0CRASH"
PEOPLE = [Person("U0ADMIN", "admin", "UTC", is_admin=True)] + [
    Person(f"U{n:04d}", f"user{n}", "UTC") for n in range(1, 201)
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AppProcess:
    def __init__(self, workspace: LocalWorkspace, tmp_path: Path) -> None:
        self.workspace = workspace
        self.db_path = tmp_path / "crash.db"
        self.log_path = tmp_path / "app.log"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0
        self.offset = 0.0

    def at(self, moment: datetime) -> None:
        """Run the next start as if it were `moment` now."""
        self.offset = (moment - datetime.now(UTC)).total_seconds()

    async def start(self, *, healthy: bool = True) -> None:
        """Start `mlquiz serve`; with `healthy`, wait until it answers /healthz."""
        link = self.workspace.connection()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": link.bot_token,
            "SLACK_SIGNING_SECRET": link.signing_secret,
            "SLACK_API_URL": link.api_url,
            "DATABASE_PATH": str(self.db_path),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "ADMIN_USER_IDS": "U0ADMIN",
            "SCHEDULER_TICK_SECONDS": "0.3",
            "SLACK_RETRY_BACKOFF_SECONDS": "0.05",
            "CLOCK_OFFSET_SECONDS": str(self.offset),
            "LOG_LEVEL": "INFO",
        }
        env.pop("SLACK_APP_TOKEN", None)
        log = open(self.log_path, "a")  # noqa: SIM115, ASYNC230 - the child writes to it
        log.write(f"\n=== start {self.starts + 1}\n")
        log.flush()
        self.process = await asyncio.create_subprocess_exec(
            str(MLQUIZ), "serve", env=env, stdout=log, stderr=log, cwd=self.db_path.parent
        )
        log.close()
        self.starts += 1
        if healthy:
            await self._wait_healthy()
        await self.workspace.attach(self.url)

    async def _wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        async with aiohttp.ClientSession() as session:
            while asyncio.get_running_loop().time() < deadline:
                assert self.process is not None and self.process.returncode is None, self.log()
                try:
                    async with session.get(f"{self.url}/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
        raise AssertionError("the app did not become healthy:\n" + self.log())

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, nothing the app can do about it."""
        if self.process is not None and self.process.returncode is None:
            os.kill(self.process.pid, signal.SIGKILL)

    async def killed(self) -> None:
        self.kill()
        if self.process is not None:
            await self.process.wait()

    async def restart(self) -> None:
        await self.killed()
        await self.start()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.kill()
                await self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    async def storage(self) -> SqliteStorage:
        """The app's database, opened alongside it (WAL allows a second reader)."""
        return await SqliteStorage.open(self.db_path, migrate=False)


async def eventually(check, *, timeout: float = 30.0, interval: float = 0.1):
    """Wait until `check()` (sync or async) returns something true; return it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {check}")
        await asyncio.sleep(interval)


@pytest.fixture
async def workspace() -> AsyncIterator[LocalWorkspace]:
    local = LocalWorkspace(PEOPLE, channel_id=CHANNEL, channel_name="crash-tests")
    await local.start()
    yield local
    await local.stop()


@pytest.fixture
async def app(workspace, tmp_path) -> AsyncIterator[AppProcess]:
    process = AppProcess(workspace, tmp_path)
    yield process
    await process.stop()
    assert "Traceback" not in process.log(), process.log()
