"""The stand-in answers the Web API like Slack: shapes, state and Slack's error names."""

from __future__ import annotations

import json
import re

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.models import blocks as sdk
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin.workspace import SlackError

TS = re.compile(r"^\d{10}\.\d{6}$")
SECTION = [{"type": "section", "text": {"type": "mrkdwn", "text": "*PCA?*"}}]
MODAL = {
    "type": "modal",
    "callback_id": "answer",
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
HOME = {"type": "home", "blocks": SECTION}


async def error_of(call) -> dict:
    with pytest.raises(SlackApiError) as raised:
        await call
    assert raised.value.response.status_code == 200
    assert raised.value.response["ok"] is False
    return raised.value.response.data


async def raw_post(
    standin, method: str, *, token: str | None = None, headers: dict | None = None, **kwargs
) -> dict:
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    async with (
        aiohttp.ClientSession() as session,
        session.post(standin.api_url + method, headers=headers, **kwargs) as response,
    ):
        assert response.status == 200
        return await response.json()


# -- auth ------------------------------------------------------------------------


async def test_auth_test_describes_the_bot(client, standin):
    answer = await client.auth_test()
    assert answer["user_id"] == "UBOT"
    assert answer["team_id"] == "T0001"
    assert answer["bot_id"]


async def test_missing_token_is_not_authed(standin):
    answer = await raw_post(standin, "chat.postMessage", data={"channel": "C1", "text": "x"})
    assert answer == {"ok": False, "error": "not_authed"}


async def test_unknown_token_is_invalid_auth(standin):
    client = AsyncWebClient(token="xoxb-somebody-else", base_url=standin.api_url)
    assert (await error_of(client.auth_test()))["error"] == "invalid_auth"
    assert standin.messages("C1") == []


async def test_token_in_the_form_body_is_accepted(standin):
    answer = await raw_post(
        standin, "chat.postMessage", data={"token": standin.bot_token, "channel": "C1", "text": "x"}
    )
    assert answer["ok"] is True


async def test_unknown_method(standin):
    answer = await raw_post(standin, "chat.sendCarrierPigeon", token=standin.bot_token, data={})
    assert answer["ok"] is False
    assert answer["error"] == "unknown_method"


async def test_json_body_must_be_an_object(standin):
    answer = await raw_post(
        standin,
        "chat.postMessage",
        token=standin.bot_token,
        data="[1]",
        headers={"Content-Type": "application/json"},
    )
    assert answer["error"] == "json_not_object"


# -- chat.postMessage -------------------------------------------------------------


async def test_post_message_stores_and_returns_the_message(client, standin):
    answer = await client.chat_postMessage(channel="C1", text="Question", blocks=SECTION)
    assert TS.match(answer["ts"])
    assert answer["channel"] == "C1"
    assert answer["message"]["bot_id"]
    [stored] = standin.messages("C1")
    assert stored["ts"] == answer["ts"]
    assert stored["text"] == "Question"
    assert stored["blocks"][0]["block_id"], "Slack fills in a block_id"


async def test_form_encoded_and_json_bodies_both_work(standin):
    form = await raw_post(
        standin,
        "chat.postMessage",
        token=standin.bot_token,
        data={"channel": "C1", "text": "form", "blocks": json.dumps(SECTION)},
    )
    as_json = await raw_post(
        standin,
        "chat.postMessage",
        token=standin.bot_token,
        json={"channel": "C1", "text": "json", "blocks": SECTION},
    )
    assert form["ok"] and as_json["ok"]
    assert [m["text"] for m in standin.messages("C1")] == ["form", "json"]
    assert standin.messages("C1")[0]["blocks"][0]["text"]["text"] == "*PCA?*"


async def test_ts_values_are_unique_and_increasing(client, standin):
    answers = [await client.chat_postMessage(channel="C1", text=str(i)) for i in range(20)]
    values = [a["ts"] for a in answers]
    assert len(set(values)) == 20
    assert values == sorted(values, key=lambda ts: tuple(map(int, ts.split("."))))


async def test_blocks_without_text_work_but_warn(client):
    answer = await client.chat_postMessage(channel="C1", blocks=SECTION)
    assert answer["warning"] == "missing_text_or_fallback_or_attachments"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"channel": "C1"}, "no_text"),
        ({"channel": "C1", "text": ""}, "no_text"),
        ({"channel": "C404", "text": "x"}, "channel_not_found"),
        ({"channel": "", "text": "x"}, "channel_not_found"),
        ({"channel": "C1", "text": "x" * 40_001}, "msg_too_long"),
    ],
)
async def test_post_message_errors(client, kwargs, error):
    assert (await error_of(client.chat_postMessage(**kwargs)))["error"] == error


