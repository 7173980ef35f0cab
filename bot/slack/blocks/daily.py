"""The channel's daily question, its reveal and the weekly recap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.ranking import RankedResult
from bot.slack.blocks import ids
from bot.slack.blocks.common import (
    Message,
    actions,
    button,
    context,
    divider,
    header,
    long_sections,
    percent,
    render,
    section,
)
from bot.slack.blocks.practice import question_meta
from bot.slack.text import escape
from questionbank.models import Question
from questionbank.topics import topic_label


def slack_date(moment: datetime, fallback: str) -> str:
    """Slack renders this in each reader's own time zone."""
    stamp = int(moment.timestamp())
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{fallback}>"


def daily_post(question: Question, post_id: int, *, deadline: datetime, fallback: str) -> Message:
    blocks = [
        header(f"Question of the day: {question.title}"),
        context(question_meta(question)),
        *long_sections(escape(question.prompt)),
        context(
            f"⏰ Answers close {slack_date(deadline, fallback)}. Reply in this thread, "
            "or answer privately so nobody sees yours before the reveal."
        ),
        actions(
            button("Answer privately", ids.ANSWER_BUTTON, str(post_id), style="primary"),
            block_id="daily_actions",
        ),
    ]
    return Message(text=f"Question of the day: {question.title}", blocks=render(blocks))


def closed_post(question: Question, *, participants: int) -> Message:
    blocks = [
        header(f"Question of the day: {question.title}"),
        context(question_meta(question)),
        *long_sections(escape(question.prompt)),
        context(
            f"🔒 Closed: {participants} answer{'s' if participants != 1 else ''}. "
            "The expected answer and results are in the thread."
        ),
    ]
    return Message(text=f"Closed: {question.title}", blocks=render(blocks))


def reveal_summary(question: Question, results: Sequence[RankedResult]) -> Message:
    key_points = "\n".join(f"• {escape(point.text)}" for point in question.key_points)
    if results:
        lines = [
            f"{r.rank}. <@{r.user_id}>: {r.covered}/{r.total} key points · "
            f"{percent(r.score)} · +{r.points} pts"
            for r in results
        ]
        ranking = "\n".join(lines)
    else:
        ranking = "_No answers this time._"
    blocks = [
        header("Answers are in: the reveal"),
        section("*Expected answer*"),
        *long_sections(escape(question.expected_answer)),
        section(f"*Key points*\n{key_points}"),
        divider(),
        section(f"*Results* ({len(results)} answered)\n{ranking}"),
        context("Everyone who answered gets their own feedback in a DM."),
    ]
    return Message(text=f"Reveal: {question.title}", blocks=render(blocks))


@dataclass(frozen=True)
class RecapData:
    week_label: str
    top: Sequence  # LeaderboardRow
    streaks: Sequence[tuple[str, int]]
    hardest: tuple[Question, float] | None
    questions: int


def weekly_recap(data: RecapData) -> Message:
    top = (
        "\n".join(
            f"{row.rank}. <@{row.user_id}> · {row.points} pts · {row.answered} answered"
            for row in data.top
        )
        or "_Nobody answered this week._"
    )
    streaks = "\n".join(f"🔥 <@{user}>: {days}" for user, days in data.streaks) or "_None yet._"
    blocks = [
        header(f"Weekly recap: {data.week_label}"),
        section(f"*Top scorers*\n{top}"),
        section(f"*Longest streaks*\n{streaks}"),
    ]
    if data.hardest:
        question, average = data.hardest
        blocks.append(
            section(
                f"*Hardest question*\n{escape(question.title)} "
                f"({topic_label(question.primary_topic)}): average {percent(average)}"
            )
        )
    blocks.append(context(f"{data.questions} question(s) this week. Keep it up!"))
    return Message(text=f"Weekly recap: {data.week_label}", blocks=render(blocks))
