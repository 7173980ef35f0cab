"""The scheduler's decisions over the fakes: posts, skips, retries, reveals, recaps."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.leases import reveal_key, slot_key
from bot.core.records import InboxEntry, Outgoing
from bot.jobs.delivery import Deliverer
from bot.jobs.inbox import InboxWorker, encode
from bot.jobs.liveness import Liveness
from bot.jobs.scheduler import Scheduler
from bot.jobs.tasks import BackgroundTasks
from bot.ports.requests import SlashCommand
from bot.usecases import recap
from bot.usecases.panels import rooms
from tests.unit.builders import CHANNEL, USER, channel_post, dm_post, fake, reply_to
from tests.unit.fakes import T0, TEAM, FakeResponder
from tests.unit.panel_builders import add_people, interview_of, live

GRACE = timedelta(hours=2)
MONDAY = date(2024, 3, 4)  # T0 is Monday 09:00 UTC
FRIDAY = date(2024, 3, 8)


def scheduler(deps) -> Scheduler:
    tasks = BackgroundTasks()
    return Scheduler(
        deps,
        Deliverer(deps, FakeResponder(), tasks),
        InboxWorker(deps, tasks),
        Liveness(deps),
        grace=GRACE,
        tick_seconds=60,
    )


async def daily_schedule(deps, *, days=range(5), topics=(), recap_day=None, created=None):
    """09:00 UTC, revealed 8 hours later; created an hour before Monday's slot."""
    async with deps.storage.transaction() as uow:
        return await uow.schedules.upsert(
            TEAM,
            CHANNEL,
            post_time="09:00",
            tz="UTC",
            days=days,
            created_by=USER,
            now=created or T0 - timedelta(hours=1),
            reveal_after_hours=8,
            topics=topics,
            recap_day=recap_day,
        )


async def tick_at(deps, moment, jobs=None):
    deps.clock.set(moment)
    return await (jobs or scheduler(deps)).tick()


def lease(deps, key):
    return fake(deps).state.leases.get(key)


async def dead_holder(deps, key, kind, *, schedule_id=None, slot_date=None, alive=False):
    """`key` taken by another process, which died unless `alive`."""
    async with deps.storage.transaction() as uow:
        if alive:
            await uow.processes.beat("ghost", host="elsewhere", pid=1, now=deps.now())
        await uow.leases.take(
            key,
            team_id=TEAM,
            kind=kind,
            owner="ghost",
            now=deps.now(),
            policy=deps.leases,
            schedule_id=schedule_id,
            slot_date=slot_date,
        )


# -- posting -----------------------------------------------------------------------------


async def test_a_due_slot_is_posted_once(deps, gateway):
    schedule = await daily_schedule(deps)
    jobs = scheduler(deps)
    report = await tick_at(deps, T0 + timedelta(minutes=5), jobs)
    (post,) = fake(deps).state.posts.values()
    assert report.posted == [post.id]
    assert (post.schedule_id, post.slot_date) == (schedule.id, MONDAY)
    assert post.deadline_at == T0 + timedelta(minutes=5, hours=8)
    done = lease(deps, slot_key("post", schedule.id, MONDAY))
    assert (done.status, done.attempts) == ("done", 1)
    # The message went out on the same tick and the post knows where it is.
    (sent,) = gateway.calls_to("post")
    assert sent["metadata"] == {"key": f"post:{post.id}"}
    assert fake(deps).state.posts[post.id].message_ts is not None

    again = await tick_at(deps, T0 + timedelta(minutes=10), jobs)
    assert (again.posted, again.skipped, again.failed) == ([], [], [])
    assert len(fake(deps).state.posts) == 1 and len(gateway.calls_to("post")) == 1


async def test_a_restarted_scheduler_does_not_post_the_slot_again(deps):
    await daily_schedule(deps)
    await tick_at(deps, T0 + timedelta(minutes=5))
    assert (await tick_at(deps, T0 + timedelta(minutes=6))).posted == []  # a new Scheduler
    assert len(fake(deps).state.posts) == 1


async def test_nothing_is_posted_before_the_slot_or_on_other_days(deps):
    await daily_schedule(deps, days=[1])  # Tuesdays
    assert (await tick_at(deps, T0 + timedelta(minutes=5))).posted == []
    assert fake(deps).state.posts == {}


