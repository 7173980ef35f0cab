"""SlackStandin: a local Slack Web API on 127.0.0.1 that answers like Slack.

Point `AsyncWebClient(base_url=standin.api_url, token=standin.bot_token)` (or a Bolt
`AsyncApp`) at it, then read what the app did through the query helpers.
"""

from __future__ import annotations

import asyncio
import copy
import json
import socket
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from slack_standin.faults import Fault, FaultBook
from slack_standin.responses import ResponseTarget, ResponseUrls
from slack_standin.views import ViewStore
from slack_standin.webapi import METHODS, ApiState
from slack_standin.workspace import SlackError, Workspace

DEFAULT_BOT_TOKEN = "xoxb-0001-standin-bot-token"


class SlackStandin:
    def __init__(
        self,
        *,
        signing_secret: str,
        team_id: str = "T0001",
        bot_user_id: str = "UBOT",
        users: dict[str, dict[str, Any]] | None = None,
        bot_token: str = DEFAULT_BOT_TOKEN,
        trigger_ttl: float | None = 3.0,
    ) -> None:
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_token = bot_token
        self.trigger_ttl = trigger_ttl
        self._initial_users = copy.deepcopy(users or {})
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.faults = FaultBook()
        self._new_state()

    def _new_state(self) -> None:
        self.workspace = Workspace(
            team_id=self.team_id,
            bot_user_id=self.bot_user_id,
            users=copy.deepcopy(self._initial_users),
        )
        self.view_store = ViewStore(self.workspace, trigger_ttl=self.trigger_ttl)
        self._api = ApiState(self.workspace, self.view_store)
        self._responses = ResponseUrls()
        self.calls: list[tuple[str, dict[str, Any]]] = []

    # -- lifecycle --------------------------------------------------------------

    async def start(self) -> SlackStandin:
        if self._runner is not None:
            return self
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{token}", self._handle_response_url)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        # Bind the socket ourselves so we know the free port before anyone connects.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(runner, sock).start()
        self._runner = runner
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SlackStandin:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("call `await standin.start()` first")
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    # -- setting the scene ------------------------------------------------------

    def add_user(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Fields: name, real_name, display_name, tz, is_admin, is_owner, is_bot, deleted."""
        return copy.deepcopy(self.workspace.add_user(user_id, **fields))

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_private: bool | None = None,
        members: list[str] | set[str] | tuple[str, ...] | None = None,
        bot_is_member: bool = True,
    ) -> None:
        self.workspace.add_channel(
            channel_id,
            name=name,
            is_private=is_private,
            members=members,
            bot_is_member=bot_is_member,
        )

    def new_response_url(
        self,
        *,
        channel_id: str | None = None,
        user_id: str | None = None,
        message_ts: str | None = None,
        is_ephemeral: bool = False,
    ) -> str:
        token = self._responses.new(
            ResponseTarget(
                channel=channel_id, user=user_id, message_ts=message_ts, is_ephemeral=is_ephemeral
            )
        )
        return f"{self.base_url}/response/{token}"

    def new_trigger_id(self, user_id: str) -> str:
        """A trigger_id for views.open/push, valid once and for `trigger_ttl` seconds."""
        return self.view_store.issue_trigger(user_id)

    def post_as_user(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        thread_ts: str | None = None,
        ts: str | None = None,
        blocks: list[dict] | None = None,
    ) -> dict[str, Any]:
        """Record a message a person typed, as Slack would store it; returns it."""
        self.workspace.ensure_user(user)
        channel_id = self.workspace.channel_for_user_post(channel, user).id
        message = self.workspace.add_message(
            channel_id, user=user, text=text, thread_ts=thread_ts, ts=ts, blocks=blocks
        )
        return copy.deepcopy(message)

    # -- faults -----------------------------------------------------------------

    def inject_fault(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
        delay: float = 0.0,
        error: str | None = None,
    ) -> None:
        """The next `times` calls of `method` (or "response_url") fail.

        With no status, error or delay: HTTP 429 with `Retry-After: retry_after`.
        `status=500` (or any code) answers that status; `error="..."` answers HTTP 200
        `ok: false` with that error; `delay` alone answers normally after sleeping (with a
        status or error it is a slow failure).
        """
        if method not in METHODS and method != "response_url":
            # A typo here would silently test nothing.
            raise ValueError(f"no such method in the stand-in: {method!r}")
        self.faults.inject(
            method, status=status, retry_after=retry_after, times=times, delay=delay, error=error
        )

    def clear_faults(self) -> None:
        self.faults.clear()

    def reset(self) -> None:
        """Forget everything: messages, views, calls, faults (users given at start stay)."""
        self.faults.clear()
        self._new_state()

    # -- queries ----------------------------------------------------------------

    def messages(self, channel: str) -> list[dict[str, Any]]:
        return self.workspace.messages(channel)

    def thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        return self.workspace.thread(channel, ts)

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        try:
            return copy.deepcopy(self.workspace.find_message(channel, ts))
        except SlackError:
            return None

    def ephemerals(self, user: str | None = None, channel: str | None = None) -> list[dict]:
        return self.workspace.ephemerals(user=user, channel=channel)

    def dm_channel(self, user: str) -> str:
        self.workspace.ensure_user(user)
        return self.workspace.dm_channel(user)

    def home_view(self, user: str) -> dict[str, Any] | None:
        return self.view_store.home_view(user)

    def open_views(self, user: str) -> list[dict[str, Any]]:
        """The user's modal stack, bottom first (empty when no modal is open)."""
        return self.view_store.open_views(user)

    def views(self, user: str) -> list[dict[str, Any]]:
        """Same as `open_views` (the name docs/ARCHITECTURE.md uses)."""
        return self.open_views(user)

    def view(self, view_id: str) -> dict[str, Any] | None:
        return self.view_store.get(view_id)

    def reactions(self, channel: str, ts: str) -> list[dict[str, Any]]:
        return self.workspace.reactions(channel, ts)

    @property
    def responses(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self._responses.log)

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    # -- HTTP -------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await _read_params(request)
        except SlackError as exc:
            return _answer_error(exc)
        token = _bearer(request) or params.pop("token", None)
        params.pop("token", None)
        self.calls.append((method, copy.deepcopy(params)))

        fault = self.faults.take(method)
        if fault is not None:
            early = await _apply_fault(fault)
            if early is not None:
                return early
        if method not in METHODS:
            return web.json_response({"ok": False, "error": "unknown_method", "req_method": method})
        if not token:
            return web.json_response({"ok": False, "error": "not_authed"})
        if token != self.bot_token:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        try:
            body = METHODS[method](self._api, params)
        except SlackError as exc:
            return _answer_error(exc)
        return web.json_response({"ok": True, **body})

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        fault = self.faults.take("response_url")
        if fault is not None:
            early = await _apply_fault(fault)
            if early is not None:
                return early
        raw = await request.text()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = dict(parse_qsl(raw)) or None
        try:
            self._responses.handle(self.workspace, request.match_info["token"], payload)
        except SlackError as exc:
            status = 404 if exc.error in ("expired_url", "used_url") else 400
            return web.json_response({"ok": False, "error": exc.error, **exc.extra}, status=status)
        return web.json_response({"ok": True})


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return (value.strip() or None) if scheme.lower() == "bearer" else None


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Query string, then form or JSON body, merged as Slack does."""
    params: dict[str, Any] = dict(request.query)
    if request.method == "GET":
        return params
    content_type = request.content_type
    if content_type == "application/json":
        raw = await request.text()
        if raw.strip():
            try:
                body = json.loads(raw)
            except ValueError:
                raise SlackError("invalid_json") from None
            if not isinstance(body, dict):
                raise SlackError("json_not_object")
            params.update(body)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    else:
        raw = await request.text()
        params.update(parse_qsl(raw))
    return params


async def _apply_fault(fault: Fault) -> web.Response | None:
    if fault.delay:
        await asyncio.sleep(fault.delay)
    if fault.error is not None:
        return web.json_response({"ok": False, "error": fault.error})
    if fault.status is None:
        return None
    if fault.status == 429:
        return web.json_response(
            {"ok": False, "error": "ratelimited"},
            status=429,
            headers={"Retry-After": str(fault.retry_after)},
        )
    return web.json_response({"ok": False, "error": "fatal_error"}, status=fault.status)


def _answer_error(exc: SlackError) -> web.Response:
    # Slack answers method errors with HTTP 200 and ok:false.
    return web.json_response({"ok": False, "error": exc.error, **exc.extra})
