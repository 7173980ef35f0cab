"""Feedback people believe: a headline that matches the marks, quotes of the user's words."""

from __future__ import annotations

from bot.grading import Grade, KeyPointResult, Rubric, grade
from bot.grading.feedback import (
    escape_mrkdwn,
    flag_lines,
    full_marks_by_weight,
    headline,
    key_point_lines,
)

SIX = Rubric.from_reference(
    "",
    [
        {"text": "Bagging trains models on bootstrap samples", "weight": 3},
        {"text": "Bagging averages the predictions", "weight": 3},
        {"text": "Averaging reduces variance", "weight": 3},
        {"text": "Boosting trains models in sequence", "weight": 3},
        {"text": "Boosting reduces bias", "weight": 3},
        {"text": "Random forests also sample features", "weight": 1},
    ],
)
FULL_BUT_ONE = (
    "Bagging trains models on bootstrap samples and averages the predictions; averaging "
    "reduces variance. Boosting trains models in sequence and reduces bias."
)


def test_full_marks_by_weight_are_explained_not_shown_next_to_a_bare_cross():
    g = grade(SIX, FULL_BUT_ONE)
    assert g.score == 1.0
    assert [kp.status for kp in g.key_points].count("missed") == 1
    assert full_marks_by_weight(g)
    line = headline(g)
    assert line.startswith("*Pass: 100%*")
    assert "5 of 6 key points covered, enough for full marks" in line
    missed = next(line for line in key_point_lines(g) if line.startswith("❌"))
    assert "not needed for full marks" in missed


def test_headline_counts_what_the_marks_show():
    g = grade(SIX, "As far as I remember, boosting is the method that reduces bias.")
    covered = sum(1 for kp in g.key_points if kp.status == "covered")
    assert not g.passed
    assert f"{covered} of 6 key points covered" in headline(g)
    assert f"{round(g.score * 100)}%" in headline(g)
    assert "enough for full marks" not in headline(g)
    assert headline(g, markup=False).startswith("Not yet: ")


def test_headline_names_a_missed_required_point():
    rubric = Rubric.from_reference(
        "",
        [{"text": "Bagging reduces variance", "required": True}, "Bagging uses bootstrap samples"],
    )
    g = grade(rubric, "Bagging fits every model on its own bootstrap sample of the rows.")
    assert g.limited_by == "required"
    assert "a required point is missing: “Bagging reduces variance”" in headline(g)
    assert any("_(required)_" in line for line in key_point_lines(g))


def test_each_credited_point_quotes_the_users_words():
    g = grade(SIX, FULL_BUT_ONE)
    lines = key_point_lines(g)
    for kp, line in zip(g.key_points, lines, strict=True):
        if kp.status == "covered":
            assert "_you wrote:_ “" in line
            quoted = line.split("“", 1)[1].rstrip("”")
            assert quoted in " ".join(FULL_BUT_ONE.split())


def test_user_text_is_escaped():
    g = grade(SIX, "<!channel> Bagging trains models on bootstrap samples & averages <@U1>.")
    text = "\n".join(key_point_lines(g) + flag_lines(g) + [headline(g)])
    assert "<!channel>" not in text and "<@U1>" not in text
    assert escape_mrkdwn("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    # Plain text (the terminal) is left alone.
    assert (
        "<"
        in key_point_lines(
            Grade(
                score=0.5,
                key_points=[KeyPointResult("x", "covered", 1.0, "a < b")],
            ),
            markup=False,
        )[0]
    )


def test_copy_and_off_topic_say_why():
    seen = grade(SIX, FULL_BUT_ONE + " " + FULL_BUT_ONE, seen_reference=False)
    assert "held down" not in headline(seen)
    off = grade(SIX, "The canteen serves lasagne on Wednesdays and soup every Friday.")
    assert headline(off).endswith("the answer does not address this question")


def test_old_stored_grades_render():
    stored = Grade.from_dict(
        {
            "score": 0.7,
            "key_points": [{"text": "x", "status": "partial", "similarity": 0.5, "snippet": "y"}],
            "version": "4",
        }
    )
    assert stored.coverage is None and stored.limited_by is None
    assert headline(stored) == "*Pass: 70%* · 0 of 1 key point covered, 1 partly"
    assert key_point_lines(stored) == ["🟡 x _(partly)_\n      _you wrote:_ “y”"]
