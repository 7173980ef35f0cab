"""conversations.* and users.list answer like Slack: history and threads with cursor pages,
channels the bot creates and manages, group DMs, and users who cannot get a DM."""

from __future__ import annotations

import pytest

from slack_standin.ids import format_ts, parse_ts

from .test_web_api import error_of, raw_post

META = {"event_type": "quiz_post", "event_payload": {"question": "pca-1"}}


async def post_many(client, channel: str, count: int) -> list[str]:
    return [
        (await client.chat_postMessage(channel=channel, text=f"m{i}"))["ts"] for i in range(count)
    ]


async def all_pages(call, **kwargs) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        answer = await call(**kwargs, **({"cursor": cursor} if cursor else {}))
        pages.append([m["text"] for m in answer["messages"]])
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        assert answer["has_more"] is bool(cursor)
        if not cursor:
            return pages


# -- conversations.history ------------------------------------------------------------


async def test_history_is_newest_first_top_level_only(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="Question")
    await client.chat_postMessage(channel="C1", text="hidden reply", thread_ts=parent["ts"])
    await client.chat_postMessage(
        channel="C1", text="broadcast", thread_ts=parent["ts"], reply_broadcast=True
    )
    await client.chat_postMessage(channel="C1", text="later")
    answer = await client.conversations_history(channel="C1")
    assert [m["text"] for m in answer["messages"]] == ["later", "broadcast", "Question"]
    assert answer["has_more"] is False
    assert "response_metadata" not in answer
    assert answer["messages"][2]["reply_count"] == 2


async def test_history_pages_with_cursors_until_has_more_is_false(client, standin):
    await post_many(client, "C1", 7)
    pages = await all_pages(client.conversations_history, channel="C1", limit=3)
    assert pages == [["m6", "m5", "m4"], ["m3", "m2", "m1"], ["m0"]]