async def test_a_slot_older_than_the_grace_window_is_skipped_and_recorded_once(deps):
    schedule = await daily_schedule(deps)
    jobs = scheduler(deps)
    report = await tick_at(deps, T0 + GRACE + timedelta(minutes=1), jobs)
    assert (report.posted, report.skipped) == ([], [f"{CHANNEL}:{MONDAY}"])
    skipped = lease(deps, slot_key("post", schedule.id, MONDAY))
    assert (skipped.status, skipped.attempts, skipped.owner) == ("skipped", 0, deps.owner)
    again = await tick_at(deps, T0 + GRACE + timedelta(minutes=2), jobs)
    assert again.skipped == [] and fake(deps).state.posts == {}


async def test_a_failed_slot_is_retried_within_the_grace_window(deps):
    schedule = await daily_schedule(deps, topics=("ml-project",))  # no daily question there
    jobs = scheduler(deps)
    first = await tick_at(deps, T0 + timedelta(minutes=5), jobs)
    assert first.failed == [f"post:{CHANNEL}:{MONDAY}"]
    failed = lease(deps, slot_key("post", schedule.id, MONDAY))
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.last_error.startswith("NoQuestionAvailable: no question matches")

    await daily_schedule(deps, topics=())  # an admin widens the topics
    second = await tick_at(deps, T0 + GRACE, jobs)  # the last moment of the window
    (post,) = fake(deps).state.posts.values()
    assert second.posted == [post.id] and post.slot_date == MONDAY
    retried = lease(deps, slot_key("post", schedule.id, MONDAY))
    assert (retried.status, retried.attempts) == ("done", 2)


async def test_a_failed_slot_is_not_retried_after_the_grace_window(deps):
    schedule = await daily_schedule(deps, topics=("ml-project",))
    jobs = scheduler(deps)
    await tick_at(deps, T0 + timedelta(minutes=5), jobs)
    await daily_schedule(deps, topics=())
    late = await tick_at(deps, T0 + GRACE + timedelta(seconds=1), jobs)
    assert (late.posted, late.failed, late.skipped) == ([], [], [])
    assert lease(deps, slot_key("post", schedule.id, MONDAY)).attempts == 1
    assert fake(deps).state.posts == {}


async def test_a_slot_held_by_a_dead_process_is_taken_over(deps):
    schedule = await daily_schedule(deps)
    await dead_holder(
        deps,
        slot_key("post", schedule.id, MONDAY),
        "post",
        schedule_id=schedule.id,
        slot_date=MONDAY,
    )
    report = await tick_at(deps, T0 + timedelta(minutes=5))
    assert len(report.posted) == 1
    taken = lease(deps, slot_key("post", schedule.id, MONDAY))
    assert (taken.owner, taken.status, taken.attempts) == (deps.owner, "done", 2)


async def test_a_slot_held_by_a_live_process_is_left_to_it(deps):
    schedule = await daily_schedule(deps)
    key = slot_key("post", schedule.id, MONDAY)
    deps.clock.set(T0 + timedelta(minutes=5))
    await dead_holder(deps, key, "post", schedule_id=schedule.id, slot_date=MONDAY, alive=True)
    report = await tick_at(deps, T0 + timedelta(minutes=5, seconds=59))
    assert report.posted == [] and lease(deps, key).owner == "ghost"


async def test_a_paused_schedule_posts_nothing(deps):
    await daily_schedule(deps)
    async with deps.storage.transaction() as uow:
        await uow.schedules.set_paused(TEAM, CHANNEL, True, now=deps.now())
    report = await tick_at(deps, T0 + timedelta(minutes=5))
    assert (report.posted, report.skipped) == ([], [])


# -- reveals -----------------------------------------------------------------------------


async def test_a_post_past_its_deadline_is_revealed(deps, gateway):
    post = await channel_post(deps, hours=1)
    early = await tick_at(deps, T0 + timedelta(minutes=59))
    assert early.revealed == []
    report = await tick_at(deps, T0 + timedelta(hours=1))
    assert report.revealed == [post.id]
    assert fake(deps).state.posts[post.id].status == "revealed"
    assert [call["thread_ts"] for call in gateway.calls_to("post")] == [post.message_ts]
    assert [call["ts"] for call in gateway.calls_to("update")] == [post.message_ts]


async def test_a_post_closed_by_an_interrupted_reveal_is_revealed_before_its_deadline(deps):
    post = await channel_post(deps, hours=8)
    async with deps.storage.transaction() as uow:
        await uow.posts.close(post.id, deps.now())
    await dead_holder(deps, reveal_key(post.id), "reveal")
    report = await tick_at(deps, T0 + timedelta(minutes=1))
    assert report.revealed == [post.id]
    resumed = lease(deps, reveal_key(post.id))
    assert (resumed.owner, resumed.status, resumed.attempts) == (deps.owner, "done", 2)


