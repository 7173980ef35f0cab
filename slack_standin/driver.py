"""SlackDriver: sends an app the signed HTTP requests Slack would send.

With a stand-in attached, the driver also plays the Slack client's part: a message a user
types is stored in the stand-in (so threads read like Slack), response URLs and trigger
ids come from the stand-in, clicks are checked against the buttons actually shown, and a
modal submission closes, updates or pushes the modal the way the app's ack asks.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass, field
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
    """The app's HTTP answer, plus the payload the driver sent."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class _Transport:
    """One aiohttp session shared by a driver and its tampered/stale variants."""

    def __init__(self, timeout: float) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.session: aiohttp.ClientSession | None = None

    async def post(self, url: str, body: str, headers: dict[str, str]) -> DriverResponse:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(timeout=self.timeout)
        async with self.session.post(url, data=body.encode(), headers=headers) as response:
            return DriverResponse(
                status=response.status, body=await response.text(), headers=dict(response.headers)
            )

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None


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

    # -- variants and lifecycle -------------------------------------------------

    def _variant(self, mode: str) -> SlackDriver:
        other = copy.copy(self)
        other._mode = mode
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

    async def close(self) -> None:
        await self._transport.close()

    async def __aenter__(self) -> SlackDriver:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- raw sending ------------------------------------------------------------

    def _headers(self, body: str) -> dict[str, str]:
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
        body: str,
        content_type: str,
        *,
        payload: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> DriverResponse:
        """POST an exact body to the app, signed according to this driver's mode."""
        headers = {"Content-Type": content_type, **self._headers(body), **(extra_headers or {})}
        response = await self._transport.post(self.app_url, body, headers)
        response.payload = payload or {}
        return response

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

    def _trigger_id(self, user_id: str) -> str:
        if self.standin:
            return self.standin.new_trigger_id(user_id)
        return payloads.new_event_id().lower() + ".standin"

    def _response_url(self, **target: Any) -> str:
        if self.standin:
            return self.standin.new_response_url(**target)
        return f"https://hooks.slack.com/actions/{self.install.team_id}/standin/{time.time_ns()}"

    # -- slash commands ---------------------------------------------------------

    async def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str,
        channel_id: str,
        user_name: str | None = None,
    ) -> DriverResponse:
        form = payloads.slash_command_form(
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
        return await self._send_form(form, dict(form))

    # -- events -----------------------------------------------------------------

    async def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> DriverResponse:
        """Deliver one event in an `event_callback` envelope; pass the same event_id and a
        retry_num to replay a delivery the way Slack retries it."""
        event = dict(event)
        event.setdefault("event_ts", event.get("ts") or self._clock.next())
        envelope = payloads.event_envelope(event, self.install, event_id=event_id)
        headers = {}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        elif retry_reason is not None:
            headers["X-Slack-Retry-Reason"] = retry_reason
        return await self.send(json.dumps(envelope), JSON, payload=envelope, extra_headers=headers)

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
            "channel_type": channel_type or payloads.channel_type_of(channel),
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
            "channel_type": channel_type or payloads.channel_type_of(channel),
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
            "channel_type": channel_type or payloads.channel_type_of(channel),
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
    ) -> DriverResponse:
        """The user clicks/selects `action_id` on a message (channel_id + message_ts) or in
        a view (a modal or App Home).  With a stand-in, the element must be on screen."""
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
        payload["actions"] = [payloads.action_of(element, found_block_id or "standin", value)]
        return await self._send_interaction(payload)

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
    ) -> DriverResponse:
        """The user submits a modal with `values` = {block_id: {action_id: value}}.

        A value may be Slack's own state entry (a dict with "type"); otherwise it is turned
        into one from the element's type (text -> value, select -> selected_option, ...).
        With a stand-in, the modal then closes, updates or pushes as the app's ack says.
        """
        if self.standin and view.get("id"):
            view = self.standin.view(view["id"]) or view
        if view.get("callback_id") and view["callback_id"] != callback_id:
            raise ValueError(
                f"the view's callback_id is {view['callback_id']!r}, not {callback_id!r}"
            )
        state = _state_values(view, values)
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
        response = await self._send_interaction(payload)
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

    async def view_closed(self, user_id: str, view: dict[str, Any]) -> DriverResponse:
        """The user closed a modal (sent only when the view has notify_on_close)."""
        payload = payloads.interaction_base(
            "view_closed", self.install, user_id, self._user_name(user_id)
        )
        payload |= {"view": view, "is_cleared": False}
        if self.standin:
            self.standin.view_store.close(user_id, view.get("id"))
        return await self._send_interaction(payload)


def _find_element(
    blocks: list[dict], action_id: str, block_id: str | None
) -> tuple[dict[str, Any] | None, str | None]:
    for block, element in iter_elements(blocks):
        if element.get("action_id") == action_id and block_id in (None, block.get("block_id")):
            return element, block.get("block_id")
    return None, None


def _state_values(view: dict[str, Any], values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Slack's `view.state.values` for what the user entered."""
    inputs = {
        block.get("block_id"): (block, element)
        for block, element in iter_elements(view.get("blocks") or [])
        if block.get("type") == "input"
    }
    state: dict[str, Any] = {}
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
                kind = (element or {}).get("type", "plain_text_input")
                entry = {"type": kind, **payloads.element_value(element or {"type": kind}, value)}
            state.setdefault(block_id, {})[action_id] = entry
    for block_id, (block, element) in inputs.items():
        if block_id in state:
            continue
        if not block.get("optional"):
            raise ValueError(f"Slack would not submit: required input {block_id!r} is empty")
        kind = element.get("type", "plain_text_input")
        entry = {"type": kind, **payloads.element_value(element, None)}
        state[block_id] = {element.get("action_id"): entry}
    return state