async def test_forty_thousand_characters_are_fine(client):
    assert (await client.chat_postMessage(channel="C1", text="x" * 40_000))["ok"]


async def test_invalid_blocks_say_what_is_wrong(client, standin):
    bad = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
    answer = await error_of(client.chat_postMessage(channel="C1", text="x", blocks=bad))
    assert answer["error"] == "invalid_blocks"
    [message] = answer["response_metadata"]["messages"]
    assert "150" in message
    assert "[json-pointer:/blocks/0/text/text]" in message
    assert standin.messages("C1") == []


async def test_input_blocks_are_invalid_in_messages(client):
    answer = await error_of(client.chat_postMessage(channel="C1", text="x", blocks=MODAL["blocks"]))
    assert answer["error"] == "invalid_blocks"


async def test_not_in_channel_and_private_channels(client, standin):
    standin.add_channel("C2", name="random", bot_is_member=False)
    standin.add_channel("G1", name="secret", bot_is_member=False)
    assert (await error_of(client.chat_postMessage(channel="C2", text="x")))[
        "error"
    ] == "not_in_channel"
    # A private channel the bot is not in does not exist as far as the bot can tell.
    assert (await error_of(client.chat_postMessage(channel="G1", text="x")))[
        "error"
    ] == "channel_not_found"


async def test_posting_to_a_user_id_lands_in_the_dm(client, standin):
    answer = await client.chat_postMessage(channel="U1", text="psst")
    assert answer["channel"] == standin.dm_channel("U1")
    assert [m["text"] for m in standin.messages(standin.dm_channel("U1"))] == ["psst"]


async def test_threads_count_replies_like_slack(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="Question")
    await client.chat_postMessage(channel="C1", text="r1", thread_ts=parent["ts"])
    standin.post_as_user("C1", "U1", "my answer", thread_ts=parent["ts"])
    reply = await client.chat_postMessage(channel="C1", text="r2", thread_ts=parent["ts"])
    thread = standin.thread("C1", parent["ts"])
    assert [m["text"] for m in thread] == ["Question", "r1", "my answer", "r2"]
    assert thread[0]["reply_count"] == 3
    assert thread[0]["reply_users"] == ["UBOT", "U1"]
    assert thread[0]["latest_reply"] == reply["ts"]
    assert all(m["thread_ts"] == parent["ts"] for m in thread)
    assert [m["text"] for m in standin.messages("C1")] == ["Question"], "replies stay in the thread"


async def test_reply_broadcast_also_shows_in_the_channel(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="Question")
    await client.chat_postMessage(
        channel="C1", text="Answer", thread_ts=parent["ts"], reply_broadcast=True
    )
    assert [m["text"] for m in standin.messages("C1")] == ["Question", "Answer"]


# -- chat.update / chat.delete ------------------------------------------------------


async def test_update_changes_the_message(client, standin):
    posted = await client.chat_postMessage(channel="C1", text="open")
    answer = await client.chat_update(channel="C1", ts=posted["ts"], text="closed", blocks=SECTION)
    assert answer["ts"] == posted["ts"]
    [message] = standin.messages("C1")
    assert message["text"] == "closed"
    assert message["edited"]["user"] == "UBOT"


async def test_update_errors(client, standin):
    posted = await client.chat_postMessage(channel="C1", text="open")
    user_message = standin.post_as_user("C1", "U1", "mine")
    cases = [
        (dict(channel="C1", ts="1700000000.000001", text="x"), "message_not_found"),
        (dict(channel="C404", ts=posted["ts"], text="x"), "channel_not_found"),
        (dict(channel="C1", ts=user_message["ts"], text="x"), "cant_update_message"),
        (dict(channel="C1", ts=posted["ts"]), "no_text"),
        (dict(channel="C1", ts=posted["ts"], text="x" * 40_001), "msg_too_long"),
    ]
    for kwargs, error in cases:
        assert (await error_of(client.chat_update(**kwargs)))["error"] == error, kwargs
    bad = [{"type": "section"}]
    answer = await error_of(client.chat_update(channel="C1", ts=posted["ts"], text="x", blocks=bad))
    assert answer["error"] == "invalid_blocks"
    assert standin.messages("C1")[0]["text"] == "open"


