"""Branches of the command parser the other parser tests leave out: names typed as
plain text, mentions among other words, and every period alias."""

from __future__ import annotations

import pytest

from bot.slack.parser.commands import mentioned_user, parse_period, typed_name


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("@ada",), "ada"),
        (("ada",), "ada"),
        (("Ada", "Lovelace"), "Ada Lovelace"),
        (("@Ada", "Lovelace"), "Ada Lovelace"),
        (("  @ada  ",), "ada"),
        (("x" * 80,), "x" * 80),
        (("@" + "x" * 80,), "x" * 80),  # the @ is not part of the name
        ((), None),
        (("@",), None),
        (("",), None),
        (("x" * 81,), None),
        (("<#C1|general>",), None),
        (("ada", "<@U1>"), None),
    ],
)
def test_typed_name(args, name):
    assert typed_name(args) == name


@pytest.mark.parametrize(
    ("args", "user"),
    [
        (("<@U123>",), "U123"),
        (("<@W9AB|ada>",), "W9AB"),
        (("stats", "of", "<@U7>"), "U7"),
        (("<@U1>", "<@U2>"), "U1"),
        (("<@u123>",), None),  # Slack ids are upper case
        (("<@B123>",), None),  # a bot id is no person
        (("<@U123>extra",), None),
        (("<#C123>",), None),
        ((), None),
    ],
)
def test_mentioned_user(args, user):
    assert mentioned_user(args) == user


@pytest.mark.parametrize(
    ("args", "period"),
    [
        ((), "week"),
        (("week",), "week"),
        (("WEEKLY",), "week"),
        (("month",), "month"),
        (("Monthly",), "month"),
        (("season",), "season"),
        (("all",), "all"),
        (("alltime",), "all"),
        (("all-time",), "all"),
        (("All-Time", "extra"), "all"),
        (("quarterly",), None),
        (("all time",), None),
        (("seasons",), None),
    ],
)
def test_parse_period(args, period):
    assert parse_period(args) == period
