"""Soft word matching: which answer words mean (nearly) what a rubric word means.

A rubric's words are compiled once (`RubricMeaning.build`), with every table word that may
stand for a key-point word; an answer then looks its words up (`RubricMeaning.links`), and
when its closeness to the rubric as a whole is needed (reference recall, the topical test)
costs one small matrix product between its distinct words and the rubric's (`relate`).
Two words are related when WordNet lists them as synonyms or their GloVe vectors are
close, and never when they are opposites (WordNet antonyms, un-/non-/over-/under- pairs,
"~increase" against "~decrease"): GloVe puts "minimum" next to "maximum".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bot.grading.lexicon import OPPOSITE_PREFIXES, QUANT_SCALE, Lexicon, lexicon

if TYPE_CHECKING:
    import numpy as np

# Synonyms count as this cosine.
SYNONYM_COSINE = 0.9
# Words among this many most frequent ones ("time", "number", "way") say nothing about a
# topic: they neither make an answer on topic nor attract its words by meaning.
COMMON_RANK = 1000


@dataclass(slots=True)
class RubricMeaning:
    """A rubric's words with vectors, ready to be compared with any answer."""

    keys: tuple[str, ...]  # rubric keys the tables know, in row order of `matrix`
    index: dict[str, int]
    matrix: np.ndarray  # float32 (len(keys), 50), unit rows
    synonym_of: dict[str, tuple[int, ...]]  # any key -> rubric rows it is a synonym of
    opposite_of: dict[str, tuple[int, ...]]  # any key -> rubric rows it is opposite to
    information: dict[str, float]  # every rubric key -> how much it says
    lexicon: Lexicon
    topical_rows: Any = None  # numpy bool per row: a word that says what the topic is
    centroid: Any = None  # numpy float32 unit vector: the rubric's words, information-weighted
    # Any answer key -> the key-point words it may stand for, with the strength of the
    # link (see the link rules above): worked out once per rubric against the whole table,
    # so an answer only looks its words up.
    links: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, vocabulary: Iterable[str], point_words: Iterable[str] = ()) -> RubricMeaning:
        """`vocabulary`: every rubric word; `point_words`: the key points' words, which
        answer words may stand for."""
        import numpy as np

        lex = lexicon()
        vocabulary = sorted(set(vocabulary))
        keys = tuple(k for k in vocabulary if k in lex.rows)
        index = {k: i for i, k in enumerate(keys)}
        matrix = (
            lex.rows_matrix([lex.rows[k] for k in keys])
            if keys
            else np.zeros((0, lex.quantized.shape[1]), dtype=np.float32)
        )
        ranks = np.array([lex.rank(k) for k in keys], dtype=np.int64)
        synonym_of: dict[str, list[int]] = {}
        opposite_of: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            for other in sorted(lex.synonyms(key)):
                synonym_of.setdefault(other, []).append(i)
            for other in sorted(lex.antonyms(key) | prefix_variants(key)):
                opposite_of.setdefault(other, []).append(i)
        return cls(
            keys=keys,
            index=index,
            matrix=np.ascontiguousarray(matrix),
            synonym_of={k: tuple(v) for k, v in synonym_of.items()},
            opposite_of={k: tuple(v) for k, v in opposite_of.items()},
            information={k: lex.information(k) for k in vocabulary},
            lexicon=lex,
            topical_rows=ranks >= COMMON_RANK,
            centroid=_centroid(ranks, matrix),
            links=_links(lex, sorted(set(point_words))),
        )


def _links(lex: Lexicon, point_words: Sequence[str]) -> dict[str, tuple[tuple[str, float], ...]]:
    """Answer key -> (key-point word, strength) for every table word that may stand for
    a key-point word: synonyms and other forms (see the rules above)."""
    found: dict[str, dict[str, float]] = {}
    for word in point_words:
        for other, strength in _stand_ins(word):
            row = found.setdefault(other, {})
            if strength > row.get(word, 0.0):
                row[word] = strength
    return {k: tuple(sorted(v.items())) for k, v in sorted(found.items())}


@lru_cache(maxsize=65536)
def _stand_ins(word: str) -> tuple[tuple[str, float], ...]:
    """The table words that may stand for `word`, with their strength (memoised: the same
    words recur across rubrics)."""
    lex = lexicon()
    if word not in lex.rows or word[:1].isdigit():
        return ()
    opposite = lex.antonyms(word) | prefix_variants(word)
    found = {other: SYNONYM_STRENGTH for other in lex.synonyms(word) - opposite}
    candidates = [word + ending for ending in FORM_ENDINGS]
    candidates += [word[: -len(e)] for e in FORM_ENDINGS if word.endswith(e)]
    for other in candidates:
        if (
            other != word
            and other in lex.rows
            and other not in opposite
            and same_word(other, word)
            and lex.similarity(other, word) >= FORM_MIN_COSINE
        ):
            found[other] = max(found.get(other, 0.0), FORM_STRENGTH)
    return tuple(sorted(found.items()))


# Words this frequent ("is", "time", "result", "next") are left out of a text's centroid:
# everyday words point everywhere, so they would make office chatter look on topic.
CENTROID_MIN_RANK = 400


