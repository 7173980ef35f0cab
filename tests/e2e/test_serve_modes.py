"""`mlquiz serve` with Slack tokens: Socket Mode when SLACK_APP_TOKEN is set, else HTTP.

Real Slack is out of reach here, so the stand-in answers the Web API and Socket Mode's
websocket client is replaced by a recorder; what is checked is our wiring: which mode is
chosen, which token goes where, and that shutdown is clean."""

from __future__ import annotations

import asyncio

import aiohttp
from pydantic import SecretStr

from bot import bootstrap
from slack_standin.server import SlackStandin
from tests.e2e.conftest import e2e_settings


class RecordingSocketModeHandler:
    instances: list[RecordingSocketModeHandler] = []

    def __init__(self, app, app_token):
        self.app, self.app_token = app, app_token
        self.connected = self.closed = False
        RecordingSocketModeHandler.instances.append(self)

    async def connect_async(self):
        self.connected = True

    async def close_async(self):
        self.closed = True


async def test_socket_mode_is_used_when_an_app_token_is_set(tmp_path, monkeypatch):
    monkeypatch.setattr(bootstrap, "AsyncSocketModeHandler", RecordingSocketModeHandler)

    async def no_wait():
        return None

    monkeypatch.setattr(bootstrap, "wait_for_shutdown_signal", no_wait)
    async with SlackStandin(signing_secret="s3cret") as standin:
        settings = e2e_settings(
            tmp_path,
            slack_bot_token=SecretStr(standin.bot_token),
            slack_app_token=SecretStr("xapp-1-A0001-socket"),
            slack_api_url=standin.api_url,
        )
        await bootstrap.serve(settings, socket_mode=True)
    [handler] = RecordingSocketModeHandler.instances
    assert handler.app_token == "xapp-1-A0001-socket"
    assert handler.connected and handler.closed
    assert "auth.test" in [method for method, _ in standin.calls]


async def test_http_mode_serves_events_and_health_until_signalled(tmp_path, monkeypatch):
    stop = asyncio.Event()

    async def wait_for_test():
        await stop.wait()

    monkeypatch.setattr(bootstrap, "wait_for_shutdown_signal", wait_for_test)
    async with SlackStandin(signing_secret="s3cret") as standin:
        settings = e2e_settings(
            tmp_path,
            slack_bot_token=SecretStr(standin.bot_token),
            slack_signing_secret=SecretStr("s3cret"),
            slack_api_url=standin.api_url,
            port=0,
        )
        started: asyncio.Future = asyncio.get_running_loop().create_future()
        server = asyncio.create_task(
            bootstrap.serve(settings, socket_mode=False, on_started=started.set_result)
        )
        url = (await asyncio.wait_for(started, 30)).url
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{url}/healthz") as response:
                assert response.status == 200 and (await response.json())["ok"]
            async with session.post(f"{url}/slack/events", data="{}") as response:
                assert response.status == 401  # unsigned: refused
        stop.set()
        await asyncio.wait_for(server, 30)
