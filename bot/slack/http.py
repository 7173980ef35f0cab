"""Serve the Bolt app over HTTP (aiohttp) or Socket Mode, with graceful shutdown."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from contextlib import suppress

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

log = logging.getLogger("mlquiz.server")
MAX_BODY_BYTES = 1_000_000  # Slack's own payloads stay far below this


def build_web_app(bolt: AsyncApp, *, health=None) -> web.Application:
    async def slack_events(request: web.Request) -> web.Response:
        try:
            bolt_request = await to_bolt_request(request)
            bolt_response = await bolt.async_dispatch(bolt_request)
        except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
            # A malformed payload is the sender's problem: a 400, never a crash.
            log.warning("malformed Slack request: %s", type(exc).__name__)
            return web.json_response({"ok": False, "error": "malformed_request"}, status=400)
        return await to_aiohttp_response(bolt_response)

    async def healthz(_request: web.Request) -> web.Response:
        ok = await health() if health else True
        return web.json_response({"ok": ok}, status=200 if ok else 503)

    web_app = web.Application(client_max_size=MAX_BODY_BYTES)
    web_app.router.add_post("/slack/events", slack_events)
    web_app.router.add_get("/healthz", healthz)
    return web_app


class HttpServer:
    def __init__(self, web_app: web.Application, *, host: str, port: int) -> None:
        self._runner = web.AppRunner(web_app, access_log=None)
        self.host, self.port = host, port

    async def start(self) -> str:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        # Port 0 asks the OS for a free port; report the one we got.
        self.port = site._server.sockets[0].getsockname()[1]
        return f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        await self._runner.cleanup()


async def wait_for_shutdown_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
