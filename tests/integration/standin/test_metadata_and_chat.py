"""Message metadata on chat.postMessage / chat.update, and Slack's rules for editing and
deleting the bot's messages."""

from __future__ import annotations

import json

import pytest
from slack_sdk.errors import SlackApiError

from .test_web_api import SECTION, error_of, raw_post

META = {"event_type": "interview_question", "event_payload": {"session": 7, "slot": "a"}}


async def test_metadata_is_stored_and_returned_on_post(client, standin):
    answer = await client.chat_postMessage(channel="C1", text="Q1", metadata=META)
    assert answer["message"]["metadata"] == META
    [stored] = standin.messages("C1")
    assert stored["metadata"] == META
    assert standin.metadata("C1", answer["ts"]) == META


async def test_metadata_may_come_as_a_json_string_in_a_form(standin):
    answer = await raw_post(
        standin,
        "chat.postMessage",
        token=standin.bot_token,
        data={"channel": "C1", "text": "Q1", "metadata": json.dumps(META)},
    )
    assert answer["ok"] is True
    assert standin.metadata("C1", answer["ts"]) == META


async def test_a_message_without_metadata_has_none(client, standin):
    answer = await client.chat_postMessage(channel="C1", text="plain")
    assert "metadata" not in standin.messages("C1")[0]
    assert standin.metadata("C1", answer["ts"]) is None


@pytest.mark.parametrize(
    ("metadata", "error"),
    [
        ("{not json", "invalid_metadata_format"),
        ("[1, 2]", "invalid_metadata_format"),
        ('"a string"', "invalid_metadata_format"),
        (json.dumps({"event_payload": {}}), "invalid_metadata_schema"),
        (json.dumps({"event_type": "x"}), "invalid_metadata_schema"),
        (json.dumps({"event_type": "x", "event_payload": [1]}), "invalid_metadata_schema"),
        (json.dumps({"event_type": 5, "event_payload": {}}), "invalid_metadata_schema"),
        (json.dumps({"event_type": "", "event_payload": {}}), "invalid_metadata_schema"),
    ],
)
async def test_malformed_metadata_is_refused_and_nothing_is_posted(standin, metadata, error):
    answer = await raw_post(
        standin,
        "chat.postMessage",
        token=standin.bot_token,
        data={"channel": "C1", "text": "Q1", "metadata": metadata},
    )
    assert answer == {"ok": False, "error": error}
    assert standin.messages("C1") == []


async def test_an_event_type_with_a_period_posts_but_drops_the_metadata_with_a_warning(
    client, standin
):
    answer = await client.chat_postMessage(
        channel="C1", text="Q1", metadata={"event_type": "quiz.posted", "event_payload": {}}
    )
    assert answer["ok"] is True
    assert answer["response_metadata"]["warnings"] == ["invalid_metadata_schema"]
    assert standin.metadata("C1", answer["ts"]) is None


async def test_update_keeps_metadata_unless_given_and_an_empty_object_removes_it(client, standin):
    posted = await client.chat_postMessage(channel="C1", text="Q1", metadata=META)
    ts = posted["ts"]
    updated = await client.chat_update(channel="C1", ts=ts, text="Q1 (closed)")
    assert updated["message"]["metadata"] == META
    assert standin.metadata("C1", ts) == META

    changed = {"event_type": "interview_question", "event_payload": {"session": 7, "done": True}}
    await client.chat_update(channel="C1", ts=ts, text="Q1 (graded)", metadata=changed)
    assert standin.metadata("C1", ts) == changed

    await client.chat_update(channel="C1", ts=ts, text="Q1", metadata={})
    assert standin.metadata("C1", ts) is None


async def test_update_refuses_malformed_metadata_and_changes_nothing(standin, client):
    posted = await client.chat_postMessage(channel="C1", text="Q1", metadata=META)
    answer = await raw_post(
        standin,
        "chat.update",
        token=standin.bot_token,
        data={"channel": "C1", "ts": posted["ts"], "text": "new", "metadata": "{"},
    )
    assert answer["error"] == "invalid_metadata_format"
    assert standin.messages("C1")[0]["text"] == "Q1"
    assert standin.metadata("C1", posted["ts"]) == META


async def test_update_with_text_only_removes_the_old_blocks(client, standin):
    posted = await client.chat_postMessage(channel="C1", text="Q1", blocks=SECTION)
    await client.chat_update(channel="C1", ts=posted["ts"], text="plain now")
    [message] = standin.messages("C1")
    assert message["text"] == "plain now"
    assert "blocks" not in message, "Slack drops blocks when chat.update gets text alone"


