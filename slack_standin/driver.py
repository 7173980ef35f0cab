"""SlackDriver: sends an app the signed HTTP requests Slack would send.

With a stand-in attached, the driver also plays the Slack client's part: a message a user
types is stored in the stand-in (so threads read like Slack), response URLs and trigger
ids come from the stand-in, clicks are checked against the buttons actually shown, and a
modal submission closes, updates or pushes the modal the way the app's ack asks.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

import aiohttp

from slack_standin import payloads
from slack_standin.blockkit import iter_elements
from slack_standin.ids import TsClock
from slack_standin.payloads import Installation
from slack_standin.server import SlackStandin
from slack_standin.signing import STALE_AFTER_SECONDS, signed_headers

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass
class DriverResponse:
    """The app's HTTP answer, plus the payload the driver sent.

    From a `tolerant()` driver, an app that could not be reached gives `status=0` and
    `error` "connection_refused", "timeout" or "disconnected" instead of an exception."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def delivered(self) -> bool:
        """Whether the app answered at all (any HTTP status)."""
        return self.error is None

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class _Transport:
    """One aiohttp session shared by a driver and its tampered/stale variants."""

    def __init__(self, timeout: float) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.session: aiohttp.ClientSession | None = None

    async def post(
        self, url: str, body: bytes, headers: dict[str, str], *, method: str = "POST"
    ) -> DriverResponse:
        if self.session is None or self.session.closed:
            # Each request on a fresh connection: an app that restarted must not meet a
            # connection its previous process left behind.
            self.session = aiohttp.ClientSession(
                timeout=self.timeout, connector=aiohttp.TCPConnector(force_close=True)
            )
        async with self.session.request(method, url, data=body, headers=headers) as response:
            return DriverResponse(
                status=response.status, body=await response.text(), headers=dict(response.headers)
            )

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None


def _undelivered(exc: BaseException) -> str:
    if isinstance(exc, aiohttp.ClientConnectorError):
        return "connection_refused"
    if isinstance(exc, TimeoutError):
        return "timeout"
    return "disconnected"