async def test_delete_removes_and_errors(client, standin):
    posted = await client.chat_postMessage(channel="C1", text="bye")
    user_message = standin.post_as_user("C1", "U1", "mine")
    assert (await client.chat_delete(channel="C1", ts=posted["ts"]))["ts"] == posted["ts"]
    assert [m["text"] for m in standin.messages("C1")] == ["mine"]
    assert (await error_of(client.chat_delete(channel="C1", ts=posted["ts"])))[
        "error"
    ] == "message_not_found"
    assert (await error_of(client.chat_delete(channel="C1", ts=user_message["ts"])))[
        "error"
    ] == "cant_delete_message"


async def test_deleting_a_reply_updates_the_parent(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="Question")
    reply = await client.chat_postMessage(channel="C1", text="r", thread_ts=parent["ts"])
    await client.chat_delete(channel="C1", ts=reply["ts"])
    [message] = standin.thread("C1", parent["ts"])
    assert "reply_count" not in message


async def test_deleting_a_parent_with_replies_leaves_a_tombstone(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="Question")
    await client.chat_postMessage(channel="C1", text="r", thread_ts=parent["ts"])
    await client.chat_delete(channel="C1", ts=parent["ts"])
    tombstone, reply = standin.thread("C1", parent["ts"])
    assert tombstone["subtype"] == "tombstone"
    assert reply["text"] == "r"


# -- ephemerals -------------------------------------------------------------------


async def test_ephemerals_are_kept_per_channel_and_user(client, standin):
    answer = await client.chat_postEphemeral(
        channel="C1", user="U1", text="only you", blocks=SECTION
    )
    assert TS.match(answer["message_ts"])
    await client.chat_postEphemeral(channel="C1", user="U2", text="only alan")
    assert [e["text"] for e in standin.ephemerals(user="U1")] == ["only you"]
    assert [e["text"] for e in standin.ephemerals(channel="C1")] == ["only you", "only alan"]
    assert standin.ephemerals(user="U1", channel="C2") == []
    assert standin.messages("C1") == []


async def test_ephemeral_errors(client, standin):
    standin.add_channel("C3", name="closed", members=["U2"])
    cases = [
        (dict(channel="C1", user="U404", text="x"), "user_not_found"),
        (dict(channel="C404", user="U1", text="x"), "channel_not_found"),
        (dict(channel="C1", user="U1"), "no_text"),
        (dict(channel="C3", user="U1", text="x"), "user_not_in_channel"),
    ]
    for kwargs, error in cases:
        assert (await error_of(client.chat_postEphemeral(**kwargs)))["error"] == error, kwargs


# -- conversations / users -----------------------------------------------------------


async def test_conversations_open_gives_a_stable_dm(client, standin):
    first = await client.conversations_open(users="U1")
    again = await client.conversations_open(users=["U1"])
    other = await client.conversations_open(users="U2")
    assert first["channel"]["id"] == again["channel"]["id"] == standin.dm_channel("U1")
    assert first["channel"]["id"].startswith("D")
    assert other["channel"]["id"] != first["channel"]["id"]


async def test_conversations_open_errors(client, standin):
    assert (await error_of(client.conversations_open(users="U404")))["error"] == "user_not_found"
    # slack_sdk refuses to send this one, so send it as a bare form.
    answer = await raw_post(standin, "conversations.open", token=standin.bot_token, data={})
    assert answer["error"] == "users_list_not_supplied"


async def test_conversations_info(client, standin):
    public = (await client.conversations_info(channel="C1"))["channel"]
    assert (public["name"], public["is_channel"], public["is_private"], public["is_member"]) == (
        "ml-daily",
        True,
        False,
        True,
    )
    standin.add_channel("G7", name="hiring-panel")
    private = (await client.conversations_info(channel="G7"))["channel"]
    assert private["is_private"] is True
    dm = (await client.conversations_info(channel=standin.dm_channel("U1")))["channel"]
    assert dm["is_im"] is True
    assert dm["user"] == "U1"
    assert (await error_of(client.conversations_info(channel="C404")))[
        "error"
    ] == "channel_not_found"


async def test_users_info_has_timezone_admin_and_names(client):
    user = (await client.users_info(user="U1"))["user"]
    assert user["tz"] == "Europe/Berlin"
    assert user["tz_offset"] in (3600, 7200)
    assert user["is_admin"] is True
    assert user["real_name"] == "Ada Lovelace"
    assert user["profile"]["display_name"] == "ada"
    other = (await client.users_info(user="U2"))["user"]
    assert other["tz_offset"] in (-18000, -14400)
    assert other["is_admin"] is False


