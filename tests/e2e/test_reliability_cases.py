"""Every case a tester found (issue 10), as a regression test against the real app.

The crash cases (1-3) are in tests/e2e/crash and the start-up cases (8) in
test_startup_failures.py; the rest are here."""

from __future__ import annotations

import logging

import pytest

from bot.slack.blocks import ids
from questionbank.samples import answer_from
from tests.e2e.harness import CHANNEL_ID
from tests.e2e.helpers import last_ephemeral, message_text, thread_replies


async def _daily_question(sandbox, admin):
    await sandbox.command(admin, "post-now")
    message = sandbox.latest_question(CHANNEL_ID)
    post = await sandbox.post_of(CHANNEL_ID, message["ts"])
    return message, post, sandbox.bank.get(post.question_id)


# 4. One undeliverable DM must not fail the reveal.
async def test_an_undeliverable_dm_is_recorded_and_skipped(sandbox, users):
    ada, bayes, clara = users
    message, _post, question = await _daily_question(sandbox, ada)
    for user in (bayes, clara):
        await sandbox.reply(
            user, answer_from(question, 2), channel_id=CHANNEL_ID, thread_ts=message["ts"]
        )
    sandbox.standin.fail_dms(bayes, "user_not_found")  # deactivated since answering
    await sandbox.command(ada, "reveal")
    assert "Revealed" in last_ephemeral(sandbox, ada)
    assert (await sandbox.post_of(CHANNEL_ID, message["ts"])).status == "revealed"
    assert len(sandbox.standin.messages(sandbox.dm(clara))) == 1, "the others still get theirs"
    assert not sandbox.standin.messages(sandbox.dm(bayes))
    await sandbox.command(ada, "schedule 09:00 UTC daily")
    await sandbox.command(ada, "config")
    report = last_ephemeral(sandbox, ada)
    assert "feedback DM to @U0BAYES: user_not_found (undeliverable)" in report


# 5. Unsigned or unreadable requests get 401 or 400, never 500 and never a traceback.
@pytest.mark.parametrize(
    ("headers", "body", "content_type"),
    [
        ({"X-Slack-Request-Timestamp": "abc"}, "token=x", "application/x-www-form-urlencoded"),
        ({"X-Slack-Request-Timestamp": "9" * 400}, "token=x", "application/x-www-form-urlencoded"),
        ({"X-Slack-Signature": "v0=not-hex"}, "{}", "application/json"),
        ({}, "[1]", "application/json"),
        ({}, "null", "application/json"),
        ({}, "5", "application/json"),
        ({}, "payload=%5B1%5D", "application/x-www-form-urlencoded"),
    ],
)
async def test_unsigned_requests_are_refused(sandbox, caplog, headers, body, content_type):
    driver = sandbox.driver.unsigned()
    with caplog.at_level(logging.INFO):
        response = await driver.send_raw(body, content_type=content_type, headers=headers)
    assert response.status == 401
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("[1]", "application/json", 400),
        ("null", "application/json", 400),
        ("5", "application/json", 400),
        ("{not json", "application/json", 400),
        ("payload=%5B1%5D", "application/x-www-form-urlencoded", 400),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded", 400),
        (b"\xff\xfe\x00bad", "application/json", 400),
    ],
)
async def test_signed_but_unreadable_bodies_get_400(sandbox, caplog, body, content_type, status):
    with caplog.at_level(logging.INFO):
        response = await sandbox.driver.send_raw(body, content_type=content_type)
    assert response.status == status
    assert not [r for r in caplog.records if r.exc_info]


# 6. Signed but malformed payloads: a 2xx or a friendly reply, never a 500 or a traceback.
async def test_signed_malformed_payloads_are_answered_calmly(sandbox, users, caplog):
    ada = users[0]
    with caplog.at_level(logging.INFO):
        response = await sandbox.driver.slash_command(
            "/mlquiz", "help", user_id=ada, channel_id=CHANNEL_ID, omit=["user_id"]
        )
        assert response.status == 200 and "without a user" in response.body
        await sandbox.command(ada, "ask")
        question = sandbox.latest_question(sandbox.dm(ada))
        response = await sandbox.driver.block_actions(
            ada,
            ids.ANOTHER_QUESTION,
            "x" * 5000,
            channel_id=sandbox.dm(ada),
            message_ts=question["ts"],
            omit=["user"],
        )
        assert response.status == 200
        response = await sandbox.driver.event(
            sandbox.driver.app_home_opened(ada), omit=["event.user"]
        )
        assert response.status == 200
        # "Another question" with a junk value: a question anyway, no traceback.
        await sandbox.press(
            ada,
            ids.ANOTHER_QUESTION,
            channel_id=sandbox.dm(ada),
            message_ts=question["ts"],
            value="no-such-topic|" + "z" * 4000,
        )
        await sandbox.settle()
    assert len([m for m in sandbox.standin.messages(sandbox.dm(ada)) if "Answer" in str(m)]) >= 2
    assert not [r for r in caplog.records if r.exc_info]
    assert all(len(r.getMessage()) < 1000 for r in caplog.records), "log lines stay short"


