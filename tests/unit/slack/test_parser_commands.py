import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.slack.parser.commands import (
    ParsedCommand,
    UnknownCommand,
    match_topic,
    mentioned_user,
    parse_ask_args,
    parse_command,
    parse_period,
)

TOPICS = {
    "regularization": "Regularization",
    "dimensionality-reduction": "Dimensionality reduction",
    "evaluation-metrics": "Evaluation metrics",
    "gradient-descent": "Gradient descent",
}


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("", "ask", ()),
        ("   ", "ask", ()),
        ("ask", "ask", ()),
        ("ask pca hard", "ask", ("pca", "hard")),
        ("HARD", "ask", ("HARD",)),
        ("Leaderboard month", "leaderboard", ("month",)),
        ("lb", "leaderboard", ()),
        ("post-now", "post-now", ()),
        (
            "schedule 09:00 Europe/Berlin weekdays",
            "schedule",
            ("09:00", "Europe/Berlin", "weekdays"),
        ),
    ],
)
def test_parse_command(text, name, args):
    parsed = parse_command(text)
    assert isinstance(parsed, ParsedCommand)
    assert (parsed.name, parsed.args) == (name, args)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("leaderbord", "leaderboard"), ("stat", "stats"), ("topcs", "topics"), ("zzzz", None)],
)
def test_unknown_command_suggests_closest(text, suggestion):
    parsed = parse_command(text)
    assert isinstance(parsed, UnknownCommand)
    assert parsed.suggestion == suggestion


def test_ask_args_split_difficulty_from_topic():
    args = parse_ask_args(("dimensionality", "Medium", "reduction"))
    assert args.difficulty == "medium"
    assert args.topic_words == ("dimensionality", "reduction")


@pytest.mark.parametrize(
    ("words", "best"),
    [
        (("regularization",), "regularization"),
        (("regularisaton",), "regularization"),
        (("dimensionality", "reducton"), "dimensionality-reduction"),
        (("Gradient", "Descent"), "gradient-descent"),
        (("quantum", "chemistry"), None),
    ],
)
def test_match_topic(words, best):
    assert match_topic(words, TOPICS).best == best


def test_periods_and_mentions():
    assert parse_period(()) == "week"
    assert parse_period(("ALL",)) == "all"
    assert parse_period(("monthly",)) == "month"
    assert parse_period(("yesterday",)) is None
    assert mentioned_user(("<@U123ABC|bob>",)) == "U123ABC"
    assert mentioned_user(("bob",)) is None


@given(st.text(max_size=200))
def test_any_text_parses_without_error(text):
    assert isinstance(parse_command(text), ParsedCommand | UnknownCommand)


def test_aliases_resolve_to_topics():
    aliases = {
        "pca": "dimensionality-reduction",
        "random forests": "ensembles",
        "ghost": "not-a-topic",
    }
    topics = {"dimensionality-reduction": "Dimensionality reduction", "ensembles": "Ensembles"}
    assert match_topic(("PCA",), topics, aliases).best == "dimensionality-reduction"
    assert match_topic(("random", "forest"), topics, aliases).best == "ensembles"
    assert match_topic(("ghost",), topics, aliases).best is None
