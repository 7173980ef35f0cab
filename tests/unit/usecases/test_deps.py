"""How a use case answers the person who asked, and the outgoing message builders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.ports.requests import ButtonPress, HomeOpened, conversation_of, kind_of
from bot.slack.blocks import plain
from bot.usecases import deps as deps_module
from bot.usecases.deps import ReplyTo, reaction, reply, reply_message
from tests.unit.builders import URL, USER, fake, reply_to
from tests.unit.fakes import T0, TEAM


@pytest.mark.parametrize(
    ("to", "action", "channel", "url", "expires"),
    [
        (ReplyTo(TEAM, USER, URL, "C1"), "respond", None, URL, T0 + timedelta(minutes=30)),
        (ReplyTo(TEAM, USER, None, "C1"), "ephemeral", "C1", None, None),
        (ReplyTo(TEAM, USER, None, "DU1"), "dm", "DU1", None, None),
        (ReplyTo(TEAM, USER), "dm", None, None, None),
    ],
)
def test_a_reply_goes_by_response_url_else_ephemeral_else_dm(to, action, channel, url, expires):
    message = reply_message(to, plain("hi"), now=T0)
    assert (message.action, message.channel_id, message.url, message.expires_at) == (
        action,
        channel,
        url,
        expires,
    )
    assert (message.user_id, message.text, message.key.startswith("reply:")) == (USER, "hi", True)


def test_with_channel_keeps_the_rest():
    assert ReplyTo(TEAM, USER, URL).with_channel("C9") == ReplyTo(TEAM, USER, URL, "C9")


def test_a_reaction_is_keyed_by_its_message_and_name():
    one = reaction(TEAM, "C1", "1.1", "white_check_mark")
    assert one.key == "react:C1:1.1:white_check_mark"
    assert (one.action, one.target_ts, one.reaction) == ("react", "1.1", "white_check_mark")


async def test_reply_commits_one_message(deps):
    await reply(deps, reply_to(), plain("hello"))
    (message,) = fake(deps).messages()
    assert (message.action, message.text) == ("respond", "hello")
    assert fake(deps).transactions == 1


def test_fresh_keys_differ():
    assert deps_module.new_key("x") != deps_module.new_key("x")


def test_requests_have_a_kind_and_a_conversation():
    press = ButtonPress(TEAM, USER, "a", "v", "t", reply_to())
    assert (kind_of(press), conversation_of(press)) == ("action", f"user:{USER}")
    assert (kind_of(HomeOpened(TEAM, USER)), conversation_of(HomeOpened(TEAM, USER))) == (
        "home",
        f"user:{USER}",
    )
    with pytest.raises(TypeError):
        kind_of("not a request")  # type: ignore[arg-type]
