"""Quality bar for the bank shipped with mlquiz (PRODUCT.md, "The question bank")."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from questionbank.loader import Bank, load_bank
from questionbank.models import Difficulty, Kind
from questionbank.topics import REQUIRED_TOPICS

MIN_QUESTIONS = 80
MIN_PER_REQUIRED_TOPIC = 2
MIN_DIFFICULTY_SHARE = 0.20
MIN_BEHAVIORAL = 4
MIN_KEY_POINTS = 4

# A one-word alias that is this common matches almost any answer and would hand out
# the key point for free.
COMMON_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "not",
        "no",
        "yes",
        "if",
        "then",
        "so",
        "as",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "we",
        "you",
        "they",
        "i",
        "he",
        "she",
        "one",
        "two",
        "use",
        "used",
        "using",
        "uses",
        "make",
        "makes",
        "get",
        "gets",
        "do",
        "does",
        "can",
        "could",
        "should",
        "would",
        "will",
        "may",
        "might",
        "must",
        "more",
        "most",
        "less",
        "least",
        "very",
        "much",
        "many",
        "some",
        "any",
        "all",
        "each",
        "also",
        "only",
        "just",
        "good",
        "bad",
        "better",
        "best",
        "high",
        "higher",
        "low",
        "lower",
        "big",
        "small",
        "large",
        "value",
        "values",
        "thing",
        "things",
        "way",
        "ways",
        "time",
        "data",
        "model",
        "models",
        "learning",
        "machine",
        "training",
        "train",
        "test",
        "method",
        "approach",
        "result",
        "results",
        "problem",
        "example",
        "number",
        "set",
    ]
)


@pytest.fixture(scope="module")
def bundled() -> Bank:
    return load_bank()


def test_bundled_bank_loads_without_errors(bundled: Bank) -> None:
    assert bundled.errors == [], "\n".join(str(error) for error in bundled.errors)


def test_bundled_bank_has_enough_questions(bundled: Bank) -> None:
    assert len(bundled) >= MIN_QUESTIONS


def test_every_required_topic_has_at_least_two_questions(bundled: Bank) -> None:
    counts = bundled.topics()
    thin = {t: counts.get(t, 0) for t in REQUIRED_TOPICS if counts.get(t, 0) < 2}
    assert thin == {}, f"required topics with fewer than {MIN_PER_REQUIRED_TOPIC}: {thin}"


@pytest.mark.parametrize("difficulty", list(Difficulty))
def test_each_difficulty_is_at_least_a_fifth_of_the_bank(
    bundled: Bank, difficulty: Difficulty
) -> None:
    share = Counter(q.difficulty for q in bundled)[difficulty] / max(len(bundled), 1)
    assert share >= MIN_DIFFICULTY_SHARE, f"{difficulty.value}: {share:.0%}"


def test_there_are_behavioral_questions(bundled: Bank) -> None:
    assert sum(q.kind is Kind.behavioral for q in bundled) >= MIN_BEHAVIORAL


def test_every_question_has_enough_key_points_each_with_an_alias(bundled: Bank) -> None:
    short = [q.id for q in bundled if len(q.key_points) < MIN_KEY_POINTS]
    without_alias = [
        f"{q.id}: {point.text}" for q in bundled for point in q.key_points if not point.aliases
    ]
    assert short == [], f"fewer than {MIN_KEY_POINTS} key points"
    assert without_alias == [], "key points without aliases"


def test_no_alias_is_a_single_very_common_word(bundled: Bank) -> None:
    offenders = [
        f"{q.id}: {alias!r}"
        for q in bundled
        for point in q.key_points
        for alias in point.aliases
        if re.sub(r"[^\w]", "", alias.casefold()) in COMMON_WORDS
    ]
    assert offenders == []
