"""Signatures, retries, escaping, odd answers and malformed payloads."""

from __future__ import annotations

import aiohttp

from tests.e2e.helpers import ephemeral_texts, message_text, thread_replies


async def test_bad_and_stale_signatures_are_refused(sandbox, users):
    for variant in (sandbox.driver.tampered(), sandbox.driver.stale(), sandbox.driver.unsigned()):
        response = await variant.slash_command(
            "/mlquiz", "ask", user_id=users[0], channel_id="C0GENERAL"
        )
        assert response.status == 401
    await sandbox.settle()
    assert sandbox.latest_question(sandbox.dm(users[0])) is None
    assert ephemeral_texts(sandbox, users[0]) == []


async def test_url_verification_answers_the_challenge(sandbox):
    response = await sandbox.driver.url_verification("abc123")
    assert response.status == 200
    assert "abc123" in response.body


async def test_retried_event_stores_one_answer(sandbox, users):
    ada = users[0]
    await sandbox.command(ada, "ask")
    dm = sandbox.dm(ada)
    question = sandbox.latest_question(dm)
    event = sandbox.driver.message_event(
        dm, ada, "Regularisation shrinks the weights.", thread_ts=question["ts"]
    )
    await sandbox.driver.event(event, event_id="Ev0RETRY1")
    await sandbox.driver.event(event, event_id="Ev0RETRY1", retry_num=1)
    await sandbox.driver.event(event, event_id="Ev0RETRY1", retry_num=2)
    await sandbox.settle()
    post = await sandbox.post_of(dm, question["ts"])
    assert len(await sandbox.answers_for(post.id)) == 1
    feedback = [
        m
        for m in thread_replies(sandbox, dm, question["ts"])
        if m.get("bot_id") or m.get("user") == sandbox.standin.bot_user_id
    ]
    assert len(feedback) == 1


async def test_rate_limited_post_is_retried_and_arrives_once(sandbox, users):
    sandbox.standin.inject_fault("chat.postMessage", status=429, retry_after=0, times=2)
    await sandbox.command(users[0], "ask")
    dm = sandbox.dm(users[0])
    questions = [m for m in sandbox.standin.messages(dm) if m.get("blocks")]
    assert len(questions) == 1


async def test_user_text_is_echoed_escaped(sandbox, users):
    ada = users[0]
    await sandbox.command(ada, "ask")
    dm = sandbox.dm(ada)
    question = sandbox.latest_question(dm)
    post = await sandbox.post_of(dm, question["ts"])
    key_point = sandbox.bank.get(post.question_id).key_points[0].text
    hostile = f"<!channel> <@U0BAYES> &<> {key_point}"
    await sandbox.reply(ada, hostile, channel_id=dm, thread_ts=question["ts"])
    feedback = thread_replies(sandbox, dm, question["ts"])[-1]
    raw = str(feedback.get("blocks"))
    assert "<!channel>" not in raw and "<@U0BAYES>" not in raw and "&<>" not in raw
    await sandbox.command(ada, "ask <!channel> &<> <@U0BAYES>")
    refusal = sandbox.standin.ephemerals(user=ada)[-1]
    assert "&lt;!channel&gt; &amp;&lt;&gt; &lt;@U0BAYES&gt;" in str(refusal.get("blocks"))


async def test_odd_answers_get_a_clear_reply(sandbox, users):
    ada = users[0]
    dm = sandbox.dm(ada)
    await sandbox.command(ada, "ask")
    question = sandbox.latest_question(dm)
    await sandbox.reply(ada, ":thinking_face: :rocket:", channel_id=dm, thread_ts=question["ts"])
    assert "couldn't find any words" in message_text(
        thread_replies(sandbox, dm, question["ts"])[-1]
    )
    huge = ("The penalty shrinks weights and reduces variance. " * 800)[:40000]
    await sandbox.reply(ada, huge, channel_id=dm, thread_ts=question["ts"])
    last = message_text(thread_replies(sandbox, dm, question["ts"])[-1])
    assert "Graded" in last.title() or "GRADED" in last
    assert "40,000 characters" in last


async def test_malformed_payloads_get_4xx_and_no_crash(sandbox):
    url = sandbox.driver.app_url
    async with aiohttp.ClientSession() as session:
        for body, content_type in (
            ("{not json", "application/json"),
            ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
        ):
            headers = sandbox.driver._headers(body) | {"Content-Type": content_type}
            async with session.post(url, data=body, headers=headers) as response:
                assert 400 <= response.status < 500
        async with session.get(url.replace("/slack/events", "/healthz")) as response:
            assert response.status == 200
