"""Call hooks: test code runs at an exact moment of a Web API call, e.g. to SIGKILL the
app after Slack stored its message but before the app heard the ts."""

from __future__ import annotations

import asyncio
import signal
import sys
import textwrap

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin.hooks import CallHook

# A stand-in for `mlquiz serve`: opens a DM, posts, and says which ts it learned.
APP = textwrap.dedent(
    """
    import asyncio, sys
    from slack_sdk.web.async_client import AsyncWebClient

    async def main():
        client = AsyncWebClient(token=sys.argv[2], base_url=sys.argv[1], retry_handlers=[])
        dm = (await client.conversations_open(users="U1"))["channel"]["id"]
        print("opened", dm, flush=True)
        answer = await client.chat_postMessage(channel=dm, text="question")
        print("learned", answer["ts"], flush=True)
        await asyncio.sleep(30)

    asyncio.run(main())
    """
)


def bare_client(standin, **kwargs) -> AsyncWebClient:
    # No retry handlers: the test sees exactly one call fail.
    return AsyncWebClient(
        token=standin.bot_token, base_url=standin.api_url, retry_handlers=[], **kwargs
    )


async def test_sigkill_the_app_after_slack_stored_a_dm_post(standin, tmp_path):
    script = tmp_path / "app.py"
    script.write_text(APP)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        standin.api_url,
        standin.bot_token,
        stdout=asyncio.subprocess.PIPE,
    )

    async def kill_app() -> None:
        proc.kill()
        await proc.wait()

    hook = standin.on_call(
        "chat.postMessage", kill_app, when=lambda params: standin.is_dm(params.get("channel"))
    )
    try:
        await hook.wait(timeout=30)
        out = (await proc.stdout.read()).decode()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert "opened" in out
    assert "learned" not in out, "the app died before it heard the ts"
    [stored] = standin.messages(standin.dm_channel("U1"))
    assert stored["text"] == "question", "Slack had already stored the message"
    assert hook.fired == 1
    assert hook.calls[0].result["ts"] == stored["ts"]


async def test_after_effect_runs_with_the_message_stored_and_before_the_answer(standin):
    seen = []

    def look() -> None:
        seen.append([m["text"] for m in standin.messages("C1")])

    hook = standin.on_call("chat.postMessage", look)
    answer = await bare_client(standin).chat_postMessage(channel="C1", text="q")
    assert seen == [["q"]]
    assert answer["ok"], "the caller is still there, so it gets its answer"
    assert hook.fired == 1
    assert standin.records[-1].answered is True


async def test_before_effect_runs_before_anything_changes(standin):
    seen = []
    standin.on_call(
        "chat.postMessage",
        lambda: seen.append(len(standin.messages("C1"))),
        phase="before_effect",
    )
    await bare_client(standin).chat_postMessage(channel="C1", text="q")
    assert seen == [0]


async def test_after_effect_fires_only_for_successful_calls(standin):
    hook = standin.on_call("chat.postMessage")
    client = bare_client(standin)
    with pytest.raises(Exception, match="channel_not_found"):
        await client.chat_postMessage(channel="C404", text="q")
    assert hook.fired == 0
    await client.chat_postMessage(channel="C1", text="q")
    assert hook.fired == 1


async def test_hang_applies_the_effect_and_never_answers(standin):
    hook = standin.on_call("chat.postMessage", hang=True)
    client = bare_client(standin, timeout=0.3)
    with pytest.raises(asyncio.TimeoutError):
        await client.chat_postMessage(channel="C1", text="q")
    assert [m["text"] for m in standin.messages("C1")] == ["q"]
    assert hook.fired == 1
    record = standin.records[-1]
    assert record.answered is False
    assert record.response["ok"] is True, "the stand-in knows what it would have said"
    # Only one call hangs (times=1): the next one answers.
    assert (await bare_client(standin).chat_postMessage(channel="C1", text="r"))["ok"]
    standin.release()


async def test_release_lets_a_hung_call_answer(standin):
    hook = standin.on_call("auth.test", hang=True)
    call = asyncio.create_task(bare_client(standin).auth_test())
    await hook.wait()
    assert not call.done()
    standin.release()
    assert (await asyncio.wait_for(call, 5))["ok"]
    # A later hang hangs again: release only frees the calls hung so far.
    again = standin.on_call("auth.test", hang=True)
    second = asyncio.create_task(bare_client(standin).auth_test())
    await again.wait()
    # "Never answers" can only be checked for a while.
    done, _ = await asyncio.wait({second}, timeout=0.1)
    assert not done
    standin.release()
    assert (await asyncio.wait_for(second, 5))["ok"]


async def test_stop_does_not_wait_for_hung_calls():
    from slack_standin import SlackStandin

    standin = await SlackStandin(signing_secret="s").start()
    standin.add_channel("C1")
    hook = standin.on_call("chat.postMessage", hang=True)
    call = asyncio.create_task(bare_client(standin).chat_postMessage(channel="C1", text="q"))
    await hook.wait()
    await asyncio.wait_for(standin.stop(), 5)
    call.cancel()
    await asyncio.gather(call, return_exceptions=True)


