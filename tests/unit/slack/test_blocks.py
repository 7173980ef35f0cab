"""Every screen the app renders passes the stand-in's Block Kit checks."""

from types import SimpleNamespace

import pytest

from bot.grading import grade
from bot.slack.blocks import daily, info, practice
from questionbank.loader import load_bank
from slack_standin.blockkit import validate_blocks, validate_message, validate_view


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def question(bank):
    return next(iter(bank))


def _assert_valid_message(message):
    assert validate_message(text=message.text, blocks=message.blocks) == []


def test_practice_screens_are_valid(question):
    _assert_valid_message(practice.practice_question(question, 42, reason="Review"))
    assert validate_view(practice.answer_modal(question, 42)) == []
    assert validate_view(practice.appeal_modal(7, question.title)) == []
    result = grade(question, question.expected_answer[:200] + " <!channel> <@U1> & more")
    feedback = practice.graded_feedback(question, result, points=12, answer_id=3)
    _assert_valid_message(feedback)
    # The user's own words come back escaped: no pings, no injected markup.
    rendered = str(feedback.blocks)
    assert "<!channel>" not in rendered and "<@U1>" not in rendered


def test_every_bundled_question_renders_within_limits(bank):
    for question in bank:
        _assert_valid_message(practice.practice_question(question, 1))
        result = grade(question, "I do not know.")
        _assert_valid_message(practice.graded_feedback(question, result, points=0, answer_id=None))


def test_info_screens_are_valid():
    row = SimpleNamespace(rank=1, user_id="U1", points=30, answered=2, average_score=0.75)
    mastery = {"pca": SimpleNamespace(answered=2, average_score=0.5)}
    stats = SimpleNamespace(
        answered=2,
        average_score=0.5,
        points=30,
        rank=1,
        streak=3,
        best_streak=4,
        topic_mastery=mastery,
    )
    _assert_valid_message(info.leaderboard_message([row] * 10, period="week", scope="workspace"))
    _assert_valid_message(info.leaderboard_message([], period="all", scope="workspace"))
    _assert_valid_message(info.stats_message(stats, user_id="U1", is_self=True))
    _assert_valid_message(info.topics_message({"pca": 3, "regularization": 4}))
    _assert_valid_message(info.help_message("I don't know `x`."))
    assert validate_view(info.home_view(stats, [row], user_id="U1")) == []


def test_daily_screens_are_valid(question):
    from datetime import UTC, datetime

    deadline = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    post = daily.daily_post(question, 5, deadline=deadline, fallback="Mon 17:00 CET")
    _assert_valid_message(post)
    assert "<!date^" in str(post.blocks)
    _assert_valid_message(daily.closed_post(question, participants=3))
    results = [daily.RankedResult(i + 1, f"U{i}", 2, 5, 0.4, 8) for i in range(40)]
    _assert_valid_message(daily.reveal_summary(question, results))
    _assert_valid_message(daily.reveal_summary(question, []))


def test_long_text_is_split_not_rejected():
    from bot.slack.blocks.common import long_sections

    sections = [s.to_dict() for s in long_sections("word " * 3000)]
    assert len(sections) > 1
    assert validate_blocks(sections) == []
