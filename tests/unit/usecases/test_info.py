"""Read-only screens: stats, leaderboards, topics, help and App Home."""

from __future__ import annotations

import pytest

from bot.ports.slack import SlackUnavailable
from bot.usecases import info
from bot.usecases.info import STATS_USAGE
from tests.unit.builders import CHANNEL, OTHER, USER, channel_post, fake, reply_to, stored_answer
from tests.unit.fakes import TEAM


def said(deps):
    return [m.text for m in fake(deps).messages(action="respond")]


def sections(message):
    return [b["text"]["text"] for b in message.blocks if b["type"] in ("section", "header")]


async def stats(deps, *args, user=USER):
    await info.stats(deps, team_id=TEAM, user_id=user, args=tuple(args), reply_to=reply_to(user))


async def leaderboard(deps, *args, channel=CHANNEL):
    await info.leaderboard(
        deps, team_id=TEAM, user_id=USER, channel_id=channel, args=tuple(args), reply_to=reply_to()
    )


async def scored(deps, user, score, channel=CHANNEL):
    post = await channel_post(deps, channel=channel)
    return await stored_answer(deps, post, user=user, score=score)


async def test_own_stats(deps, gateway):
    gateway.add_user(USER, "ada")
    await scored(deps, USER, 1.0)
    await scored(deps, USER, 0.0, channel="C2")
    await stats(deps)
    (message,) = fake(deps).messages()
    assert message.text == "Your mlquiz stats"
    assert sections(message)[1] == (
        "*2* answered · average *50%* · *20* points · rank #1\n🔥 streak *1* (best 1)"
    )


async def test_stats_of_a_mentioned_person(deps, gateway):
    gateway.add_user(OTHER, "bob")
    await stats(deps, f"<@{OTHER}|bob>")
    (message,) = fake(deps).messages()
    assert message.text == "bob's mlquiz stats"
    assert sections(message)[1].startswith(f"<@{OTHER}>: *0* answered")
    assert gateway.calls_to("find_user") == []


async def test_stats_of_a_typed_name_looks_the_person_up(deps, gateway):
    gateway.add_user(OTHER, "bob")
    await stats(deps, "@Bob")
    assert gateway.calls_to("find_user") == [{"name": "Bob"}]
    (message,) = fake(deps).messages()
    assert message.text == "bob's mlquiz stats"


@pytest.mark.parametrize("failure", [None, SlackUnavailable("ratelimited")])
async def test_stats_of_nobody_by_that_name(deps, gateway, failure):
    if failure:
        gateway.fail("find_user", failure)
    await stats(deps, "@zed", "&", "co")
    assert said(deps) == [f"I can't find anyone called “zed &amp; co” here. {STATS_USAGE}"]


@pytest.mark.parametrize("args", [("<#C1>",), ("x" * 81,), ("@",)])
async def test_stats_with_arguments_that_name_nobody_shows_the_usage(deps, gateway, args):
    await stats(deps, *args)
    assert said(deps) == [STATS_USAGE]
    assert gateway.calls_to("find_user") == []


@pytest.mark.parametrize(
    ("word", "text"),
    [
        ("wek", "Unknown period “wek”. Did you mean `week`? Use week, month, season or all."),
        ("zzz", "Unknown period “zzz”. Use week, month, season or all."),
        ("<b>", "Unknown period “&lt;b&gt;”. Use week, month, season or all."),
    ],
)
async def test_an_unknown_period(deps, word, text):
    await leaderboard(deps, word)
    assert said(deps) == [text]


async def test_the_board_of_a_channel_without_a_schedule_is_the_workspaces(deps):
    await scored(deps, USER, 1.0)
    await scored(deps, OTHER, 0.5, channel="C2")
    await scored(deps, OTHER, 1.0, channel="C2")
    await leaderboard(deps)
    (message,) = fake(deps).messages()
    assert message.text == "Leaderboard: This week (workspace)"
    assert sections(message)[1] == (
        f"🥇 <@{OTHER}> · *30* pts · 2 answered · avg 75%\n"
        f"🥈 <@{USER}> · *20* pts · 1 answered · avg 100%"
    )


async def test_the_board_in_a_scheduled_channel_is_that_channels(deps):
    async with deps.storage.transaction() as uow:
        await uow.schedules.upsert(
            TEAM,
            CHANNEL,
            post_time="09:00",
            tz="UTC",
            days=range(5),
            created_by=USER,
            now=deps.now(),
        )
    await scored(deps, USER, 1.0)
    await scored(deps, OTHER, 1.0, channel="C2")
    await leaderboard(deps, "all")
    (message,) = fake(deps).messages()
    assert message.text == "Leaderboard: All time (<#C1>)"
    assert sections(message)[1] == f"🥇 <@{USER}> · *20* pts · 1 answered · avg 100%"


async def test_a_period_only_counts_its_own_days(deps):
    await scored(deps, USER, 1.0)
    deps.clock.advance(days=7)
    await scored(deps, OTHER, 0.5)
    await leaderboard(deps, "weekly")
    (message,) = fake(deps).messages()
    assert sections(message)[1] == f"🥇 <@{OTHER}> · *10* pts · 1 answered · avg 50%"
    await leaderboard(deps, "season")
    assert sections(fake(deps).messages()[-1])[1].count("pts") == 2


async def test_an_empty_board(deps):
    await leaderboard(deps, "month", channel="")
    (message,) = fake(deps).messages()
    assert message.text == "Leaderboard: This month (workspace)"
    assert sections(message)[1] == "_Nobody has scored yet. Be the first!_"


async def test_topics_lists_the_practice_topics(deps):
    await info.topics(deps, reply_to=reply_to())
    (message,) = fake(deps).messages()
    counts = deps.bank.topics("practice")
    assert message.text == "mlquiz topics"
    assert sections(message)[0] == f"{len(counts)} topics, {sum(counts.values())} topic tags"


async def test_help_with_a_prefix(deps):
    await info.help_screen(deps, reply_to=reply_to(), prefix="Hello.")
    (message,) = fake(deps).messages()
    assert message.text == "mlquiz help"
    assert sections(message)[0].startswith("Hello.\n\n*Practice*")


async def test_app_home_is_published_to_the_person_looking(deps, gateway):
    await scored(deps, USER, 1.0)
    deps.clock.advance(days=1, minutes=1)
    await info.publish_home(deps, team_id=TEAM, user_id=USER)
    (published,) = gateway.calls_to("publish_home")
    assert published["user"] == USER and published["view"]["type"] == "home"
    texts = [b["text"]["text"] for b in published["view"]["blocks"] if b["type"] == "section"]
    assert texts[0] == "🔥 Streak *1* (best 1) · *1* answered · average *100%* · *20* points"
    assert f"🥇 <@{USER}> · *20* pts" in texts[2]
    assert fake(deps).messages() == []


async def test_the_week_on_the_board_is_the_workspaces_week(deps, gateway):
    gateway.add_user(USER, "ada", tz="Pacific/Kiritimati")  # UTC+14; the workspace is UTC
    deps.clock.set(deps.now().replace(day=10, hour=8))  # Sunday 10 March in UTC
    await scored(deps, OTHER, 1.0)
    deps.clock.advance(hours=4)  # Sunday 12:00 UTC is already Monday 02:00 for the asker
    await leaderboard(deps, "week")
    (message,) = fake(deps).messages()
    assert sections(message)[1] == f"🥇 <@{OTHER}> · *20* pts · 1 answered · avg 100%"
