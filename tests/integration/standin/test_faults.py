"""Injected faults: rate limits that slack_sdk's retry handler rides out, 5xx, slowness."""

from __future__ import annotations

import asyncio
import time

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient


async def test_rate_limited_post_is_retried_after_retry_after_and_stored_once(standin):
    client = AsyncWebClient(
        token=standin.bot_token,
        base_url=standin.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )
    standin.inject_fault("chat.postMessage", status=429, retry_after=0, times=1)
    answer = await client.chat_postMessage(channel="C1", text="question")
    assert answer["ok"]
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert [m["text"] for m in standin.messages("C1")] == ["question"]


async def test_rate_limit_without_retry_handler_surfaces_429_and_retry_after(client, standin):
    standin.inject_fault("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="x")
    response = raised.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response["error"] == "ratelimited"
    assert standin.messages("C1") == []
    # One fault, one call: the next call goes through.
    assert (await client.chat_postMessage(channel="C1", text="x"))["ok"]


async def test_retry_handler_honours_the_retry_after_wait(standin):
    client = AsyncWebClient(
        token=standin.bot_token,
        base_url=standin.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    standin.inject_fault("auth.test", retry_after=1)
    started = time.monotonic()
    await client.auth_test()
    assert time.monotonic() - started >= 1.0


async def test_server_error_then_success_with_server_error_handler(standin):
    client = AsyncWebClient(
        token=standin.bot_token,
        base_url=standin.api_url,
        retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=1)],
    )
    standin.inject_fault("chat.postMessage", status=500)
    assert (await client.chat_postMessage(channel="C1", text="x"))["ok"]
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert len(standin.messages("C1")) == 1


async def test_server_error_without_handler(client, standin):
    standin.inject_fault("views.publish", status=503)
    with pytest.raises(SlackApiError) as raised:
        await client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert raised.value.response.status_code == 503
    assert standin.home_view("U1") is None


async def test_error_fault_answers_ok_false(client, standin):
    standin.inject_fault("chat.update", error="edit_window_closed")
    with pytest.raises(SlackApiError) as raised:
        await client.chat_update(channel="C1", ts="1700000000.000001", text="x")
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "edit_window_closed"


async def test_slow_response_then_normal_answer(standin):
    client = AsyncWebClient(token=standin.bot_token, base_url=standin.api_url, timeout=5)
    standin.inject_fault("chat.postMessage", delay=0.3)
    started = time.monotonic()
    assert (await client.chat_postMessage(channel="C1", text="late"))["ok"]
    assert time.monotonic() - started >= 0.3
    assert [m["text"] for m in standin.messages("C1")] == ["late"]


async def test_slow_response_can_time_a_client_out(standin):
    client = AsyncWebClient(token=standin.bot_token, base_url=standin.api_url, timeout=0.2)
    standin.inject_fault("auth.test", delay=1.0)
    with pytest.raises(asyncio.TimeoutError):
        await client.auth_test()


async def test_times_counts_calls_and_faults_only_hit_their_method(client, standin):
    standin.inject_fault("chat.postMessage", error="fatal_error", times=2)
    assert (await client.auth_test())["ok"]
    for _ in range(2):
        with pytest.raises(SlackApiError):
            await client.chat_postMessage(channel="C1", text="x")
    assert (await client.chat_postMessage(channel="C1", text="x"))["ok"]


async def test_clear_faults(client, standin):
    standin.inject_fault("auth.test", times=5)
    standin.clear_faults()
    assert (await client.auth_test())["ok"]


async def test_faults_queue_in_order(client, standin):
    standin.inject_fault("auth.test", error="first")
    standin.inject_fault("auth.test", error="second")
    errors = []
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            await client.auth_test()
        errors.append(raised.value.response["error"])
    assert errors == ["first", "second"]


async def test_response_url_faults(standin):
    import aiohttp

    url = standin.new_response_url(channel_id="C1", user_id="U1")
    standin.inject_fault("response_url", status=500)
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"text": "x"}) as response:
            assert response.status == 500
        async with session.post(url, json={"text": "x"}) as response:
            assert response.status == 200
    assert [e["text"] for e in standin.ephemerals(user="U1")] == ["x"]


def test_times_must_be_positive(standin):
    with pytest.raises(ValueError):
        standin.inject_fault("auth.test", times=0)
