"""The daily question in a channel, end to end, with time travel instead of sleeping."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from bot.slack.blocks import ids
from questionbank.samples import answer_from
from tests.e2e.harness import CHANNEL_ID
from tests.e2e.helpers import last_ephemeral, message_text, thread_replies


def daily_posts(sandbox) -> list[dict]:
    return [
        m for m in sandbox.standin.messages(CHANNEL_ID) if "QUESTION OF THE DAY" in message_text(m)
    ]


async def _post_of(sandbox, message):
    post = await sandbox.post_of(CHANNEL_ID, message["ts"])
    return post, sandbox.bank.get(post.question_id)


async def test_a_full_day(sandbox, users, clock):
    ada, bayes, clara = users
    await sandbox.command(ada, "schedule 09:00 Europe/Berlin weekdays")
    confirmation = last_ephemeral(sandbox, ada)
    assert "weekdays at 09:00 (Europe/Berlin)" in confirmation
    assert "Next question: Mon 2 Mar 2026 09:00 CET" in confirmation

    clock.set(datetime(2026, 3, 2, 7, 59, tzinfo=UTC))
    assert (await sandbox.tick()).posted == []
    clock.set(datetime(2026, 3, 2, 8, 0, 20, tzinfo=UTC))  # 09:00:20 in Berlin
    report = await sandbox.tick()
    assert len(report.posted) == 1
    [message] = daily_posts(sandbox)
    assert "<!date^" in str(message["blocks"])  # deadline in each reader's own zone
    post, question = await _post_of(sandbox, message)
    assert post.deadline_at == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 17:00 Berlin

    # bayes answers, then edits to a better answer; clara answers then deletes.
    first, _ = await sandbox.reply(
        bayes, "Something about the data.", channel_id=CHANNEL_ID, thread_ts=message["ts"]
    )
    assert sandbox.standin.reactions(CHANNEL_ID, first["ts"])
    edited = sandbox.driver.message_changed(
        CHANNEL_ID, first["ts"], answer_from(question, len(question.key_points)), user=bayes
    )
    await sandbox.driver.event(edited)
    clara_msg, _ = await sandbox.reply(
        clara, answer_from(question, 2), channel_id=CHANNEL_ID, thread_ts=message["ts"]
    )
    await sandbox.driver.event(sandbox.driver.message_deleted(CHANNEL_ID, clara_msg["ts"]))
    # ada answers privately.
    await sandbox.press(ada, ids.ANSWER_BUTTON, channel_id=CHANNEL_ID, message_ts=message["ts"])
    private_text = "Privately: " + answer_from(question, 3)
    await sandbox.submit_modal(ada, {ids.ANSWER_INPUT_BLOCK: {ids.ANSWER_INPUT: private_text}})
    await sandbox.settle()
    thread_before = " ".join(
        m.get("text", "") for m in sandbox.standin.thread(CHANNEL_ID, message["ts"])
    )
    assert private_text not in thread_before, "a private answer must stay hidden"

    clock.set(datetime(2026, 3, 2, 16, 0, 30, tzinfo=UTC))
    report = await sandbox.tick()
    assert report.revealed == [post.id]
    summary = message_text(thread_replies(sandbox, CHANNEL_ID, message["ts"])[-1])
    assert "ANSWERS ARE IN" in summary and "(2 answered)" in summary
    assert summary.index("@U0BAYES") < summary.index("@U0ADA"), "ranked by points"
    assert "@U0CLARA" not in summary, "a deleted answer is withdrawn"
    assert private_text not in summary, "no raw text of private answers"
    closed = sandbox.standin.message(CHANNEL_ID, message["ts"])
    assert "Closed: 2 answers" in message_text(closed)
    for user in (ada, bayes):
        feedback = message_text(sandbox.standin.messages(sandbox.dm(user))[-1])
        assert "GRADED" in feedback and "I think I was right" in feedback
    assert not sandbox.standin.messages(sandbox.dm(clara))

    _late, _ = await sandbox.reply(
        clara, "late answer about variance", channel_id=CHANNEL_ID, thread_ts=message["ts"]
    )
    assert "closed" in last_ephemeral(sandbox, clara)
    assert len(await sandbox.answers_for(post.id)) == 2

    await sandbox.command(bayes, "leaderboard week")
    board = last_ephemeral(sandbox, bayes)
    assert board.index("@U0BAYES") < board.index("@U0ADA")
    await sandbox.command(bayes, "stats")
    assert "streak *1*" in last_ephemeral(sandbox, bayes)


async def test_same_event_three_times_stores_one_answer(sandbox, users, clock):
    ada, bayes = users[0], users[1]
    await sandbox.command(ada, "post-now")
    [message] = daily_posts(sandbox)
    event = sandbox.driver.message_event(
        CHANNEL_ID, bayes, "Bias and variance trade off.", thread_ts=message["ts"]
    )
    for retry in (None, 1, 2):
        await sandbox.driver.event(event, event_id="Ev0DAILY01", retry_num=retry)
    await sandbox.settle()
    post, _ = await _post_of(sandbox, message)
    assert len(await sandbox.answers_for(post.id)) == 1
    assert len(sandbox.standin.calls_to("reactions.add")) == 1


async def test_restart_after_posting_neither_reposts_nor_reveals_twice(sandbox, users, clock):
    await sandbox.command(users[0], "schedule 09:00 Europe/Berlin weekdays")
    clock.set(datetime(2026, 3, 2, 8, 1, tzinfo=UTC))
    await sandbox.tick()
    assert len(daily_posts(sandbox)) == 1

    await sandbox.restart_app()
    clock.set(datetime(2026, 3, 2, 8, 2, tzinfo=UTC))
    await sandbox.tick()
    assert len(daily_posts(sandbox)) == 1, "no second post after a restart"

    clock.set(datetime(2026, 3, 2, 16, 1, tzinfo=UTC))
    first = await sandbox.tick()
    second = await sandbox.tick()
    assert len(first.revealed) == 1 and second.revealed == []
    assert len(thread_replies(sandbox, CHANNEL_ID, daily_posts(sandbox)[0]["ts"])) == 1


async def test_two_app_processes_post_once_per_slot(sandbox, users, clock):
    await sandbox.command(users[0], "schedule 09:00 Europe/Berlin daily")
    other = await sandbox.start_second_app("replica-2")
    try:
        clock.set(datetime(2026, 3, 2, 8, 0, 5, tzinfo=UTC))
        reports = await asyncio.gather(sandbox.app.scheduler.tick(), other.scheduler.tick())
        await sandbox.settle()
        assert sum(len(r.posted) for r in reports) == 1
        assert len(daily_posts(sandbox)) == 1
        clock.set(datetime(2026, 3, 2, 16, 0, 5, tzinfo=UTC))
        reports = await asyncio.gather(sandbox.app.scheduler.tick(), other.scheduler.tick())
        assert sum(len(r.revealed) for r in reports) == 1
    finally:
        await other.stop()


async def test_missed_slot_caught_up_within_grace_older_skipped(sandbox, users, clock, caplog):
    await sandbox.command(users[0], "schedule 09:00 Europe/Berlin weekdays")
    # The app was down at 09:00; it comes back at 10:30 (grace is 120 minutes).
    clock.set(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    report = await sandbox.tick()
    assert len(report.posted) == 1
    # Down again all of Tuesday morning; back at 15:00 Berlin, five hours late.
    clock.set(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
    with caplog.at_level(logging.WARNING, logger="mlquiz.scheduler"):
        report = await sandbox.tick()
    assert report.posted == [] and report.skipped == [f"{CHANNEL_ID}:2026-03-03"]
    assert "skipping missed slot 2026-03-03" in caplog.text
    assert len(daily_posts(sandbox)) == 1
    clock.set(datetime(2026, 3, 3, 14, 5, tzinfo=UTC))
    assert (await sandbox.tick()).skipped == [], "a skipped slot is logged once"


async def _posts_by_local_date(sandbox, clock, spec_text, ticks):
    await sandbox.command(sandbox.users[0].user_id, f"schedule {spec_text}")
    posted_at = []
    for moment in ticks:
        clock.set(moment)
        report = await sandbox.tick()
        if report.posted:
            posted_at.append(moment)
    return posted_at


def _every_quarter_hour(start: datetime, hours: int) -> list[datetime]:
    from datetime import timedelta

    return [start + timedelta(minutes=15 * i) for i in range(hours * 4 + 1)]


async def test_dst_spring_forward_berlin_0230_runs_once(sandbox, clock):
    clock.set(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    ticks = _every_quarter_hour(datetime(2026, 3, 28, 23, 0, tzinfo=UTC), 5)
    posted = await _posts_by_local_date(sandbox, clock, "02:30 Europe/Berlin daily", ticks)
    # 02:30 does not exist on 29 March in Berlin: it runs once, at 03:30 CEST = 01:30 UTC.
    assert posted == [datetime(2026, 3, 29, 1, 30, tzinfo=UTC)]


async def test_dst_fall_back_berlin_0230_runs_once(sandbox, clock):
    clock.set(datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    ticks = _every_quarter_hour(datetime(2026, 10, 24, 23, 0, tzinfo=UTC), 4)
    posted = await _posts_by_local_date(sandbox, clock, "02:30 Europe/Berlin daily", ticks)
    # 02:30 happens twice on 25 October; only the first (CEST, 00:30 UTC) runs.
    assert posted == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]


async def test_dst_new_york_both_change_days_keep_local_nine(sandbox, clock):
    clock.set(datetime(2026, 3, 6, 12, 0, tzinfo=UTC))
    ticks = [
        datetime(2026, 3, 7, 14, 0, 30, tzinfo=UTC),  # Sat 09:00 EST
        datetime(2026, 3, 8, 13, 0, 30, tzinfo=UTC),  # Sun 09:00 EDT (after the change)
        datetime(2026, 3, 8, 14, 0, 30, tzinfo=UTC),  # an hour later: nothing more
        datetime(2026, 10, 31, 13, 0, 30, tzinfo=UTC),  # Sat 09:00 EDT
        datetime(2026, 11, 1, 14, 0, 30, tzinfo=UTC),  # Sun 09:00 EST (after fall back)
    ]
    posted = await _posts_by_local_date(sandbox, clock, "09:00 America/New_York daily", ticks)
    assert posted == [ticks[0], ticks[1], ticks[3], ticks[4]]


async def test_rate_limit_and_server_errors_on_post_are_retried(sandbox, users, clock):
    await sandbox.command(users[0], "schedule 09:00 Europe/Berlin weekdays")
    sandbox.standin.inject_fault("chat.postMessage", status=429, retry_after=0, times=1)
    clock.set(datetime(2026, 3, 2, 8, 0, 10, tzinfo=UTC))
    await sandbox.tick()
    assert len(daily_posts(sandbox)) == 1
    sandbox.standin.inject_fault("chat.postMessage", status=500, times=5)
    clock.set(datetime(2026, 3, 3, 8, 0, 10, tzinfo=UTC))
    await sandbox.tick()
    assert len(daily_posts(sandbox)) == 2, "500 five times then success: posted once"


async def test_slack_down_for_the_whole_slot_is_recorded_retried_and_visible(sandbox, users, clock):
    ada = users[0]
    await sandbox.command(ada, "schedule 09:00 Europe/Berlin weekdays")
    sandbox.standin.inject_fault("chat.postMessage", status=500, times=10_000)
    clock.set(datetime(2026, 3, 2, 8, 0, 10, tzinfo=UTC))
    report = await sandbox.tick()
    assert len(report.posted) == 1, "the slot's post is recorded with its question"
    assert not daily_posts(sandbox), "but Slack has not got it"
    await sandbox.command(ada, "config")
    assert "Problems" in last_ephemeral(sandbox, ada)
    assert "post for 2026-03-02" in last_ephemeral(sandbox, ada)
    assert "retrying" in last_ephemeral(sandbox, ada)

    sandbox.standin.clear_faults()
    clock.set(datetime(2026, 3, 2, 8, 10, tzinfo=UTC))
    report = await sandbox.tick()
    assert report.posted == [] and len(daily_posts(sandbox)) == 1, "retried, posted once"
    await sandbox.command(ada, "config")
    assert "Problems" not in last_ephemeral(sandbox, ada)


async def test_non_admin_cannot_schedule_pause_or_reveal(sandbox, users, clock):
    ada, bayes = users[0], users[1]
    for command in ("schedule 09:00 Europe/Berlin", "pause", "reveal", "post-now", "config"):
        await sandbox.command(bayes, command)
        assert "is for workspace admins" in last_ephemeral(sandbox, bayes)
    assert await sandbox.schedule(CHANNEL_ID) is None
    assert not daily_posts(sandbox)
    await sandbox.command(ada, "schedule 09:00 Europe/Berlin")
    await sandbox.command(bayes, "unschedule")
    assert await sandbox.schedule(CHANNEL_ID) is not None


async def test_pause_resume_config_and_unschedule(sandbox, users, clock):
    ada = users[0]
    await sandbox.command(ada, "pause")
    assert "no daily question yet" in last_ephemeral(sandbox, ada)
    await sandbox.command(ada, "schedule 9am Europe/Berlin mon,wed,fri")
    await sandbox.command(ada, "config reveal 6h")
    assert "6 hours after" in last_ephemeral(sandbox, ada)
    await sandbox.command(ada, "config topics regularisation")
    assert "Did you mean `regularization`" in last_ephemeral(sandbox, ada)
    await sandbox.command(ada, "config topics regularization")
    assert "Updated" in last_ephemeral(sandbox, ada)
    await sandbox.command(ada, "pause")
    clock.set(datetime(2026, 3, 2, 8, 0, 10, tzinfo=UTC))
    await sandbox.tick()
    assert not daily_posts(sandbox), "a paused channel gets no question"
    await sandbox.command(ada, "resume")
    clock.set(datetime(2026, 3, 4, 8, 0, 10, tzinfo=UTC))
    await sandbox.tick()
    [message] = daily_posts(sandbox)
    post, question = await _post_of(sandbox, message)
    assert "regularization" in question.topics
    assert post.deadline_at == datetime(2026, 3, 4, 14, 0, 10, tzinfo=UTC)
    await sandbox.command(ada, "unschedule")
    assert "Removed" in last_ephemeral(sandbox, ada)


async def test_weekly_recap_goes_out_once_on_the_configured_day(sandbox, users, clock):
    ada, bayes = users[0], users[1]
    await sandbox.command(ada, "schedule 09:00 Europe/Berlin weekdays")
    await sandbox.command(ada, "config recap fri")
    assert "recap on Friday" in last_ephemeral(sandbox, ada)
    for day in range(2, 7):  # Monday 2 March to Friday 6 March 2026
        clock.set(datetime(2026, 3, day, 8, 0, 30, tzinfo=UTC))
        await sandbox.tick()
        message = daily_posts(sandbox)[-1]
        _post, question = await _post_of(sandbox, message)
        await sandbox.reply(
            bayes,
            answer_from(question, len(question.key_points)),
            channel_id=CHANNEL_ID,
            thread_ts=message["ts"],
        )
        clock.set(datetime(2026, 3, day, 16, 0, 30, tzinfo=UTC))
        report = await sandbox.tick()
        assert report.recaps == ([] if day < 6 else [report.recaps[0]])
    recaps = [m for m in sandbox.standin.messages(CHANNEL_ID) if "WEEKLY RECAP" in message_text(m)]
    assert len(recaps) == 1
    text = message_text(recaps[0])
    assert "@U0BAYES" in text and "Hardest question" in text and "5 question(s)" in text
    clock.set(datetime(2026, 3, 6, 18, 0, tzinfo=UTC))
    assert (await sandbox.tick()).recaps == []


async def test_leaderboard_in_a_scheduled_channel_is_the_channels_own(sandbox, users, clock):
    ada, bayes = users[0], users[1]
    await sandbox.command(ada, "post-now")  # no schedule yet: a workspace board
    [message] = daily_posts(sandbox)
    _post, question = await _post_of(sandbox, message)
    await sandbox.reply(
        bayes,
        answer_from(question, len(question.key_points)),
        channel_id=CHANNEL_ID,
        thread_ts=message["ts"],
    )
    await sandbox.command(ada, "reveal")
    await sandbox.command(bayes, "leaderboard")
    assert "Scope: workspace" in last_ephemeral(sandbox, bayes)
    await sandbox.command(ada, "schedule 09:00 Europe/Berlin weekdays")
    await sandbox.command(bayes, "leaderboard week")
    board = last_ephemeral(sandbox, bayes)
    assert f"Scope: #{CHANNEL_ID}" in board and "@U0BAYES" in board


async def test_profiles_are_refreshed_after_a_day(sandbox, users, clock):
    ada = users[0]
    await sandbox.command(ada, "stats")
    sandbox.standin.add_user(ada, name="ada", tz="Asia/Tokyo", is_admin=True)
    await sandbox.command(ada, "stats")
    assert (await sandbox.user(ada)).tz == "Europe/Berlin"
    clock.advance(days=2)
    await sandbox.command(ada, "stats")
    assert (await sandbox.user(ada)).tz == "Asia/Tokyo"


async def test_reveal_interrupted_by_slack_resumes_without_doubling(sandbox, users, clock):
    ada, bayes, clara = users
    await sandbox.command(ada, "schedule 09:00 Europe/Berlin weekdays")
    clock.set(datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC))
    await sandbox.tick()
    [message] = daily_posts(sandbox)
    _post, question = await _post_of(sandbox, message)
    for user in (bayes, clara):
        await sandbox.reply(
            user, answer_from(question, 3), channel_id=CHANNEL_ID, thread_ts=message["ts"]
        )
    # Slack accepts the summary and the post update, then fails every DM.
    sandbox.standin.inject_fault("conversations.open", status=500, times=10_000)
    clock.set(datetime(2026, 3, 2, 16, 0, 30, tzinfo=UTC))
    report = await sandbox.tick()
    assert report.revealed == [_post.id], "the reveal completes; only the DMs wait"
    await sandbox.command(ada, "config")
    shown = last_ephemeral(sandbox, ada)
    assert "feedback DM to @U0BAYES" in shown and "feedback DM to @U0CLARA" in shown

    clock.set(datetime(2026, 3, 2, 16, 1, tzinfo=UTC))
    await sandbox.tick()
    assert not sandbox.standin.messages(sandbox.dm(bayes)), "still down: retried, still waiting"
    sandbox.standin.clear_faults()
    clock.set(datetime(2026, 3, 2, 16, 10, tzinfo=UTC))
    await sandbox.tick()
    summaries = [
        m
        for m in thread_replies(sandbox, CHANNEL_ID, message["ts"])
        if "ANSWERS ARE IN" in message_text(m)
    ]
    assert len(summaries) == 1, "the summary is posted once"
    for user in (bayes, clara):
        assert len(sandbox.standin.messages(sandbox.dm(user))) == 1, "one DM each"
    clock.set(datetime(2026, 3, 2, 17, 0, tzinfo=UTC))
    assert (await sandbox.tick()).revealed == []
    await sandbox.command(ada, "config")
    assert "Problems" not in last_ephemeral(sandbox, ada)


async def test_a_question_that_never_reached_slack_is_never_revealed(sandbox, users, clock):
    await sandbox.command(users[0], "schedule 09:00 Europe/Berlin weekdays")
    sandbox.standin.inject_fault("chat.postMessage", status=500, times=10_000)
    clock.set(datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC))
    assert len((await sandbox.tick()).posted) == 1 and not sandbox.standin.messages(CHANNEL_ID)
    sandbox.standin.clear_faults()
    clock.set(datetime(2026, 3, 2, 16, 0, 30, tzinfo=UTC))  # past grace and the deadline
    report = await sandbox.tick()
    assert report.revealed == [] and report.posted == []
    assert not sandbox.standin.messages(CHANNEL_ID)
    [post] = await sandbox.failed_posts()
    assert post.status == "failed" and "never posted" in post.error


async def test_channel_rotation_and_an_empty_pool(sandbox, users, clock):
    ada = users[0]
    await sandbox.command(ada, "schedule 09:00 Europe/Berlin daily")
    await sandbox.command(ada, "config topics convexity")
    pool = {
        q.id
        for q in sandbox.bank.filter(topics=["convexity"], kind="technical", purpose="practice")
    }
    asked = []
    for _ in range(len(pool) + 1):
        clock.advance(hours=1)
        await sandbox.command(ada, "post-now")
        message = daily_posts(sandbox)[-1]
        _post, question = await _post_of(sandbox, message)
        asked.append(question.id)
        await sandbox.command(ada, "reveal")
    assert set(asked[:-1]) == pool and len(set(asked[:-1])) == len(pool)
    assert asked[-1] == asked[0]
    await sandbox.command(ada, "config topics ml-project")  # behavioral only: no channel pool
    await sandbox.command(ada, "post-now")
    assert "Nothing to post" in last_ephemeral(sandbox, ada)
