"""Whether a matched stretch of an answer says what a key point says, or the opposite.

Three ways an answer can use a key point's words and still deny it, each judged as a
person reading the sentence would:

* polarity: "does not reduce variance" against "reduces variance". Words of failure and
  loss ("poorly", "fails to", "worse") count like a negation on both sides, so "generalises
  poorly" agrees with "does not generalise" and with "performs worse on unseen data";
* an opposite word in place of the point's own: "overfitting" where the point says
  "underfitting", "increases" for "decreases" (WordNet antonyms, un-/non-/over-/under-
  pairs and the tokenizer's concept pairs);
* sameness where the point states a difference: "training and validation error are both
  high" is no "large gap between training and validation performance".

Pure functions over tokens; the engine calls `contradiction` for each window it credits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.grading.text import Token, stem_word

# Failure and loss: they reverse what they qualify, like a negation. Verbs, adjectives
# and adverbs only: a noun ("a high-variance failure") names a problem, it denies nothing.
_VALENCE_WORDS = (
    "poor",
    "poorly",
    "bad",
    "badly",
    "worse",
    "worst",
    "fail",
    "fails",
    "failed",
    "failing",
    "unable",
)
VALENCE_KEYS = frozenset(stem_word(w) for w in _VALENCE_WORDS)

# A point about a difference between two things ...
_DIFFERENCE_WORDS = (
    "gap",
    "difference",
    "differ",
    "different",
    "diverge",
    "divergence",
    "than",
    "mismatch",
    "discrepancy",
    "compare",
    "comparison",
    "contrast",
)
DIFFERENCE_KEYS = frozenset(stem_word(w) for w in _DIFFERENCE_WORDS)
# ... is denied by saying they are alike ("both high", "the same", "similar"), or by one
# predicate for both ("training and validation error are high").
_SAMENESS_WORDS = ("both", "same", "similar", "similarly", "equal", "equally", "alike")
SAMENESS_KEYS = frozenset(stem_word(w) for w in _SAMENESS_WORDS)
_COPULA_KEYS = frozenset(stem_word(w) for w in ("is", "are", "was", "were", "be", "remain"))
_LEVEL_KEYS = frozenset(
    [stem_word(w) for w in ("high", "low", "large", "small", "big", "poor", "good", "bad")]
    + ["~increase", "~decrease", "~maximum", "~minimum"]
)
# How far around the matched words a qualifier is looked for, in tokens; a predicate that
# makes two things alike may come a little later ("... validation error are both high").
BEFORE = 3
AFTER = 3
ALIKE_AFTER = 5


@dataclass(frozen=True, slots=True)
class PointPolarity:
    """What a key point variant itself says: its failure words, whether it states a
    difference, and the words that would be its opposite."""

    valence: int = 0
    difference: bool = False
    opposites: frozenset[str] = frozenset()  # words opposite to one of the point's words
    own: frozenset[str] = frozenset()  # the point's words
    table: Mapping[str, frozenset[str]] | None = None  # word -> its opposites (the rubric's)

    @classmethod
    def of(
        cls, tokens: Sequence[Token], keys: Iterable[str], opposites: Mapping[str, frozenset[str]]
    ) -> PointPolarity:
        own = frozenset(keys)
        found = frozenset().union(*(opposites.get(k, ()) for k in own)) - own
        return cls(
            valence=sum(1 for t in tokens if t.key in VALENCE_KEYS),
            difference=any(t.key in DIFFERENCE_KEYS for t in tokens),
            opposites=found,
            own=own,
            table=opposites if found else None,
        )

    def denied(self, word: str) -> frozenset[str]:
        """The point's words that `word` is the opposite of."""
        table = self.table or {}
        return frozenset(k for k in self.own if word in table.get(k, ()))


NONE = PointPolarity()


def region(
    tokens: Sequence[Token], first: int, last: int, sentence: int, after: int = AFTER
) -> range:
    """Token indices that can qualify matched words at tokens[first..last] (all in
    `sentence`): a few either side, within that sentence."""
    start, end = max(0, first - BEFORE), min(len(tokens), last + 1 + after)
    while start < first and tokens[start].sentence != sentence:
        start += 1
    while end > last + 1 and tokens[end - 1].sentence != sentence:
        end -= 1
    return range(start, end)


def sentence_range(tokens: Sequence[Token], at: int) -> range:
    """Token indices of the sentence holding tokens[at]."""
    sentence = tokens[at].sentence
    start = end = at
    while start > 0 and tokens[start - 1].sentence == sentence:
        start -= 1
    while end + 1 < len(tokens) and tokens[end + 1].sentence == sentence:
        end += 1
    return range(start, end + 1)


def valence(tokens: Sequence[Token], where: range) -> int:
    return sum(1 for i in where if tokens[i].key in VALENCE_KEYS)


def opposite_word(
    tokens: Sequence[Token], where: range, point: PointPolarity, fold: dict[str, str]
) -> Token | None:
    """An answer word in the region that is the opposite of one of the point's words,
    where the point's own word is not also there."""
    if not point.opposites:
        return None
    present = {fold.get(tokens[i].key, tokens[i].key) for i in where}
    for i in where:
        key = fold.get(tokens[i].key, tokens[i].key)
        if key in point.opposites and not point.denied(key) & present:
            return tokens[i]
    return None


def says_alike(tokens: Sequence[Token], where: range) -> int | None:
    """Where the region calls two things alike while naming no difference between them:
    the index of the word that says so (the level in "X and Y are high"), else None."""
    keys = [tokens[i].key for i in where]
    if any(k in DIFFERENCE_KEYS for k in keys):
        return None
    found = None
    for n, key in enumerate(keys):
        if key in SAMENESS_KEYS:
            found = n
        elif key == "and":
            # "X and Y are high": two subjects sharing one level.
            for m in range(n + 1, min(len(keys), n + 5)):
                if keys[m] in _COPULA_KEYS:
                    level = next(
                        (x for x in range(m + 1, min(len(keys), m + 3)) if keys[x] in _LEVEL_KEYS),
                        None,
                    )
                    if level is not None:
                        found = max(found or 0, level)
                    break
    if found is None:
        return None
    # Quote through the level word that follows "both" / "same" too ("both high").
    for x in range(found + 1, min(len(keys), found + 3)):
        if keys[x] in _LEVEL_KEYS:
            found = x
    return where[found]