async def test_history_cursor_survives_new_messages_arriving_between_pages(client, standin):
    await post_many(client, "C1", 4)
    first = await client.conversations_history(channel="C1", limit=2)
    await client.chat_postMessage(channel="C1", text="newer")
    second = await client.conversations_history(
        channel="C1", limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    assert [m["text"] for m in second["messages"]] == ["m1", "m0"]


async def test_history_limit_defaults_to_100_and_is_capped_at_999(client, standin):
    for i in range(1001):
        standin.workspace.add_message(
            "C1", user="U1", text=f"u{i}", ts=format_ts(1700000000_000000 + i)
        )
    default = await client.conversations_history(channel="C1")
    assert len(default["messages"]) == 100
    assert default["has_more"] is True
    huge = await client.conversations_history(channel="C1", limit=5000)
    assert len(huge["messages"]) == 999


async def test_history_page_cap_for_non_marketplace_apps(standin):
    from slack_sdk.web.async_client import AsyncWebClient

    from slack_standin import SlackStandin

    async with SlackStandin(signing_secret="s", history_page_cap=15) as capped:
        capped.add_channel("C1")
        client = AsyncWebClient(token=capped.bot_token, base_url=capped.api_url)
        await post_many(client, "C1", 20)
        assert len((await client.conversations_history(channel="C1"))["messages"]) == 15
        assert len((await client.conversations_history(channel="C1", limit=100))["messages"]) == 15


async def test_history_oldest_latest_and_inclusive(client, standin):
    stamps = [format_ts(1700000000_000000 + i * 1_000_000) for i in range(5)]
    for i, ts in enumerate(stamps):
        standin.workspace.add_message("C1", user="U1", text=f"t{i}", ts=ts)

    async def texts(**kwargs):
        return [
            m["text"]
            for m in (await client.conversations_history(channel="C1", **kwargs))["messages"]
        ]

    assert await texts(oldest=stamps[1], latest=stamps[3]) == ["t2"]
    assert await texts(oldest=stamps[1], latest=stamps[3], inclusive=True) == ["t3", "t2", "t1"]
    assert await texts(oldest=stamps[3]) == ["t4"]
    assert await texts(latest="1700000001") == ["t0"]
    for bad, error in (("oldest", "invalid_ts_oldest"), ("latest", "invalid_ts_latest")):
        answer = await error_of(client.conversations_history(channel="C1", **{bad: "soon"}))
        assert answer["error"] == error


async def test_history_returns_metadata_only_when_asked(client, standin):
    await client.chat_postMessage(channel="C1", text="Q", metadata=META)
    plain = await client.conversations_history(channel="C1")
    assert "metadata" not in plain["messages"][0]
    full = await client.conversations_history(channel="C1", include_all_metadata=True)
    assert full["messages"][0]["metadata"] == META


async def test_history_errors_and_dms(client, standin):
    standin.add_channel("C2", name="random", bot_is_member=False)
    standin.add_channel("G2", name="secret", bot_is_member=False)
    assert (await error_of(client.conversations_history(channel="C404")))[
        "error"
    ] == "channel_not_found"
    assert (await error_of(client.conversations_history(channel="C2")))["error"] == "not_in_channel"
    assert (await error_of(client.conversations_history(channel="G2")))[
        "error"
    ] == "channel_not_found"
    answer = await raw_post(standin, "conversations.history", token=standin.bot_token, data={})
    assert answer["error"] == "channel_not_found"
    assert (await error_of(client.conversations_history(channel="C1", cursor="garbage")))[
        "error"
    ] == "invalid_cursor"

    dm = standin.dm_channel("U1")
    standin.post_as_user(dm, "U1", "hello bot")
    await client.chat_postMessage(channel="U1", text="hello human")
    answer = await client.conversations_history(channel=dm)
    assert [m["text"] for m in answer["messages"]] == ["hello human", "hello bot"]


# -- conversations.replies ------------------------------------------------------------


async def test_replies_parent_first_then_replies_oldest_first(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="Question", metadata=META)
    await client.chat_postMessage(channel="C1", text="r1", thread_ts=parent["ts"])
    standin.post_as_user("C1", "U1", "r2", thread_ts=parent["ts"])
    reply = await client.chat_postMessage(channel="C1", text="r3", thread_ts=parent["ts"])
    answer = await client.conversations_replies(channel="C1", ts=parent["ts"])
    assert [m["text"] for m in answer["messages"]] == ["Question", "r1", "r2", "r3"]
    assert answer["has_more"] is False
    assert "metadata" not in answer["messages"][0]
    # Any message of the thread names the thread.
    via_reply = await client.conversations_replies(
        channel="C1", ts=reply["ts"], include_all_metadata=True
    )
    assert [m["text"] for m in via_reply["messages"]] == ["Question", "r1", "r2", "r3"]
    assert via_reply["messages"][0]["metadata"] == META


async def test_replies_page_and_a_lone_message_comes_back_alone(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="P")
    for i in range(4):
        await client.chat_postMessage(channel="C1", text=f"r{i}", thread_ts=parent["ts"])
    pages = await all_pages(client.conversations_replies, channel="C1", ts=parent["ts"], limit=2)
    assert pages == [["P", "r0"], ["r1", "r2"], ["r3"]]
    lone = await client.chat_postMessage(channel="C1", text="alone")
    answer = await client.conversations_replies(channel="C1", ts=lone["ts"])
    assert [m["text"] for m in answer["messages"]] == ["alone"]


async def test_replies_errors(client, standin):
    standin.add_channel("C2", bot_is_member=False)
    assert (await error_of(client.conversations_replies(channel="C1", ts="1700000000.000001")))[
        "error"
    ] == "thread_not_found"
    posted = await client.chat_postMessage(channel="C1", text="x")
    assert (await error_of(client.conversations_replies(channel="C404", ts=posted["ts"])))[
        "error"
    ] == "channel_not_found"
    assert (await error_of(client.conversations_replies(channel="C2", ts=posted["ts"])))[
        "error"
    ] == "channel_not_found"
    answer = await raw_post(
        standin, "conversations.replies", token=standin.bot_token, data={"channel": "C1"}
    )
    assert answer["error"] == "thread_not_found"


async def test_replies_of_a_deleted_parent_start_with_its_tombstone(client, standin):
    parent = await client.chat_postMessage(channel="C1", text="P")
    await client.chat_postMessage(channel="C1", text="r", thread_ts=parent["ts"])
    await client.chat_delete(channel="C1", ts=parent["ts"])
    answer = await client.conversations_replies(channel="C1", ts=parent["ts"])
    assert [m.get("subtype") for m in answer["messages"]] == ["tombstone", None]


# -- channels the bot creates ----------------------------------------------------------


async def test_create_makes_the_bot_creator_and_only_member(client, standin):
    answer = await client.conversations_create(name="debrief-ada-2024", is_private=True)
    channel = answer["channel"]
    assert channel["name"] == "debrief-ada-2024"
    assert channel["is_private"] is True
    assert channel["is_member"] is True
    assert channel["creator"] == "UBOT"
    assert channel["id"].startswith("C")
    info = (await client.conversations_info(channel=channel["id"]))["channel"]
    assert (info["name"], info["is_private"], info["is_archived"]) == (
        "debrief-ada-2024",
        True,
        False,
    )
    assert (await client.conversations_members(channel=channel["id"]))["members"] == ["UBOT"]
    assert standin.channel_info("debrief-ada-2024")["id"] == channel["id"]
    public = (await client.conversations_create(name="public-one"))["channel"]
    assert public["is_private"] is False
    assert public["is_channel"] is True


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "invalid_name_required"),
        ("a" * 81, "invalid_name_maxlength"),
        ("Debrief", "invalid_name_specials"),
        ("debrief ada", "invalid_name_specials"),
        ("debrief.ada", "invalid_name_specials"),
        ("débrief", "invalid_name_specials"),
        ("#debrief", "invalid_name_specials"),
        ("---", "invalid_name_punctuation"),
        ("_", "invalid_name_punctuation"),
    ],
)
async def test_create_checks_slacks_name_rules(standin, name, error):
    answer = await raw_post(
        standin, "conversations.create", token=standin.bot_token, data={"name": name}
    )
    assert answer == {"ok": False, "error": error}