async def test_drop_closes_the_connection_unanswered(standin):
    standin.on_call("chat.postMessage", drop=True)
    with pytest.raises(aiohttp.ClientError):
        await bare_client(standin).chat_postMessage(channel="C1", text="q")
    assert [m["text"] for m in standin.messages("C1")] == ["q"]
    assert standin.records[-1].answered is False


async def test_a_dropped_post_retried_by_slack_sdk_lands_twice(standin):
    # slack_sdk retries a broken connection once by default: Slack then has two messages.
    standin.on_call("chat.postMessage", drop=True)
    client = AsyncWebClient(token=standin.bot_token, base_url=standin.api_url)
    assert (await client.chat_postMessage(channel="C1", text="q"))["ok"]
    assert [m["text"] for m in standin.messages("C1")] == ["q", "q"]


async def test_when_skip_and_times_pick_the_calls(standin):
    client = bare_client(standin)
    fired = []
    standin.on_call(
        "chat.postMessage",
        lambda info: fired.append(info.params["text"]),
        when=lambda params: standin.is_dm(params.get("channel")),
        skip=2,
        times=2,
    )
    for i in range(6):
        await client.chat_postMessage(channel="C1", text=f"c{i}")
        await client.chat_postMessage(channel="U1", text=f"d{i}")
    assert fired == ["d2", "d3"], "the 3rd and 4th DM posts only"


async def test_unlimited_async_hooks_and_cancel(standin):
    client = bare_client(standin)
    seen = []

    async def record(info) -> None:
        await asyncio.sleep(0)
        seen.append(info.method)

    hook = standin.on_call("auth.test", record, times=None)
    for _ in range(3):
        await client.auth_test()
    hook.cancel()
    await client.auth_test()
    assert seen == ["auth.test"] * 3


async def test_a_failing_callback_fails_the_call_and_the_wait(standin):
    def broken() -> None:
        raise RuntimeError("test bug")

    hook = standin.on_call("auth.test", broken)
    with pytest.raises(Exception):  # noqa: B017 - HTTP 500, whatever slack_sdk makes of it
        await bare_client(standin).auth_test()
    with pytest.raises(RuntimeError, match="test bug"):
        await hook.wait()


async def test_wait_times_out_when_the_hook_never_fires(standin):
    hook = standin.on_call("chat.update")
    with pytest.raises(asyncio.TimeoutError):
        await hook.wait(timeout=0.05)


def test_hook_arguments_are_checked(standin):
    with pytest.raises(ValueError, match="no such method"):
        standin.on_call("chat.postmessage")
    with pytest.raises(ValueError, match="phase"):
        standin.on_call("chat.postMessage", phase="later")
    with pytest.raises(ValueError):
        standin.on_call("chat.postMessage", hang=True, drop=True)
    with pytest.raises(ValueError):
        standin.on_call("chat.postMessage", times=0)
    assert isinstance(standin.on_call("chat.postMessage"), CallHook)


async def test_reset_forgets_hooks(standin):
    hook = standin.on_call("auth.test")
    standin.reset()
    await bare_client(standin).auth_test()
    assert hook.fired == 0


# -- counting calls ----------------------------------------------------------------------


async def test_calls_per_method_and_per_channel(standin):
    client = bare_client(standin)
    dm = (await client.conversations_open(users="U1"))["channel"]["id"]
    await client.chat_postMessage(channel="C1", text="a")
    await client.chat_postMessage(channel="#ml-daily", text="b")
    await client.chat_postMessage(channel="U1", text="c")
    await client.chat_postMessage(channel=dm, text="d")
    assert standin.call_count("chat.postMessage") == 4
    assert standin.call_count("chat.postMessage", channel="C1") == 2
    assert standin.call_count("chat.postMessage", channel=dm) == 2
    assert [p["text"] for p in standin.calls_to("chat.postMessage", channel="U1")] == ["c", "d"]
    assert standin.calls_per_channel("chat.postMessage") == {"C1": 2, dm: 2}
    assert standin.call_counts() == {"conversations.open": 1, "chat.postMessage": 4}


async def test_records_say_how_each_call_was_answered(standin):
    client = bare_client(standin)
    standin.inject_fault("auth.test", status=500)
    with pytest.raises(Exception):  # noqa: B017 - the status is what is checked below
        await client.auth_test()
    with pytest.raises(Exception, match="no_text"):
        await client.chat_postMessage(channel="C1")
    await client.chat_postMessage(channel="C1", text="ok")
    statuses = [(r.method, r.status, r.ok, r.error) for r in standin.records]
    assert statuses == [
        ("auth.test", 500, False, "fatal_error"),
        ("chat.postMessage", 200, False, "no_text"),
        ("chat.postMessage", 200, True, None),
    ]