async def test_a_reveal_held_by_a_live_process_is_not_reported(deps):
    post = await channel_post(deps, hours=1)
    deps.clock.set(T0 + timedelta(hours=1))
    await dead_holder(deps, reveal_key(post.id), "reveal", alive=True)
    report = await tick_at(deps, T0 + timedelta(hours=1, seconds=30))
    assert (report.revealed, report.failed) == ([], [])
    assert fake(deps).state.posts[post.id].status == "open"


async def test_practice_questions_are_never_revealed_by_the_scheduler(deps):
    post = await dm_post(deps)
    async with deps.storage.transaction() as uow:
        await uow.posts.close(post.id, deps.now())
    report = await tick_at(deps, T0 + timedelta(hours=9))
    assert report.revealed == [] and fake(deps).state.posts[post.id].status == "open"


async def test_a_failing_reveal_is_reported_and_the_tick_goes_on(deps):
    async with deps.storage.transaction() as uow:
        broken = await uow.posts.create(
            TEAM,
            CHANNEL,
            "retired",
            kind="channel",
            opened_at=T0,
            deadline_at=T0,
            difficulty="easy",
        )
        await uow.posts.set_message(broken.id, CHANNEL, "1709000000.000099")
    fine = await channel_post(deps, channel="C2", hours=0.5)
    report = await tick_at(deps, T0 + timedelta(hours=1))
    assert report.failed == [f"reveal:{broken.id}"]
    assert report.revealed == [fine.id]
    assert lease(deps, reveal_key(broken.id)).status == "failed"


# -- recaps ------------------------------------------------------------------------------


async def mondays_with_a_friday_recap(deps):
    # Friday is no question day, so its recap goes out at the slot time, 09:00.
    return await daily_schedule(deps, days=[0], recap_day=4)


FRIDAY_RECAP = datetime(2024, 3, 8, 9, tzinfo=UTC)


async def test_the_weekly_recap_is_sent_once(deps, gateway):
    schedule = await mondays_with_a_friday_recap(deps)
    jobs = scheduler(deps)
    assert (await tick_at(deps, FRIDAY_RECAP - timedelta(minutes=1), jobs)).recaps == []
    report = await tick_at(deps, FRIDAY_RECAP + timedelta(minutes=1), jobs)
    assert report.recaps == [schedule.id]
    key = f"recap:{schedule.id}:{FRIDAY.isoformat()}"
    assert fake(deps).message(key).status == "sent"
    assert lease(deps, slot_key("recap", schedule.id, FRIDAY)).status == "done"
    again = await tick_at(deps, FRIDAY_RECAP + timedelta(minutes=2), jobs)
    assert again.recaps == []
    assert [c["metadata"]["key"] for c in gateway.calls_to("post")] == [key]


async def test_a_recap_whose_process_died_is_sent_again_within_grace(deps):
    schedule = await mondays_with_a_friday_recap(deps)
    deps.clock.set(FRIDAY_RECAP)
    key = slot_key("recap", schedule.id, FRIDAY)
    await dead_holder(deps, key, "recap", schedule_id=schedule.id, slot_date=FRIDAY)
    report = await tick_at(deps, FRIDAY_RECAP + timedelta(minutes=30))
    assert report.recaps == [schedule.id]
    assert (lease(deps, key).owner, lease(deps, key).attempts) == (deps.owner, 2)
    assert len(fake(deps).messages(action="post", channel_id=CHANNEL)) == 1


async def test_a_recap_whose_process_died_is_not_retried_past_grace(deps):
    schedule = await mondays_with_a_friday_recap(deps)
    deps.clock.set(FRIDAY_RECAP)
    key = slot_key("recap", schedule.id, FRIDAY)
    await dead_holder(deps, key, "recap", schedule_id=schedule.id, slot_date=FRIDAY)
    late = await tick_at(deps, FRIDAY_RECAP + GRACE + timedelta(minutes=1))
    assert late.recaps == [] and lease(deps, key).owner == "ghost"


