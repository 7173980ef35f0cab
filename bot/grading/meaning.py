"""Soft word matching: which answer words mean (nearly) what a rubric word means.

A rubric's words are compiled once (`RubricMeaning.build`); each answer then costs one
small matrix product between the answer's distinct words and the rubric's (`relate`).
Two words are related when WordNet lists them as synonyms or their GloVe vectors are
close, and never when they are opposites (WordNet antonyms, un-/non-/over-/under- pairs,
"~increase" against "~decrease"): GloVe puts "minimum" next to "maximum".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
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
    synonym_keys: frozenset[str] = frozenset()  # keys of synonym_of
    topical_rows: Any = None  # numpy bool per row: a word that says what the topic is
    centroid: Any = None  # numpy float32 unit vector: the rubric's words, information-weighted
    neighbour_rows: Any = None  # numpy bool per row: rare enough for plain neighbour links
    prefix_index: dict[str, list[int]] = field(default_factory=dict)  # key start -> rows

    @classmethod
    def build(cls, vocabulary: Iterable[str]) -> RubricMeaning:
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
        prefix_index: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            if len(key) >= FORM_MIN_PREFIX:
                prefix_index.setdefault(key[:FORM_MIN_PREFIX], []).append(i)
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
            synonym_keys=frozenset(synonym_of),
            topical_rows=ranks >= COMMON_RANK,
            neighbour_rows=ranks >= NEIGHBOUR_MIN_RANK,
            centroid=_centroid(ranks, matrix),
            prefix_index=prefix_index,
        )


# Words this frequent ("is"-like verbs, "time", "people") are left out of a text's centroid.
CENTROID_MIN_RANK = 200


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

    # Rubric key -> (answer key, strength) for answer words that may stand for it.
    links: dict[str, list[tuple[str, float]]]
    # Per rubric row: the best cosine of any answer word (opposites excluded).
    best_for_rubric: np.ndarray
    # Answer key -> best cosine to any rubric word that is not a common word (opposites
    # excluded), for the words the tables know.
    best_for_answer: dict[str, float]
    # Cosine between the answer's and the rubric's centroids: whether they are about the
    # same kind of thing at all (0 when either has no known words).
    centroid_cosine: float = 0.0


# Links that let an answer word stand for a key point's word, strongest first:
# WordNet synonyms; the same word in another form the stemmer kept apart ("noisy" /
# "noise", "identify" / "identification": a shared start and close vectors); and plain
# GloVe neighbours, which are mostly related words rather than synonyms ("accuracy" /
# "precision"), so only when very close, for words that are not among the most frequent
# (whose neighbourhoods are crowded: "put" / "take") and not used by the rubric itself.
SYNONYM_STRENGTH = 0.9
FORM_STRENGTH = 0.9
FORM_MIN_COSINE = 0.55
FORM_MIN_PREFIX = 4
NEIGHBOUR_STRENGTH = 0.5
NEIGHBOUR_MIN_COSINE = 0.8
NEIGHBOUR_MIN_RANK = 1000


FORM_MAX_EXTRA = 3


def same_word(a: str, b: str) -> bool:
    """Whether two keys look like forms of one word the stemmer kept apart: the shorter
    (at least FORM_MIN_PREFIX letters) starts the longer, which has at most FORM_MAX_EXTRA
    letters more ("nois" / "noisi", "small" / "smallest"; not "eigen" / "eigenvalu")."""
    if len(a) > len(b):
        a, b = b, a
    return len(a) >= FORM_MIN_PREFIX and len(b) - len(a) <= FORM_MAX_EXTRA and b.startswith(a)


def relate(
    meaning: RubricMeaning,
    answer_keys: Sequence[str],
    own_words: frozenset[str] = frozenset(),
) -> Relation:
    """Relate an answer's distinct keys to the rubric's words (see the link rules above).

    Answer words in `own_words` (the rubric's own vocabulary) keep the meaning the rubric
    gives them and only link as synonyms or other forms: an answer's "bias" never stands
    for the rubric's "variance".
    """
    import numpy as np

    if not meaning.keys:
        return Relation({}, np.zeros(0, dtype=np.float32), {})
    lex = meaning.lexicon
    rows = lex.rows
    known = [k for k in answer_keys if k in rows]
    if not known:
        return Relation({}, np.zeros(len(meaning.keys), dtype=np.float32), {})
    answer_rows = np.fromiter((rows[k] for k in known), dtype=np.int64, count=len(known))
    vectors = lex.quantized[answer_rows].astype(np.float32)
    vectors *= 1.0 / QUANT_SCALE
    sims = meaning.matrix @ vectors.T  # (rubric words, answer words)
    synonym_of = meaning.synonym_of
    opposite_of = meaning.opposite_of
    prefix_index = meaning.prefix_index
    links: dict[str, list[tuple[str, float]]] = {}
    keys = meaning.keys
    for j, key in enumerate(known):
        found = opposite_of.get(key)
        if found:
            sims[list(found), j] = 0.0
        found = synonym_of.get(key)
        if found:
            column = list(found)
            sims[column, j] = np.maximum(sims[column, j], SYNONYM_COSINE)
            for i in found:
                links.setdefault(keys[i], []).append((key, SYNONYM_STRENGTH))
        found = prefix_index.get(key[:FORM_MIN_PREFIX])
        if found:
            for i in found:
                other = keys[i]
                if other != key and sims[i, j] >= FORM_MIN_COSINE and same_word(key, other):
                    links.setdefault(other, []).append((key, FORM_STRENGTH))
    answer_ranks = lex.ranks[answer_rows]
    # Plain neighbours: very close, both words not among the most frequent, and the answer
    # word not one the rubric uses itself.
    may_stand_in = answer_ranks >= NEIGHBOUR_MIN_RANK
    if own_words:
        may_stand_in &= np.fromiter((k not in own_words for k in known), dtype=bool)
    close = (sims >= NEIGHBOUR_MIN_COSINE) & meaning.neighbour_rows[:, None] & may_stand_in
    if close.any():
        for i, j in np.argwhere(close).tolist():
            answer_key, rubric_key = known[j], keys[i]
            if answer_key == rubric_key or same_word(answer_key, rubric_key):
                continue
            if answer_key in synonym_of and i in synonym_of[answer_key]:
                continue
            links.setdefault(rubric_key, []).append((answer_key, NEIGHBOUR_STRENGTH))
    topical = sims[meaning.topical_rows]
    best = topical.max(axis=0).tolist() if len(topical) else [0.0] * len(known)
    best_for_answer = dict(zip(known, best, strict=True))
    answer_centroid = _centroid(answer_ranks, vectors)
    centroid_cosine = (
        float(answer_centroid @ meaning.centroid)
        if answer_centroid is not None and meaning.centroid is not None
        else 0.0
    )
    return Relation(links, sims.max(axis=1), best_for_answer, centroid_cosine)