async def test_create_name_limits_and_name_taken(client, standin):
    assert (await client.conversations_create(name="a" * 80))["ok"]
    assert (await client.conversations_create(name="debrief_2-b"))["ok"]
    for taken in ("ml-daily", "debrief_2-b"):
        assert (await error_of(client.conversations_create(name=taken)))["error"] == "name_taken"
    standin.archive_channel(standin.channel_info("debrief_2-b")["id"])
    assert (await error_of(client.conversations_create(name="debrief_2-b")))[
        "error"
    ] == "name_taken", "an archived channel keeps its name"


async def test_a_workspace_can_forbid_private_channels(client, standin):
    standin.restrict_channel_creation(private=True)
    assert (await error_of(client.conversations_create(name="secret", is_private=True)))[
        "error"
    ] == "restricted_action"
    assert (await client.conversations_create(name="open-one"))["ok"], "public still allowed"
    standin.restrict_channel_creation(private=False, public=True)
    assert (await error_of(client.conversations_create(name="open-two")))[
        "error"
    ] == "restricted_action"
    assert (await client.conversations_create(name="secret", is_private=True))["ok"]


async def test_invite_adds_members(client, standin):
    channel = (await client.conversations_create(name="panel", is_private=True))["channel"]["id"]
    answer = await client.conversations_invite(channel=channel, users="U1,U2")
    assert answer["channel"]["id"] == channel
    assert sorted((await client.conversations_members(channel=channel))["members"]) == [
        "U1",
        "U2",
        "UBOT",
    ]
    assert standin.members(channel) == ["U1", "U2", "UBOT"]


async def test_invite_errors_change_nothing(client, standin):
    channel = (await client.conversations_create(name="panel", is_private=True))["channel"]["id"]
    await client.conversations_invite(channel=channel, users="U1")
    standin.add_user("U3", name="gone", deleted=True)
    cases = [
        ("U1", "already_in_channel"),
        ("U404", "user_not_found"),
        ("U3", "user_not_found"),
        ("UBOT", "cant_invite_self"),
        ("U2,U404", "user_not_found"),
    ]
    for users, error in cases:
        answer = await error_of(client.conversations_invite(channel=channel, users=users))
        assert answer["error"] == error, users
    assert standin.members(channel) == ["U1", "UBOT"], "one bad user invites nobody"
    answer = await error_of(client.conversations_invite(channel=channel, users="U2,U404"))
    assert answer["errors"] == [{"user": "U404", "ok": False, "error": "user_not_found"}]


async def test_invite_with_force_invites_the_valid_users(client, standin):
    channel = (await client.conversations_create(name="panel"))["channel"]["id"]
    answer = await client.conversations_invite(channel=channel, users="U2,U404", force=True)
    assert answer["errors"] == [{"user": "U404", "ok": False, "error": "user_not_found"}]
    assert standin.members(channel) == ["U2", "UBOT"]


