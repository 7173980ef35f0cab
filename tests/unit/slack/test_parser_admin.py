"""Admin subcommand argument parsing: every accepted form and every error message."""

from __future__ import annotations

from datetime import time

import pytest

from bot.core.schedule import RevealAfter, RevealAt, ScheduleSpec
from bot.slack.parser.admin import (
    CONFIG_USAGE,
    DIFFICULTY_USAGE,
    RECAP_USAGE,
    REVEAL_USAGE,
    SCHEDULE_USAGE,
    TOPICS_USAGE,
    ParseError,
    ScheduleArgs,
    SetDifficulty,
    SetRecap,
    SetReveal,
    SetTopics,
    apply_config_change,
    parse_config_args,
    parse_schedule_args,
    parse_time,
)

NY = "America/New_York"
WEEKDAYS = frozenset(range(5))
ALL_DAYS = frozenset(range(7))
KNOWN_TOPICS = {"pca", "regularization", "bias-variance", "cross-validation", "overfitting"}


# ------------------------------------------------------------------ times


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("09:00", time(9)),
        ("9:00", time(9)),
        ("00:00", time(0)),
        ("23:59", time(23, 59)),
        ("17:30", time(17, 30)),
        ("9am", time(9)),
        ("9AM", time(9)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("5:30pm", time(17, 30)),
        ("5:30p.m.", time(17, 30)),
        ("11:59pm", time(23, 59)),
    ],
)
def test_parse_time_accepts(token, expected):
    assert parse_time(token) == expected


@pytest.mark.parametrize("token", ["24:00", "9:60", "9", "13pm", "0am", "9:5", "0900", "noon", ""])
def test_parse_time_rejects(token):
    assert parse_time(token) is None


# ------------------------------------------------------------------ schedule


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", (time(9), NY, ALL_DAYS)),
        ("09:00 Europe/Berlin weekdays", (time(9), "Europe/Berlin", WEEKDAYS)),
        ("weekdays Europe/Berlin 09:00", (time(9), "Europe/Berlin", WEEKDAYS)),
        ("9:15 weekdays europe/berlin", (time(9, 15), "Europe/Berlin", WEEKDAYS)),
        ("9am", (time(9), NY, ALL_DAYS)),
        ("9 am UTC", (time(9), "UTC", ALL_DAYS)),
        ("5:30pm Asia/Kolkata daily", (time(17, 30), "Asia/Kolkata", ALL_DAYS)),
        ("08:00 everyday", (time(8), NY, ALL_DAYS)),
        ("08:00 weekends", (time(8), NY, frozenset({5, 6}))),
        ("08:00 WEEKDAYS", (time(8), NY, WEEKDAYS)),
        ("08:00 mon,wed,fri", (time(8), NY, frozenset({0, 2, 4}))),
        ("08:00 Mon, Wed, Fri", (time(8), NY, frozenset({0, 2, 4}))),
        ("08:00 monday,wednesday,friday", (time(8), NY, frozenset({0, 2, 4}))),
        ("08:00 tues,thurs", (time(8), NY, frozenset({1, 3}))),
        ("08:00 mon-thu", (time(8), NY, frozenset({0, 1, 2, 3}))),
        ("08:00 Monday - Thursday", (time(8), NY, frozenset({0, 1, 2, 3}))),
        ("08:00 fri-mon", (time(8), NY, frozenset({4, 5, 6, 0}))),
        ("08:00 mon-wed,fri", (time(8), NY, frozenset({0, 1, 2, 4}))),
        ("08:00 mon wed", (time(8), NY, frozenset({0, 2}))),
        ("08:00 weekdays sat", (time(8), NY, frozenset({0, 1, 2, 3, 4, 5}))),
        ("08:00 America/New York weekdays", (time(8), NY, WEEKDAYS)),
        ("08:00 America/Port-au-Prince", (time(8), "America/Port-au-Prince", ALL_DAYS)),
        ("08:00 Etc/GMT-5", (time(8), "Etc/GMT-5", ALL_DAYS)),
        ("  08:00   Europe/Berlin  ", (time(8), "Europe/Berlin", ALL_DAYS)),
    ],
)
def test_parse_schedule_args_accepts(text, expected):
    parsed = parse_schedule_args(text, default_tz=NY)
    assert parsed == expected
    assert isinstance(parsed, ScheduleArgs)
    assert parsed.tz == expected[1]


