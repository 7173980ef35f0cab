"""SlackStandin: a local Slack Web API on 127.0.0.1 that answers like Slack.

Point `AsyncWebClient(base_url=standin.api_url, token=standin.bot_token)` (or a Bolt
`AsyncApp`) at it, then read what the app did through the query helpers.
"""

from __future__ import annotations

import asyncio
import copy
import json
import socket
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlparse

from aiohttp import web

from slack_standin.faults import Fault, FaultBook
from slack_standin.hooks import CallHook, CallInfo, HookBook
from slack_standin.ids import StandinClock
from slack_standin.responses import TTL_SECONDS, ResponseTarget, ResponseUrls
from slack_standin.views import ViewStore
from slack_standin.webapi import DM_METHODS, METHODS, ApiState
from slack_standin.workspace import SlackError, Workspace

DEFAULT_BOT_TOKEN = "xoxb-0001-standin-bot-token"


@dataclass
class CallRecord:
    """One Web API call as the stand-in saw it: what came in and how it was answered."""

    method: str
    params: dict[str, Any]
    # The JSON answer (None while unanswered, and for a hung or dropped call).
    response: dict[str, Any] | None = None
    status: int | None = None
    # False when a hook hung or dropped the call: the app never heard back.
    answered: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.response and self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return None if self.response is None else self.response.get("error")


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
        response_url_ttl: float | None = TTL_SECONDS,
        history_page_cap: int | None = None,
    ) -> None:
        """`history_page_cap` caps conversations.history/replies pages (default and maximum
        limit) the way Slack does for commercially distributed non-Marketplace apps since
        2025 (15); None keeps the documented limits for internal apps."""
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_token = bot_token
        self.trigger_ttl = trigger_ttl
        self.response_url_ttl = response_url_ttl
        self.history_page_cap = history_page_cap
        self._initial_users = copy.deepcopy(users or {})
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.faults = FaultBook()
        self.hooks = HookBook()
        self.clock = StandinClock()
        self._release = asyncio.Event()
        self._new_state()

    def _new_state(self) -> None:
        self.workspace = Workspace(
            team_id=self.team_id,
            bot_user_id=self.bot_user_id,
            users=copy.deepcopy(self._initial_users),
        )
        self.view_store = ViewStore(self.workspace, trigger_ttl=self.trigger_ttl, clock=self.clock)
        self._api = ApiState(
            self.workspace, self.view_store, history_page_cap=self.history_page_cap
        )
        self._responses = ResponseUrls(clock=self.clock, ttl=self.response_url_ttl)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.records: list[CallRecord] = []

    # -- lifecycle --------------------------------------------------------------

    async def start(self) -> SlackStandin:
        if self._runner is not None:
            return self
        self._release = asyncio.Event()
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
        # Hung calls answer now, so shutting down never waits on them.
        self._release.set()
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
        """Fields: name, real_name, display_name, tz, is_admin, is_owner, is_bot, deleted.

        `deleted=True` is a deactivated account: users.info/users.list say `deleted: true`
        and conversations.open answers `user_not_found`.  `is_bot=True` is a bot user:
        conversations.open answers `cannot_dm_bot`."""
        return copy.deepcopy(self.workspace.add_user(user_id, **fields))

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_private: bool | None = None,
        members: list[str] | set[str] | tuple[str, ...] | None = None,
        bot_is_member: bool = True,
        is_archived: bool = False,
    ) -> None:
        self.workspace.add_channel(
            channel_id,
            name=name,
            is_private=is_private,
            members=members,
            bot_is_member=bot_is_member,
            is_archived=is_archived,
        )

    def archive_channel(self, channel_id: str) -> None:
        """Archive a channel as a person would (posting to it then fails with is_archived)."""
        self.workspace.conversation(channel_id).is_archived = True

    def restrict_channel_creation(self, *, private: bool = True, public: bool = False) -> None:
        """Make the workspace refuse conversations.create with `restricted_action` for
        private channels (default) and/or public ones; call with both False to lift it."""
        self.workspace.forbid_private_channels = private
        self.workspace.forbid_public_channels = public

    def fail_dms(
        self,
        user_id: str,
        error: str = "account_inactive",
        *,
        times: int | None = None,
        methods: Iterable[str] = DM_METHODS,
    ) -> None:
        """Make DMs to one user fail with `error` (`account_inactive`, `user_disabled`, ...).

        Applies to conversations.open naming the user (alone or in a group DM) and to
        chat.postMessage into their DM or a group DM with them, or the `methods` given;
        `times=None` fails every call, a number only the next ones.  Nothing is changed by
        a failed call."""
        methods = frozenset(methods)
        unknown = methods - set(METHODS)
        if unknown:
            raise ValueError(f"no such method in the stand-in: {sorted(unknown)}")
        self.workspace.fail_dms(user_id, error, times=times, methods=methods)

    def clear_dm_failures(self, user_id: str | None = None) -> None:
        if user_id is None:
            self.workspace.dm_faults.clear()
        else:
            self.workspace.dm_faults.pop(user_id, None)

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

    def advance_clock(self, seconds: float) -> None:
        """Move the stand-in's clock forward: trigger ids and response URLs age by `seconds`
        (message timestamps keep following the wall clock)."""
        self.clock.advance(seconds)

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

    # -- faults and hooks -------------------------------------------------------------

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
        self._check_method(method, allow_response_url=True)
        self.faults.inject(
            method, status=status, retry_after=retry_after, times=times, delay=delay, error=error
        )

    def clear_faults(self) -> None:
        self.faults.clear()

    def on_call(
        self,
        method: str,
        callback: Callable[..., Any] | None = None,
        *,
        when: Callable[[dict[str, Any]], bool] | None = None,
        times: int | None = 1,
        phase: str = "after_effect",
        hang: bool = False,
        drop: bool = False,
        skip: int = 0,
    ) -> CallHook:
        """Run `callback` at an exact moment of a call of `method` (see slack_standin.hooks).

        `callback()` (or `callback(call_info)`, sync or async) runs after the effect is
        applied and before the answer is written (`phase="after_effect"`, successful calls
        only) or before anything is applied (`phase="before_effect"`).  `when(params)`
        picks the calls, `skip` passes over the first matching ones, `times` limits the
        firings (None: unlimited).  `hang=True` never answers (the caller times out),
        `drop=True` closes the connection unanswered.  Returns the hook:
        `await hook.wait()` until it fires, `hook.fired`, `hook.cancel()`."""
        self._check_method(method)
        hook = CallHook(
            method=method,
            callback=callback,
            when=when,
            times=times,
            phase=phase,
            hang=hang,
            drop=drop,
            skip=skip,
        )
        return self.hooks.add(hook)

    def release(self) -> None:
        """Let every call a hook hung so far answer now (if its caller is still there);
        hooks that hang later hang again."""
        self._release.set()
        self._release = asyncio.Event()

    def clear_hooks(self) -> None:
        self.hooks.clear()

    def reset(self) -> None:
        """Forget everything: messages, views, calls, faults, hooks (users given at start
        stay)."""
        self.faults.clear()
        self.hooks.clear()
        self._new_state()

    @staticmethod
    def _check_method(method: str, *, allow_response_url: bool = False) -> None:
        if method not in METHODS and not (allow_response_url and method == "response_url"):
            # A typo here would silently test nothing.
            raise ValueError(f"no such method in the stand-in: {method!r}")

    # -- queries ----------------------------------------------------------------

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Top-level messages, oldest first, each with its `metadata` when it has some."""
        return self.workspace.messages(channel)

    def thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        return self.workspace.thread(channel, ts)

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        try:
            return copy.deepcopy(self.workspace.find_message(channel, ts))
        except SlackError:
            return None

    def metadata(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The message's metadata ({"event_type", "event_payload"}), None without any."""
        message = self.message(channel, ts)
        return None if message is None else message.get("metadata")

    def ephemerals(self, user: str | None = None, channel: str | None = None) -> list[dict]:
        return self.workspace.ephemerals(user=user, channel=channel)

    def dm_channel(self, user: str) -> str:
        self.workspace.ensure_user(user)
        return self.workspace.dm_channel(user)

    def channel_info(self, channel: str) -> dict[str, Any] | None:
        """What conversations.info would say of a conversation (plus its `members`), or None
        when there is none; finds channels the app created by id or by name."""
        try:
            found = self.workspace.channel(channel)
        except SlackError:
            return None
        info = self.workspace.describe(found, num_members=True)
        info["members"] = self.workspace.member_ids(found)
        return info

    def members(self, channel: str) -> list[str]:
        info = self.channel_info(channel)
        return [] if info is None else info["members"]

    def is_dm(self, channel: Any) -> bool:
        """Whether a `channel` argument names a DM or group DM (a user id counts: posting to
        it posts to the DM).  Handy as `when=lambda p: standin.is_dm(p.get("channel"))`."""
        if not isinstance(channel, str) or not channel:
            return False
        if channel[:1] in "UW" and channel in self.workspace.users:
            return True
        found = self.workspace.channels.get(channel)
        return found is not None and found.is_dm

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
        """Every accepted POST to a response URL, in order."""
        return copy.deepcopy(self._responses.log)

    def responses_to(self, url: str) -> list[dict[str, Any]]:
        """The payloads the app POSTed to one response URL and Slack accepted."""
        token = _response_token(url)
        return [copy.deepcopy(r["payload"]) for r in self._responses.log if r["token"] == token]

    def response_attempts(self, url: str) -> list[dict[str, Any]]:
        """Every POST to one response URL, refused ones too: {"payload", "status", "error"}."""
        target = self._responses.targets.get(_response_token(url))
        return copy.deepcopy(target.attempts) if target else []

    def response_url_uses(self, url: str) -> int:
        target = self._responses.targets.get(_response_token(url))
        return target.uses if target else 0

    def calls_to(self, method: str, *, channel: str | None = None) -> list[dict[str, Any]]:
        """The params of every call of `method`; with `channel`, only calls to it (a user id
        and their DM id name the same conversation)."""
        wanted = None if channel is None else self._channel_key(channel)
        return [
            params
            for name, params in self.calls
            if name == method and (wanted is None or self._channel_key(params) == wanted)
        ]

    def call_count(self, method: str, *, channel: str | None = None) -> int:
        return len(self.calls_to(method, channel=channel))

    def call_counts(self) -> Counter[str]:
        """How many calls each method got."""
        return Counter(name for name, _ in self.calls)

    def calls_per_channel(self, method: str) -> Counter[str]:
        """How many calls of `method` went to each conversation (DMs by their D id)."""
        return Counter(
            self._channel_key(params) or "" for name, params in self.calls if name == method
        )

    def _channel_key(self, ref: Any) -> str | None:
        if isinstance(ref, dict):
            ref = ref.get("channel")
        if not isinstance(ref, str) or not ref:
            return None
        ws = self.workspace
        if ref in ws.channels:
            return ref
        if ref[:1] in "UW" and ref in ws.users:
            return "D" + ref[1:]
        name = ref.removeprefix("#")
        for channel in ws.channels.values():
            if not channel.is_dm and channel.name == name:
                return channel.id
        return ref

    # -- HTTP -------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        try:
            params = await _read_params(request)
        except SlackError as exc:
            return _answer_error(exc)
        token = _bearer(request) or params.pop("token", None)
        params.pop("token", None)
        self.calls.append((method, copy.deepcopy(params)))
        record = CallRecord(method=method, params=copy.deepcopy(params))
        self.records.append(record)

        fault = self.faults.take(method)
        if fault is not None:
            faulted = await _apply_fault(fault)
            if faulted is not None:
                return _answered(record, faulted)
        if method not in METHODS:
            return _answered(
                record,
                web.json_response({"ok": False, "error": "unknown_method", "req_method": method}),
            )
        if not token:
            return _answered(record, web.json_response({"ok": False, "error": "not_authed"}))
        if token != self.bot_token:
            return _answered(record, web.json_response({"ok": False, "error": "invalid_auth"}))

        for hook in self.hooks.firing(method, "before_effect", params):
            early = await self._run_hook(hook, CallInfo(method, params, hook.phase), request)
            if early is not None:
                return early
        try:
            body = METHODS[method](self._api, params)
        except SlackError as exc:
            return _answered(record, _answer_error(exc))
        answer = {"ok": True, **body}
        # Known before any hook runs, so a hung or dropped call still says what it did.
        record.response = copy.deepcopy(answer)
        for hook in self.hooks.firing(method, "after_effect", params):
            info = CallInfo(method, params, hook.phase, result=copy.deepcopy(answer))
            early = await self._run_hook(hook, info, request)
            if early is not None:
                return early
        return _answered(record, web.json_response(answer))

    async def _run_hook(
        self, hook: CallHook, info: CallInfo, request: web.Request
    ) -> web.StreamResponse | None:
        """Run a hook; a response to return when it hangs or drops the call, else None."""
        await hook.run(info)
        if hook.drop:
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=204)
        if hook.hang:
            await self._release.wait()
        return None

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        target = self._responses.targets.get(token)
        raw = await request.text()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = dict(parse_qsl(raw)) or None
        attempt: dict[str, Any] = {"payload": payload, "status": 200, "error": None}
        if target is not None:
            target.attempts.append(attempt)
        fault = self.faults.take("response_url")
        if fault is not None:
            early = await _apply_fault(fault)
            if early is not None:
                attempt |= {"status": early.status, "error": "fault"}
                return early
        try:
            self._responses.handle(self.workspace, token, payload)
        except SlackError as exc:
            status = 404 if exc.error in ("expired_url", "used_url") else 400
            attempt |= {"status": status, "error": exc.error}
            return web.json_response({"ok": False, "error": exc.error, **exc.extra}, status=status)
        return web.json_response({"ok": True})


def _answered(record: CallRecord, response: web.Response) -> web.Response:
    record.status = response.status
    record.answered = True
    try:
        record.response = json.loads(response.text or "null")
    except ValueError:
        record.response = None
    return response


def _response_token(url: str) -> str:
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]


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