async def test_users_info_errors(client, standin):
    assert (await error_of(client.users_info(user="U404")))["error"] == "user_not_found"
    answer = await raw_post(standin, "users.info", token=standin.bot_token, data={})
    assert answer["error"] == "user_not_found"


# -- reactions ------------------------------------------------------------------------


async def test_reactions(client, standin):
    posted = await client.chat_postMessage(channel="C1", text="x")
    await client.reactions_add(channel="C1", timestamp=posted["ts"], name="white_check_mark")
    assert standin.reactions("C1", posted["ts"]) == [
        {"name": "white_check_mark", "users": ["UBOT"], "count": 1}
    ]
    again = client.reactions_add(channel="C1", timestamp=posted["ts"], name="white_check_mark")
    assert (await error_of(again))["error"] == "already_reacted"
    missing = client.reactions_add(channel="C1", timestamp="1700000000.000001", name="eyes")
    assert (await error_of(missing))["error"] == "message_not_found"


# -- views ----------------------------------------------------------------------------


async def test_views_open_push_and_update(client, standin):
    trigger = standin.new_trigger_id("U1")
    opened = (await client.views_open(trigger_id=trigger, view=MODAL))["view"]
    assert opened["id"].startswith("V")
    assert opened["callback_id"] == "answer"
    assert [v["id"] for v in standin.open_views("U1")] == [opened["id"]]

    pushed = (await client.views_push(trigger_id=standin.new_trigger_id("U1"), view=MODAL))["view"]
    assert pushed["previous_view_id"] == opened["id"]
    assert pushed["root_view_id"] == opened["id"]

    changed = dict(MODAL, title={"type": "plain_text", "text": "Thanks"})
    updated = (await client.views_update(view_id=opened["id"], hash=opened["hash"], view=changed))[
        "view"
    ]
    assert updated["id"] == opened["id"]
    assert updated["hash"] != opened["hash"]
    assert [v["title"]["text"] for v in standin.open_views("U1")] == ["Thanks", "Answer"]


async def test_views_update_hash_conflict_and_unknown_view(client, standin):
    opened = (await client.views_open(trigger_id=standin.new_trigger_id("U1"), view=MODAL))["view"]
    await client.views_update(view_id=opened["id"], view=MODAL)
    stale = client.views_update(view_id=opened["id"], hash=opened["hash"], view=MODAL)
    assert (await error_of(stale))["error"] == "hash_conflict"
    # Slack's name for an unknown view_id on views.update is `not_found`.
    assert (await error_of(client.views_update(view_id="V404", view=MODAL)))["error"] == "not_found"
    neither = await raw_post(standin, "views.update", token=standin.bot_token, json={"view": MODAL})
    assert neither["error"] == "invalid_arguments"


async def test_views_update_by_external_id(client, standin):
    spec = dict(MODAL, external_id="answer-p1")
    await client.views_open(trigger_id=standin.new_trigger_id("U1"), view=spec)
    changed = dict(spec, title={"type": "plain_text", "text": "Graded"})
    answer = await client.views_update(external_id="answer-p1", view=changed)
    assert answer["view"]["title"]["text"] == "Graded"


async def test_trigger_ids_are_single_use_known_and_short_lived(client, standin):
    trigger = standin.new_trigger_id("U1")
    await client.views_open(trigger_id=trigger, view=MODAL)
    assert (await error_of(client.views_open(trigger_id=trigger, view=MODAL)))[
        "error"
    ] == "exchanged_trigger_id"
    assert (await error_of(client.views_open(trigger_id="123.456.abc", view=MODAL)))[
        "error"
    ] == "invalid_trigger_id"
    standin.view_store.trigger_ttl = 0.0
    late = standin.new_trigger_id("U1")
    assert (await error_of(client.views_open(trigger_id=late, view=MODAL)))[
        "error"
    ] == "expired_trigger_id"


async def test_invalid_views_are_refused_with_messages(client, standin):
    long_title = dict(MODAL, title={"type": "plain_text", "text": "t" * 25})
    answer = await error_of(
        client.views_open(trigger_id=standin.new_trigger_id("U1"), view=long_title)
    )
    assert answer["error"] == "invalid_arguments"
    assert any("/view/title/text" in m for m in answer["response_metadata"]["messages"])
    assert standin.open_views("U1") == []