def edited(
    payload: dict[str, Any],
    omit: Iterable[str] = (),
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A copy of `payload` with fields removed or replaced, named by dotted paths
    ("user", "user.id", "view.state.values"), to send what Slack never would."""
    result = copy.deepcopy(payload)
    for path in omit:
        parent, key = _walk(result, path)
        if isinstance(parent, dict):
            parent.pop(key, None)
    for path, value in (overrides or {}).items():
        parent, key = _walk(result, path, create=True)
        parent[key] = value
    return result


def _walk(payload: dict[str, Any], path: str, *, create: bool = False) -> tuple[Any, str]:
    *parents, key = path.split(".")
    node: Any = payload
    for name in parents:
        if not isinstance(node, dict):
            return None, key
        if name not in node and create:
            node[name] = {}
        node = node.get(name)
    return node, key


class SlackDriver:
    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        standin: SlackStandin | None = None,
        *,
        team_id: str = "T0001",
        api_app_id: str = "A0001",
        timeout: float = 10.0,
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.standin = standin
        self.install = Installation(
            team_id=standin.team_id if standin else team_id,
            api_app_id=api_app_id,
            bot_user_id=standin.bot_user_id if standin else "UBOT",
        )
        self._transport = _Transport(timeout)
        self._clock = TsClock()
        self._mode = "valid"
        self._tolerant = False

    # -- variants and lifecycle -------------------------------------------------

    def _variant(self, mode: str | None = None, *, tolerant: bool | None = None) -> SlackDriver:
        other = copy.copy(self)
        if mode is not None:
            other._mode = mode
        if tolerant is not None:
            other._tolerant = tolerant
        return other

    def tampered(self) -> SlackDriver:
        """A driver whose requests carry a wrong X-Slack-Signature."""
        return self._variant("bad_signature")

    def stale(self) -> SlackDriver:
        """A driver whose requests are signed with a timestamp older than five minutes."""
        return self._variant("stale")

    def unsigned(self) -> SlackDriver:
        """A driver that sends no signature headers at all."""
        return self._variant("unsigned")

    def tolerant(self) -> SlackDriver:
        """A driver for an app that may be down (a crash test restarting it): a refused
        connection, a timeout or a dropped connection comes back as a DriverResponse with
        `status=0`, `delivered` False and `error` saying which, instead of raising."""
        return self._variant(tolerant=True)

    async def close(self) -> None:
        await self._transport.close()

    async def __aenter__(self) -> SlackDriver:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- raw sending ------------------------------------------------------------

    def _headers(self, body: bytes) -> dict[str, str]:
        if self._mode == "unsigned":
            return {}
        timestamp = int(time.time())
        if self._mode == "stale":
            timestamp -= STALE_AFTER_SECONDS + 60
        secret = self.signing_secret
        if self._mode == "bad_signature":
            secret = "not-" + secret
        return signed_headers(secret, body, timestamp=timestamp)

    async def send(
        self,
        body: str | bytes,
        content_type: str | None,
        *,
        payload: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        method: str = "POST",
    ) -> DriverResponse:
        """POST an exact body to the app, signed according to this driver's mode.

        `extra_headers` go on top of the signature headers, so they can replace them;
        `content_type=None` sends no Content-Type at all."""
        raw = body.encode() if isinstance(body, str) else body
        headers = {**({"Content-Type": content_type} if content_type else {})}
        headers |= self._headers(raw) | (extra_headers or {})
        try:
            response = await self._transport.post(self.app_url, raw, headers, method=method)
        except (aiohttp.ClientError, TimeoutError) as exc:
            if not self._tolerant:
                raise
            response = DriverResponse(status=0, body="", error=_undelivered(exc))
        response.payload = payload or {}
        return response

    async def send_raw(
        self,
        body: str | bytes,
        *,
        content_type: str | None = FORM,
        headers: dict[str, str] | None = None,
        method: str = "POST",
    ) -> DriverResponse:
        """Any bytes with any headers, signed (per this driver's mode) over exactly those
        bytes: for testing the app's HTTP edge with input Slack would never send."""
        return await self.send(body, content_type, extra_headers=headers, method=method)

    async def send_form(
        self, form: dict[str, Any], *, payload: dict[str, Any] | None = None
    ) -> DriverResponse:
        """A signed form body (a slash command's shape) with exactly these fields."""
        return await self.send(urlencode(form), FORM, payload=payload or dict(form))

    async def send_interaction(self, payload: dict[str, Any] | str) -> DriverResponse:
        """A signed interaction: `payload=<JSON>` in a form; a string is sent as it is (say,
        broken JSON)."""
        text = payload if isinstance(payload, str) else json.dumps(payload)
        sent = payload if isinstance(payload, dict) else {}
        return await self.send(urlencode({"payload": text}), FORM, payload=sent)

    async def send_envelope(self, envelope: dict[str, Any] | str) -> DriverResponse:
        """A signed Events API body: a dict as JSON, a string as it is."""
        text = envelope if isinstance(envelope, str) else json.dumps(envelope)
        sent = envelope if isinstance(envelope, dict) else {}
        return await self.send(text, JSON, payload=sent)

    async def until_delivered(
        self,
        send: Callable[[SlackDriver], Awaitable[DriverResponse]],
        *,
        timeout: float = 10.0,
        interval: float = 0.05,
    ) -> DriverResponse:
        """Retry `send(driver)` until the app answers (it may be restarting); returns the
        first delivered response, or raises TimeoutError."""
        tolerant = self.tolerant()
        deadline = time.monotonic() + timeout
        while True:
            response = await send(tolerant)
            if response.delivered:
                return response
            if time.monotonic() >= deadline:
                raise TimeoutError(f"the app at {self.app_url} did not answer: {response.error}")
            await asyncio.sleep(interval)

    async def _send_form(self, form: dict[str, str], payload: dict[str, Any]) -> DriverResponse:
        return await self.send(urlencode(form), FORM, payload=payload)

    async def _send_interaction(self, payload: dict[str, Any]) -> DriverResponse:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.send(body, FORM, payload=payload)

    # -- helpers over the stand-in ----------------------------------------------

    def _user_name(self, user_id: str, user_name: str | None = None) -> str:
        if user_name:
            return user_name
        if self.standin:
            return self.standin.workspace.ensure_user(user_id)["name"]
        return user_id.lower()

    def _channel_name(self, channel_id: str) -> str:
        if channel_id.startswith("D"):
            return "directmessage"
        if self.standin:
            return self.standin.workspace.ensure_channel(channel_id).name
        return channel_id.lower()

    def _channel_type(self, channel_id: str) -> str:
        """The event's channel_type: im, mpim, group (private channel) or channel."""
        known = self.standin.workspace.channels.get(channel_id) if self.standin else None
        if known is not None:
            if known.is_im:
                return "im"
            if known.is_mpim:
                return "mpim"
            return "group" if known.is_private else "channel"
        return payloads.channel_type_of(channel_id)

    def _trigger_id(self, user_id: str) -> str:
        if self.standin:
            return self.standin.new_trigger_id(user_id)
        return payloads.new_event_id().lower() + ".standin"

    def _response_url(self, **target: Any) -> str:
        if self.standin:
            return self.standin.new_response_url(**target)
        return f"https://hooks.slack.com/actions/{self.install.team_id}/standin/{time.time_ns()}"

    # -- slash commands ---------------------------------------------------------

    def build_slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str,
        channel_id: str,
        user_name: str | None = None,
    ) -> dict[str, str]:
        """The form Slack would send for a slash command (with a live response_url and
        trigger_id from the stand-in), to change at will and send with `send_form`."""
        return payloads.slash_command_form(
            self.install,
            command=command,
            text=text,
            user_id=user_id,
            user_name=self._user_name(user_id, user_name),
            channel_id=channel_id,
            channel_name=self._channel_name(channel_id),
            response_url=self._response_url(channel_id=channel_id, user_id=user_id),
            trigger_id=self._trigger_id(user_id),
        )

    async def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str,
        channel_id: str,
        user_name: str | None = None,
        omit: Iterable[str] = (),
        overrides: dict[str, Any] | None = None,
    ) -> DriverResponse:
        """A slash command as Slack sends it (a signed form).  `omit` drops fields and
        `overrides` replaces them (e.g. `omit=["user_id"]`), to test malformed input."""
        form = self.build_slash_command(
            command, text, user_id=user_id, channel_id=channel_id, user_name=user_name
        )
        form = edited(form, omit, overrides)
        return await self._send_form(form, dict(form))

    # -- events -----------------------------------------------------------------

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        omit: Iterable[str] = (),
        overrides: dict[str, Any] | None = None,
    ) -> DriverResponse:
        """Deliver one event in an `event_callback` envelope; pass the same event_id and a
        retry_num to replay a delivery the way Slack retries it.  `omit`/`overrides` edit the
        envelope by dotted path (`omit=["event.user"]`, `overrides={"team_id": None}`)."""
        envelope = edited(self.build_envelope(event, event_id=event_id), omit, overrides)
        headers = {}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        elif retry_reason is not None:
            headers["X-Slack-Retry-Reason"] = retry_reason
        return await self.send(json.dumps(envelope), JSON, payload=envelope, extra_headers=headers)

    def build_envelope(self, event: dict[str, Any], *, event_id: str | None = None) -> dict:
        """The `event_callback` envelope Slack would wrap `event` in, to change at will and
        send with `send_envelope`."""
        event = dict(event)
        event.setdefault("event_ts", event.get("ts") or self._clock.next())
        return payloads.event_envelope(event, self.install, event_id=event_id)

    def message_event(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        thread_ts: str | None = None,
        ts: str | None = None,
        channel_type: str | None = None,
    ) -> dict[str, Any]:
        """A `message` event for text a user typed (stored in the stand-in right away, so
        sending the event twice - a Slack retry - still leaves one message)."""
        parent_user = None
        if self.standin:
            stored = self.standin.post_as_user(channel, user, text, thread_ts=thread_ts, ts=ts)
            ts, thread_ts = stored["ts"], stored.get("thread_ts")
            parent_user = stored.get("parent_user_id")
            blocks = stored.get("blocks")
        else:
            ts = ts or self._clock.next()
            blocks = None
        message = payloads.user_message(
            channel,
            user,
            text,
            ts=ts,
            team_id=self.install.team_id,
            thread_ts=thread_ts,
            parent_user_id=parent_user,
        )
        if blocks is not None:
            message["blocks"] = blocks
        return message | {
            "channel": channel,
            "event_ts": ts,
            "channel_type": channel_type or self._channel_type(channel),
        }

    def _previous(self, channel: str, ts: str, user: str | None, text: str | None) -> dict:
        if self.standin:
            found = self.standin.message(channel, ts)
            if found is None:
                raise LookupError(f"no message {ts} in {channel} to change")
            return found
        if user is None:
            raise ValueError("without a stand-in, say which user wrote the message")
        return payloads.user_message(channel, user, text or "", ts=ts, team_id=self.install.team_id)

    def message_changed(
        self,
        channel: str,
        ts: str,
        text: str,
        *,
        user: str | None = None,
        previous_text: str | None = None,
        channel_type: str | None = None,
    ) -> dict[str, Any]:
        """A `message_changed` event: the author edited message `ts` to `text`."""
        previous = self._previous(channel, ts, user, previous_text)
        event_ts = self._clock.next()
        editor = user or previous["user"]
        if self.standin:
            self.standin.workspace.edit_message(
                channel, ts, editor=editor, text=text, blocks=payloads.rich_text_of(text)
            )
            current = self.standin.message(channel, ts) or {}
        else:
            current = dict(previous, text=text, blocks=payloads.rich_text_of(text))
            current["edited"] = {"user": editor, "ts": event_ts}
        return {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": channel,
            "ts": event_ts,
            "event_ts": event_ts,
            "channel_type": channel_type or self._channel_type(channel),
            "message": current,
            "previous_message": previous,
        }

    def message_deleted(
        self,
        channel: str,
        ts: str,
        *,
        user: str | None = None,
        previous_text: str | None = None,
        channel_type: str | None = None,
    ) -> dict[str, Any]:
        """A `message_deleted` event: the author deleted message `ts`."""
        previous = self._previous(channel, ts, user, previous_text)
        if self.standin:
            self.standin.workspace.remove_message(channel, ts)
        event_ts = self._clock.next()
        return {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "deleted_ts": ts,
            "channel": channel,
            "ts": event_ts,
            "event_ts": event_ts,
            "channel_type": channel_type or self._channel_type(channel),
            "previous_message": previous,
        }

    def app_home_opened(self, user: str, *, tab: str = "home") -> dict[str, Any]:
        event_ts = self._clock.next()
        event: dict[str, Any] = {"type": "app_home_opened", "user": user, "tab": tab}
        if self.standin:
            event["channel"] = self.standin.dm_channel(user)
            view = self.standin.home_view(user)
            if view is not None and tab == "home":
                event["view"] = view
        else:
            event["channel"] = "D" + user[1:]
        return event | {"event_ts": event_ts}

    async def url_verification(self, challenge: str = "standin-challenge") -> DriverResponse:
        body = {"token": self.install.token, "challenge": challenge, "type": "url_verification"}
        return await self.send(json.dumps(body), JSON, payload=body)

    # -- interactions -----------------------------------------------------------

    def build_block_actions(
        self,
        user_id: str,
        action_id: str,
        value: Any = None,
        *,
        channel_id: str | None = None,
        message_ts: str | None = None,
        view: dict[str, Any] | None = None,
        block_id: str | None = None,
    ) -> dict[str, Any]:
        """The `block_actions` payload Slack would send for this click, to change at will
        and send with `send_interaction` (same checks as `block_actions`)."""
        user_name = self._user_name(user_id)
        payload = payloads.interaction_base("block_actions", self.install, user_id, user_name)
        payload["trigger_id"] = self._trigger_id(user_id)
        blocks: list[dict] = []
        if view is not None:
            if self.standin and view.get("id"):
                view = self.standin.view(view["id"]) or view
            blocks = view.get("blocks") or []
            payload["container"] = {"type": "view", "view_id": view.get("id")}
            payload["view"] = view
            payload["state"] = view.get("state") or {"values": {}}
        elif channel_id and message_ts:
            blocks = self._message_blocks(payload, user_id, channel_id, message_ts)
        else:
            raise ValueError("say where the element is: channel_id + message_ts, or view")
        element, found_block_id = _find_element(blocks, action_id, block_id)
        if element is None:
            if self.standin:
                raise LookupError(f"no element with action_id {action_id!r} is on screen")
            element, found_block_id = {"type": "button", "action_id": action_id}, block_id
        if element.get("type") == "button" and not isinstance(element.get("text"), dict):
            element = dict(element, text={"type": "plain_text", "text": action_id})
        if value is None and element.get("type") == "button":
            value = element.get("value")
        action = payloads.action_of(
            element, found_block_id or "standin", value, strict=self.standin is not None
        )
        payload["actions"] = [action]
        return payload

    async def block_actions(
        self,
        user_id: str,
        action_id: str,
        value: Any = None,
        *,
        channel_id: str | None = None,
        message_ts: str | None = None,
        view: dict[str, Any] | None = None,
        block_id: str | None = None,
        omit: Iterable[str] = (),
        overrides: dict[str, Any] | None = None,
    ) -> DriverResponse:
        """The user clicks/selects `action_id` on a message (channel_id + message_ts) or in
        a view (a modal or App Home).  With a stand-in, the element must be on screen and a
        picked option must be one it offers.  `omit`/`overrides` edit the payload by dotted
        path (`omit=["user"]`) to send what Slack never would."""
        payload = self.build_block_actions(
            user_id,
            action_id,
            value,
            channel_id=channel_id,
            message_ts=message_ts,
            view=view,
            block_id=block_id,
        )
        return await self._send_interaction(edited(payload, omit, overrides))

    block_action = block_actions

    def _message_blocks(
        self, payload: dict[str, Any], user_id: str, channel_id: str, message_ts: str
    ) -> list[dict]:
        payload["channel"] = {"id": channel_id, "name": self._channel_name(channel_id)}
        payload["state"] = {"values": {}}
        container: dict[str, Any] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
        if not self.standin:
            payload["container"] = container
            payload["message"] = {"type": "message", "ts": message_ts, "text": "", "blocks": []}
            payload["response_url"] = self._response_url()
            return []
        ephemeral = self.standin.workspace.find_ephemeral(channel_id, user_id, message_ts)
        if ephemeral is not None:
            # Slack sends no `message` for a click on an ephemeral message.
            container["is_ephemeral"] = True
            blocks = ephemeral.blocks or []
        else:
            message = self.standin.message(channel_id, message_ts)
            if message is None:
                raise LookupError(f"no message {message_ts} in {channel_id} for {user_id}")
            payload["message"] = message
            blocks = message.get("blocks") or []
        payload["container"] = container
        payload["response_url"] = self._response_url(
            channel_id=channel_id,
            user_id=user_id,
            message_ts=message_ts,
            is_ephemeral=container["is_ephemeral"],
        )
        return blocks

    async def view_submission(
        self,
        user_id: str,
        view: dict[str, Any],
        values: dict[str, dict[str, Any]],
        *,
        callback_id: str,
        private_metadata: str = "",
        omit: Iterable[str] = (),
        overrides: dict[str, Any] | None = None,
    ) -> DriverResponse:
        """The user submits a modal with `values` = {block_id: {action_id: value}}.

        A value may be Slack's own state entry (a dict with "type"); otherwise it is turned
        into one from the element's type, in Slack's exact shape (see
        `payloads.element_value`): text or a number for text/number inputs, an option value
        for radio buttons and static selects, a list of them for checkboxes and multi
        selects, user ids for user selects, "YYYY-MM-DD", "HH:MM" or epoch seconds for the
        date, time and datetime pickers.  What a Slack client would not submit (a missing
        required input, an option not offered, a number out of range, ...) is a test bug and
        raises.  With a stand-in, the modal then closes, updates or pushes as the app's ack
        says.  `omit`/`overrides` edit the payload by dotted path.
        """
        if self.standin and view.get("id"):
            view = self.standin.view(view["id"]) or view
        if view.get("callback_id") and view["callback_id"] != callback_id:
            raise ValueError(
                f"the view's callback_id is {view['callback_id']!r}, not {callback_id!r}"
            )
        state = _state_values(view, values, strict=self.standin is not None)
        submitted = copy.deepcopy(view)
        submitted.setdefault("id", "V" + payloads.new_event_id()[2:])
        submitted.setdefault("type", "modal")
        submitted["callback_id"] = callback_id
        submitted["private_metadata"] = private_metadata or view.get("private_metadata", "")
        submitted["state"] = {"values": state}
        if self.standin:
            self.standin.view_store.set_state(submitted["id"], state)
        payload = payloads.interaction_base(
            "view_submission", self.install, user_id, self._user_name(user_id)
        )
        payload |= {
            "trigger_id": self._trigger_id(user_id),
            "view": submitted,
            "response_urls": [],
        }
        response = await self._send_interaction(edited(payload, omit, overrides))
        if self.standin and response.status == 200:
            self._apply_response_action(user_id, submitted["id"], response)
        return response

    def _apply_response_action(self, user_id: str, view_id: str, response: DriverResponse) -> None:
        assert self.standin is not None
        views = self.standin.view_store
        try:
            answer = response.json() or {}
        except ValueError:
            answer = {}
        action = answer.get("response_action") if isinstance(answer, dict) else None
        if action is None:
            views.close(user_id, view_id)
        elif action == "clear":
            views.clear(user_id)
        elif action == "update":
            views.replace_top(user_id, answer["view"])
        elif action == "push":
            views.push_from_submission(user_id, answer["view"])
        # "errors" keeps the modal open with messages next to the inputs.

    async def view_closed(
        self,
        user_id: str,
        view: dict[str, Any],
        *,
        omit: Iterable[str] = (),
        overrides: dict[str, Any] | None = None,
    ) -> DriverResponse:
        """The user closed a modal (sent only when the view has notify_on_close)."""
        payload = payloads.interaction_base(
            "view_closed", self.install, user_id, self._user_name(user_id)
        )
        payload |= {"view": view, "is_cleared": False}
        if self.standin:
            self.standin.view_store.close(user_id, view.get("id"))
        return await self._send_interaction(edited(payload, omit, overrides))


