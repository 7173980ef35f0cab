"""Rubrics: the key points an answer is graded against, and their compiled match form."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from bot.grading.polarity import NONE as NO_POLARITY
from bot.grading.polarity import PointPolarity
from bot.grading.text import (
    UNIVERSAL_KEYS,
    Token,
    clean_markup,
    governing_negations,
    tokenize,
)

if TYPE_CHECKING:
    from bot.grading.meaning import RubricMeaning
    from questionbank.models import Question

# A fragment of an expected answer with fewer content words than this is not a claim.
MIN_CLAIM_CONTENT_WORDS = 2


@dataclass(frozen=True, slots=True)
class RubricKeyPoint:
    """One claim to look for: its text, other phrasings, weight, and whether it is required."""

    text: str
    aliases: tuple[str, ...] = ()
    weight: float = 1.0
    required: bool = False

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a key point needs text")
        if not (self.weight > 0 and math.isfinite(self.weight)):
            raise ValueError(f"key point weight must be positive, got {self.weight}")

    @classmethod
    def coerce(cls, value: Any) -> RubricKeyPoint:
        """A string, a mapping {text, aliases, weight, required} or a bank KeyPoint."""
        if isinstance(value, RubricKeyPoint):
            return value
        if isinstance(value, str):
            return cls(text=value)
        if isinstance(value, Mapping):
            unknown = set(value) - {"text", "aliases", "weight", "required"}
            if unknown:
                raise ValueError(f"unknown key point field(s): {', '.join(sorted(unknown))}")
            aliases = value.get("aliases") or ()
            if isinstance(aliases, str) or not isinstance(aliases, Iterable):
                raise ValueError("key point aliases must be a list of strings")
            return cls(
                text=str(value["text"]),
                aliases=tuple(str(a) for a in aliases),
                weight=float(value.get("weight", 1.0)),
                required=bool(value.get("required", False)),
            )
        text = getattr(value, "text", None)
        if isinstance(text, str):
            return cls(
                text=text,
                aliases=tuple(getattr(value, "aliases", ()) or ()),
                weight=float(getattr(value, "weight", 1.0)),
                required=bool(getattr(value, "required", False)),
            )
        raise TypeError(f"cannot make a key point from {type(value).__name__}")


@dataclass(frozen=True)
class Rubric:
    """Everything grading needs to know about a question, independent of where it came from."""

    key_points: tuple[RubricKeyPoint, ...]
    reference: str = ""
    prompt: str = ""
    question_id: str | None = None
    auto_key_points: bool = False
    _compiled_slot: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.key_points:
            raise ValueError("a rubric needs at least one key point")

    @classmethod
    def from_question(cls, question: Question) -> Rubric:
        if question.key_points:
            points = tuple(RubricKeyPoint.coerce(kp) for kp in question.key_points)
            auto = False
        else:
            points = tuple(RubricKeyPoint(text) for text in split_claims(question.expected_answer))
            auto = True
        return cls(
            key_points=points,
            reference=question.expected_answer,
            prompt=question.prompt,
            question_id=question.id,
            auto_key_points=auto,
        )

    @classmethod
    def from_reference(
        cls,
        reference_answer: str,
        key_points: Sequence[Any] | None = None,
        *,
        prompt: str = "",
        question_id: str | None = None,
    ) -> Rubric:
        """A rubric from any reference answer; key points are derived from it when None."""
        if key_points:
            points = tuple(RubricKeyPoint.coerce(kp) for kp in key_points)
            auto = False
        else:
            claims = split_claims(reference_answer)
            if not claims and reference_answer.strip():
                claims = [reference_answer.strip()]
            points = tuple(RubricKeyPoint(text) for text in claims)
            auto = True
        return cls(
            key_points=points,
            reference=reference_answer,
            prompt=prompt,
            question_id=question_id,
            auto_key_points=auto,
        )

    @cached_property
    def compiled(self) -> CompiledRubric:
        return CompiledRubric.build(self)


# --- Automatic key points -----------------------------------------------------------------

_PROTECTED = re.compile(r"\b(e\.g|i\.e|vs|cf|etc|approx|resp|fig|eq|no)\.", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^\s*(?:[-•●▪‣◦–*]|\(?\d{1,2}[.)]|\(?[a-hA-H][.)])\s+")
_INLINE_BULLET = re.compile(r"\s[-•●▪‣◦–○]\s*(?=[A-Za-z(])")
_INLINE_NUMBER = re.compile(
    r"(?:(?<=\s)|^)\(?(?:\d{1,2}[.)]|(?:i{1,3}|iv|vi{0,3}|ix|x)\))\s*(?=[A-Za-z])"
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'“])")
_CLAUSE_BREAK = re.compile(r"\s*;\s*|,?\s+\b(?:while|whereas|but)\b\s+", re.IGNORECASE)
_PLACEHOLDER = "\u0000"


def split_claims(text: str) -> list[str]:
    """An expected answer -> atomic claims: sentences, list items and contrasted clauses."""
    text = unicodedata.normalize("NFKC", text)
    text = _PROTECTED.sub(lambda m: m.group(1) + _PLACEHOLDER, text)
    pieces: list[str] = []
    for line in text.splitlines():
        line = _LIST_MARKER.sub("", line)
        for item in _INLINE_NUMBER.split(line):
            for bullet in _INLINE_BULLET.split(item):
                for sentence in _SENTENCE_BREAK.split(bullet):
                    pieces.extend(_CLAUSE_BREAK.split(sentence))
    claims: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for piece in pieces:
        piece = piece.replace(_PLACEHOLDER, ".").strip(" \t-•:,.;")
        content = tuple(t.key for t in tokenize(piece) if t.content)
        if len(content) < MIN_CLAIM_CONTENT_WORDS or content in seen:
            continue
        seen.add(content)
        claims.append(piece)
    return claims


# "State at least 4 ...", "name and describe two challenges", "give 3 examples": how many
# items the question asks for. A bare number elsewhere ("flip a coin 6 times") is data.
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_REQUESTED = re.compile(
    r"\b(?:state|name|list|give|mention|describe|provide|explain|identify)\s+"
    r"(?:and\s+\w+\s+)?(?:at\s+least\s+)?(\d{1,2}|one|two|three|four|five|six)\b",
    re.IGNORECASE,
)


def requested_count(prompt: str) -> int | None:
    """How many items the prompt asks for, when it says so; None otherwise."""
    found = _REQUESTED.search(prompt or "")
    if not found:
        return None
    value = found.group(1).lower()
    count = int(value) if value.isdigit() else _WORD_NUMBERS[value]
    return count if count > 0 else None


# --- Compiled form ------------------------------------------------------------------------

# Terms that the prompt already uses say little about understanding: an answer echoes them.
PROMPT_TERM_DISCOUNT = 0.5
# Auto key points: words that a claim only uses inside an aside (a parenthesis, an "e.g."
# or "for example" clause) illustrate it; an answer may give other examples or none.
ASIDE_WEIGHT = 0.25
_ASIDE = re.compile(
    r"\([^()]*\)|\b(?:e\.\s?g\b\.?|for\s+(?:example|instance)\b|such\s+as\b)[^,;()]*?"
    r"(?=[,;()]|\.\s|\.?\s*$)",
    re.IGNORECASE,
)


def aside_keys(text: str, tokens: Sequence[Token]) -> frozenset[str]:
    """Content keys a claim uses only inside asides; empty when the claim is all aside."""
    spans = [m.span() for m in _ASIDE.finditer(text)]
    if not spans:
        return frozenset()
    inside: set[str] = set()
    outside: set[str] = set()
    for token in tokens:
        if not token.content:
            continue
        if any(a <= token.start and token.end <= b for a, b in spans):
            inside.add(token.key)
        else:
            outside.add(token.key)
    if not outside:
        return frozenset()
    return frozenset(inside - outside)


@dataclass(frozen=True, slots=True)
class Variant:
    """A key point's text or one alias, ready for matching."""

    text: str
    keys: tuple[str, ...]  # distinct content keys in order
    weights: tuple[float, ...]
    total_weight: float
    joined: str  # content keys joined by spaces, for rapidfuzz
    # The same words sorted: fuzz.ratio against a sorted sentence is token_sort_ratio
    # without sorting the variant again for every sentence.
    sorted_joined: str
    negations: int
    from_prompt: tuple[bool, ...]  # per key: the question's prompt uses this word
    universal: bool = False  # says "every", "any", "all" or "always"
    polarity: PointPolarity = NO_POLARITY  # what would contradict it (bot.grading.polarity)
    key_set: frozenset[str] = frozenset()  # keys, as a set
    number: int = 0  # its place among all the rubric's variants (CompiledRubric.reach_table)
    window: int = 1  # how many answer words its words may spread over (window_for)
    own: frozenset[int] = frozenset()  # indices of its keys the prompt does not use
    scale: float = 1.0  # total_weight × share_needed(len(keys)): the weight that scores 1


