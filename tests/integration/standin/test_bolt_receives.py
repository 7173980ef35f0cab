"""A real slack-bolt AsyncApp, talking to the stand-in, understands every driver request."""

from __future__ import annotations

import pytest
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin.driver import SlackDriver

from .conftest import SECRET

MODAL = {
    "type": "modal",
    "callback_id": "answer",
    "private_metadata": "post-1",
    "title": {"type": "plain_text", "text": "Answer"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {
            "type": "input",
            "block_id": "answer",
            "label": {"type": "plain_text", "text": "Your answer"},
            "element": {"type": "plain_text_input", "action_id": "text"},
        }
    ],
}


def build_app(standin, seen: list) -> AsyncApp:
    client = AsyncWebClient(token=standin.bot_token, base_url=standin.api_url)
    app = AsyncApp(signing_secret=SECRET, client=client, process_before_response=True)

    @app.command("/mlquiz")
    async def ask(ack, command, client, respond):
        await ack()
        seen.append(("command", command["text"]))
        await client.chat_postMessage(
            channel=command["channel_id"],
            text="Question",
            blocks=[
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "answer_privately",
                            "text": {"type": "plain_text", "text": "Answer privately"},
                            "value": "post-1",
                        }
                    ],
                }
            ],
        )
        await respond("Posted.")

    @app.action("answer_privately")
    async def open_answer(ack, body, client):
        await ack()
        seen.append(("action", body["actions"][0]["value"]))
        await client.views_open(trigger_id=body["trigger_id"], view=MODAL)

    @app.view("answer")
    async def submitted(ack, view):
        seen.append(("view", view["state"]["values"]["answer"]["text"]["value"]))
        await ack()

    @app.event("message")
    async def message(event, say):
        seen.append(("message", event.get("subtype"), event.get("text")))
        if not event.get("subtype"):
            await say(text="Got it", thread_ts=event.get("thread_ts") or event["ts"])

    @app.event("app_home_opened")
    async def home(event, client):
        seen.append(("home", event["user"]))
        await client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    return app


@pytest.fixture
async def bolt_driver(standin):
    seen: list = []
    app = build_app(standin, seen)

    async def dispatch(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", dispatch)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    async with SlackDriver(url, SECRET, standin=standin) as driver:
        yield driver, seen
    await runner.cleanup()


async def test_bolt_routes_every_kind_of_request(bolt_driver, standin):
    driver, seen = bolt_driver
    assert (
        await driver.slash_command("/mlquiz", "ask pca", user_id="U1", channel_id="C1")
    ).status == 200
    [question] = standin.messages("C1")
    assert [e["text"] for e in standin.ephemerals(user="U1")] == ["Posted."]

    await driver.block_actions("U1", "answer_privately", channel_id="C1", message_ts=question["ts"])
    [modal] = standin.open_views("U1")
    await driver.view_submission(
        "U1", modal, {"answer": {"text": "variance"}}, callback_id="answer"
    )
    assert standin.open_views("U1") == []

    await driver.event(driver.message_event("C1", "U2", "thread answer", thread_ts=question["ts"]))
    reply = standin.thread("C1", question["ts"])[1]
    await driver.event(driver.message_changed("C1", reply["ts"], "better answer"))
    await driver.event(driver.app_home_opened("U1"))

    assert seen == [
        ("command", "ask pca"),
        ("action", "post-1"),
        ("view", "variance"),
        ("message", None, "thread answer"),
        ("message", "message_changed", None),
        ("home", "U1"),
    ]
    assert [m["text"] for m in standin.thread("C1", question["ts"])] == [
        "Question",
        "better answer",
        "Got it",
    ]
    assert standin.home_view("U1") is not None


async def test_bolt_refuses_bad_and_stale_signatures(bolt_driver, standin):
    driver, seen = bolt_driver
    for variant in (driver.tampered(), driver.stale(), driver.unsigned()):
        response = await variant.slash_command("/mlquiz", "ask", user_id="U1", channel_id="C1")
        assert response.status == 401
    assert seen == []
    assert standin.messages("C1") == []


async def test_bolt_answers_url_verification(bolt_driver):
    driver, _ = bolt_driver
    response = await driver.url_verification("xyz")
    assert response.status == 200
    assert response.json() == {"challenge": "xyz"}
