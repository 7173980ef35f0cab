"""A question, the answer modal and the graded feedback."""

from __future__ import annotations

import functools
from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement
from slack_sdk.models.views import View

from bot.grading import Grade, feedback
from bot.slack.blocks import ids
from bot.slack.blocks.common import (
    MESSAGE_BLOCK_LIMIT,
    Message,
    actions,
    button,
    context,
    divider,
    header,
    long_sections,
    percent,
    render,
    render_limited,
    section,
)
from bot.slack.text import escape, quote, truncate
from questionbank.models import Question
from questionbank.topics import topic_label

MODAL_ANSWER_LIMIT = 3000  # Slack's own cap on a plain_text_input


def question_meta(question: Question) -> str:
    topics = ", ".join(topic_label(t) for t in question.topics[:3])
    return f"*{topics}* · {question.difficulty.value} · `{question.id}`"


def practice_question(question: Question, post_id: int, *, reason: str = "") -> Message:
    blocks = [
        header(question.title),
        context(question_meta(question)),
        *long_sections(escape(question.prompt)),
    ]
    if reason:
        blocks.append(context(reason))
    blocks += [
        context("Reply in this thread to answer, or press *Answer* to write it in a form."),
        actions(
            button("Answer", ids.ANSWER_BUTTON, str(post_id), style="primary"),
            button("Skip: another question", ids.ANOTHER_QUESTION, _another_value(question)),
        ),
    ]
    return Message(text=f"Question: {question.title}", blocks=render(blocks))


def _another_value(question: Question) -> str:
    return f"{question.primary_topic}|"


def answer_modal(question: Question, post_id: int) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=ids.ANSWER_MODAL,
        private_metadata=str(post_id),
        title="Your answer",
        submit="Submit",
        close="Cancel",
        blocks=[
            section(f"*{escape(question.title)}*\n{escape(truncate(question.prompt, 2500))}"),
            InputBlock(
                block_id=ids.ANSWER_INPUT_BLOCK,
                label="Answer",
                element=PlainTextInputElement(
                    action_id=ids.ANSWER_INPUT,
                    multiline=True,
                    max_length=MODAL_ANSWER_LIMIT,
                    placeholder="Explain in your own words",
                ),
            ),
        ],
    )
    return view.to_dict()


def appeal_modal(answer_id: int, question_title: str) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=ids.APPEAL_MODAL,
        private_metadata=str(answer_id),
        title="I think I was right",
        submit="Send",
        close="Cancel",
        blocks=[
            section(
                f"Tell us what the grader missed on *{escape(question_title)}*. "
                "Appeals are reviewed and used to improve grading."
            ),
            InputBlock(
                block_id=ids.APPEAL_INPUT_BLOCK,
                label="What did the grader miss?",
                optional=True,
                element=PlainTextInputElement(
                    action_id=ids.APPEAL_INPUT, multiline=True, max_length=2000
                ),
            ),
        ],
    )
    return view.to_dict()


def feedback_lines(grade: Grade) -> list[str]:
    """One line per key point, the user's words quoted literally (a code span)."""
    return feedback.key_point_lines(grade, escape=escape, quote=lambda words: quote(words, 160))


def grade_summary(grade: Grade, points: int, *, ranked: bool = True) -> str:
    """The headline, in words that match the marks, then what the answer earned."""
    earned = f"+{points} points" if ranked else "practice, not ranked"
    return f"{feedback.headline(grade, escape=escape)} · {earned}"


def graded_feedback(
    question: Question,
    grade: Grade,
    *,
    points: int,
    answer_id: int | None,
    note: str = "",
    ranked: bool = True,
) -> Message:
    blocks = [
        header(f"Graded: {question.title}"),
        section(grade_summary(grade, points, ranked=ranked)),
    ]
    if note:
        blocks.append(context(note))
    blocks.append(section("*Key points*\n" + "\n".join(feedback_lines(grade))))
    if grade.flags:
        blocks.append(context(*feedback.flag_lines(grade, escape=escape)[:5]))
    buttons = [button("Another question", ids.ANOTHER_QUESTION, _another_value(question))]
    if answer_id is not None:
        buttons.append(button("I think I was right", ids.APPEAL_BUTTON, str(answer_id)))
    text = f"Graded {percent(grade.score)}: {question.title}"
    rendered = [
        *render(blocks),
        *_expected_answer_blocks(question.id, question.expected_answer),
        *render([actions(*buttons)]),
    ]
    if len(rendered) > MESSAGE_BLOCK_LIMIT:
        rendered = render_limited(rendered)
    return Message(text=text, blocks=rendered)


@functools.lru_cache(maxsize=256)
def _expected_answer_blocks(_question_id: str, expected_answer: str) -> tuple[dict[str, Any], ...]:
    # The same for every answerer of a question: a reveal sends it in a thousand DMs,
    # and rendering Block Kit models is most of what building each DM costs.
    return tuple(
        render([divider(), section("*Expected answer*"), *long_sections(escape(expected_answer))])
    )