@dataclass(frozen=True, slots=True)
class CompiledKeyPoint:
    point: RubricKeyPoint
    variants: tuple[Variant, ...]
    recall: RecallTable | None = None  # derived claims only: its words as a recall table


def sorted_words(text: str) -> str:
    """The text's words (split at blanks) in sorted order, as rapidfuzz's token_sort_ratio
    sorts them."""
    return " ".join(sorted(text.split()))


# See share_needed.
LONG_CLAIM_WORDS = 3.0


@cache
def share_needed(n_keys: int) -> float:
    """Share of a key point's (weighted) words that counts as saying it.

    A paraphrase of a long claim keeps only some of its words, and the longer the claim the
    smaller that share: points of up to 9 words need all of them, a 16-word claim 3/4.
    """
    return min(1.0, LONG_CLAIM_WORDS / math.sqrt(n_keys))


# A key point's words count as said together within a window of this many times as many
# content words as it has (at least 4 more).
REACH_FACTOR = 3.0


def window_for(n_keys: int) -> int:
    return max(n_keys + 4, int(REACH_FACTOR * n_keys))


@dataclass(frozen=True, slots=True)
class ReachTable:
    """Which variants use each word, with its weight: the most every variant could score
    on an answer is summed in one pass over the answer's words (engine.reaches) rather
    than one pass over each variant's words."""

    postings: dict[str, tuple[tuple[int, float], ...]]  # key -> (variant number, weight)
    scales: tuple[float, ...]  # Variant.scale by variant number

    @classmethod
    def of(cls, points: Sequence[CompiledKeyPoint]) -> ReachTable:
        postings: dict[str, list[tuple[int, float]]] = {}
        scales: list[float] = []
        for point in points:
            for variant in point.variants:
                assert variant.number == len(scales)
                scales.append(variant.scale)
                for key, weight in zip(variant.keys, variant.weights, strict=True):
                    postings.setdefault(key, []).append((variant.number, weight))
        return cls({k: tuple(v) for k, v in postings.items()}, tuple(scales))


