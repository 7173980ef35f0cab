"""Driver additions: malformed requests on purpose, raw bodies, apps that are down, and the
exact `state.values` shapes of every input element."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import socket
from urllib.parse import parse_qsl

import pytest
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from slack_standin.driver import SlackDriver, edited

from .conftest import SECRET


def verified(request) -> bool:
    return SignatureVerifier(SECRET).is_valid_request(request.body, request.headers)


def option(value: str, text: str | None = None) -> dict:
    return {"text": {"type": "plain_text", "text": text or value.title()}, "value": value}


def input_block(block_id: str, element: dict, *, optional: bool = False) -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": block_id},
        "element": {"action_id": "v", **element},
    }


EVERY_INPUT = {
    "type": "modal",
    "callback_id": "debrief",
    "title": {"type": "plain_text", "text": "Debrief"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        input_block(
            "topics",
            {"type": "checkboxes", "options": [option("ml"), option("stats"), option("sql")]},
        ),
        input_block(
            "verdict", {"type": "radio_buttons", "options": [option("hire"), option("no")]}
        ),
        input_block(
            "level", {"type": "static_select", "options": [option("junior"), option("senior")]}
        ),
        input_block(
            "skills",
            {
                "type": "multi_static_select",
                "max_selected_items": 2,
                "option_groups": [
                    {
                        "label": {"type": "plain_text", "text": "Core"},
                        "options": [option("python")],
                    },
                    {"label": {"type": "plain_text", "text": "Extra"}, "options": [option("go")]},
                ],
            },
        ),
        input_block("lead", {"type": "users_select"}),
        input_block("panel", {"type": "multi_users_select"}),
        input_block("when", {"type": "datetimepicker"}),
        input_block("day", {"type": "datepicker"}),
        input_block("at", {"type": "timepicker", "timezone": "Europe/Berlin"}),
        input_block(
            "score",
            {
                "type": "number_input",
                "is_decimal_allowed": True,
                "min_value": "0",
                "max_value": "10",
            },
        ),
        input_block(
            "minutes", {"type": "number_input", "is_decimal_allowed": False}, optional=True
        ),
        input_block("notes", {"type": "plain_text_input", "multiline": True, "max_length": 50}),
        input_block("extra", {"type": "checkboxes", "options": [option("flag")]}, optional=True),
        input_block("backup", {"type": "users_select"}, optional=True),
    ],
}

EVERY_VALUE = {
    "topics": {"v": ["ml", "sql"]},
    "verdict": {"v": "hire"},
    "level": {"v": "senior"},
    "skills": {"v": ["python", "go"]},
    "lead": {"v": "U1"},
    "panel": {"v": ["U1", "U2"]},
    "when": {"v": 1628633820},
    "day": {"v": "2024-05-17"},
    "at": {"v": "14:30"},
    "score": {"v": 7.5},
    "notes": {"v": "Strong on PCA"},
}


async def open_every_input(client, standin, user="U1") -> dict:
    trigger = standin.new_trigger_id(user)
    return (await client.views_open(trigger_id=trigger, view=EVERY_INPUT))["view"]


async def test_view_submission_values_have_slacks_exact_shapes(driver, receiver, client, standin):
    view = await open_every_input(client, standin)
    await driver.view_submission("U1", view, EVERY_VALUE, callback_id="debrief")
    values = receiver.requests[0].payload()["view"]["state"]["values"]
    assert values == {
        "topics": {"v": {"type": "checkboxes", "selected_options": [option("ml"), option("sql")]}},
        "verdict": {"v": {"type": "radio_buttons", "selected_option": option("hire")}},
        "level": {"v": {"type": "static_select", "selected_option": option("senior")}},
        "skills": {
            "v": {
                "type": "multi_static_select",
                "selected_options": [option("python"), option("go")],
            }
        },
        "lead": {"v": {"type": "users_select", "selected_user": "U1"}},
        "panel": {"v": {"type": "multi_users_select", "selected_users": ["U1", "U2"]}},
        "when": {"v": {"type": "datetimepicker", "selected_date_time": 1628633820}},
        "day": {"v": {"type": "datepicker", "selected_date": "2024-05-17"}},
        "at": {"v": {"type": "timepicker", "selected_time": "14:30", "timezone": "Europe/Berlin"}},
        "score": {"v": {"type": "number_input", "value": "7.5"}},
        "minutes": {"v": {"type": "number_input", "value": None}},
        "notes": {"v": {"type": "plain_text_input", "value": "Strong on PCA"}},
        "extra": {"v": {"type": "checkboxes", "selected_options": []}},
        "backup": {"v": {"type": "users_select", "selected_user": None}},
    }
    assert standin.open_views("U1") == []


@pytest.mark.parametrize(
    ("block_id", "value", "error"),
    [
        ("verdict", "maybe", LookupError),
        ("topics", ["ml", "cobol"], LookupError),
        ("skills", ["rust"], LookupError),
        ("skills", ["python", "go", "python"], ValueError),
        ("verdict", ["hire", "no"], ValueError),
        ("score", "11", ValueError),
        ("score", "-1", ValueError),
        ("score", "seven", ValueError),
        ("minutes", "2.5", ValueError),
        ("day", "17/05/2024", ValueError),
        ("day", "2024-02-30", ValueError),
        ("at", "25:00", ValueError),
        ("at", "2pm", ValueError),
        ("when", "tomorrow", ValueError),
        ("notes", "x" * 51, ValueError),
        ("notes", "", ValueError),
        ("panel", [], ValueError),
    ],
)
async def test_what_a_slack_client_would_not_submit_is_a_test_bug(
    driver, client, standin, block_id, value, error
):
    view = await open_every_input(client, standin)
    values = dict(EVERY_VALUE, **{block_id: {"v": value}})
    with pytest.raises(error):
        await driver.view_submission("U1", view, values, callback_id="debrief")


async def test_whole_numbers_pass_and_in_range_bounds_are_inclusive(
    driver, receiver, client, standin
):
    view = await open_every_input(client, standin)
    values = dict(EVERY_VALUE, score={"v": "10"}, minutes={"v": 45})
    await driver.view_submission("U1", view, values, callback_id="debrief")
    state = receiver.requests[0].payload()["view"]["state"]["values"]
    assert state["score"]["v"]["value"] == "10"
    assert state["minutes"]["v"]["value"] == "45"


async def test_select_in_a_message_must_pick_an_offered_option(driver, standin):
    blocks = [
        {
            "type": "actions",
            "block_id": "act",
            "elements": [
                {"type": "static_select", "action_id": "rate", "options": [option("good")]},
                {"type": "datepicker", "action_id": "day"},
            ],
        }
    ]
    ts = standin.workspace.add_message("C1", user="UBOT", text="q", blocks=blocks, from_bot=True)[
        "ts"
    ]
    with pytest.raises(LookupError):
        await driver.block_actions("U1", "rate", "awful", channel_id="C1", message_ts=ts)
    response = await driver.block_actions("U1", "day", "2024-01-02", channel_id="C1", message_ts=ts)
    assert response.payload["actions"][0]["selected_date"] == "2024-01-02"


# -- malformed requests on purpose ----------------------------------------------------


async def test_slash_command_without_user_id_and_with_overrides(driver, receiver):
    await driver.slash_command(
        "/mlquiz", "ask", user_id="U1", channel_id="C1", omit=["user_id"], overrides={"text": None}
    )
    [request] = receiver.requests
    assert verified(request)
    form = request.form()
    assert "user_id" not in form
    assert form["text"] == "None"
    assert form["command"] == "/mlquiz"


async def test_block_actions_without_user(driver, receiver, standin):
    blocks = [
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "go",
                    "text": {"type": "plain_text", "text": "Go"},
                }
            ],
        }
    ]
    ts = standin.workspace.add_message("C1", user="UBOT", text="q", blocks=blocks, from_bot=True)[
        "ts"
    ]
    await driver.block_actions(
        "U1", "go", channel_id="C1", message_ts=ts, omit=["user", "container.channel_id"]
    )
    payload = receiver.requests[0].payload()
    assert "user" not in payload
    assert "channel_id" not in payload["container"]
    assert payload["actions"][0]["action_id"] == "go"


async def test_app_home_opened_without_user(driver, receiver):
    await driver.event(driver.app_home_opened("U1"), omit=["event.user"])
    envelope = receiver.requests[0].payload()
    assert envelope["event"]["type"] == "app_home_opened"
    assert "user" not in envelope["event"]
    assert verified(receiver.requests[0])


async def test_view_submission_and_view_closed_edits(driver, receiver, client, standin):
    view = await open_every_input(client, standin)
    await driver.view_submission(
        "U1", view, EVERY_VALUE, callback_id="debrief", omit=["view.state"], overrides={"user": {}}
    )
    payload = receiver.requests[0].payload()
    assert "state" not in payload["view"]
    assert payload["user"] == {}
    await driver.view_closed("U1", view, omit=["view"])
    assert "view" not in receiver.requests[1].payload()


def signed_over(request) -> bool:
    expected = (
        "v0="
        + hmac.new(
            SECRET.encode(),
            b"v0:" + request.headers["X-Slack-Request-Timestamp"].encode() + b":" + request.raw,
            hashlib.sha256,
        ).hexdigest()
    )
    return hmac.compare_digest(expected, request.headers["X-Slack-Signature"])


async def test_raw_bodies_and_headers_are_signed_over_the_exact_bytes(driver, receiver):
    body = b"\xff\xfe not utf-8 at all \x00"
    await driver.send_raw(body, content_type="application/octet-stream")
    await driver.send_raw("payload=%7Bbroken", headers={"X-Extra": "1"})
    await driver.send_raw(b"", content_type=None)
    raw, broken, empty = receiver.requests
    assert raw.raw == body
    assert raw.headers["Content-Type"] == "application/octet-stream"
    assert broken.headers["X-Extra"] == "1"
    assert empty.raw == b""
    assert empty.headers.get("Content-Type") != "application/x-www-form-urlencoded"
    assert all(signed_over(r) for r in receiver.requests)
    assert verified(broken), "slack_sdk agrees where it can read the body"
    tampered = driver.tampered()
    await tampered.send_raw(body)
    assert not signed_over(receiver.requests[-1])


async def test_headers_can_replace_the_signature_headers(driver, receiver):
    await driver.send_raw("a=b", headers={"X-Slack-Signature": "v0=deadbeef"})
    assert receiver.requests[0].headers["X-Slack-Signature"] == "v0=deadbeef"
    assert not verified(receiver.requests[0])
    await driver.send_raw("a=b", headers={"X-Slack-Request-Timestamp": "not-a-number"})
    assert receiver.requests[1].headers["X-Slack-Request-Timestamp"] == "not-a-number"


async def test_send_form_interaction_and_envelope(driver, receiver):
    await driver.send_form({"command": "/mlquiz"})
    await driver.send_interaction('{"type": "block_actions", "actions": [')
    await driver.send_interaction({"type": "shortcut"})
    await driver.send_envelope("[]")
    form, broken, shortcut, envelope = receiver.requests
    assert form.form() == {"command": "/mlquiz"}
    assert dict(parse_qsl(broken.body))["payload"].endswith("[")
    assert shortcut.payload() == {"type": "shortcut"}
    assert envelope.body == "[]"
    assert all(verified(r) for r in receiver.requests)


async def test_builders_give_valid_payloads_to_break_and_send(driver, receiver, standin):
    form = driver.build_slash_command("/mlquiz", "ask", user_id="U1", channel_id="C1")
    assert form["response_url"].startswith(standin.base_url)
    form["channel_id"] = "\u0000"
    await driver.send_form(form)
    assert receiver.requests[0].form()["channel_id"] == "\u0000"

    envelope = driver.build_envelope(driver.app_home_opened("U1"), event_id="Ev1")
    envelope["event"]["tab"] = 42
    await driver.send_envelope(envelope)
    assert receiver.requests[1].payload()["event"]["tab"] == 42
    assert receiver.requests[1].payload()["event_id"] == "Ev1"

    blocks = [
        {
            "type": "actions",
            "elements": [
                {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}}
            ],
        }
    ]
    ts = standin.workspace.add_message("C1", user="UBOT", text="q", blocks=blocks, from_bot=True)[
        "ts"
    ]
    payload = driver.build_block_actions("U1", "go", channel_id="C1", message_ts=ts)
    payload["actions"] = []
    await driver.send_interaction(payload)
    assert receiver.requests[2].payload()["actions"] == []
    assert all(verified(r) for r in receiver.requests)


def test_edited_walks_dotted_paths_without_changing_the_original():
    payload = {"user": {"id": "U1", "name": "ada"}, "team": {"id": "T1"}}
    changed = edited(payload, ["user.name", "missing.key", "team"], {"user.id": "U2", "new.x": 1})
    assert changed == {"user": {"id": "U2"}, "new": {"x": 1}}
    assert payload == {"user": {"id": "U1", "name": "ada"}, "team": {"id": "T1"}}


async def test_message_events_in_group_dms_are_mpim(driver, client, standin):
    mpim = (await client.conversations_open(users="U1,U2"))["channel"]["id"]
    event = driver.message_event(mpim, "U1", "hello both")
    assert event["channel_type"] == "mpim"
    private = (await client.conversations_create(name="panel", is_private=True))["channel"]["id"]
    await client.conversations_invite(channel=private, users="U1")
    assert driver.message_event(private, "U1", "x")["channel_type"] == "group"
    assert [m["text"] for m in standin.messages(mpim)] == ["hello both"]


# -- apps that are down ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_a_down_app_gives_a_clear_result_from_a_tolerant_driver(standin):
    url = f"http://127.0.0.1:{free_port()}/slack/events"
    async with SlackDriver(url, SECRET, standin=standin) as driver:
        response = await driver.tolerant().slash_command(
            "/mlquiz", "", user_id="U1", channel_id="C1"
        )
        assert (response.status, response.delivered, response.error) == (
            0,
            False,
            "connection_refused",
        )
        assert response.payload["command"] == "/mlquiz"
        with pytest.raises(Exception):  # noqa: B017 - the plain driver raises as before
            await driver.slash_command("/mlquiz", "", user_id="U1", channel_id="C1")


async def serve(handler, port: int = 0) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/slack/events", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"


async def test_a_hung_or_dropping_app_gives_timeout_or_disconnected(standin):
    never = asyncio.Event()

    async def hang(request):
        await never.wait()
        return web.Response()

    async def drop(request):
        request.transport.close()
        return web.Response()

    for handler, error in ((hang, "timeout"), (drop, "disconnected")):
        runner, url = await serve(handler)
        try:
            async with SlackDriver(url, SECRET, standin=standin, timeout=0.3) as driver:
                response = await driver.tolerant().url_verification()
                assert response.error == error
        finally:
            never.set()
            await runner.cleanup()


async def test_until_delivered_waits_for_a_restarting_app(standin):
    port = free_port()
    url = f"http://127.0.0.1:{port}/slack/events"
    seen = []
    attempts = []
    runner = None

    async def handler(request):
        seen.append(await request.text())
        return web.json_response({"ok": True})

    async def send(driver):
        nonlocal runner
        attempts.append(1)
        if len(attempts) == 3:
            runner, _ = await serve(handler, port)
        return await driver.slash_command("/mlquiz", "ask", user_id="U1", channel_id="C1")

    try:
        async with SlackDriver(url, SECRET, standin=standin) as driver:
            response = await driver.until_delivered(send, timeout=10, interval=0)
        assert response.status == 200
        assert len(attempts) == 3
        assert len(seen) == 1
        with pytest.raises(TimeoutError):
            async with SlackDriver(
                f"http://127.0.0.1:{free_port()}/x", SECRET, standin=standin
            ) as down:
                await down.until_delivered(
                    lambda d: d.url_verification(), timeout=0.05, interval=0.01
                )
    finally:
        if runner is not None:
            await runner.cleanup()


def test_json_module_is_used_for_payloads():
    # Guards the assumption the edge tests make: payload JSON round-trips.
    assert json.loads(json.dumps(EVERY_VALUE)) == EVERY_VALUE
