"""A property of the HTTP edge: whatever arrives (any body, content type, headers or
timestamp; signed or not; shaped like Slack's payloads with random fields or not at
all) the app answers below 500 and logs no traceback.

The app runs with its stand-in on an event loop in a second thread, so hypothesis can
drive it with ordinary blocking requests and shrink any failure it finds."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import system_clock
from tests.e2e.conftest import e2e_settings
from tests.e2e.harness import OfflineApp


class ErrorRecorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.bad: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.bad.append(record)


class EdgeServer:
    def __init__(self, tmp_path) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = OfflineApp(
            e2e_settings(tmp_path, scheduler_tick_seconds=3600),
            clock=system_clock,
            rng=random.Random(3),
        )
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def start(self) -> None:
        self.thread.start()
        self.call(self.app.start())
        self.url = f"{self.app.app.url}/slack/events"
        self.secret = self.app.workspace.signing_secret.encode()
        self.team = self.app.team_id

    def fresh_response_url(self) -> str:
        # Slack lets a response URL be used five times: each example gets its own, or a
        # reply beyond the fifth is refused (404) and logged, whatever the edge did.
        async def issue() -> str:
            return self.app.standin.new_response_url(user_id="U0ADA", channel_id="C0GENERAL")

        return self.call(issue())

    def stop(self) -> None:
        self.call(self.app.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def edge(tmp_path_factory) -> Iterator[EdgeServer]:
    server = EdgeServer(tmp_path_factory.mktemp("edge"))
    server.start()
    recorder = ErrorRecorder()
    logging.getLogger().addHandler(recorder)
    server.recorder = recorder
    try:
        yield server
    finally:
        logging.getLogger().removeHandler(recorder)
        server.stop()


# ---------------------------------------------------------------- what to send

texts = st.text(max_size=60)
ids = st.one_of(st.just("U0ADA"), st.just("U0BAYES"), st.just(""), texts)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), texts)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)


@st.composite
def slack_shaped(draw, edge_team: str, response_url: str) -> tuple[bytes, str]:
    """Payloads shaped like Slack's, with fields that are missing, odd or random."""
    team = draw(st.sampled_from([edge_team, edge_team, "", "T9OTHER"]))
    user = draw(ids)
    kind = draw(st.sampled_from(["command", "event", "action", "view", "junk"]))
    maybe_url = draw(st.sampled_from([response_url, "", "https://example.invalid/x"]))
    if kind == "command":
        form = {
            "command": draw(st.sampled_from(["/mlquiz", "/other", ""])),
            "text": draw(
                st.one_of(
                    texts,
                    st.sampled_from(
                        [
                            "help",
                            "stats @nobody",
                            "ask pca",
                            "config topics <!channel>",
                            "leaderboard fortnight",
                        ]
                    ),
                )
            ),
            "user_id": user,
            "team_id": team,
            "channel_id": draw(st.sampled_from(["C0GENERAL", "", "D0ADA"])),
            "response_url": maybe_url,
            "trigger_id": draw(texts),
        }
        form = {k: v for k, v in form.items() if draw(st.booleans()) or k == "command"}
        return urlencode(form).encode(), "application/x-www-form-urlencoded"
    if kind == "event":
        event = {
            "type": draw(st.sampled_from(["message", "app_home_opened", "reaction_added"])),
            "user": user,
            "text": draw(texts),
            "channel": draw(st.sampled_from(["C0GENERAL", "D0ADA", ""])),
            "ts": draw(st.sampled_from(["1.000100", "", "abc"])),
            "thread_ts": draw(st.sampled_from([None, "1.000100", "nope"])),
            "subtype": draw(
                st.sampled_from([None, "message_changed", "message_deleted", "bot_message"])
            ),
            "message": draw(json_values),
            "previous_message": draw(json_values),
            "channel_type": draw(st.sampled_from(["im", "channel", "group", ""])),
        }
        envelope = {
            "type": "event_callback",
            "team_id": team,
            "event_id": draw(st.sampled_from(["Ev1", "Ev2", "", None])),
            "event": {k: v for k, v in event.items() if draw(st.booleans()) or k == "type"},
        }
        return json.dumps(envelope).encode(), "application/json"
    if kind == "action":
        payload = {
            "type": "block_actions",
            "team": {"id": team},
            "user": draw(st.one_of(st.just({"id": user}), json_values)),
            "actions": [
                {
                    "action_id": draw(
                        st.sampled_from(
                            [
                                "practice_another",
                                "home_practice",
                                "answer_open_modal",
                                "grade_appeal",
                                "x",
                            ]
                        )
                    ),
                    "value": draw(texts),
                }
            ],
            "trigger_id": draw(texts),
            "response_url": maybe_url,
        }
        return urlencode(
            {"payload": json.dumps(payload)}
        ).encode(), "application/x-www-form-urlencoded"
    if kind == "view":
        payload = {
            "type": "view_submission",
            "team": {"id": team},
            "user": {"id": user},
            "view": {
                "callback_id": draw(st.sampled_from(["answer_modal", "appeal_modal", "other"])),
                "private_metadata": draw(texts),
                "state": {"values": draw(json_values)},
            },
        }
        return urlencode(
            {"payload": json.dumps(payload)}
        ).encode(), "application/x-www-form-urlencoded"
    return draw(st.binary(max_size=200)), draw(
        st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", ""])
    )


def signed_headers(secret: bytes, body: bytes, timestamp: str) -> dict[str, str]:
    digest = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + digest.hexdigest()}


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


timestamps = st.one_of(
    st.just("now"),
    st.just("abc"),
    st.just("9" * 400),
    st.just("-5"),
    st.just(""),
    st.integers(min_value=0, max_value=2**40).map(str),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_edge_never_answers_5xx_nor_logs_a_traceback(edge, data):
    edge.recorder.bad.clear()
    body, content_type = data.draw(
        st.one_of(
            slack_shaped(edge.team, edge.fresh_response_url()),
            st.tuples(st.binary(max_size=300), st.sampled_from(["application/json", "text/plain"])),
        )
    )
    signing = data.draw(st.sampled_from(["valid", "valid", "none", "random", "wrong-time"]))
    headers: dict[str, str] = {}
    if content_type:
        headers["Content-Type"] = content_type
    stamp = str(int(time.time()))
    if signing == "valid":
        headers |= signed_headers(edge.secret, body, stamp)
    elif signing == "random":
        headers |= {
            "X-Slack-Request-Timestamp": data.draw(timestamps).replace("now", stamp),
            # Header values an HTTP client can send at all: printable ASCII.
            "X-Slack-Signature": data.draw(
                st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
            ),
        }
    elif signing == "wrong-time":
        headers |= signed_headers(edge.secret, body, str(int(time.time()) - 3600))
    status = post(edge.url, body, headers)
    assert status < 500, (status, body[:200], headers)
    # Background work the request started is done before the log is judged.
    edge.call(edge.app.settle())
    assert not edge.recorder.bad, [r.getMessage() for r in edge.recorder.bad]
