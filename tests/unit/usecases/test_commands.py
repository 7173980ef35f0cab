"""`/mlquiz <subcommand>` reaches its use case; unknown ones get help."""

from __future__ import annotations

import pytest

from bot.ports.requests import SlashCommand
from bot.ports.slack import SlackUnavailable
from bot.usecases import commands
from tests.unit.builders import CHANNEL, USER, fake, reply_to
from tests.unit.fakes import TEAM


async def slash(deps, text):
    await commands.run_command(deps, SlashCommand(TEAM, USER, CHANNEL, text, reply_to()))


def only_reply(deps):
    (message,) = fake(deps).messages(action="respond")
    return message


def first_section(message):
    return message.blocks[0]["text"]["text"]


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        (
            "leaderbord",
            "I don't know `leaderbord`. Did you mean `leaderboard`? Here is what I can do:",
        ),
        ("zzzz", "I don't know `zzzz`. Here is what I can do:"),
        ("<!here>", "I don't know `&lt;!here&gt;`. Here is what I can do:"),
    ],
)
async def test_an_unknown_subcommand_gets_help_and_a_suggestion(deps, text, prefix):
    await slash(deps, text)
    message = only_reply(deps)
    assert message.text == "mlquiz help"
    assert first_section(message).startswith(prefix + "\n\n*Practice*")


@pytest.mark.parametrize("text", ["", "ask overfitting", "hard"])
async def test_ask_sends_a_practice_question(deps, text):
    await slash(deps, text)
    (post,) = fake(deps).state.posts.values()
    assert (post.kind, post.user_id) == ("dm", USER)
    if text == "hard":
        question = deps.bank.get(post.question_id)
        assert question is not None and question.difficulty.value == "hard"


@pytest.mark.parametrize(
    ("text", "reply_text"),
    [
        ("review", "Nothing is due for review."),
        ("stats", "Your mlquiz stats"),
        ("leaderboard month", "Leaderboard: This month (workspace)"),
        ("lb", "Leaderboard: This week (workspace)"),
        ("topics", "mlquiz topics"),
        ("help", "mlquiz help"),
        ("pause", "Sorry, `pause` is for workspace admins"),
        ("post-now", "Sorry, `post-now` is for workspace admins"),
    ],
)
async def test_each_subcommand_reaches_its_use_case(deps, text, reply_text):
    await slash(deps, text)
    assert only_reply(deps).text.startswith(reply_text)


async def test_admin_subcommands_get_their_raw_arguments(deps, gateway):
    gateway.add_user(USER, "ada", admin=True)
    await slash(deps, "schedule 09:00   UTC  weekdays")
    schedule = fake(deps).state.schedules[1]
    assert (schedule.channel_id, schedule.post_time, schedule.tz) == (CHANNEL, "09:00", "UTC")


async def test_a_failure_gets_a_friendly_line_not_a_traceback(deps, gateway):
    gateway.fail("open_dm", SlackUnavailable("fatal_error"))
    await slash(deps, "ask")
    assert only_reply(deps).text == "Sorry, something went wrong on our side. Please try again."
    assert fake(deps).state.posts == {}