async def test_an_appeal_for_someone_elses_answer_gets_a_polite_no(sandbox, users, caplog):
    ada, bayes = users[0], users[1]
    await sandbox.command(ada, "ask")
    dm = sandbox.dm(ada)
    question = sandbox.latest_question(dm)
    await sandbox.reply(
        ada, "Regularization shrinks weights.", channel_id=dm, thread_ts=question["ts"]
    )
    answer_id = (await sandbox.answers_for((await sandbox.post_of(dm, question["ts"])).id))[0].id
    with caplog.at_level(logging.INFO):
        # bayes submits the appeal modal naming ada's answer (a forged private_metadata).
        await sandbox.driver.view_submission(
            bayes,
            {"type": "modal", "callback_id": ids.APPEAL_MODAL, "blocks": []},
            {},
            callback_id=ids.APPEAL_MODAL,
            private_metadata=str(answer_id),
        )
        await sandbox.settle()
    assert "Only the person who answered" in message_text(
        sandbox.standin.messages(sandbox.dm(bayes))[-1]
    )
    rows = await sandbox.app.storage.db.fetchall("SELECT * FROM appeals")
    assert rows == []
    assert not [r for r in caplog.records if r.exc_info]


# 7. response_url replies that fail are retried; a final failure is logged and recorded.
async def test_failed_replies_are_retried_then_recorded(sandbox, users, clock, caplog):
    ada = users[0]
    sandbox.standin.inject_fault("response_url", status=500, times=30)
    for _ in range(25):
        await sandbox.driver.slash_command("/mlquiz", "help", user_id=ada, channel_id=CHANNEL_ID)
    await sandbox.settle()
    clock.advance(minutes=5)
    await sandbox.tick()  # retries whose backoff has passed
    delivered = [r for r in sandbox.standin.responses if "mlquiz help" in str(r["payload"])]
    assert len(delivered) == 25, "every reply arrives once Slack's URL answers again"
    # A URL that never recovers: the reply is given up on after its 30 minutes.
    sandbox.standin.inject_fault("response_url", status=500, times=10_000)
    await sandbox.driver.slash_command("/mlquiz", "topics", user_id=ada, channel_id=CHANNEL_ID)
    await sandbox.settle()
    with caplog.at_level(logging.WARNING, logger="mlquiz.delivery"):
        for _ in range(8):
            clock.advance(minutes=5)
            await sandbox.tick()
    failed = await sandbox.app.storage.db.fetchall(
        "SELECT status, error FROM outbox WHERE action = 'respond' AND status != 'sent'"
    )
    assert [r["status"] for r in failed] == ["expired"]
    assert "will be retried" in caplog.text


# 9. Every echo of user text is escaped; quoted answers render literally.
async def test_admin_replies_escape_what_was_typed(sandbox, users):
    ada = users[0]
    await sandbox.command(ada, "schedule <!channel>")
    shown = last_ephemeral(sandbox, ada)
    raw = str(sandbox.standin.responses[-1]["payload"])
    assert "<!channel>" not in raw and "&lt;!channel&gt;" in raw
    await sandbox.command(ada, "schedule 09:00 UTC daily")
    await sandbox.command(ada, "config topics <!channel>")
    raw = str(sandbox.standin.responses[-1]["payload"])
    assert "<!channel>" not in raw and "&lt;!channel&gt;" in raw
    assert shown


async def test_quoted_answer_text_keeps_no_markup(sandbox, users):
    ada = users[0]
    await sandbox.command(ada, "ask regularization")
    dm = sandbox.dm(ada)
    question = sandbox.latest_question(dm)
    post = await sandbox.post_of(dm, question["ts"])
    point = sandbox.bank.get(post.question_id).key_points[0]
    await sandbox.reply(ada, f"*{point.text}*", channel_id=dm, thread_ts=question["ts"])
    feedback = str(thread_replies(sandbox, dm, question["ts"])[-1].get("blocks"))
    assert "_you wrote:_ `" in feedback, "the user's words sit in a code span"


# 10. `/mlquiz stats @name` typed as plain text finds the person.
async def test_stats_for_a_name_typed_as_plain_text(sandbox, users):
    ada = users[0]
    await sandbox.command(ada, "stats @bayes")
    assert "@U0BAYES" in last_ephemeral(sandbox, ada)
    await sandbox.command(ada, "stats <@U0CLARA|clara>")
    assert "@U0CLARA" in last_ephemeral(sandbox, ada)
    await sandbox.command(ada, "stats @nobody-here")
    assert "can't find anyone called" in last_ephemeral(sandbox, ada)


def test_the_manifest_asks_slack_to_escape_mentions():
    from pathlib import Path

    import yaml

    manifest = yaml.safe_load((Path(__file__).parents[2] / "app_manifest.yml").read_text())
    [command] = manifest["features"]["slash_commands"]
    assert command["should_escape"] is True