def test_parse_schedule_args_canonicalises_the_default_zone():
    assert parse_schedule_args("09:00", default_tz="europe/berlin").tz == "Europe/Berlin"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "Tell me when to post, e.g. `09:00 Europe/Berlin weekdays`."),
        ("Europe/Berlin weekdays", "Missing the post time (HH:MM, e.g. 09:00)."),
        ("09:00 10:00", "Two times given (09:00 and `10:00`); give one."),
        ("09:00 UTC Europe/Berlin", "Two time zones given (UTC and `Europe/Berlin`); give one."),
        (
            "25:00",
            "`25:00` is not a valid time; use 24-hour HH:MM like 09:00 or 17:30, or 9am / 5:30pm.",
        ),
        (
            "0900 weekdays",
            "`0900` is not a valid time; use 24-hour HH:MM like 09:00 or 17:30, or 9am / 5:30pm.",
        ),
        (
            "9 weekdays",
            "`9` is not a valid time; use 24-hour HH:MM like 09:00 or 17:30, or 9am / 5:30pm.",
        ),
        (
            "09:00 Europe/Berln",
            "`Europe/Berln` is not a time zone or a day list. Did you mean `Europe/Berlin`?",
        ),
        (
            "09:00 Berlin weekdays",
            "`Berlin` is not a time zone or a day list. Did you mean `Europe/Berlin`?",
        ),
        (
            "09:00 new york",
            "`new` is not a time zone or a day list. Did you mean `America/New_York`?",
        ),
        ("09:00 frobnicate", "`frobnicate` is not a time zone or a day list."),
        ("09:00 mnday", "`mnday` is not a day name. Did you mean `monday`?"),
        ("09:00 mon,wdd", "`wdd` is not a day name (in `mon,wdd`). Did you mean `wed`?"),
        ("09:00 mon,", "An empty day is not a day name (in `mon,`)."),
        ("09:00 mon-xyz", "`xyz` is not a day name (in `mon-xyz`)."),
    ],
)
def test_parse_schedule_args_errors(text, problem):
    with pytest.raises(ParseError) as caught:
        parse_schedule_args(text, default_tz=NY)
    error = caught.value
    assert error.problem == problem
    assert error.usage == SCHEDULE_USAGE
    assert str(error) == f"{problem} Usage: `{SCHEDULE_USAGE}`"
    assert "\n" not in str(error)


def test_schedule_error_with_an_invalid_default_zone():
    with pytest.raises(ParseError, match="default 'Mars/Olympus' is not valid"):
        parse_schedule_args("09:00 weekdays", default_tz="Mars/Olympus")
    # Naming a zone makes the default irrelevant.
    assert parse_schedule_args("09:00 UTC", default_tz="Mars/Olympus").tz == "UTC"


def test_long_tokens_are_shortened_in_messages():
    with pytest.raises(ParseError) as caught:
        parse_schedule_args("09:00 " + "x" * 500, default_tz=NY)
    assert len(caught.value.problem) < 120
    assert "…" in caught.value.problem


# ------------------------------------------------------------------ config


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reveal 17:00", SetReveal(RevealAt(time(17)))),
        ("reveal at 17:00", SetReveal(RevealAt(time(17)))),
        ("reveal 5pm", SetReveal(RevealAt(time(17)))),
        ("reveal 5 pm", SetReveal(RevealAt(time(17)))),
        ("REVEAL 9:30", SetReveal(RevealAt(time(9, 30)))),
        ("reveal 6h", SetReveal(RevealAfter(6))),
        ("reveal 6 h", SetReveal(RevealAfter(6))),
        ("reveal 1.5h", SetReveal(RevealAfter(1.5))),
        ("reveal 6 hours", SetReveal(RevealAfter(6))),
        ("reveal after 6 hours", SetReveal(RevealAfter(6))),
        ("reveal after 1 hour", SetReveal(RevealAfter(1))),
        ("reveal in 90 minutes", SetReveal(RevealAfter(1.5))),
        ("reveal 168h", SetReveal(RevealAfter(168))),
        ("topics pca,regularization", SetTopics(("pca", "regularization"))),
        ("topics pca, regularization", SetTopics(("pca", "regularization"))),
        ("topics PCA bias-variance", SetTopics(("pca", "bias-variance"))),
        ("topics bias_variance", SetTopics(("bias-variance",))),
        ("topics pca,pca", SetTopics(("pca",))),
        ("topic overfitting", SetTopics(("overfitting",))),
        ("topics all", SetTopics(())),
        ("topics any", SetTopics(())),
        ("difficulty hard", SetDifficulty("hard")),
        ("difficulty Easy", SetDifficulty("easy")),
        ("difficulty medium", SetDifficulty("medium")),
        ("difficulty any", SetDifficulty(None)),
        ("difficulty all", SetDifficulty(None)),
        ("recap fri", SetRecap(4)),
        ("recap Friday", SetRecap(4)),
        ("recap mon", SetRecap(0)),
        ("recap sun", SetRecap(6)),
        ("recap off", SetRecap(None)),
        ("recap none", SetRecap(None)),
    ],
)
def test_parse_config_args_accepts(text, expected):
    assert parse_config_args(text, known_topics=KNOWN_TOPICS) == expected


