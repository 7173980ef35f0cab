"""response_url: five uses within thirty minutes, and what was posted to each URL."""

from __future__ import annotations

import aiohttp
import pytest

from slack_standin.responses import MAX_USES, TTL_SECONDS


async def post(url: str, body) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        return response.status, await response.json()


def test_slacks_documented_rule():
    assert (MAX_USES, TTL_SECONDS) == (5, 30 * 60)


async def test_a_url_is_good_for_thirty_minutes(standin):
    url = standin.new_response_url(channel_id="C1", user_id="U1")
    standin.advance_clock(TTL_SECONDS - 1)
    assert (await post(url, {"text": "just in time"}))[0] == 200
    standin.advance_clock(2)
    status, body = await post(url, {"text": "too late"})
    assert (status, body["error"]) == (404, "expired_url")
    assert [e["text"] for e in standin.ephemerals(user="U1")] == ["just in time"]


async def test_each_url_has_its_own_age(standin):
    old = standin.new_response_url(channel_id="C1", user_id="U1")
    standin.advance_clock(TTL_SECONDS)
    new = standin.new_response_url(channel_id="C1", user_id="U1")
    standin.advance_clock(1)
    assert (await post(old, {"text": "x"}))[0] == 404
    assert (await post(new, {"text": "x"}))[0] == 200


async def test_a_sixth_use_is_used_url(standin):
    url = standin.new_response_url(channel_id="C1", user_id="U1")
    for i in range(MAX_USES):
        assert (await post(url, {"text": f"use {i}"}))[0] == 200
    status, body = await post(url, {"text": "one too many"})
    assert (status, body["error"]) == (404, "used_url")
    assert standin.response_url_uses(url) == MAX_USES


async def test_what_was_posted_to_each_url(standin):
    first = standin.new_response_url(channel_id="C1", user_id="U1")
    second = standin.new_response_url(channel_id="C1", user_id="U2")
    await post(first, {"text": "a"})
    await post(second, {"text": "b", "response_type": "in_channel"})
    await post(first, {"replace_original": False, "text": "c"})
    assert [p["text"] for p in standin.responses_to(first)] == ["a", "c"]
    assert standin.responses_to(second) == [{"text": "b", "response_type": "in_channel"}]
    assert standin.responses_to(standin.new_response_url(channel_id="C1")) == []
    assert [r["payload"]["text"] for r in standin.responses] == ["a", "b", "c"]


async def test_attempts_include_refused_and_faulted_posts(standin):
    url = standin.new_response_url(channel_id="C1", user_id="U1")
    standin.inject_fault("response_url", status=500, times=2)
    for _ in range(2):
        assert (await post(url, {"text": "x"}))[0] == 500
    assert (await post(url, {}))[0] == 400
    assert (await post(url, {"text": "finally"}))[0] == 200
    attempts = standin.response_attempts(url)
    assert [(a["status"], a["error"]) for a in attempts] == [
        (500, "fault"),
        (500, "fault"),
        (400, "no_text"),
        (200, None),
    ]
    assert [p["text"] for p in standin.responses_to(url)] == ["finally"]


async def test_trigger_ids_expire_on_the_same_clock(client, standin):
    from .test_web_api import MODAL, error_of

    trigger = standin.new_trigger_id("U1")
    standin.advance_clock(standin.trigger_ttl + 0.5)
    answer = await error_of(client.views_open(trigger_id=trigger, view=MODAL))
    assert answer["error"] == "expired_trigger_id"


def test_the_clock_only_moves_forward(standin):
    with pytest.raises(ValueError):
        standin.advance_clock(-1)