def _find_element(
    blocks: list[dict], action_id: str, block_id: str | None
) -> tuple[dict[str, Any] | None, str | None]:
    for block, element in iter_elements(blocks):
        if element.get("action_id") == action_id and block_id in (None, block.get("block_id")):
            return element, block.get("block_id")
    return None, None


def _state_values(
    view: dict[str, Any], values: dict[str, dict[str, Any]], *, strict: bool = False
) -> dict[str | None, Any]:
    """Slack's `view.state.values` for what the user entered; keyed by block_id (None for
    an input block of a view given here without one, which Slack would have named)."""
    inputs: dict[str | None, tuple[dict, dict]] = {
        block.get("block_id"): (block, element)
        for block, element in iter_elements(view.get("blocks") or [])
        if block.get("type") == "input"
    }
    state: dict[str | None, Any] = {}
    for block_id, entries in values.items():
        for action_id, value in entries.items():
            element = None
            if block_id in inputs and inputs[block_id][1].get("action_id") == action_id:
                element = inputs[block_id][1]
            elif inputs:
                raise LookupError(f"the view has no input {block_id}/{action_id}")
            if isinstance(value, dict) and "type" in value:
                entry = value
            else:
                if element is not None:
                    check_submittable(
                        element, value, optional=bool(inputs[block_id][0].get("optional"))
                    )
                kind = (element or {}).get("type", "plain_text_input")
                known = element or {"type": kind}
                entry = {"type": kind, **payloads.element_value(known, value, strict=strict)}
            state.setdefault(block_id, {})[action_id] = entry
    for input_id, (block, element) in inputs.items():
        if input_id in state:
            continue
        if not block.get("optional"):
            raise ValueError(f"Slack would not submit: required input {input_id!r} is empty")
        kind = element.get("type", "plain_text_input")
        entry = {"type": kind, **payloads.element_value(element, None)}
        state[input_id] = {element.get("action_id"): entry}
    return state


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list | tuple) and not value)