@pytest.mark.parametrize(
    ("text", "problem", "usage"),
    [
        ("", "Say what to change: reveal, topics, difficulty or recap.", CONFIG_USAGE),
        ("revael 17:00", "Unknown setting `revael`. Did you mean `reveal`?", CONFIG_USAGE),
        ("colour blue", "Unknown setting `colour`.", CONFIG_USAGE),
        ("reveal", "Say when to reveal answers.", REVEAL_USAGE),
        ("reveal soon", "`soon` is neither a time (17:00) nor a delay (6h).", REVEAL_USAGE),
        ("reveal 25:00", "`25:00` is neither a time (17:00) nor a delay (6h).", REVEAL_USAGE),
        ("reveal at 6h", "`at 6h` is neither a time (17:00) nor a delay (6h).", REVEAL_USAGE),
        (
            "reveal after 17:00",
            "`after 17:00` is neither a time (17:00) nor a delay (6h).",
            REVEAL_USAGE,
        ),
        (
            "reveal 0h",
            "A reveal delay must be more than 0 and at most 168 hours, not `0h`.",
            REVEAL_USAGE,
        ),
        (
            "reveal 200 hours",
            "A reveal delay must be more than 0 and at most 168 hours, not `200 hours`.",
            REVEAL_USAGE,
        ),
        ("topics", "Name at least one topic, or `all`.", TOPICS_USAGE),
        ("topics pcaa", "Unknown topic `pcaa`. Did you mean `pca`?", TOPICS_USAGE),
        (
            "topics pca,regularisation",
            "Unknown topic `regularisation`. Did you mean `regularization`?",
            TOPICS_USAGE,
        ),
        (
            "topics quantum-chess",
            "Unknown topic `quantum-chess`. `/mlquiz topics` lists the topics.",
            TOPICS_USAGE,
        ),
        ("difficulty", "Name a difficulty.", DIFFICULTY_USAGE),
        ("difficulty hrad", "Unknown difficulty `hrad`. Did you mean `hard`?", DIFFICULTY_USAGE),
        ("difficulty 7", "Unknown difficulty `7`.", DIFFICULTY_USAGE),
        ("recap", "Name a day for the weekly recap, or `off`.", RECAP_USAGE),
        ("recap frday", "`frday` is not a day of the week. Did you mean `friday`?", RECAP_USAGE),
        ("recap weekly", "`weekly` is not a day of the week.", RECAP_USAGE),
    ],
)
def test_parse_config_args_errors(text, problem, usage):
    with pytest.raises(ParseError) as caught:
        parse_config_args(text, known_topics=KNOWN_TOPICS)
    assert caught.value.problem == problem
    assert caught.value.usage == usage
    assert str(caught.value) == f"{problem} Usage: `{usage}`"


def test_unknown_topic_suggests_the_closest_known_topics():
    with pytest.raises(ParseError) as caught:
        parse_config_args("topics cross-valdation", known_topics=KNOWN_TOPICS)
    assert "Did you mean `cross-validation`" in caught.value.problem


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        (SetReveal(RevealAfter(3)), "reveal", RevealAfter(3)),
        (SetTopics(("pca",)), "topics", ("pca",)),
        (SetDifficulty("easy"), "difficulty", "easy"),
        (SetRecap(2), "recap_day", 2),
        (SetRecap(None), "recap_day", None),
    ],
)
def test_apply_config_change(change, field, value):
    spec = ScheduleSpec(time=time(9), tz=NY, recap_day=4)
    changed = apply_config_change(spec, change)
    assert getattr(changed, field) == value
    assert changed.time == spec.time and changed.tz == spec.tz
    assert spec.recap_day == 4  # the original is untouched


def test_apply_config_change_refuses_other_values():
    with pytest.raises(TypeError):
        apply_config_change(ScheduleSpec(time=time(9), tz=NY), "reveal 6h")  # type: ignore[arg-type]