@dataclass(slots=True)
class CompiledRubric:
    """Normalised key points, term weights and vocabularies, built once per rubric."""

    key_points: tuple[CompiledKeyPoint, ...]
    term_weight: dict[str, float]
    vocabulary: frozenset[str]  # content keys of reference, key points and prompt
    vocabulary_list: list[str]
    reference_words: tuple[str, ...]  # every word key of the reference, for copy checks
    key_point_words: tuple[str, ...]
    # Answer key -> the key after typo folding, for every key seen so far (rubric words
    # map to themselves): one dict lookup per word in AnswerView.build.
    fold_cache: dict[str, str]
    auto: bool
    reference_keys: frozenset[str] = frozenset()  # content keys of the reference
    # Claims a full answer needs: the count the prompt asks for ("state at least 4"), else
    # every derived claim. Only used for auto key points.
    claims_needed: int = 1
    # The rubric's words with their vectors, synonyms and opposites (bot.grading.meaning).
    meaning: RubricMeaning | None = None
    prompt_keys: frozenset[str] = frozenset()
    recall_table: RecallTable | None = None
    # The reference's table and every derived claim's, as one matrix (engine.recalls).
    recall_set: RecallSet | None = None
    # Runs of COPY_RUN word keys of the reference (copy checks).
    copy_shingles: frozenset[tuple[str, ...]] = frozenset()
    # reference_words and key_point_words as sets (a cheap bound before the LCS of copy
    # checks).
    reference_word_set: frozenset[str] = frozenset()
    key_point_word_set: frozenset[str] = frozenset()
    reach_table: ReachTable = field(default_factory=lambda: ReachTable({}, ()))

    @classmethod
    def build(cls, rubric: Rubric) -> CompiledRubric:
        prompt_keys = {t.key for t in tokenize(clean_markup(rubric.prompt)) if t.content}
        tokenized: list[list[tuple[str, list[Token]]]] = []
        for kp in rubric.key_points:
            texts = [kp.text, *kp.aliases]
            tokenized.append([(t, tokenize(clean_markup(t))) for t in texts])
        # Document frequency over key points: a term shared by many points tells them apart
        # poorly, a rare one is what a point is about.
        df: dict[str, int] = {}
        for variants in tokenized:
            point_keys = {t.key for _, toks in variants for t in toks if t.content}
            for key in point_keys:
                df[key] = df.get(key, 0) + 1
        n_points = len(tokenized)
        opposites = _opposites({t.key for v in tokenized for _, toks in v for t in toks})
        term_weight = {}
        for key, count in df.items():
            weight = math.log(1.0 + (n_points + 1) / count)
            if key in prompt_keys:
                weight *= PROMPT_TERM_DISCOUNT
            term_weight[key] = weight
        reference_tokens = tokenize(clean_markup(rubric.reference))
        vocabulary = {t.key for t in reference_tokens if t.content} | set(term_weight) | prompt_keys
        from bot.grading.meaning import RubricMeaning

        meaning = RubricMeaning.build(vocabulary, term_weight)
        compiled_points = []
        variant_count = 0
        for kp, variants in zip(rubric.key_points, tokenized, strict=True):
            built = []
            for text, toks in variants:
                keys = tuple(dict.fromkeys(t.key for t in toks if t.content))
                if not keys:
                    continue
                weights = tuple(term_weight[k] for k in keys)
                if rubric.auto_key_points:
                    asides = aside_keys(clean_markup(text), toks)
                    if asides:
                        weights = tuple(
                            w * ASIDE_WEIGHT if k in asides else w
                            for k, w in zip(keys, weights, strict=True)
                        )
                total_weight = sum(weights)
                built.append(
                    Variant(
                        text=text,
                        keys=keys,
                        weights=weights,
                        total_weight=total_weight,
                        joined=" ".join(keys),
                        sorted_joined=sorted_words(" ".join(keys)),
                        negations=governing_negations(toks, 0, len(toks) - 1, set(keys)),
                        from_prompt=tuple(k in prompt_keys for k in keys),
                        universal=any(t.key in UNIVERSAL_KEYS for t in toks),
                        polarity=PointPolarity.of(toks, keys, opposites),
                        key_set=frozenset(keys),
                        number=variant_count,
                        window=window_for(len(keys)),
                        own=frozenset(i for i, k in enumerate(keys) if k not in prompt_keys),
                        scale=total_weight * share_needed(len(keys)),
                    )
                )
                variant_count += 1
            recall = None
            if rubric.auto_key_points and built:
                # A claim derived from a reference: also how much of it the answer says
                # anywhere, softly (see engine.claim_recall).
                text, toks = variants[0]
                recall = RecallTable.build(
                    built[0].keys, prompt_keys, meaning, aside_keys(clean_markup(text), toks)
                )
            compiled_points.append(CompiledKeyPoint(point=kp, variants=tuple(built), recall=recall))
        key_point_words = tuple(t.key for variants in tokenized for t in variants[0][1])
        reference_keys = frozenset(t.key for t in reference_tokens if t.content)
        return cls(
            key_points=tuple(compiled_points),
            reach_table=ReachTable.of(compiled_points),
            term_weight=term_weight,
            vocabulary=frozenset(vocabulary),
            vocabulary_list=sorted(vocabulary),
            reference_words=tuple(t.key for t in reference_tokens),
            key_point_words=key_point_words,
            reference_word_set=frozenset(t.key for t in reference_tokens),
            key_point_word_set=frozenset(key_point_words),
            fold_cache={key: key for key in vocabulary},
            auto=rubric.auto_key_points,
            reference_keys=reference_keys,
            claims_needed=min(
                len(compiled_points), requested_count(rubric.prompt) or len(compiled_points)
            ),
            meaning=meaning,
            prompt_keys=frozenset(prompt_keys),
            copy_shingles=_shingles([t.key for t in reference_tokens]),
            recall_table=(
                reference_table := RecallTable.build(
                    reference_keys,
                    prompt_keys,
                    meaning,
                    aside_keys(clean_markup(rubric.reference), reference_tokens),
                )
            ),
            recall_set=RecallSet.build(
                [reference_table] + [p.recall for p in compiled_points], meaning
            ),
        )


