"""Fixtures: a running stand-in, a client pointed at it, and a recording receiver app."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import SlackStandin
from slack_standin.driver import SlackDriver

SECRET = "standin-test-signing-secret"


@pytest.fixture
async def standin():
    async with SlackStandin(
        signing_secret=SECRET,
        users={
            "U1": {
                "name": "ada",
                "real_name": "Ada Lovelace",
                "tz": "Europe/Berlin",
                "is_admin": True,
            },
            "U2": {"name": "alan", "real_name": "Alan Turing", "tz": "America/New_York"},
        },
    ) as running:
        running.add_channel("C1", name="ml-daily")
        yield running


@pytest.fixture
async def client(standin):
    web_client = AsyncWebClient(token=standin.bot_token, base_url=standin.api_url)
    yield web_client
    if web_client.session is not None:
        await web_client.session.close()


@dataclass
class Received:
    headers: dict[str, str]
    body: str
    content_type: str
    # The exact bytes (the driver can send bodies that are not UTF-8).
    raw: bytes = b""

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body, keep_blank_values=True))

    def payload(self) -> dict[str, Any]:
        if self.content_type == "application/json":
            return json.loads(self.body)
        return json.loads(self.form()["payload"])


@dataclass
class Receiver:
    """A stand-in for the app: records each request and answers with `reply`."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    reply: tuple[int, str] = (200, "")

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        self.requests.append(
            Received(
                dict(request.headers),
                raw.decode("utf-8", errors="replace"),
                request.content_type,
                raw,
            )
        )
        status, body = self.reply
        content_type = "application/json" if body.startswith("{") else "text/plain"
        return web.Response(status=status, text=body, content_type=content_type)


@pytest.fixture
async def receiver():
    recorder = Receiver()
    app = web.Application()
    app.router.add_post("/slack/events", recorder.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    recorder.url = f"http://127.0.0.1:{port}/slack/events"
    yield recorder
    await runner.cleanup()


@pytest.fixture
async def driver(standin, receiver):
    async with SlackDriver(receiver.url, SECRET, standin=standin) as slack:
        yield slack