async def test_a_failing_recap_is_recorded_on_its_lease(deps, monkeypatch):
    schedule = await mondays_with_a_friday_recap(deps)

    async def broken(*args, **kwargs):
        raise RuntimeError("no recap today")

    monkeypatch.setattr(recap, "send_recap", broken)
    report = await tick_at(deps, FRIDAY_RECAP + timedelta(minutes=1))
    assert report.failed == [f"recap:{CHANNEL}:{FRIDAY}"]
    failed = lease(deps, slot_key("recap", schedule.id, FRIDAY))
    assert (failed.status, failed.last_error) == ("failed", "RuntimeError: no recap today")


# -- the rest of a tick ----------------------------------------------------------------


async def test_a_tick_beats_drains_the_inbox_and_delivers(deps, gateway):
    request = SlashCommand(TEAM, USER, CHANNEL, "topics", reply_to())
    async with deps.storage.transaction() as uow:
        (row_id,) = await uow.inbox.add_many(
            [InboxEntry(TEAM, "command", None, "user:U1", "{}", encode(request))], deps.now()
        )
    jobs = scheduler(deps)
    await jobs.tick()
    assert fake(deps).state.processes[deps.owner].heartbeat_at == deps.now()
    assert fake(deps).state.inbox[row_id].status == "done"
    assert jobs.deliverer.responder.responses[0][1].text == "mlquiz topics"  # type: ignore[attr-defined]


async def sent_long_ago(deps, key, days):
    async with deps.storage.transaction() as uow:
        old = deps.now() - timedelta(days=days)
        message_id = await uow.outbox.add(
            Outgoing(team_id=TEAM, key=key, action="post", channel_id="C9"), old
        )
        await uow.outbox.begin([message_id], owner="p", now=old, policy=deps.leases)
        await uow.outbox.sent(message_id, channel_id="C9", ts="1.1", now=old)


async def test_housekeeping_forgets_old_sent_messages_once_an_hour(deps):
    jobs = scheduler(deps)
    await sent_long_ago(deps, "old", days=8)
    await sent_long_ago(deps, "recent", days=6)
    await jobs.tick()
    assert [m.key for m in fake(deps).messages()] == ["recent"]
    await sent_long_ago(deps, "old-2", days=8)
    await tick_at(deps, deps.now() + timedelta(minutes=59), jobs)
    assert [m.key for m in fake(deps).messages()] == ["recent", "old-2"]
    await tick_at(deps, deps.now() + timedelta(minutes=1), jobs)
    assert [m.key for m in fake(deps).messages()] == ["recent"]


@pytest.mark.parametrize("kind", ["post", "recap"])
async def test_a_deleted_schedule_does_nothing_more(deps, kind):
    await mondays_with_a_friday_recap(deps)
    async with deps.storage.transaction() as uow:
        await uow.schedules.delete(TEAM, CHANNEL)
    moment = T0 + timedelta(minutes=5) if kind == "post" else FRIDAY_RECAP
    report = await tick_at(deps, moment)
    assert (report.posted, report.recaps, report.skipped) == ([], [], [])


async def test_start_ticks_at_once_and_stop_lets_the_running_tick_finish(deps):
    await daily_schedule(deps)
    deps.clock.set(T0 + timedelta(minutes=5))
    jobs = scheduler(deps)
    jobs.start()
    await asyncio.sleep(0)  # the loop starts its first tick
    await jobs.stop()
    assert len(fake(deps).state.posts) == 1
    assert fake(deps).state.processes[deps.owner].heartbeat_at == deps.now()


# -- interview panels ----------------------------------------------------------------------


async def test_a_tick_runs_the_panels_timed_work(deps, gateway):
    add_people(gateway)
    panel = await live(deps)
    report = await tick_at(deps, (await interview_of(deps, panel, "UA")).ends_at)
    assert report.failed == []
    async with deps.storage.reading() as uow:
        current = await uow.panels.get(panel.id)
        sent = [r for r in await uow.panels.reminders(panel.id) if r.status == "sent"]
    assert current is not None and current.debrief_channel is not None
    assert len(gateway.calls_to("create_private_channel")) == 1
    assert [r.kind for r in sent] == ["end"]


async def test_a_failing_panel_step_is_reported_and_the_others_still_run(
    deps, gateway, monkeypatch
):
    add_people(gateway)
    panel = await live(deps)

    async def broken(_deps):
        raise RuntimeError("boom")

    monkeypatch.setattr(rooms, "open_rooms", broken)
    report = await tick_at(deps, (await interview_of(deps, panel, "UA")).ends_at)
    assert report.failed == ["panel rooms: RuntimeError: boom"]
    async with deps.storage.reading() as uow:
        assert [r.status for r in await uow.panels.reminders(panel.id)].count("sent") == 1