# Reference recall (engine.reference_recall): how much a reference word the prompt also
# uses weighs, relative to its information.
RECALL_PROMPT_WEIGHT = 0.1


@dataclass(slots=True)
class RecallTable:
    """The reference's content words as arrays: their rows in the rubric's meaning matrix
    (-1 when the tables do not know them) and their weights."""

    keys: tuple[str, ...]
    rows: Any  # numpy int array
    weights: Any  # numpy float32 array
    total: float

    @classmethod
    def build(
        cls,
        reference_keys: Iterable[str],
        prompt_keys: Iterable[str],
        meaning: RubricMeaning,
        asides: frozenset[str] = frozenset(),
    ) -> RecallTable:
        import numpy as np

        keys = tuple(sorted(reference_keys))
        prompt = set(prompt_keys)
        weights = np.array(
            [
                meaning.information[k]
                * (RECALL_PROMPT_WEIGHT if k in prompt else 1.0)
                * (ASIDE_WEIGHT if k in asides else 1.0)
                for k in keys
            ],
            dtype=np.float32,
        )
        rows = np.array([meaning.index.get(k, -1) for k in keys], dtype=np.int64)
        return cls(keys=keys, rows=rows, weights=weights, total=float(weights.sum()))


@dataclass(slots=True)
class RecallSet:
    """Several recall tables over one vocabulary, so one answer's recall of all of them is
    one matrix product: row 0 the reference, then one row per key point (empty for points
    without a table)."""

    keys: tuple[str, ...]
    rows: Any  # numpy int array: each key's row in the meaning matrix, -1 when unknown
    weights: Any  # numpy float32 (tables, keys)
    totals: Any  # numpy float32 per table (1 where empty, to divide safely)

    @classmethod
    def build(cls, tables: Sequence[RecallTable | None], meaning: RubricMeaning) -> RecallSet:
        import numpy as np

        keys = tuple(sorted({k for t in tables if t is not None for k in t.keys}))
        column = {k: i for i, k in enumerate(keys)}
        weights = np.zeros((len(tables), len(keys)), dtype=np.float32)
        totals = np.ones(len(tables), dtype=np.float32)
        for n, table in enumerate(tables):
            if table is None or not table.total:
                continue
            weights[n, [column[k] for k in table.keys]] = table.weights
            totals[n] = table.total
        rows = np.array([meaning.index.get(k, -1) for k in keys], dtype=np.int64)
        return cls(keys=keys, rows=rows, weights=weights, totals=totals)


COPY_RUN = 8  # engine.COPY_RUN


def _shingles(words: list[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1))


def _opposites(keys: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each key's opposites: WordNet antonyms (and concept pairs) from the tables, and
    the same word with a negating prefix."""
    from bot.grading.lexicon import lexicon
    from bot.grading.meaning import prefix_variants

    lex = lexicon()
    return {k: lex.antonyms(k) | prefix_variants(k) for k in keys if not k[:1].isdigit()}


# --- Cache of rubrics built from questions ------------------------------------------------

_RUBRIC_CACHE_LIMIT = 1024
_rubric_cache: OrderedDict[str, tuple[Any, Rubric]] = OrderedDict()


def rubric_for(question: Question) -> Rubric:
    """The (compiled, cached) rubric of a bank question; a changed question is rebuilt."""
    entry = _rubric_cache.get(question.id)
    if entry is not None and (entry[0] is question or entry[0] == question):
        _rubric_cache.move_to_end(question.id)
        return entry[1]
    rubric = Rubric.from_question(question)
    _rubric_cache[question.id] = (question, rubric)
    if len(_rubric_cache) > _RUBRIC_CACHE_LIMIT:
        _rubric_cache.popitem(last=False)
    return rubric