async def test_invite_channel_errors(client, standin):
    standin.add_channel("C2", bot_is_member=False, members=[])
    standin.add_channel("G2", bot_is_member=False, members=[])
    archived = (await client.conversations_create(name="old"))["channel"]["id"]
    await client.conversations_archive(channel=archived)
    cases = [
        ("C404", "channel_not_found"),
        ("C2", "not_in_channel"),
        ("G2", "channel_not_found"),
        (archived, "is_archived"),
        (standin.dm_channel("U1"), "method_not_supported_for_channel_type"),
    ]
    for channel, error in cases:
        answer = await error_of(client.conversations_invite(channel=channel, users="U2"))
        assert answer["error"] == error, channel
    fresh = (await client.conversations_create(name="fresh"))["channel"]["id"]
    answer = await raw_post(
        standin, "conversations.invite", token=standin.bot_token, data={"channel": fresh}
    )
    assert answer["error"] == "no_user"


async def test_archive(client, standin):
    channel = (await client.conversations_create(name="debrief"))["channel"]["id"]
    assert (await client.conversations_archive(channel=channel))["ok"]
    assert (await client.conversations_info(channel=channel))["channel"]["is_archived"] is True
    assert (await error_of(client.conversations_archive(channel=channel)))[
        "error"
    ] == "already_archived"
    assert (await error_of(client.chat_postMessage(channel=channel, text="x")))[
        "error"
    ] == "is_archived"
    standin.add_channel("C9", name="general")
    assert (await error_of(client.conversations_archive(channel="C9")))[
        "error"
    ] == "cant_archive_general"
    assert (await error_of(client.conversations_archive(channel=standin.dm_channel("U1"))))[
        "error"
    ] == "method_not_supported_for_channel_type"
    assert (await error_of(client.conversations_archive(channel="C404")))[
        "error"
    ] == "channel_not_found"


async def test_topic_and_purpose(client, standin):
    channel = (await client.conversations_create(name="debrief"))["channel"]["id"]
    topic = await client.conversations_setTopic(channel=channel, topic="Interview: Ada")
    assert topic["channel"]["topic"]["value"] == "Interview: Ada"
    purpose = await client.conversations_setPurpose(channel=channel, purpose="Debrief panel")
    assert purpose["channel"]["purpose"]["value"] == "Debrief panel"
    info = standin.channel_info(channel)
    assert (info["topic"]["value"], info["purpose"]["value"]) == ("Interview: Ada", "Debrief panel")
    assert info["topic"]["creator"] == "UBOT"
    assert (await client.conversations_setTopic(channel=channel, topic="t" * 250))["ok"]
    for call in (
        client.conversations_setTopic(channel=channel, topic="t" * 251),
        client.conversations_setPurpose(channel=channel, purpose="p" * 251),
    ):
        assert (await error_of(call))["error"] == "too_long"
    standin.add_channel("C2", bot_is_member=False)
    assert (await error_of(client.conversations_setTopic(channel="C2", topic="x")))[
        "error"
    ] == "not_in_channel"
    await client.conversations_archive(channel=channel)
    assert (await error_of(client.conversations_setPurpose(channel=channel, purpose="x")))[
        "error"
    ] == "is_archived"