async def test_update_with_blocks_keeps_the_new_blocks(client, standin):
    posted = await client.chat_postMessage(channel="C1", text="Q1")
    await client.chat_update(channel="C1", ts=posted["ts"], text="Q1", blocks=SECTION)
    assert standin.messages("C1")[0]["blocks"][0]["text"]["text"] == "*PCA?*"


async def test_posting_to_an_archived_channel_is_is_archived(client, standin):
    posted = await client.chat_postMessage(channel="C1", text="before")
    standin.archive_channel("C1")
    assert (await error_of(client.chat_postMessage(channel="C1", text="x")))[
        "error"
    ] == "is_archived"
    assert (await error_of(client.chat_update(channel="C1", ts=posted["ts"], text="x")))[
        "error"
    ] == "is_inactive"
    reaction = client.reactions_add(channel="C1", timestamp=posted["ts"], name="eyes")
    assert (await error_of(reaction))["error"] == "is_archived"
    ephemeral = client.chat_postEphemeral(channel="C1", user="U1", text="x")
    assert (await error_of(ephemeral))["error"] == "is_archived"
    assert [m["text"] for m in standin.messages("C1")] == ["before"]


# -- chat.delete ----------------------------------------------------------------------


async def test_the_bot_deletes_only_its_own_messages(client, standin):
    mine = await client.chat_postMessage(channel="C1", text="bot")
    theirs = standin.post_as_user("C1", "U1", "person")
    other_bot = standin.workspace.add_message("C1", user="U9", text="other app", from_bot=True)
    other_bot["bot_id"] = "B0999"
    for ts in (theirs["ts"], other_bot["ts"]):
        assert (await error_of(client.chat_delete(channel="C1", ts=ts)))[
            "error"
        ] == "cant_delete_message"
    assert (await client.chat_delete(channel="C1", ts=mine["ts"]))["ok"]
    assert [m["text"] for m in standin.messages("C1")] == ["person", "other app"]


async def test_delete_errors(client, standin):
    standin.add_channel("G5", name="hidden", bot_is_member=False)
    cases = [
        (dict(channel="C1", ts="1700000000.000001"), "message_not_found"),
        (dict(channel="C404", ts="1700000000.000001"), "channel_not_found"),
        (dict(channel="G5", ts="1700000000.000001"), "channel_not_found"),
    ]
    for kwargs, error in cases:
        assert (await error_of(client.chat_delete(**kwargs)))["error"] == error, kwargs
    answer = await raw_post(standin, "chat.delete", token=standin.bot_token, data={"channel": "C1"})
    assert answer["error"] == "message_not_found"


async def test_a_deleted_parent_stays_as_a_tombstone_until_its_last_reply_goes(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="Question")
    r1 = await client.chat_postMessage(channel="C1", text="r1", thread_ts=parent["ts"])
    r2 = await client.chat_postMessage(channel="C1", text="r2", thread_ts=parent["ts"])
    await client.chat_delete(channel="C1", ts=parent["ts"])
    [tombstone] = standin.messages("C1")
    assert tombstone["subtype"] == "tombstone"
    assert "blocks" not in tombstone
    # A tombstone is no message of the bot's any more.
    for call in (
        client.chat_delete(channel="C1", ts=parent["ts"]),
        client.chat_update(channel="C1", ts=parent["ts"], text="back"),
    ):
        assert (await error_of(call))["error"] == "message_not_found"
    await client.chat_delete(channel="C1", ts=r1["ts"])
    assert [m["text"] for m in standin.thread("C1", parent["ts"])][1:] == ["r2"]
    await client.chat_delete(channel="C1", ts=r2["ts"])
    assert standin.messages("C1") == []
    assert standin.thread("C1", parent["ts"]) == []


async def test_deleting_a_broadcast_reply_removes_it_from_thread_and_channel(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="Question")
    reply = await client.chat_postMessage(
        channel="C1", text="Answer", thread_ts=parent["ts"], reply_broadcast=True
    )
    await client.chat_delete(channel="C1", ts=reply["ts"])
    assert [m["text"] for m in standin.messages("C1")] == ["Question"]
    assert "reply_count" not in standin.thread("C1", parent["ts"])[0]


async def test_the_bot_cannot_update_a_persons_message_or_a_missing_one(client, standin):
    theirs = standin.post_as_user("C1", "U1", "mine")
    with pytest.raises(SlackApiError) as raised:
        await client.chat_update(channel="C1", ts=theirs["ts"], text="edited by bot")
    assert raised.value.response["error"] == "cant_update_message"
    assert standin.messages("C1")[0]["text"] == "mine"
