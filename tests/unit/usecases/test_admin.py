"""Channel admin subcommands: who may run them, and what each one does."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.core.leases import reveal_key, slot_key
from bot.core.records import Outgoing
from bot.usecases import admin
from tests.unit.builders import CHANNEL, OTHER, channel_post, fake, reply_to, stored_answer
from tests.unit.fakes import TEAM, make_deps

ADMIN = "UADMIN"
SLOT = date(2024, 3, 4)


@pytest.fixture
def as_admin(gateway):
    gateway.add_user(ADMIN, "ada", tz="Europe/Berlin", admin=True)
    return ADMIN


async def run(deps, name, args="", user=ADMIN, channel=CHANNEL):
    await admin.run(deps, name, admin.AdminRequest(TEAM, user, channel, args, reply_to(user)))


def said(deps):
    return [m.text for m in fake(deps).messages(action="respond")]


def last_said(deps):
    return said(deps)[-1]


async def schedule_of(deps, channel=CHANNEL):
    async with deps.storage.reading() as uow:
        return await uow.schedules.get(TEAM, channel)


@pytest.mark.parametrize("name", sorted(admin.COMMANDS))
async def test_someone_who_is_not_an_admin_is_refused_every_subcommand(deps, gateway, name):
    gateway.add_user(OTHER, "bob", admin=False)
    await run(deps, name, "09:00 UTC daily", user=OTHER)
    assert said(deps) == [
        f"Sorry, `{name}` is for workspace admins and the admins configured for mlquiz. "
        "Ask one of them, or try `/mlquiz ask` to practise."
    ]
    assert fake(deps).state.schedules == {} and fake(deps).state.posts == {}


async def test_configured_admins_need_no_profile(storage, slack, clock, gateway):
    deps = make_deps(storage=storage, slack=slack, clock=clock, admin_user_ids={"U7"})
    await run(deps, "unschedule", user="U7")
    assert last_said(deps).startswith("This channel has no daily question yet.")
    assert gateway.calls_to("profile") == []


async def test_parse_errors_are_shown_escaped(deps, as_admin):
    await run(deps, "schedule", "09:00 <!channel>")
    assert said(deps) == [
        "`&lt;!channel&gt;` is not a time zone or a day list. Usage: `/mlquiz schedule HH:MM "
        "[time zone] [weekdays|daily|weekends|mon,wed,fri|mon-thu]`"
    ]
    assert fake(deps).state.schedules == {}


async def test_schedule_creates_the_channels_daily_question(deps, as_admin):
    await run(deps, "schedule", "09:00 Europe/Berlin weekdays")
    schedule = await schedule_of(deps)
    assert schedule is not None
    assert (schedule.post_time, schedule.tz, schedule.days) == (
        "09:00",
        "Europe/Berlin",
        frozenset(range(5)),
    )
    assert (schedule.reveal_time, schedule.reveal_after_hours) == ("17:00", None)
    assert (schedule.created_by, schedule.paused) == (ADMIN, False)
    assert said(deps) == [
        "✅ Scheduled <#C1>: weekdays at 09:00 (Europe/Berlin); answers revealed at 17:00; "
        "no weekly recap. Next question: Tue 5 Mar 2024 09:00 CET."
    ]


async def test_schedule_without_a_zone_uses_the_admins_own(deps, as_admin):
    await run(deps, "schedule", "08:30 daily")
    schedule = await schedule_of(deps)
    assert schedule is not None and schedule.tz == "Europe/Berlin"


async def test_rescheduling_keeps_the_reveal_recap_topics_and_difficulty(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    for change in ("reveal 6h", "topics overfitting", "difficulty hard", "recap fri"):
        await run(deps, "config", change)
    await run(deps, "schedule", "07:00 UTC daily")
    schedule = await schedule_of(deps)
    assert schedule is not None
    assert (schedule.post_time, schedule.days) == ("07:00", frozenset(range(7)))
    assert (schedule.reveal_after_hours, schedule.topics) == (6.0, ("overfitting",))
    assert (schedule.difficulty, schedule.recap_day) == ("hard", 4)
    assert last_said(deps).startswith("✅ Scheduled <#C1>: daily at 07:00 (UTC); answers")


@pytest.mark.parametrize("name", ["unschedule", "pause", "resume", "config"])
async def test_subcommands_on_a_channel_without_a_schedule_say_how_to_start(deps, as_admin, name):
    await run(deps, name)
    assert said(deps) == [
        "This channel has no daily question yet. Start one with "
        "`/mlquiz schedule 09:00 Europe/Berlin weekdays`."
    ]


async def test_unschedule_removes_the_schedule_and_keeps_the_history(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    post = await channel_post(deps)
    await stored_answer(deps, post)
    await run(deps, "unschedule")
    assert await schedule_of(deps) is None
    assert len(fake(deps).state.answers) == 1
    assert last_said(deps) == (
        "🗑️ Removed the daily question from <#C1>. Leaderboards and past answers are kept."
    )


async def test_pause_and_resume(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    await run(deps, "pause")
    schedule = await schedule_of(deps)
    assert schedule is not None and schedule.paused
    assert last_said(deps) == (
        "⏸️ Paused the daily question in <#C1>. `/mlquiz resume` starts it again."
    )
    await run(deps, "resume")
    schedule = await schedule_of(deps)
    assert schedule is not None and not schedule.paused
    assert last_said(deps) == (
        "▶️ Resumed: weekdays at 09:00 (UTC); answers revealed at 17:00; no weekly recap. "
        "Next question: Tue 5 Mar 2024 09:00 UTC."
    )


async def test_config_with_arguments_changes_the_schedule(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    await run(deps, "pause")
    await run(deps, "config", "reveal 6h")
    schedule = await schedule_of(deps)
    assert schedule is not None
    assert (schedule.reveal_time, schedule.reveal_after_hours, schedule.paused) == (
        None,
        6.0,
        True,
    )
    assert last_said(deps) == (
        "✅ Updated <#C1>: weekdays at 09:00 (UTC); answers revealed 6 hours after posting; "
        "no weekly recap. Next question: Tue 5 Mar 2024 09:00 UTC."
    )


async def test_config_parse_errors_are_escaped(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    await run(deps, "config", "reveal <@U1>")
    assert last_said(deps) == (
        "`&lt;@U1&gt;` is neither a time (17:00) nor a delay (6h). "
        "Usage: `/mlquiz config reveal 17:00 | reveal 6h | reveal after 6 hours`"
    )


async def add_problem(
    deps,
    key,
    *,
    action="post",
    channel=CHANNEL,
    user=None,
    subject=None,
    status="failed",
    error="fatal_error",
):
    """An outbox message that finally failed (`status`) or is retrying (`pending`)."""
    async with deps.storage.transaction() as uow:
        message = Outgoing(
            team_id=TEAM,
            key=key,
            action=action,
            channel_id=channel,
            user_id=user,
            subject=subject,
        )
        message_id = await uow.outbox.add(message, deps.now())
        await uow.outbox.begin([message_id], owner="p", now=deps.now(), policy=deps.leases)
        if status == "pending":
            await uow.outbox.retry_later(
                message_id, error=error, not_before=deps.now(), now=deps.now()
            )
        else:
            await uow.outbox.give_up(message_id, status=status, error=error, now=deps.now())
    deps.clock.advance(seconds=1)


async def test_the_config_report_lists_failed_leases_and_outbox_problems(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    schedule = await schedule_of(deps)
    assert schedule is not None
    async with deps.storage.transaction() as uow:
        for schedule_id in (schedule.id, 99):
            key = slot_key("post", schedule_id, SLOT)
            await uow.leases.take(
                key,
                team_id=TEAM,
                kind="post",
                owner=deps.owner,
                now=deps.now(),
                policy=deps.leases,
                schedule_id=schedule_id,
                slot_date=SLOT,
            )
            await uow.leases.finish(key, owner=deps.owner, now=deps.now(), error="boom <x>")
    post = await channel_post(deps, schedule_id=schedule.id, posted=False)
    await add_problem(deps, f"post:{post.id}", subject=f"post:{post.id}", status="pending")
    await add_problem(deps, "reveal-summary:5", error="channel_not_found")
    await add_problem(deps, "recap:9:2024-03-01", channel="C2")  # another channel's
    await add_problem(deps, "reveal-close:5", action="update", error="message_not_found")
    await add_problem(
        deps,
        "feedback:7",
        action="dm",
        channel=None,
        user=OTHER,
        status="undeliverable",
        error="user_not_found",
    )
    await add_problem(deps, "reply:1", action="ephemeral", status="expired", error="late")
    await run(deps, "config")
    assert last_said(deps).split("\n") == [
        "*Daily question in <#C1>* (▶️ active)",
        "weekdays at 09:00 (UTC); answers revealed at 17:00; no weekly recap",
        "Next question: Tue 5 Mar 2024 09:00 UTC.",
        "*Problems* (retried automatically until they succeed or expire)",
        "• post for 2024-03-04: boom &lt;x&gt; (1 attempts)",
        "• ephemeral: late (expired, 1 attempts)",
        f"• feedback DM to <@{OTHER}>: user_not_found (undeliverable)",
        "• closing post 5: message_not_found (failed, 1 attempts)",
        "• reveal of post 5: channel_not_found (failed, 1 attempts)",
        "• post for 2024-03-04: fatal_error (retrying, 1 attempts)",
    ]


async def test_the_config_report_of_a_healthy_paused_channel(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    await run(deps, "pause")
    await run(deps, "config")
    assert last_said(deps).split("\n") == [
        "*Daily question in <#C1>* (⏸️ paused)",
        "weekdays at 09:00 (UTC); answers revealed at 17:00; no weekly recap",
    ]


async def test_post_now_refuses_while_a_question_is_open(deps, as_admin):
    await channel_post(deps)
    await run(deps, "post-now")
    assert said(deps) == [
        "There is already an open question here. `/mlquiz reveal` closes it first."
    ]
    assert len(fake(deps).state.posts) == 1


async def test_post_now_without_a_schedule_posts_with_the_admins_zone(deps, as_admin):
    heard = []
    fake(deps).on_new_messages(heard.append)
    await run(deps, "post-now")
    (post,) = fake(deps).state.posts.values()
    assert (post.schedule_id, post.slot_date) == (None, None)
    assert post.deadline_at is not None
    assert post.deadline_at == deps.now().replace(hour=16)  # 17:00 in Berlin
    question_message, confirmation = fake(deps).messages()
    assert question_message.key == f"post:{post.id}"
    assert (
        confirmation.text == "📮 Posted a question; answers are revealed Mon 4 Mar 2024 17:00 CET."
    )
    assert heard == [[1, 2]]  # one commit: the post and its confirmation


async def test_post_now_uses_the_channels_schedule(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    await run(deps, "config", "reveal 6h")
    await run(deps, "post-now")
    (post,) = fake(deps).state.posts.values()
    assert post.deadline_at == deps.now() + timedelta(hours=6)
    assert last_said(deps) == "📮 Posted a question; answers are revealed Mon 4 Mar 2024 15:00 UTC."


async def test_post_now_with_nothing_to_post_says_why(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    await run(deps, "config", "topics ml-project")
    await run(deps, "post-now")
    assert last_said(deps) == (
        "Nothing to post: no question matches this channel's topics and difficulty; widen "
        "them with `/mlquiz config topics all` or `config difficulty any`."
    )
    assert fake(deps).state.posts == {}


async def test_reveal_without_an_open_question(deps, as_admin):
    await run(deps, "reveal")
    assert said(deps) == ["There is no open question in this channel to reveal."]


async def test_reveal_reveals_the_open_question(deps, as_admin):
    post = await channel_post(deps)
    await run(deps, "reveal")
    assert last_said(deps) == "🔓 Revealed."
    assert fake(deps).state.posts[post.id].status == "revealed"
    assert fake(deps).messages()[0].key == f"reveal-summary:{post.id}"


async def test_reveal_of_a_question_that_never_reached_slack(deps, as_admin):
    post = await channel_post(deps, posted=False)
    await run(deps, "reveal")
    assert last_said(deps) == (
        "That question never reached Slack, so there is nothing to reveal; it is marked failed."
    )
    assert fake(deps).state.posts[post.id].status == "failed"


async def test_reveal_of_a_question_on_its_way(deps, as_admin):
    post = await channel_post(deps, posted=False)
    async with deps.storage.transaction() as uow:
        await uow.outbox.add(
            Outgoing(team_id=TEAM, key=f"post:{post.id}", action="post", channel_id=CHANNEL),
            deps.now(),
        )
    await run(deps, "reveal")
    assert last_said(deps) == "The question is still on its way to Slack; try again in a moment."


@pytest.mark.parametrize(
    ("holder", "text"),
    [
        ("live", "A reveal of this question is already running."),
        ("done", "This question was revealed already."),
    ],
)
async def test_reveal_while_another_reveal_holds_it(deps, as_admin, holder, text):
    post = await channel_post(deps)
    async with deps.storage.transaction() as uow:
        await uow.processes.beat("other", host="h", pid=2, now=deps.now())
        key = reveal_key(post.id)
        await uow.leases.take(
            key, team_id=TEAM, kind="reveal", owner="other", now=deps.now(), policy=deps.leases
        )
        if holder == "done":
            await uow.leases.finish(key, owner="other", now=deps.now())
    await run(deps, "reveal")
    assert last_said(deps) == text
    assert fake(deps).state.posts[post.id].status == "open"


async def test_the_config_report_lists_a_failed_reveal(deps, as_admin):
    await run(deps, "schedule", "09:00 UTC weekdays")
    async with deps.storage.transaction() as uow:
        post = await uow.posts.create(
            TEAM,
            CHANNEL,
            "retired",
            kind="channel",
            opened_at=deps.now(),
            deadline_at=deps.now(),
            difficulty="easy",
        )
        await uow.posts.set_message(post.id, CHANNEL, "1709000000.000001")
    with pytest.raises(LookupError):
        await run(deps, "reveal")
    assert fake(deps).state.leases[reveal_key(post.id)].status == "failed"
    await run(deps, "config")
    report = last_said(deps)
    assert "*Problems*" in report
    assert "question retired is no longer in the bank" in report


async def test_reveal_of_a_question_whose_attempts_ran_out_says_so(deps, as_admin):
    post = await channel_post(deps)
    key = reveal_key(post.id)
    async with deps.storage.transaction() as uow:
        for _ in range(deps.leases.max_attempts):
            await uow.leases.take(
                key, team_id=TEAM, kind="reveal", owner="me", now=deps.now(), policy=deps.leases
            )
            await uow.leases.finish(key, owner="me", error="boom", now=deps.now())
    await run(deps, "reveal")
    assert "given up" in last_said(deps)
    assert "revealed already" not in last_said(deps)
    assert fake(deps).state.posts[post.id].status == "open"