async def test_members_pages_and_errors(client, standin):
    channel = (await client.conversations_create(name="panel"))["channel"]["id"]
    for i in range(5):
        standin.add_user(f"UP{i}")
    await client.conversations_invite(channel=channel, users=",".join(f"UP{i}" for i in range(5)))
    seen, cursor = [], None
    while True:
        answer = await client.conversations_members(channel=channel, limit=2, cursor=cursor)
        assert len(answer["members"]) <= 2
        seen += answer["members"]
        cursor = answer["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted([f"UP{i}" for i in range(5)] + ["UBOT"])
    assert len(seen) == 6
    dm = (await client.conversations_members(channel=standin.dm_channel("U1")))["members"]
    assert sorted(dm) == ["U1", "UBOT"]
    assert (await error_of(client.conversations_members(channel="C404")))[
        "error"
    ] == "channel_not_found"
    assert (await error_of(client.conversations_members(channel=channel, limit=0)))[
        "error"
    ] == "invalid_limit"
    assert (await error_of(client.conversations_members(channel=channel, cursor="nope")))[
        "error"
    ] == "invalid_cursor"


async def test_info_num_members_and_private_channels_the_bot_is_not_in(client, standin):
    channel = (await client.conversations_create(name="panel", is_private=True))["channel"]["id"]
    await client.conversations_invite(channel=channel, users="U1")
    info = await client.conversations_info(channel=channel, include_num_members=True)
    assert info["channel"]["num_members"] == 2
    standin.add_channel("G3", bot_is_member=False)
    assert (await error_of(client.conversations_info(channel="G3")))["error"] == "channel_not_found"


# -- DMs and group DMs -----------------------------------------------------------------


async def test_open_with_several_users_opens_one_group_dm_per_set(client, standin):
    standin.add_user("U3", name="grace")
    first = await client.conversations_open(users="U1,U2,U3")
    again = await client.conversations_open(users=["U3", "U1", "U2", "U1"])
    other = await client.conversations_open(users="U1,U2")
    mpim = first["channel"]["id"]
    assert again["channel"]["id"] == mpim
    assert again["already_open"] is True
    assert other["channel"]["id"] not in (mpim, standin.dm_channel("U1"))
    info = (await client.conversations_info(channel=mpim))["channel"]
    assert info["is_mpim"] is True
    assert info["is_private"] is True
    assert info["is_im"] is False
    assert info["name"] == "mpdm-ada--alan--grace-1"
    assert sorted(standin.members(mpim)) == ["U1", "U2", "U3", "UBOT"]
    await client.chat_postMessage(channel=mpim, text="Debrief here")
    assert [m["text"] for m in standin.messages(mpim)] == ["Debrief here"]
    # Naming the bot itself changes nothing.
    assert (await client.conversations_open(users="U1,U2,U3,UBOT"))["channel"]["id"] == mpim
    resumed = await client.conversations_open(channel=mpim, return_im=True)
    assert resumed["channel"]["is_mpim"] is True


async def test_open_group_dm_limits(client, standin):
    for i in range(9):
        standin.add_user(f"UG{i}")
    eight = ",".join(f"UG{i}" for i in range(8))
    assert (await client.conversations_open(users=eight))["ok"]
    nine = ",".join(f"UG{i}" for i in range(9))
    assert (await error_of(client.conversations_open(users=nine)))["error"] == "too_many_users"
    assert (await error_of(client.conversations_open(channel="C1")))[
        "error"
    ] == "method_not_supported_for_channel_type"
    assert (await error_of(client.conversations_open(channel="G404")))[
        "error"
    ] == "channel_not_found"


async def test_users_who_cannot_get_a_dm(client, standin):
    standin.add_user("U7", name="left", deleted=True)
    standin.add_user("B7", name="otherbot", is_bot=True)
    assert (await error_of(client.conversations_open(users="U7")))["error"] == "user_not_found"
    assert (await error_of(client.conversations_open(users="B7")))["error"] == "cannot_dm_bot"
    assert (await error_of(client.conversations_open(users="U1,U7")))["error"] == "user_not_found"
    assert (await error_of(client.chat_postMessage(channel="U7", text="x")))[
        "error"
    ] == "user_not_found"
    user = (await client.users_info(user="U7"))["user"]
    assert user["deleted"] is True
    assert (await client.users_info(user="B7"))["user"]["is_bot"] is True


async def test_one_users_dms_fail_with_a_chosen_error(client, standin):
    standin.fail_dms("U2", "account_inactive")
    for call in (
        client.conversations_open(users="U2"),
        client.conversations_open(users="U1,U2"),
        client.chat_postMessage(channel="U2", text="x"),
        client.chat_postMessage(channel=standin.dm_channel("U2"), text="x"),
    ):
        assert (await error_of(call))["error"] == "account_inactive"
    assert standin.messages(standin.dm_channel("U2")) == []
    assert not any(c.is_mpim for c in standin.workspace.channels.values()), (
        "a refused group DM is never created"
    )
    # Other users and channels are unaffected.
    assert (await client.conversations_open(users="U1"))["ok"]
    assert (await client.chat_postMessage(channel="C1", text="fine"))["ok"]
    standin.clear_dm_failures("U2")
    assert (await client.chat_postMessage(channel="U2", text="now"))["ok"]


async def test_a_dm_failure_can_be_limited_in_times_and_methods(client, standin):
    standin.fail_dms("U1", "user_disabled", times=1, methods=["conversations.open"])
    assert (await error_of(client.conversations_open(users="U1")))["error"] == "user_disabled"
    assert (await client.conversations_open(users="U1"))["ok"]
    standin.fail_dms("U1", "account_inactive", methods=["chat.postMessage"])
    assert (await client.conversations_open(users="U1"))["ok"]
    assert (await error_of(client.chat_postMessage(channel="U1", text="x")))[
        "error"
    ] == "account_inactive"
    with pytest.raises(ValueError, match=r"conversations\.opne"):
        standin.fail_dms("U1", methods=["conversations.opne"])
    with pytest.raises(ValueError):
        standin.fail_dms("U1", times=0)


# -- users.list ------------------------------------------------------------------------


async def test_users_list_pages_and_includes_deleted_users_and_bots(client, standin):
    standin.add_user("U7", name="left", display_name="Left", deleted=True)
    standin.add_user("B7", name="otherbot", is_bot=True)
    seen, cursor = [], None
    pages = 0
    while True:
        answer = await client.users_list(limit=2, cursor=cursor)
        pages += 1
        assert len(answer["members"]) <= 2
        seen += answer["members"]
        cursor = answer["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    by_id = {u["id"]: u for u in seen}
    assert sorted(by_id) == ["B7", "U1", "U2", "U7", "UBOT"]
    assert by_id["U7"]["deleted"] is True
    assert by_id["B7"]["is_bot"] is True
    assert by_id["U1"]["profile"]["display_name"] == "ada"
    assert by_id["U1"]["tz_offset"] in (3600, 7200)
    everyone = await client.users_list()
    assert len(everyone["members"]) == 5
    assert everyone["response_metadata"]["next_cursor"] == ""
    assert (await error_of(client.users_list(cursor="bogus!")))["error"] == "invalid_cursor"


async def test_users_list_gives_what_resolving_a_typed_name_needs(client, standin):
    standin.add_user("U5", name="grace.hopper", real_name="Grace Hopper", display_name="Grace")
    standin.add_user("U6", name="old.grace", display_name="Grace", deleted=True)
    members = (await client.users_list())["members"]
    matches = [
        (u["id"], u["deleted"])
        for u in members
        if u["profile"]["display_name"] == "Grace" or u["name"] == "grace.hopper"
    ]
    assert matches == [("U5", False), ("U6", True)]
    grace = next(u for u in members if u["id"] == "U5")
    assert grace["real_name"] == grace["profile"]["real_name"] == "Grace Hopper"


def test_cursor_encoding_round_trips():
    from slack_standin.args import decode_cursor, encode_cursor

    assert decode_cursor(encode_cursor("user", "U1"), "user") == "U1"
    assert decode_cursor(None, "user") is None
    assert parse_ts(format_ts(1700000000_000123)) == 1700000000_000123


# -- users.conversations and conversations.kick ---------------------------------------


async def test_users_conversations_lists_the_bots_conversations_of_the_types_asked(client):
    secret = (await client.conversations_create(name="debrief-c-abcde", is_private=True))[
        "channel"
    ]["id"]
    await client.conversations_create(name="open-one")
    archived = (await client.conversations_create(name="old-room", is_private=True))["channel"][
        "id"
    ]
    await client.conversations_archive(channel=archived)
    private = await client.users_conversations(types="private_channel", exclude_archived=True)
    assert [c["id"] for c in private["channels"]] == [secret]
    with_archived = await client.users_conversations(types="private_channel")
    assert {c["id"] for c in with_archived["channels"]} == {secret, archived}
    answer = await error_of(client.users_conversations(types="secret_rooms"))
    assert answer["error"] == "invalid_types"


async def test_users_conversations_pages_with_a_cursor(client):
    made = [
        (await client.conversations_create(name=f"room-{n}", is_private=True))["channel"]["id"]
        for n in range(5)
    ]
    seen, cursor = [], None
    while True:
        page = await client.users_conversations(
            types="private_channel", limit=2, **({"cursor": cursor} if cursor else {})
        )
        seen += [c["id"] for c in page["channels"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made)


async def test_kick_removes_a_member_and_names_what_it_cannot_do(client, standin):
    channel = (await client.conversations_create(name="panel", is_private=True))["channel"]["id"]
    await client.conversations_invite(channel=channel, users="U1,U2")
    assert (await client.conversations_kick(channel=channel, user="U1"))["ok"]
    assert standin.members(channel) == ["U2", "UBOT"]
    for user, error in (
        ("U1", "not_in_channel"),
        ("U404", "user_not_found"),
        ("UBOT", "cant_kick_self"),
    ):
        answer = await error_of(client.conversations_kick(channel=channel, user=user))
        assert answer["error"] == error, user
