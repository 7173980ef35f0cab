"""Start-up problems end within seconds with one line naming the problem, exit
non-zero, and show no traceback (unless LOG_LEVEL=DEBUG)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from pathlib import Path

import pytest

from slack_standin.server import SlackStandin

MLQUIZ = Path(sys.executable).with_name("mlquiz")


async def run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str, float]:
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        str(MLQUIZ),
        *args,
        env={**os.environ, **env},
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), 20)
    except TimeoutError:
        process.kill()
        raise AssertionError("start-up hung instead of failing") from None
    return process.returncode or 0, (out + err).decode(), time.monotonic() - started


def serving_env(standin: SlackStandin, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": standin.bot_token,
        "SLACK_SIGNING_SECRET": "s3cret",
        "SLACK_API_URL": standin.api_url,
        "DATABASE_PATH": str(tmp_path / "ok.db"),
        "PORT": "0",
        "LOG_LEVEL": "INFO",
        **extra,
    }


def assert_one_clear_line(code: int, output: str, seconds: float, expected: str) -> None:
    assert code != 0, output
    assert seconds < 10, f"took {seconds:.1f}s"
    assert "Traceback" not in output, output
    [line] = [line for line in output.splitlines() if line.startswith("mlquiz: ")]
    assert expected in line, line


@pytest.fixture
async def standin():
    async with SlackStandin(signing_secret="s3cret") as running:
        yield running


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"SLACK_API_URL": "http://127.0.0.1:9/api/"}, "cannot reach Slack"),
        ({"SLACK_BOT_TOKEN": "xoxb-0000-wrong"}, "Slack refused SLACK_BOT_TOKEN (invalid_auth)"),
        ({"DATABASE_PATH": "/no/such/folder/x.db"}, "the folder /no/such/folder does not exist"),
    ],
)
async def test_serve_fails_fast_and_clearly(standin, tmp_path, override, expected):
    code, output, seconds = await run(
        ["serve"], serving_env(standin, tmp_path, **override), tmp_path
    )
    assert_one_clear_line(code, output, seconds, expected)


async def test_a_file_that_is_not_sqlite(standin, tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("these are not the pages of a database\n" * 200)
    env = serving_env(standin, tmp_path, DATABASE_PATH=str(bad))
    code, output, seconds = await run(["serve"], env, tmp_path)
    assert_one_clear_line(code, output, seconds, "is not a usable SQLite database")
    code, output, seconds = await run(["db", "stats", "--db", str(bad)], env, tmp_path)
    assert_one_clear_line(code, output, seconds, "is not a usable SQLite database")


async def test_a_port_already_in_use(standin, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = serving_env(standin, tmp_path, PORT=str(port))
        code, output, seconds = await run(["serve"], env, tmp_path)
    assert_one_clear_line(code, output, seconds, f"127.0.0.1:{port}: the port is already in use")


async def test_backup_into_a_missing_folder(standin, tmp_path):
    env = serving_env(standin, tmp_path)
    code, output, _ = await run(["db", "migrate"], env, tmp_path)
    assert code == 0, output
    target = tmp_path / "missing" / "copy.db"
    code, output, seconds = await run(["db", "backup", str(target)], env, tmp_path)
    assert_one_clear_line(code, output, seconds, f"the folder {target.parent} does not exist")


async def test_debug_logging_shows_the_traceback(standin, tmp_path):
    env = serving_env(standin, tmp_path, SLACK_BOT_TOKEN="xoxb-0000-wrong", LOG_LEVEL="DEBUG")
    code, output, _ = await run(["serve"], env, tmp_path)
    assert code != 0 and "Traceback" in output