def check_submittable(element: dict[str, Any], value: Any, *, optional: bool) -> None:
    """Raise ValueError for what a Slack client would not let a person submit."""
    kind = element.get("type")
    where = f"{kind} {element.get('action_id')!r}"
    if _is_empty(value):
        if not optional:
            raise ValueError(f"Slack would not submit: required {where} is empty")
        return
    if kind == "datepicker":
        try:
            ok = bool(_DATE.match(str(value))) and date.fromisoformat(str(value)) is not None
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"{where} takes a date YYYY-MM-DD, not {value!r}")
    elif kind == "timepicker" and not _TIME.match(str(value)):
        raise ValueError(f"{where} takes a time HH:MM, not {value!r}")
    elif kind == "datetimepicker" and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"{where} takes epoch seconds (an int), not {value!r}")
    elif kind == "number_input":
        _check_number(element, value, where)
    elif kind == "plain_text_input":
        text = str(value)
        if element.get("max_length") is not None and len(text) > element["max_length"]:
            raise ValueError(f"{where} takes at most {element['max_length']} characters")
        if element.get("min_length") is not None and len(text) < element["min_length"]:
            raise ValueError(f"{where} needs at least {element['min_length']} characters")
    elif kind in (
        "checkboxes",
        "multi_static_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
        "multi_external_select",
    ):
        limit = element.get("max_selected_items")
        picked = value if isinstance(value, list | tuple) else [value]
        if limit is not None and len(picked) > limit:
            raise ValueError(f"{where} lets a person pick at most {limit}")
    elif kind in ("radio_buttons", "static_select", "users_select") and isinstance(
        value, list | tuple
    ):
        raise ValueError(f"{where} takes one value, not a list")


def _check_number(element: dict[str, Any], value: Any, where: str) -> None:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{where} takes a number, not {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{where} takes a number, not {value!r}")
    if not element.get("is_decimal_allowed") and number != number.to_integral_value():
        raise ValueError(f"{where} takes whole numbers only, not {value!r}")
    for key, bad in (("min_value", number.__lt__), ("max_value", number.__gt__)):
        bound = element.get(key)
        if bound is not None and bad(Decimal(str(bound))):
            raise ValueError(f"{where}: {value!r} is outside its {key} {bound}")
