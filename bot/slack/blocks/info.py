"""Stats, leaderboards, topics, help and App Home."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.views import View

from bot.slack.blocks import ids
from bot.slack.blocks.common import (
    Message,
    actions,
    bar,
    button,
    context,
    divider,
    header,
    percent,
    render,
    section,
)
from questionbank.topics import topic_label

PERIOD_TITLES = {
    "week": "This week",
    "month": "This month",
    "season": "This season",
    "all": "All time",
}
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}

HELP_TEXT = """*Practice*
• `/mlquiz` or `/mlquiz ask [topic] [easy|medium|hard]`: a question in your DMs now
• `/mlquiz review`: bring back questions you found hard, when they are due
• `/mlquiz stats [@user]`: answered, average, streak, rank, mastery per topic
• `/mlquiz leaderboard [week|month|season|all]`: the top 10 (in a daily-question
  channel, that channel's)
• `/mlquiz topics`: every topic with its question count
*Channel admins*
• `/mlquiz schedule 09:00 Europe/Berlin weekdays`: a daily question in this channel
• `/mlquiz unschedule` · `pause` · `resume` · `post-now` · `reveal`
• `/mlquiz config reveal 17:00|6h` · `config topics a,b|all`
• `/mlquiz config difficulty hard|any` · `config recap fri|off`
*Interview panels*
• `/mlquiz panel new`: plan a panel (distinct questions per interviewer, private kits,
  sealed scorecards, a private debrief) · `/mlquiz panel help` for every panel command"""


def help_message(prefix: str = "") -> Message:
    text = (prefix + "\n\n" if prefix else "") + HELP_TEXT
    return Message(text="mlquiz help", blocks=render([section(text)]))


def leaderboard_lines(rows: Sequence[Any]) -> list[str]:
    lines = []
    for row in rows:
        medal = MEDALS.get(row.rank, f"{row.rank}.")
        lines.append(
            f"{medal} <@{row.user_id}> · *{row.points}* pts · {row.answered} answered"
            f" · avg {percent(row.average_score)}"
        )
    return lines


def leaderboard_message(rows: Sequence[Any], *, period: str, scope: str) -> Message:
    title = f"Leaderboard: {PERIOD_TITLES.get(period, period)}"
    body = "\n".join(leaderboard_lines(rows)) or "_Nobody has scored yet. Be the first!_"
    # The scope may be a channel mention, which only renders outside the plain-text header.
    blocks = [header(title), context(f"Scope: {scope}"), section(body)]
    return Message(text=f"{title} ({scope})", blocks=render(blocks))


def mastery_lines(mastery: dict[str, Any], limit: int = 12) -> list[str]:
    """One bar per topic, strongest first; values are TopicMastery records."""
    scored = [(topic, m.average_score or 0.0, m.answered) for topic, m in mastery.items()]
    ordered = sorted(scored, key=lambda item: (-item[1], item[0]))[:limit]
    return [
        f"`{bar(value)}` {percent(value)} {topic_label(topic)} ({n} answered)"
        for topic, value, n in ordered
    ]


def stats_message(stats: Any, *, user_id: str, is_self: bool, name: str = "") -> Message:
    # Headers are plain text, where a <@U…> mention would show raw: use the name there.
    who = "Your" if is_self else f"{name or 'Their'}'s"
    rank = f"#{stats.rank}" if stats.rank else "unranked"
    summary = (
        f"*{stats.answered}* answered · average *{percent(stats.average_score or 0)}* · "
        f"*{stats.points}* points · rank {rank}\n"
        f"🔥 streak *{stats.streak}* (best {stats.best_streak})"
    )
    blocks = [
        header(f"{who} mlquiz stats"),
        section(summary if is_self else f"<@{user_id}>: " + summary),
    ]
    lines = mastery_lines(stats.topic_mastery)
    if lines:
        blocks.append(section("*Mastery by topic*\n" + "\n".join(lines)))
    else:
        blocks.append(context("No answers yet: try `/mlquiz ask`."))
    return Message(text=f"{who} mlquiz stats", blocks=render(blocks))


def topics_message(counts: dict[str, int]) -> Message:
    lines = [
        f"• *{topic_label(slug)}* (`{slug}`): {count}"
        for slug, count in sorted(counts.items(), key=lambda item: topic_label(item[0]))
    ]
    blocks = [
        header(f"{len(counts)} topics, {sum(counts.values())} topic tags"),
        section("\n".join(lines[:60])),
        context("Ask for one with `/mlquiz ask <topic> [easy|medium|hard]`."),
    ]
    return Message(text="mlquiz topics", blocks=render(blocks))


def home_view(
    stats: Any, top: Sequence[Any], *, user_id: str, extra: Sequence[Any] = ()
) -> dict[str, Any]:
    blocks = [
        header("mlquiz: practise ML interview questions"),
        section(
            f"🔥 Streak *{stats.streak}* (best {stats.best_streak}) · "
            f"*{stats.answered}* answered · average *{percent(stats.average_score or 0)}* · "
            f"*{stats.points}* points"
        ),
        actions(button("Practice a question", ids.HOME_PRACTICE, "-", style="primary")),
        divider(),
        section(
            "*Your mastery by topic*\n"
            + (
                "\n".join(mastery_lines(stats.topic_mastery))
                or "_Answer a question to see your bars._"
            )
        ),
        divider(),
        section(
            "*Workspace top 10, all time*\n"
            + ("\n".join(leaderboard_lines(top)) or "_No scores yet._")
        ),
        *extra,
        context("Type `/mlquiz help` for every command."),
    ]
    return View(type="home", blocks=blocks[:100]).to_dict()
