"""What the driver sends has the shape of Slack's requests, signed as Slack signs them."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from slack_sdk.signature import SignatureVerifier

from slack_standin.contract import EVENT_WRAPPER_SCHEMA, event_wrapper_schema
from slack_standin.driver import SlackDriver

from .conftest import SECRET

SLASH_FIELDS = {
    "token",
    "team_id",
    "team_domain",
    "channel_id",
    "channel_name",
    "user_id",
    "user_name",
    "command",
    "text",
    "api_app_id",
    "is_enterprise_install",
    "response_url",
    "trigger_id",
}
QUESTION_BLOCKS = [
    {"type": "section", "block_id": "q", "text": {"type": "mrkdwn", "text": "*PCA?*"}},
    {
        "type": "actions",
        "block_id": "act",
        "elements": [
            {
                "type": "button",
                "action_id": "answer_privately",
                "text": {"type": "plain_text", "text": "Answer privately"},
                "value": "post-1",
            },
            {
                "type": "static_select",
                "action_id": "rate",
                "placeholder": {"type": "plain_text", "text": "Rate"},
                "options": [
                    {"text": {"type": "plain_text", "text": "Good"}, "value": "good"},
                    {"text": {"type": "plain_text", "text": "Bad"}, "value": "bad"},
                ],
            },
        ],
    },
]
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
            "element": {"type": "plain_text_input", "action_id": "text", "multiline": True},
        },
        {
            "type": "input",
            "block_id": "level",
            "optional": True,
            "label": {"type": "plain_text", "text": "Confidence"},
            "element": {
                "type": "radio_buttons",
                "action_id": "pick",
                "options": [
                    {"text": {"type": "plain_text", "text": "Sure"}, "value": "sure"},
                    {"text": {"type": "plain_text", "text": "Guess"}, "value": "guess"},
                ],
            },
        },
    ],
}


def verified(request) -> bool:
    return SignatureVerifier(SECRET).is_valid_request(request.body, request.headers)


async def post_question(standin, channel="C1") -> str:
    return standin.workspace.add_message(
        channel, user="UBOT", text="Question", blocks=QUESTION_BLOCKS, from_bot=True
    )["ts"]


async def open_modal(client, standin, user="U1", spec=MODAL) -> dict:
    return (await client.views_open(trigger_id=standin.new_trigger_id(user), view=spec))["view"]


# -- signing ---------------------------------------------------------------------


async def test_every_request_is_signed_and_verifies(driver, receiver, standin):
    ts = await post_question(standin)
    await driver.slash_command("/mlquiz", "ask pca", user_id="U1", channel_id="C1")
    await driver.event(driver.message_event("C1", "U1", "hi"))
    await driver.block_actions("U1", "answer_privately", channel_id="C1", message_ts=ts)
    await driver.url_verification()
    assert len(receiver.requests) == 4
    assert all(verified(r) for r in receiver.requests)


async def test_tampered_stale_and_unsigned_requests_do_not_verify(driver, receiver):
    await driver.tampered().slash_command("/mlquiz", "", user_id="U1", channel_id="C1")
    await driver.stale().slash_command("/mlquiz", "", user_id="U1", channel_id="C1")
    await driver.unsigned().slash_command("/mlquiz", "", user_id="U1", channel_id="C1")
    tampered, stale, unsigned = receiver.requests
    assert not verified(tampered)
    assert not verified(stale)
    assert (
        int(stale.headers["X-Slack-Request-Timestamp"])
        < int(tampered.headers["X-Slack-Request-Timestamp"]) - 300
    )
    assert "X-Slack-Signature" not in unsigned.headers
    # The variants leave the original driver signing correctly.
    await driver.slash_command("/mlquiz", "", user_id="U1", channel_id="C1")
    assert verified(receiver.requests[-1])


async def test_response_carries_status_body_and_what_was_sent(driver, receiver):
    receiver.reply = (200, '{"response_type": "ephemeral", "text": "ok"}')
    response = await driver.slash_command("/mlquiz", "help", user_id="U1", channel_id="C1")
    assert response.status == 200
    assert response.json() == {"response_type": "ephemeral", "text": "ok"}
    assert response.payload["text"] == "help"


# -- slash commands ----------------------------------------------------------------


async def test_slash_command_is_a_form_with_slacks_fields(driver, receiver, standin):
    await driver.slash_command("/mlquiz", "ask pca hard", user_id="U1", channel_id="C1")
    [request] = receiver.requests
    assert request.content_type == "application/x-www-form-urlencoded"
    form = request.form()
    assert set(form) == SLASH_FIELDS
    assert form["command"] == "/mlquiz"
    assert form["text"] == "ask pca hard"
    assert (form["user_id"], form["user_name"]) == ("U1", "ada")
    assert (form["channel_id"], form["channel_name"]) == ("C1", "ml-daily")
    assert form["team_id"] == "T0001"
    assert form["response_url"].startswith(standin.base_url)
    assert form["is_enterprise_install"] == "false"


async def test_slash_command_trigger_opens_a_modal(driver, receiver, client, standin):
    await driver.slash_command("/mlquiz", "", user_id="U2", channel_id="C1")
    trigger = receiver.requests[0].form()["trigger_id"]
    await client.views_open(trigger_id=trigger, view=MODAL)
    assert len(standin.open_views("U2")) == 1


async def test_slash_command_response_url_replies_like_slack(driver, receiver, standin):
    import aiohttp

    await driver.slash_command("/mlquiz", "", user_id="U1", channel_id="C1")
    url = receiver.requests[0].form()["response_url"]
    async with aiohttp.ClientSession() as session:
        for body in ({"text": "just you"}, {"text": "everyone", "response_type": "in_channel"}):
            async with session.post(url, json=body) as response:
                assert response.status == 200
    assert [e["text"] for e in standin.ephemerals(user="U1", channel="C1")] == ["just you"]
    assert [m["text"] for m in standin.messages("C1")] == ["everyone"]
    assert [r["payload"]["text"] for r in standin.responses] == ["just you", "everyone"]


async def test_a_command_from_an_unknown_channel_or_user_makes_them_exist(driver, standin):
    await driver.slash_command("/mlquiz", "", user_id="U9", channel_id="C9")
    assert standin.workspace.channel("C9").id == "C9"
    assert "U9" in standin.workspace.users


# -- events ------------------------------------------------------------------------


@pytest.mark.skipif(
    not EVENT_WRAPPER_SCHEMA.exists(), reason=f"event wrapper schema not at {EVENT_WRAPPER_SCHEMA}"
)
async def test_event_envelope_matches_slacks_schema(driver, receiver):
    event_ids = set()
    for event in (
        driver.message_event("C1", "U1", "my answer"),
        driver.app_home_opened("U1"),
    ):
        await driver.event(event)
    for request in receiver.requests:
        envelope = request.payload()
        jsonschema.validate(envelope, event_wrapper_schema())
        assert envelope["type"] == "event_callback"
        assert envelope["authorizations"][0]["user_id"] == "UBOT"
        assert envelope["authorizations"][0]["is_bot"] is True
        assert envelope["is_ext_shared_channel"] is False
        assert envelope["event_context"]
        event_ids.add(envelope["event_id"])
    assert len(event_ids) == 2


@pytest.mark.skipif(
    not EVENT_WRAPPER_SCHEMA.exists(), reason=f"event wrapper schema not at {EVENT_WRAPPER_SCHEMA}"
)
def test_the_relaxed_schema_still_rejects_envelopes_without_authorizations():
    envelope = {
        "token": "t",
        "team_id": "T",
        "api_app_id": "A",
        "type": "event_callback",
        "event_id": "Ev1",
        "event_time": 1,
        "event": {"type": "message", "event_ts": "1.000001"},
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(envelope, event_wrapper_schema())
    jsonschema.validate(envelope | {"authorizations": [{}]}, event_wrapper_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            envelope | {"authorizations": [{}], "event_time": "1"}, event_wrapper_schema()
        )


async def test_retries_repeat_the_event_id_with_retry_headers(driver, receiver, standin):
    event = driver.message_event("C1", "U1", "answer")
    first = await driver.event(event)
    await driver.event(
        event, event_id=first.payload["event_id"], retry_num=1, retry_reason="http_timeout"
    )
    original, retry = receiver.requests
    assert "X-Slack-Retry-Num" not in original.headers
    assert retry.headers["X-Slack-Retry-Num"] == "1"
    assert retry.headers["X-Slack-Retry-Reason"] == "http_timeout"
    assert retry.payload()["event_id"] == original.payload()["event_id"]
    assert retry.payload()["event"] == original.payload()["event"]
    assert len(standin.messages("C1")) == 1, "a retried delivery is not a second message"


async def test_message_event_shape_and_thread_state(driver, standin):
    parent = await post_question(standin)
    event = driver.message_event("C1", "U2", "variance", thread_ts=parent)
    assert event["type"] == "message"
    assert (event["channel"], event["user"], event["text"]) == ("C1", "U2", "variance")
    assert event["thread_ts"] == parent
    assert event["parent_user_id"] == "UBOT"
    assert event["event_ts"] == event["ts"]
    assert event["channel_type"] == "channel"
    assert event["client_msg_id"]
    assert event["blocks"][0]["type"] == "rich_text"
    assert [m["text"] for m in standin.thread("C1", parent)] == ["Question", "variance"]
    assert standin.thread("C1", parent)[0]["reply_count"] == 1


async def test_dm_message_events_are_im(driver, standin):
    dm = standin.dm_channel("U1")
    event = driver.message_event(dm, "U1", "ask pca")
    assert event["channel_type"] == "im"
    assert driver.message_event("C1", "U1", "x", channel_type="group")["channel_type"] == "group"


async def test_message_changed_and_deleted_follow_the_stand_in(driver, standin):
    parent = await post_question(standin)
    typed = driver.message_event("C1", "U1", "first try", thread_ts=parent)
    changed = driver.message_changed("C1", typed["ts"], "second try")
    assert changed["subtype"] == "message_changed"
    assert changed["hidden"] is True
    assert changed["message"]["ts"] == typed["ts"]
    assert changed["message"]["text"] == "second try"
    assert changed["message"]["edited"]["user"] == "U1"
    assert changed["previous_message"]["text"] == "first try"
    assert changed["message"]["thread_ts"] == parent
    assert standin.thread("C1", parent)[1]["text"] == "second try"

    deleted = driver.message_deleted("C1", typed["ts"])
    assert deleted["subtype"] == "message_deleted"
    assert deleted["deleted_ts"] == typed["ts"]
    assert deleted["previous_message"]["text"] == "second try"
    assert [m["text"] for m in standin.thread("C1", parent)] == ["Question"]


async def test_changing_a_message_that_does_not_exist_is_a_test_bug(driver):
    with pytest.raises(LookupError):
        driver.message_changed("C1", "1700000000.000001", "x")


async def test_app_home_opened_carries_the_published_view(driver, client, standin):
    assert "view" not in driver.app_home_opened("U1")
    await client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    event = driver.app_home_opened("U1")
    assert event["type"] == "app_home_opened"
    assert event["tab"] == "home"
    assert event["channel"] == standin.dm_channel("U1")
    assert event["view"]["type"] == "home"


async def test_url_verification(driver, receiver):
    await driver.url_verification("abc123")
    assert receiver.requests[0].payload() == {
        "token": driver.install.token,
        "challenge": "abc123",
        "type": "url_verification",
    }


# -- block_actions -------------------------------------------------------------------


async def test_button_click_on_a_message(driver, receiver, standin):
    ts = await post_question(standin)
    await driver.block_actions("U1", "answer_privately", channel_id="C1", message_ts=ts)
    payload = receiver.requests[0].payload()
    assert receiver.requests[0].content_type == "application/x-www-form-urlencoded"
    assert payload["type"] == "block_actions"
    assert payload["user"]["id"] == "U1"
    assert payload["team"]["id"] == "T0001"
    assert payload["api_app_id"] == "A0001"
    assert payload["trigger_id"]
    assert payload["container"] == {
        "type": "message",
        "message_ts": ts,
        "channel_id": "C1",
        "is_ephemeral": False,
    }
    assert payload["channel"] == {"id": "C1", "name": "ml-daily"}
    assert payload["message"]["ts"] == ts
    assert payload["response_url"].startswith(standin.base_url)
    [action] = payload["actions"]
    assert action["action_id"] == "answer_privately"
    assert action["block_id"] == "act"
    assert action["value"] == "post-1", "a button's own value when none is given"
    assert action["type"] == "button"
    assert action["text"]["text"] == "Answer privately"


async def test_select_sends_the_selected_option(driver, receiver, standin):
    ts = await post_question(standin)
    await driver.block_actions("U1", "rate", "bad", channel_id="C1", message_ts=ts)
    [action] = receiver.requests[0].payload()["actions"]
    assert action["type"] == "static_select"
    assert action["selected_option"]["value"] == "bad"
    assert action["selected_option"]["text"]["text"] == "Bad"


async def test_click_on_an_ephemeral_has_no_message_and_can_replace_it(
    driver, receiver, client, standin
):
    import aiohttp

    posted = await client.chat_postEphemeral(
        channel="C1", user="U1", text="q", blocks=QUESTION_BLOCKS
    )
    await driver.block_actions(
        "U1", "answer_privately", channel_id="C1", message_ts=posted["message_ts"]
    )
    payload = receiver.requests[0].payload()
    assert payload["container"]["is_ephemeral"] is True
    assert "message" not in payload
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            payload["response_url"], json={"replace_original": True, "text": "answered"}
        ) as response,
    ):
        assert response.status == 200
    assert [e["text"] for e in standin.ephemerals(user="U1")] == ["answered"]


async def test_response_url_replace_and_delete_original(driver, receiver, standin):
    import aiohttp

    ts = await post_question(standin)
    await driver.block_actions("U1", "answer_privately", channel_id="C1", message_ts=ts)
    url = receiver.requests[0].payload()["response_url"]
    async with aiohttp.ClientSession() as session:
        await session.post(url, json={"replace_original": True, "text": "Closed"})
        assert standin.messages("C1")[0]["text"] == "Closed"
        await session.post(url, json={"delete_original": True})
        assert standin.messages("C1") == []
        async with session.post(url, json={}) as response:
            assert response.status == 400
            assert (await response.json())["error"] == "no_text"


async def test_response_url_is_good_for_five_posts(driver, receiver, standin):
    import aiohttp

    url = standin.new_response_url(channel_id="C1", user_id="U1")
    async with aiohttp.ClientSession() as session:
        statuses = []
        for _ in range(6):
            async with session.post(url, json={"text": "x"}) as response:
                statuses.append(response.status)
        async with session.post(url + "nope", json={"text": "x"}) as response:
            assert (await response.json())["error"] == "expired_url"
    assert statuses == [200] * 5 + [404]


async def test_clicking_something_not_on_screen_is_a_test_bug(driver, standin):
    ts = await post_question(standin)
    with pytest.raises(LookupError):
        await driver.block_actions("U1", "no_such_button", channel_id="C1", message_ts=ts)
    with pytest.raises(LookupError):
        await driver.block_actions("U1", "answer_privately", channel_id="C1", message_ts="1.000001")
    with pytest.raises(ValueError):
        await driver.block_actions("U1", "answer_privately")


async def test_click_inside_a_modal(driver, receiver, client, standin):
    spec = copy.deepcopy(MODAL)
    spec["blocks"].append(QUESTION_BLOCKS[1])
    view = await open_modal(client, standin, spec=spec)
    await driver.block_actions("U1", "answer_privately", view=view)
    payload = receiver.requests[0].payload()
    assert payload["container"] == {"type": "view", "view_id": view["id"]}
    assert payload["view"]["id"] == view["id"]
    assert "response_url" not in payload


# -- view_submission -----------------------------------------------------------------


async def test_view_submission_payload_and_modal_closes(driver, receiver, client, standin):
    view = await open_modal(client, standin)
    response = await driver.view_submission(
        "U1",
        view,
        {"answer": {"text": "it maximises variance"}, "level": {"pick": "sure"}},
        callback_id="answer",
    )
    assert response.status == 200
    payload = receiver.requests[0].payload()
    assert payload["type"] == "view_submission"
    assert payload["user"]["id"] == "U1"
    assert payload["trigger_id"]
    assert payload["response_urls"] == []
    submitted = payload["view"]
    assert submitted["id"] == view["id"]
    assert submitted["callback_id"] == "answer"
    assert submitted["private_metadata"] == "post-1"
    assert submitted["hash"] == view["hash"]
    assert submitted["state"]["values"] == {
        "answer": {"text": {"type": "plain_text_input", "value": "it maximises variance"}},
        "level": {
            "pick": {
                "type": "radio_buttons",
                "selected_option": {
                    "text": {"type": "plain_text", "text": "Sure"},
                    "value": "sure",
                },
            }
        },
    }
    assert standin.open_views("U1") == [], "an empty ack closes the modal"


async def test_empty_optional_input_is_sent_as_null(driver, receiver, client, standin):
    view = await open_modal(client, standin)
    await driver.view_submission("U1", view, {"answer": {"text": "x"}}, callback_id="answer")
    values = receiver.requests[0].payload()["view"]["state"]["values"]
    assert values["level"]["pick"] == {"type": "radio_buttons", "selected_option": None}


async def test_submitting_without_a_required_input_or_with_a_wrong_one_is_a_test_bug(
    driver, client, standin
):
    view = await open_modal(client, standin)
    with pytest.raises(ValueError, match="required"):
        await driver.view_submission("U1", view, {}, callback_id="answer")
    with pytest.raises(LookupError):
        await driver.view_submission("U1", view, {"answr": {"text": "x"}}, callback_id="answer")
    with pytest.raises(ValueError, match="callback_id"):
        await driver.view_submission("U1", view, {"answer": {"text": "x"}}, callback_id="other")


async def test_response_action_errors_keeps_the_modal(driver, receiver, client, standin):
    view = await open_modal(client, standin)
    receiver.reply = (
        200,
        json.dumps({"response_action": "errors", "errors": {"answer": "Too short"}}),
    )
    response = await driver.view_submission(
        "U1", view, {"answer": {"text": "x"}}, callback_id="answer"
    )
    assert response.json()["errors"] == {"answer": "Too short"}
    [still_open] = standin.open_views("U1")
    assert still_open["state"]["values"]["answer"]["text"]["value"] == "x"


async def test_response_action_update_push_and_clear(driver, receiver, client, standin):
    view = await open_modal(client, standin)
    thanks = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Thanks"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Graded"}}],
    }
    receiver.reply = (200, json.dumps({"response_action": "update", "view": thanks}))
    await driver.view_submission("U1", view, {"answer": {"text": "x"}}, callback_id="answer")
    assert [v["title"]["text"] for v in standin.open_views("U1")] == ["Thanks"]

    receiver.reply = (200, json.dumps({"response_action": "push", "view": thanks}))
    await driver.view_submission("U1", standin.open_views("U1")[-1], {}, callback_id="")
    assert len(standin.open_views("U1")) == 2

    receiver.reply = (200, json.dumps({"response_action": "clear"}))
    await driver.view_submission("U1", standin.open_views("U1")[-1], {}, callback_id="")
    assert standin.open_views("U1") == []


async def test_view_closed(driver, receiver, client, standin):
    view = await open_modal(client, standin)
    await driver.view_closed("U1", view)
    assert receiver.requests[0].payload()["type"] == "view_closed"
    assert standin.open_views("U1") == []


# -- without a stand-in ----------------------------------------------------------------


async def test_driver_works_without_a_stand_in(receiver):
    async with SlackDriver(receiver.url, SECRET) as bare:
        await bare.slash_command("/mlquiz", "help", user_id="U1", channel_id="C1")
        event = bare.message_event("C1", "U1", "hi")
        await bare.event(event)
        await bare.block_actions("U1", "go", "v", channel_id="C1", message_ts=event["ts"])
        await bare.view_submission(
            "U1", {"type": "modal", "blocks": []}, {"a": {"t": "text"}}, callback_id="cb"
        )
    assert all(verified(r) for r in receiver.requests)
    assert receiver.requests[0].form()["response_url"].startswith("https://hooks.slack.com/")
    submitted = receiver.requests[3].payload()["view"]
    assert submitted["state"]["values"] == {
        "a": {"t": {"type": "plain_text_input", "value": "text"}}
    }