async def test_modal_stack_is_at_most_three(client, standin):
    await client.views_open(trigger_id=standin.new_trigger_id("U1"), view=MODAL)
    for _ in range(2):
        await client.views_push(trigger_id=standin.new_trigger_id("U1"), view=MODAL)
    fourth = client.views_push(trigger_id=standin.new_trigger_id("U1"), view=MODAL)
    assert (await error_of(fourth))["error"] == "push_limit_reached"


async def test_views_publish_sets_the_home_tab(client, standin):
    first = (await client.views_publish(user_id="U1", view=HOME))["view"]
    assert standin.home_view("U1")["id"] == first["id"]
    second = (await client.views_publish(user_id="U1", view=HOME, hash=first["hash"]))["view"]
    assert second["id"] == first["id"]
    stale = client.views_publish(user_id="U1", view=HOME, hash=first["hash"])
    assert (await error_of(stale))["error"] == "hash_conflict"
    assert standin.home_view("U2") is None


async def test_views_publish_errors(client):
    assert (await error_of(client.views_publish(user_id="U404", view=HOME)))[
        "error"
    ] == "user_not_found"
    assert (await error_of(client.views_publish(user_id="U1", view=MODAL)))[
        "error"
    ] == "invalid_arguments"
    too_many = {"type": "home", "blocks": [{"type": "divider"}] * 101}
    assert (await error_of(client.views_publish(user_id="U1", view=too_many)))[
        "error"
    ] == "invalid_arguments"


async def test_views_built_with_slack_sdk_models_are_accepted(client, standin):
    from slack_sdk.models.views import View

    view = View(
        type="modal",
        callback_id="answer",
        title="Answer",
        submit="Send",
        blocks=[
            sdk.InputBlock(
                block_id="a", label="Answer", element=sdk.PlainTextInputElement(action_id="t")
            )
        ],
    )
    answer = await client.views_open(trigger_id=standin.new_trigger_id("U1"), view=view)
    assert answer["view"]["blocks"][0]["block_id"] == "a"


# -- bookkeeping ---------------------------------------------------------------------


async def test_calls_record_method_and_params_without_the_token(client, standin):
    await client.chat_postMessage(channel="C1", text="hi", blocks=SECTION)
    method, params = standin.calls[-1]
    assert method == "chat.postMessage"
    assert params == {"channel": "C1", "text": "hi", "blocks": SECTION}
    assert standin.calls_to("chat.postMessage") == [params]


async def test_reset_forgets_state_but_keeps_configured_users(client, standin):
    await client.chat_postMessage(channel="C1", text="hi")
    standin.inject_fault("auth.test", status=500)
    standin.reset()
    assert standin.calls == []
    assert standin.messages("C1") == []
    assert (await client.auth_test())["ok"]
    assert (await client.users_info(user="U1"))["user"]["real_name"] == "Ada Lovelace"
    assert (await error_of(client.chat_postMessage(channel="C1", text="x")))[
        "error"
    ] == "channel_not_found"


async def test_external_ids_are_unique_across_views_but_survive_republishing(client, standin):
    home = dict(HOME, external_id="home-u1")
    await client.views_publish(user_id="U1", view=home)
    assert (await client.views_publish(user_id="U1", view=home))["ok"]
    taken = client.views_open(
        trigger_id=standin.new_trigger_id("U1"), view=dict(MODAL, external_id="home-u1")
    )
    assert (await error_of(taken))["error"] == "duplicate_external_id"


def test_a_fault_on_a_misspelt_method_is_refused(standin):
    with pytest.raises(ValueError, match=r"chat\.postmessage"):
        standin.inject_fault("chat.postmessage")


def test_a_user_message_cannot_reuse_a_ts(standin):
    first = standin.post_as_user("C1", "U1", "one", ts="1700000000.000100")
    assert first["ts"] == "1700000000.000100"
    with pytest.raises(ValueError, match="already"):
        standin.post_as_user("C1", "U2", "two", ts="1700000000.000100")
    later = standin.post_as_user("C1", "U2", "three")
    assert later["ts"] > first["ts"]


def test_users_post_in_channels_they_are_in_and_in_their_own_dm_only(standin):
    standin.post_as_user("C77", "U1", "a channel Slack told us about exists")
    assert [m["text"] for m in standin.messages("C77")] == ["a channel Slack told us about exists"]
    standin.post_as_user(standin.dm_channel("U1"), "U1", "hi bot")
    with pytest.raises(SlackError):
        standin.post_as_user(standin.dm_channel("U2"), "U1", "not my DM")