def _centroid(ranks: Any, matrix: Any) -> Any:
    """The information-weighted mean direction of a text's words (None without any)."""
    import numpy as np

    if not len(ranks):
        return None
    weights = np.where(ranks >= CENTROID_MIN_RANK, np.log(ranks + 50.0), 0.0).astype(np.float32)
    if not weights.any():
        return None
    total = weights @ matrix
    norm = float(np.linalg.norm(total))
    return total / norm if norm else None


@lru_cache(maxsize=65536)
def prefix_variants(key: str) -> frozenset[str]:
    """Keys that are `key` with a negating prefix added, removed or swapped."""
    found = set()
    for prefix, replacement in OPPOSITE_PREFIXES:
        if replacement == "":
            found.add(prefix + key)
            if key.startswith(prefix) and len(key) - len(prefix) > 2:
                found.add(key[len(prefix) :])
        elif key.startswith(prefix) and len(key) - len(prefix) > 2:
            found.add(replacement + key[len(prefix) :])
    found.discard(key)
    return frozenset(found)


@dataclass(slots=True)
class Relation:
    """How one answer's words relate to one rubric's words."""

    # Per rubric row: the best cosine of any answer word (opposites excluded).
    best_for_rubric: np.ndarray
    # Answer key -> best cosine to any rubric word that is not a common word (opposites
    # excluded), for the words the tables know.
    best_for_answer: dict[str, float]
    # Cosine between the answer's and the rubric's centroids: whether they are about the
    # same kind of thing at all (0 when either has no known words).
    centroid_cosine: float = 0.0


# Links that let an answer word stand for a key point's word: WordNet synonyms (main
# senses only, see build_tables), and the same word in another form the stemmer kept
# apart ("noisy" / "noise", "identify" / "identification", "smallest" / "small"): the
# shorter starts the longer, which adds an ending, and their vectors are close. Plain GloVe
# neighbours were tried and left out: they are related words more often than synonyms,
# and often opposites ("mcar" / "mnar", "upstream" / "downstream", "posterior" /
# "anterior" are all above 0.9), with no gain in agreement with human grades.
SYNONYM_STRENGTH = 0.9
FORM_STRENGTH = 0.9
FORM_MIN_COSINE = 0.55
FORM_MIN_PREFIX = 4
# Endings that make another form of the same word (on stems): not "-ist" ("column" /
# "columnist") or "-er" ("train" / "trainer"), not a letter that changes the word ("mode" /
# "model").
FORM_ENDINGS = frozenset(
    ["i", "e", "y", "s", "es", "est", "al", "li", "ic", "ion", "ent", "ed", "ing", "ial"]
)


def same_word(a: str, b: str) -> bool:
    """Whether two keys look like forms of one word the stemmer kept apart: the shorter
    (at least FORM_MIN_PREFIX letters) starts the longer, which adds one of FORM_ENDINGS
    ("nois" / "noisi", "small" / "smallest"; not "eigen" / "eigenvalu", "mode" / "model")."""
    if len(a) > len(b):
        a, b = b, a
    return len(a) >= FORM_MIN_PREFIX and b.startswith(a) and b[len(a) :] in FORM_ENDINGS


def relate(meaning: RubricMeaning, answer_keys: Sequence[str]) -> Relation:
    """How close the answer's distinct words come to the rubric's: per rubric word and per
    answer word, the best cosine (synonyms count SYNONYM_COSINE, opposites 0), and the
    cosine of their centroids. One small matrix product."""
    import numpy as np

    if not meaning.keys:
        return Relation(np.zeros(0, dtype=np.float32), {})
    lex = meaning.lexicon
    rows = lex.rows
    known = [k for k in answer_keys if k in rows]
    if not known:
        return Relation(np.zeros(len(meaning.keys), dtype=np.float32), {})
    answer_rows = np.fromiter((rows[k] for k in known), dtype=np.int64, count=len(known))
    vectors = lex.quantized[answer_rows].astype(np.float32)
    vectors *= 1.0 / QUANT_SCALE
    sims = meaning.matrix @ vectors.T  # (rubric words, answer words)
    synonym_of = meaning.synonym_of
    opposite_of = meaning.opposite_of
    # A word has one or two synonym or opposite rows: element by element is several
    # times cheaper than fancy indexing for so few.
    synonym_cosine = np.float32(SYNONYM_COSINE)
    for j, key in enumerate(known):
        found = opposite_of.get(key)
        if found:
            for i in found:
                sims[i, j] = 0.0
        found = synonym_of.get(key)
        if found:
            for i in found:
                if sims[i, j] < synonym_cosine:
                    sims[i, j] = synonym_cosine
    topical = sims[meaning.topical_rows]
    best = topical.max(axis=0).tolist() if len(topical) else [0.0] * len(known)
    answer_centroid = _centroid(lex.ranks[answer_rows], vectors)
    centroid_cosine = (
        float(answer_centroid @ meaning.centroid)
        if answer_centroid is not None and meaning.centroid is not None
        else 0.0
    )
    return Relation(sims.max(axis=1), dict(zip(known, best, strict=True)), centroid_cosine)
