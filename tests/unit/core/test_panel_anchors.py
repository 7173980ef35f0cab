"""Rating anchors generated from a question's rubric."""

from __future__ import annotations

from bot.core.panel_rules import rating_anchors, suggested_rating
from questionbank.models import Question


def question(**more) -> Question:
    return Question.model_validate(
        {
            "id": "q-anchors",
            "title": "Anchors",
            "prompt": "Explain it.",
            "topics": ["pca"],
            "difficulty": "hard",
            "why_asked": "It shows depth.",
            "expected_answer": "The answer.",
            "key_points": [
                {"text": "Centre the data", "required": True},
                {"text": "Take the top eigenvectors.", "required": True},
                {"text": "Mention whitening"},
            ],
            "strong_answer_signals": ["Derives it from the variance.", "Knows when it fails."],
            **more,
        }
    )


def test_anchors_go_from_no_required_point_to_all_plus_strong_signals():
    anchors = rating_anchors(question())
    assert [(a.rating, a.label) for a in anchors] == [
        (1, "Not shown"),
        (2, "Partly"),
        (3, "Solid"),
        (4, "Strong"),
    ]
    assert anchors[0].meaning == "None of: Centre the data; Take the top eigenvectors."
    assert anchors[2].meaning == "All of: Centre the data; Take the top eigenvectors."
    # The bank's signals are sentences: joined, they read as one (no ".;" nor "..").
    assert anchors[3].meaning == (
        "All of those, plus: Derives it from the variance; Knows when it fails."
    )


def test_without_strong_signals_the_top_anchor_asks_for_depth():
    assert rating_anchors(question(strong_answer_signals=[]))[3].meaning == (
        "All of those, plus: depth beyond the key points."
    )


def test_the_suggested_rating_follows_the_ticked_points():
    q = question()
    assert suggested_rating(q, []) == 1
    assert suggested_rating(q, ["Centre the data"]) == 2
    assert suggested_rating(q, ["Centre the data", "Take the top eigenvectors."]) == 3
    assert suggested_rating(q, [p.text for p in q.key_points]) == 4
