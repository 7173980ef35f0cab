"""Serve the Bolt app over HTTP (aiohttp) or Socket Mode, with graceful shutdown."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import signal
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.jobs.traffic import Traffic

log = logging.getLogger("mlquiz.server")


class _QuietMalformedHttp(logging.Filter):
    """aiohttp logs a request that is not even valid HTTP (a header with a newline in
    it, say) as an error with a traceback, after answering it 400; it is the sender's
    mistake, so it is kept as one plain line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, BadHttpMessage):
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = "malformed HTTP request refused: %s", (error.message,)
        return True


logging.getLogger("aiohttp.server").addFilter(_QuietMalformedHttp())
MAX_BODY_BYTES = 1_000_000  # Slack's own payloads stay far below this


_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
MAX_SIGNATURE_AGE_SECONDS = 300  # Slack's advice: refuse replays older than five minutes
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")
Health = Callable[[], Awaitable[bool]]


class BadRequest(Exception):
    """Not a Slack request we can read: answered 400 before any listener runs."""


def _refuse(status: int, error: str) -> web.Response:
    return web.json_response({"ok": False, "error": error}, status=status)


def verified(secret: bytes | None, body: bytes, headers: Mapping[str, str], now: float) -> bool:
    """Slack's signature (HMAC-SHA256 of `v0:<timestamp>:<body>`) over the exact bytes,
    checked before anything reads the body, within five minutes of its timestamp. A
    timestamp or signature that is not even well formed is a refusal, not a crash."""
    if secret is None:
        return True
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not _TIMESTAMP.match(timestamp) or not _SIGNATURE.match(signature):
        return False
    if abs(now - int(timestamp)) > MAX_SIGNATURE_AGE_SECONDS:
        return False
    expected = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return hmac.compare_digest("v0=" + expected.hexdigest(), signature)


def check_payload(body: bytes, content_type: str) -> dict[str, Any]:
    """The shapes Slack sends: a JSON object (events) or a form (commands; interactions,
    whose `payload` is a JSON object). Returned parsed: a JSON body as it is, a form as
    its fields."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("not_utf8") from None
    if content_type == "application/json":
        try:
            parsed = json.loads(text) if text.strip() else None
        except ValueError:
            raise BadRequest("invalid_json") from None
        if not isinstance(parsed, dict):
            raise BadRequest("json_not_object")
        return parsed
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in form:
        try:
            payload = json.loads(form["payload"])
        except ValueError:
            raise BadRequest("invalid_payload") from None
        if not isinstance(payload, dict):
            raise BadRequest("payload_not_object")
    return form


# The hot paths: a message event (every thread reply) or a slash command handed straight
# to its listener, given the parsed body and whether it was JSON. The answer is the ack's
# text ("" for a bare ack), or None when it is neither and Bolt dispatches the request.
FastEvents = Callable[[dict[str, Any], bool], Awaitable[str | None]]


def build_web_app(
    bolt: AsyncApp,
    *,
    signing_secret: str | None,
    health: Health | None = None,
    fast_events: FastEvents | None = None,
    traffic: Traffic | None = None,
) -> web.Application:
    """`POST /slack/events` and `GET /healthz`. Whatever arrives, the answer is 401
    (not signed by Slack), 400 (signed but unreadable) or Bolt's own; an unexpected
    failure of ours is logged without the request's text and answered 503, so Slack
    retries rather than losing it."""
    secret = signing_secret.encode() if signing_secret else None

    async def slack_events(request: web.Request) -> web.Response:
        if traffic is None:
            return await answer(request)
        # Counted so that background work gives way until Slack has its ack.
        traffic.arrived()
        try:
            return await answer(request)
        finally:
            traffic.answered()

    async def answer(request: web.Request) -> web.Response:
        try:
            body = await request.read()
        except web.HTTPException:
            raise
        except Exception:
            return _refuse(400, "unreadable_body")
        if not verified(secret, body, request.headers, time.time()):
            return _refuse(401, "invalid_signature")
        try:
            parsed = check_payload(body, request.content_type)
        except BadRequest as exc:
            log.warning("malformed Slack request: %s", exc)
            return _refuse(400, str(exc))
        try:
            # Bolt's dispatch costs about a millisecond of CPU a request; thread replies
            # arrive by the hundred, and their listener needs none of its machinery.
            if fast_events is not None:
                acked = await fast_events(parsed, request.content_type == "application/json")
                if acked == "":
                    return web.Response(status=200)
                if acked is not None:
                    return web.json_response({"text": acked})
            bolt_request = AsyncBoltRequest(
                body=body.decode("utf-8"),
                query=request.query_string,
                headers={k: list(request.headers.getall(k)) for k in request.headers},
            )
            bolt_response = await bolt.async_dispatch(bolt_request)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("malformed Slack request: %s", type(exc).__name__)
            return _refuse(400, "malformed_request")
        except Exception as exc:
            log.error("request failed: %s", type(exc).__name__)
            return _refuse(503, "try_again")
        if bolt_response.status >= 500:
            # A listener of ours failed (Bolt logged it): Slack should try again.
            return _refuse(503, "try_again")
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
        addresses = self._runner.addresses
        if addresses:
            self.port = int(addresses[0][1])
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
