"""Stats, leaderboard, topics, help, unknown subcommands and App Home."""

from __future__ import annotations

from tests.e2e.helpers import blocks_text, last_ephemeral


async def test_help_topics_and_unknown(sandbox, users):
    await sandbox.command(users[0], "help")
    assert "/mlquiz ask" in last_ephemeral(sandbox, users[0])
    await sandbox.command(users[0], "topics")
    topics = last_ephemeral(sandbox, users[0])
    assert "Regularization" in topics and "regularization" in topics
    await sandbox.command(users[0], "leaderbord")
    assert "Did you mean `leaderboard`" in last_ephemeral(sandbox, users[0])


async def test_stats_and_leaderboard_empty_then_filled(sandbox, users, clock):
    ada, bayes = users[0], users[1]
    await sandbox.command(ada, "stats")
    assert "0* answered" in last_ephemeral(sandbox, ada)
    await sandbox.command(ada, "leaderboard month")
    assert "Nobody has scored yet" in last_ephemeral(sandbox, ada)
    await sandbox.command(ada, "leaderboard yesterday")
    assert "Unknown period" in last_ephemeral(sandbox, ada)
    await sandbox.command(ada, f"stats <@{bayes}|bayes>")
    other = last_ephemeral(sandbox, ada)
    assert "BAYES'S MLQUIZ STATS" in other and "@U0BAYES" in other


async def test_app_home_is_published(sandbox, users):
    await sandbox.open_home(users[0])
    home = sandbox.standin.home_view(users[0])
    assert home is not None
    text = blocks_text(home["blocks"])
    assert "Practice a question" in text
    assert "Streak" in text
    await sandbox.press(users[0], "home_practice", view=home)
    assert sandbox.latest_question(sandbox.dm(users[0])) is not None


async def test_slash_commands_are_acked_fast_with_an_empty_body(sandbox, users):
    response = await sandbox.driver.slash_command(
        "/mlquiz", "help", user_id=users[0], channel_id="C0GENERAL"
    )
    assert response.status == 200
    await sandbox.settle()
