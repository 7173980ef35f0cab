"""`grade()`: match each key point against windows of the answer, weigh, flag, score."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from itertools import compress, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeGuard

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from bot.grading import polarity
from bot.grading.meaning import COMMON_RANK, Relation, RubricMeaning, relate
from bot.grading.result import PASS_THRESHOLD, Flag, Grade, KeyPointResult, Status
from bot.grading.rubric import (
    CompiledKeyPoint,
    CompiledRubric,
    ReachTable,
    RecallSet,
    Rubric,
    Variant,
    rubric_for,
    sorted_words,
)
from bot.grading.text import (
    NEGATION_REACH,
    UNIVERSAL_KEYS,
    Columns,
    Token,
    clean_markup,
    governing_negations,
    tokenize_columns,
)

if TYPE_CHECKING:
    from questionbank.models import Question

# Similarity at or above which a key point counts as covered / partly covered.
COVERED_AT = 0.7
PARTIAL_AT = 0.45
# Credit ramps linearly from nothing at CREDIT_FLOOR to full credit at CREDIT_FULL.
CREDIT_FLOOR = 0.15
CREDIT_FULL = 0.85
# A key point's similarity when only one of its several content words appears is scaled
# by this: one shared word is not a paraphrase.
SINGLE_WORD_FACTOR = 0.5
# rapidfuzz ratios between unrelated phrases sit around 30-50; below this a window is noise.
FUZZY_FLOOR = 70.0
# Word windows come in a few sizes; a key point is compared with windows of the smallest
# size that holds all its words.
WINDOW_SIZES = (2, 3, 4, 6, 8, 11, 15, 20)
# Typos: an answer word this close (rapidfuzz ratio) to a rubric word is read as it.
TYPO_CUTOFF = 85.0
TYPO_MIN_LENGTH = 5
# Answer keys a rubric remembers the folding of (bounds the cache's memory).
FOLD_CACHE_SIZE = 50_000

# Negation is judged only for short, atomic key points: in a long claim one negated word
# among many is a detail, not a contradiction.
NEGATION_MAX_WORDS = 8
# Claims derived from a reference are its sentences, not atomic assertions: polarity is
# judged on them only when they are this short.
AUTO_NEGATION_MAX_WORDS = 4

# Weighted coverage that earns the full score (see coverage_to_score).
EXPLICIT_FULL_COVERAGE = 0.85
AUTO_FULL_COVERAGE = 0.6

# Below this share of function words ("is", "because", "the") an answer is a term list.
KEYWORD_LIST_MAX_GLUE = 0.12
# Off topic (see is_off_topic): topicality under OFF_TOPIC_WORDS and the answer's meaning
# (centroid cosine with the rubric's words) under OFF_TOPIC_MEANING.
OFF_TOPIC_WORDS = 0.2
OFF_TOPIC_MEANING = 0.83
# ... and it uses under this share of the reference's own words (shared_reference).
OFF_TOPIC_REFERENCE = 0.12
# A match made only of words the question itself uses restates the question.
PROMPT_ONLY_FACTOR = 0.4

# Auto key points: share of the score from whole-reference word recall, and the recall
# that earns all of that share (half the reference's words is a thorough answer).
RECALL_BLEND = 0.5
RECALL_FULL = 0.7

# Topicality: an answer word close in meaning to a rubric word belongs to the topic from
# this cosine, fully from TOPIC_FULL_AT.
TOPIC_SOFT_AT = 0.7
TOPIC_FULL_AT = 0.95
TOPIC_SPAN = TOPIC_FULL_AT - TOPIC_SOFT_AT
# Derived claims: share of a claim's similarity from its soft recall, and the recall that
# counts fully (see claim_similarity).
CLAIM_RECALL_BLEND = 0.5
CLAIM_RECALL_FULL = 0.7
# Reference recall: a reference word counts from RECALL_SOFT_AT (cosine to the closest
# answer word) up to fully for the word itself.
RECALL_SOFT_AT = 0.4

MIN_WORDS = 4
REQUIRED_MISSED_CAP = round(PASS_THRESHOLD - 0.05, 4)
KEYWORD_LIST_CAP = round(PASS_THRESHOLD - 0.15, 4)
COPY_CAP = 0.15
# Partial copies (see copied): runs of COPY_RUN words shared with the reference, covering
# PARTIAL_COPY_SHARE of the answer and PARTIAL_COPY_WORDS words at least; people who write
# their own answer rarely repeat eight words in a row. Quotes show QUOTE_WORDS words.
COPY_RUN = 8
COPY_STRIDE = 4
PARTIAL_COPY_SHARE = 0.5
PARTIAL_COPY_WORDS = 12
QUOTE_WORDS = 10
OFF_TOPIC_CAP = 0.05
SNIPPET_CHARS = 160


def grade(
    question_or_rubric: Question | Rubric, answer: str, *, seen_reference: bool = False
) -> Grade:
    """Grade one answer; pure and deterministic.

    `seen_reference` says whether the author could have seen the published expected
    answer before writing (the app knows: the question was revealed in a channel they are
    in, or they practised it before). Only then is a copy of it capped; otherwise a copy
    is flagged and graded like any other answer: an answer close to the reference is a
    good answer.
    """
    rubric = (
        question_or_rubric
        if isinstance(question_or_rubric, Rubric)
        else rubric_for(question_or_rubric)
    )
    compiled = rubric.compiled
    text = clean_markup(answer or "")
    view = AnswerView.build(text, tokenize_columns(text), compiled)

    results: list[KeyPointResult] = []
    credits: list[float] = []
    substantive = False  # some credited point matched a word that is not a common one
    contradicted: list[tuple[str, str, str]] = []  # (point, the user's words, reason)
    for index, point in enumerate(compiled.key_points):
        match = best_match(point, view)
        similarity = match.similarity
        if point.recall is not None and not match.negated:
            similarity = claim_similarity(similarity, float(view.recalls()[index + 1]))
        status, credit = _status_and_credit(similarity)
        # The user's words for what was credited (a missed point quotes nothing).
        snippet = (
            view.snippet_for(match.span, match.wanted)
            if match.span and status != "missed"
            else None
        )
        if match.negated:
            # A contradicted match earns nothing, however weak; only one that would have
            # counted is worth a flag.
            if status != "missed":
                contradicted.append((point.point.text, match.quote or snippet or "", match.reason))
            status, credit, snippet = "missed", 0.0, None
        if status != "missed" and not substantive and match.span is not None:
            substantive = view.has_uncommon_word(match.span, match.wanted)
        results.append(
            KeyPointResult(
                text=point.point.text,
                status=status,
                similarity=round(similarity, 4),
                snippet=snippet,
                weight=point.point.weight,
                required=point.point.required,
            )
        )
        credits.append(credit)

    if compiled.auto:
        coverage, score = auto_score(credits, results, view, compiled)
    else:
        total_weight = sum(r.weight for r in results)
        coverage = sum(c * r.weight for c, r in zip(credits, results, strict=True)) / total_weight
        score = coverage_to_score(coverage, compiled)

    flags: list[Flag] = []
    limited_by: str | None = None

    def cap(value: float, code: str) -> None:
        nonlocal score, limited_by
        if value < score:
            score, limited_by = value, code

    if contradicted:
        flags.append(Flag("negated", _contradiction_message(contradicted)))
    if view.word_count < MIN_WORDS or view.content_count < 2:
        flags.append(Flag("too_short", "The answer is too short to explain anything."))
        cap(score * 0.5, "too_short")
    if is_keyword_list(view):
        flags.append(
            Flag(
                "keyword_list",
                "The answer lists terms without explaining them; say how they connect.",
            )
        )
        cap(KEYWORD_LIST_CAP, "keyword_list")
    copy = copied(view, compiled)
    if copy is not None:
        flags.append(Flag("copied_reference", copy.message(seen_reference)))
        if seen_reference:
            cap(COPY_CAP if copy.whole else score * (1.0 - copy.share), "copied_reference")
    if not substantive and is_off_topic(view, compiled):
        flags.append(Flag("off_topic", "The answer does not address this question."))
        cap(OFF_TOPIC_CAP, "off_topic")
    if any(r.required and r.status == "missed" for r in results):
        cap(REQUIRED_MISSED_CAP, "required")
    score = min(1.0, max(0.0, score))
    return Grade(
        score=round(score, 4),
        key_points=results,
        flags=flags,
        coverage=round(min(1.0, max(0.0, coverage)), 4),
        limited_by=limited_by,
    )


def _contradiction_message(contradicted: Sequence[tuple[str, str, str]]) -> str:
    """One sentence per contradicted point, quoting the user's own words."""
    parts = []
    for point, words, reason in contradicted:
        if reason.startswith("opposite:"):
            why = f"says “{reason.split(':', 1)[1]}” where the key point needs the opposite"
        elif reason == "alike":
            why = "calls alike what the key point says differ"
        else:
            why = "says the opposite of"
        quoted = f"“{words}”" if words else "the answer"
        if reason == "negation":
            parts.append(f"{quoted} {why} “{point}”")
        else:
            parts.append(f"{quoted} {why} (“{point}”)")
    return "Not credited: " + "; ".join(parts) + "."


def coverage_to_score(coverage: float, compiled: CompiledRubric) -> float:
    """Weighted key-point coverage -> score.

    Explicit rubrics list what a good answer says, so near-full coverage is needed. Key
    points derived from a long expected answer over-specify it (alternatives, asides,
    worked numbers), so an answer making a fair share of those claims already earns the
    full score.
    """
    enough = AUTO_FULL_COVERAGE if compiled.auto else EXPLICIT_FULL_COVERAGE
    return min(1.0, coverage / enough)


def auto_score(
    credits: Sequence[float],
    results: Sequence[KeyPointResult],
    view: AnswerView,
    compiled: CompiledRubric,
) -> tuple[float, float]:
    """(Claim coverage, score) against key points derived from a reference answer.

    The best `claims_needed` claims count (all of them unless the prompt asks for a number:
    "state at least 4" of a reference listing ten), blended with the share of the
    reference's words the answer uses: derived claims split one idea across sentences, and
    recall over the whole reference gives credit for a paraphrase no single claim holds.
    """
    weighted = sorted(
        ((c * r.weight, r.weight) for c, r in zip(credits, results, strict=True)),
        reverse=True,
    )
    top = weighted[: compiled.claims_needed]
    claims = sum(c for c, _ in top) / sum(w for _, w in top)
    recall = reference_recall(view, compiled)
    return claims, (1 - RECALL_BLEND) * claims + RECALL_BLEND * min(1.0, recall / RECALL_FULL)


def reference_recall(view: AnswerView, compiled: CompiledRubric) -> float:
    """Share of the reference's content words the answer uses, softly.

    Each reference word counts by how much it says (rarer words more, lexicon
    information) and by how close the answer comes to it: fully for the word itself, in
    part for the closest answer word from RECALL_SOFT_AT up (GloVe cosine; opposites never
    count). Words the prompt also uses weigh RECALL_PROMPT_WEIGHT: every answer echoes
    the question, so echoing it says little about understanding.
    """
    recalls = view.recalls()
    return float(recalls[0]) if len(recalls) else 0.0


def recalls(view: AnswerView, recall_set: RecallSet | None) -> Any:
    """reference_recall of every table of a RecallSet at once: the reference's and each
    derived claim's."""
    import numpy as np

    if recall_set is None or not recall_set.keys:
        return np.zeros(0 if recall_set is None else len(recall_set.totals), dtype=np.float32)
    positions = view.positions
    credit = np.fromiter(
        (k in positions for k in recall_set.keys), dtype=np.float32, count=len(recall_set.keys)
    )
    relation = view.relation
    if relation is not None and len(relation.best_for_rubric):
        known = recall_set.rows >= 0
        best = relation.best_for_rubric[recall_set.rows[known]]
        soft = np.clip((best - RECALL_SOFT_AT) / (1.0 - RECALL_SOFT_AT), 0.0, 1.0)
        credit[known] = np.maximum(credit[known], soft)
    return (recall_set.weights @ credit) / recall_set.totals


def claim_similarity(window: float, recall: float) -> float:
    """A derived claim's similarity: its best window, blended with how much of the claim
    the answer says anywhere (claim recall, full at CLAIM_RECALL_FULL): claims split from
    a reference are sentences, and a paraphrase spreads their words further than a window."""
    return (1 - CLAIM_RECALL_BLEND) * window + CLAIM_RECALL_BLEND * min(
        1.0, recall / CLAIM_RECALL_FULL
    )


def _status_and_credit(similarity: float) -> tuple[Status, float]:
    credit = (similarity - CREDIT_FLOOR) / (CREDIT_FULL - CREDIT_FLOOR)
    credit = min(1.0, max(0.0, credit))
    if similarity >= COVERED_AT:
        return "covered", credit
    if similarity >= PARTIAL_AT:
        return "partial", credit
    return "missed", credit


# --- The answer, prepared for matching ----------------------------------------------------


@dataclass(slots=True)
class AnswerView:
    text: str
    tokens: list[Token]
    content_index: list[int]  # token index of each content word
    keys: list[str]  # content keys after typo folding
    positions: dict[str, list[int]]  # content key -> content positions
    sentence_spans: list[tuple[int, int]]  # content positions [first, last) per sentence
    sentence_of: list[int]  # sentence number of each content position
    word_count: int
    content_count: int
    folded: dict[str, str]  # raw content key -> key after typo folding, where they differ
    word_keys: tuple[str, ...]  # every token's key (copy checks)
    negation_at: list[int] = field(default_factory=list)  # token indices of negation words
    valence_at: list[int] = field(default_factory=list)  # token indices of "poorly", "fails"..
    _universal_at: list[int] | None = None

    @property
    def universal_at(self) -> list[int]:
        """Token indices of "every", "any", "all", "always" (found on first use)."""
        if self._universal_at is None:
            self._universal_at = [i for i, t in enumerate(self.tokens) if t.key in UNIVERSAL_KEYS]
        return self._universal_at

    negation_max_words: int = NEGATION_MAX_WORDS
    # Rubric key -> (content position, strength) of answer words that may stand for it.
    soft: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    # Rubric key -> answer keys standing for it (for polarity checks).
    linked: dict[str, frozenset[str]] = field(default_factory=dict)
    # Key -> how strongly the answer has it: 1 for its own words, less for soft links
    # (None without soft links: then it is 1 for every key in positions).
    strength: dict[str, float] | None = None
    meaning: RubricMeaning | None = None
    _relation: Relation | None = None
    _recalls: Any = None
    # By variant number: the most each variant could score here (variant_reaches).
    reaches: list[float] = field(default_factory=list)
    _sorted_sentences: dict[tuple[int, int], str] = field(default_factory=dict)
    recall_set: RecallSet | None = None

    def recalls(self) -> Any:
        """Soft recall of the reference (item 0) and of each derived claim (numpy array;
        see engine.recalls), worked out on first use."""
        if self._recalls is None:
            self._recalls = recalls(self, self.recall_set)
        return self._recalls

    @property
    def relation(self) -> Relation | None:
        """How close the answer comes to the rubric's words (meaning.relate), worked out on
        first use: only reference recall and the topical test need it."""
        if self._relation is None and self.meaning is not None and self.positions:
            self._relation = relate(self.meaning, list(self.positions))
        return self._relation

    @classmethod
    def build(cls, text: str, tokenized: Columns, compiled: CompiledRubric) -> AnswerView:
        tokens, contents = tokenized.tokens, tokenized.contents
        # Columns picked with compress (a C-level pass) rather than a loop over the tokens.
        content_index = list(compress(range(len(tokens)), contents))
        raw_keys = list(compress(tokenized.keys, contents))
        # Every key seen before (rubric words included) is folded by a dict lookup.
        cached = list(map(compiled.fold_cache.get, raw_keys))
        keys = (
            cached
            if _all_found(cached)
            else [
                _fold_typo(raw, compiled) if key is None else key
                for key, raw in zip(cached, raw_keys, strict=True)
            ]
        )
        folded = (
            {raw: key for raw, key in zip(raw_keys, keys, strict=True) if key != raw}
            if keys != raw_keys
            else {}
        )
        positions: dict[str, list[int]] = {}
        for pos, key in enumerate(keys):
            positions.setdefault(key, []).append(pos)
        n = len(keys)
        # Content-word spans of sentences, and the sentence of each content word: sentence
        # numbers never decrease, so each sentence's span ends where bisection says.
        numbers = list(compress(tokenized.sentences, contents))
        sentence_spans: list[tuple[int, int]] = []
        sentence_of: list[int] = []
        first = 0
        for number in dict.fromkeys(numbers):
            last = bisect_right(numbers, number, first)
            sentence_of += repeat(len(sentence_spans), last - first)
            sentence_spans.append((first, last))
            first = last
        soft: dict[str, list[tuple[int, float]]] = {}
        linked: dict[str, set[str]] = {}
        strength: dict[str, float] | None = None
        meaning = compiled.meaning
        if meaning is not None and meaning.links:
            links = meaning.links
            # Sorted: the order of strength's keys is the order reaches are summed in.
            for answer_key in sorted(links.keys() & positions.keys()):
                found = positions[answer_key]
                for point_word, power in links[answer_key]:
                    soft.setdefault(point_word, []).extend((p, power) for p in found)
                    linked.setdefault(point_word, set()).add(answer_key)
                    if strength is None:
                        strength = dict.fromkeys(positions, 1.0)
                    if power > strength.get(point_word, 0.0):
                        strength[point_word] = power
            for scored in soft.values():
                scored.sort()
        view = cls(
            text=text,
            tokens=tokens,
            content_index=content_index,
            keys=keys,
            positions=positions,
            sentence_spans=sentence_spans,
            sentence_of=sentence_of,
            word_count=len(tokens),
            content_count=n,
            folded=folded,
            word_keys=tokenized.keys,
            negation_at=list(compress(range(len(tokens)), tokenized.negations)),
            valence_at=(
                list(
                    compress(
                        range(len(tokens)), map(polarity.VALENCE_KEYS.__contains__, tokenized.keys)
                    )
                )
                # A view of the keys, not the dict: a set's isdisjoint walks every key of
                # a dict, a view's walks the smaller side.
                if not positions.keys().isdisjoint(polarity.VALENCE_KEYS)
                else []
            ),
            negation_max_words=AUTO_NEGATION_MAX_WORDS if compiled.auto else NEGATION_MAX_WORDS,
            soft=soft,
            linked={k: frozenset(v) for k, v in linked.items()},
            strength=strength,
            meaning=meaning,
            recall_set=compiled.recall_set if compiled.auto else None,
        )
        view.reaches = variant_reaches(view, compiled.reach_table)
        return view

    def sorted_sentence(self, first: int, last: int) -> str:
        """The content keys at positions [first, last) in sorted order (remembered)."""
        found = self._sorted_sentences.get((first, last))
        if found is None:
            found = self._sorted_sentences[first, last] = sorted_words(
                " ".join(self.keys[first:last])
            )
        return found

    def snippet(self, span: tuple[int, int]) -> str:
        first, last = span
        start = self.tokens[self.content_index[first]].start
        end = self.tokens[self.content_index[last - 1]].end
        snippet = self.text[start:end].strip()
        if len(snippet) > SNIPPET_CHARS:
            snippet = snippet[: SNIPPET_CHARS - 1].rstrip() + "…"
        return snippet

    def quote(self, token_indices: Sequence[int]) -> str:
        """The user's words from the first to the last of these tokens, shortened."""
        first, last = min(token_indices), max(token_indices)
        text = " ".join(self.text[self.tokens[first].start : self.tokens[last].end].split())
        if len(text) > SNIPPET_CHARS:
            text = text[: SNIPPET_CHARS - 1].rstrip() + "…"
        return text

    def has_uncommon_word(self, span: tuple[int, int], wanted: frozenset[str]) -> bool:
        """Whether a matched word in the window is not among the common words (or
        unknown to the tables, which only leaves out rare words)."""
        lexicon = self.meaning.lexicon if self.meaning is not None else None
        for p in range(span[0], span[1]):
            key = self.keys[p]
            if key in wanted and (lexicon is None or lexicon.rank(key) >= COMMON_RANK):
                return True
        return False

    def snippet_for(self, span: tuple[int, int], wanted: frozenset[str]) -> str:
        """The user's words for a match: from the first to the last matched word in the
        sentence holding most of them, widened to the words that qualify them there
        ("generalises poorly", "does not reduce"), so the quote carries the meaning."""
        tokens = self.tokens
        first_token = tokens[self.content_index[span[0]]]
        if not (self.negation_at or self.valence_at) and (
            first_token.sentence == tokens[self.content_index[span[1] - 1]].sentence
        ):
            return self.snippet(span)  # the window starts and ends with matched words
        matched = self.matched_tokens(span, set(wanted)) if wanted else []
        in_window = sum(1 for p in range(span[0], span[1]) if self.keys[p] in wanted)
        if not matched or 2 * len(matched) <= in_window:
            # No sentence holds most of the matched words (a line break inside a phrase
            # splits it, too): the whole window.
            return self.snippet(span)
        first, last = matched[0], matched[-1]
        for i in polarity.region(tokens, first, last, tokens[first].sentence):
            if tokens[i].negation or tokens[i].key in polarity.VALENCE_KEYS:
                first, last = min(first, i), max(last, i)
        snippet = self.text[tokens[first].start : tokens[last].end].strip()
        if len(snippet) > SNIPPET_CHARS:
            snippet = snippet[: SNIPPET_CHARS - 1].rstrip() + "…"
        return snippet

    def _negation_near(self, first: int, last: int) -> bool:
        """Whether a negation word sits where governing_negations(first, last) looks."""
        at = bisect_left(self.negation_at, first - NEGATION_REACH)
        return at < len(self.negation_at) and self.negation_at[at] <= last

    def matched_tokens(self, span: tuple[int, int], wanted: AbstractSet[str]) -> list[int]:
        """Token indices of the wanted words in the window, in the sentence holding most
        of them (the earliest such sentence on a tie)."""
        matched = [p for p in range(span[0], span[1]) if self.keys[p] in wanted]
        if not matched:
            return []
        sentences = [self.tokens[self.content_index[p]].sentence for p in matched]
        if sentences[0] == sentences[-1]:
            return [self.content_index[p] for p in matched]
        sentence = max(set(sentences), key=lambda s: (sentences.count(s), -s))
        return [
            self.content_index[p] for p, s in zip(matched, sentences, strict=True) if s == sentence
        ]

    def is_negated(self, span: tuple[int, int], keys: tuple[str, ...]) -> bool:
        """Whether a negation governs the matched words in the sentence holding most of them.

        Looking at one sentence keeps "there are no labels. Supervised models are evaluated
        on labelled test data" from negating the second claim.
        """
        wanted = set(keys)
        matched = [p for p in range(span[0], span[1]) if self.keys[p] in wanted]
        if not matched:
            return False
        sentences = [self.tokens[self.content_index[p]].sentence for p in matched]
        if sentences[0] == sentences[-1]:  # all in one sentence (sentences never decrease)
            sentence = sentences[0]
            in_sentence = [self.content_index[p] for p in matched]
        else:
            sentence = max(set(sentences), key=lambda s: (sentences.count(s), -s))
            in_sentence = [
                self.content_index[p]
                for p, s in zip(matched, sentences, strict=True)
                if s == sentence
            ]
        if not self._negation_near(in_sentence[0], in_sentence[-1]):
            return False
        governed: set[int] = set()
        if not governing_negations(
            self.tokens, in_sentence[0], in_sentence[-1], wanted, self.folded, sentence, governed
        ):
            return False
        # A word the window also states without a negation is asserted: in "PCA ... no PCA
        # ... variance" the second, negated "PCA" does not undo the first.
        fold = self.folded
        asserted = {
            fold.get(self.tokens[i].key, self.tokens[i].key)
            for i in in_sentence
            if i not in governed
        }
        return any(
            fold.get(self.tokens[i].key, self.tokens[i].key) not in asserted for i in governed
        )


def _any_within(indices: list[int], first: int, last: int) -> bool:
    """Whether the sorted `indices` hold one in [first, last]."""
    at = bisect_left(indices, first)
    return at < len(indices) and indices[at] <= last


def _all_found(keys: list[str | None]) -> TypeGuard[list[str]]:
    """Every key was in the fold cache (the common case: no None to fill in)."""
    return None not in keys


def _fold_typo(key: str, compiled: CompiledRubric) -> str:
    """The rubric word an answer key is a misspelling of, else the key; remembered in the
    rubric's fold cache (up to FOLD_CACHE_SIZE keys)."""
    cache = compiled.fold_cache
    folded = cache.get(key)
    if folded is not None:
        return folded
    folded = key
    # A concept key ("~disadvantage") comes from a word list, never from a typo, and may sit
    # one prefix away from its opposite ("~advantage").
    if len(key) >= TYPO_MIN_LENGTH and key[0] != "~":
        found = process.extractOne(
            key, compiled.vocabulary_list, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
        )
        if found:
            folded = found[0]
    if len(cache) < FOLD_CACHE_SIZE:
        cache[key] = folded
    return folded


# --- Matching one key point ---------------------------------------------------------------


@dataclass(slots=True)
class Match:
    similarity: float
    span: tuple[int, int] | None  # content positions [first, last)
    negated: bool  # the window contradicts the key point (see _contradiction)
    # Other windows with the same overlap, in answer order; negation picks among them.
    alternatives: tuple[tuple[int, int], ...] = ()
    reason: str = ""  # why it contradicts
    quote: str = ""  # the user's words that contradict it
    wanted: frozenset[str] = frozenset()  # answer keys that stand for the variant's words


_NO_MATCH = Match(0.0, None, False)
_SECOND = itemgetter(1)
# Similarities this close are a tie; the variant or window whose polarity agrees wins.
TIE = 1e-9
# Similarities this close are equal when picking a key point's variant: rounding in the
# sums behind them (and behind reaches, summed in answer order) stays far below it.
REACH_SLACK = 1e-12
# Tied windows kept per variant for the polarity check.
MAX_TIED_WINDOWS = 6


def best_match(point: CompiledKeyPoint, view: AnswerView) -> Match:
    """The key point's best variant and window; among equally good ones, a non-negated one.

    Judging negation only after picking the first best variant would let the key point's
    own wording win a tie and flag an answer that says the same thing the other way round
    ("not used at test time" vs "turned off at test time").
    """
    best, best_variant = _first_best_variant(point.variants, view)
    if best_variant is None:
        return best
    judged = _judge_negation(best, best_variant, view)
    if not judged.negated:
        return judged
    # Rare path: an equally good variant whose polarity agrees with the answer wins.
    for variant in point.variants:
        if variant is best_variant or view.reaches[variant.number] < best.similarity - TIE:
            continue
        match = _match_variant(variant, view)
        if match.similarity >= best.similarity - TIE:
            other = _judge_negation(match, variant, view)
            if not other.negated:
                return other
    return judged


def _first_best_variant(
    variants: Sequence[Variant], view: AnswerView
) -> tuple[Match, Variant | None]:
    """The match of the first variant (in rubric order) with the highest similarity.

    Variants are tried in order of their reach (the most they could score), so the likely
    winner comes first and most others are ruled out by their reach without matching.
    That relies on a variant never scoring above its reach; a variant earlier in rubric
    order than the current best still wins a tie, as it would in a pass in rubric order.
    Similarities within REACH_SLACK are a tie: which wording supplies the snippet does not
    hang on the last bit of a sum.
    """
    every = view.reaches
    reaches = [every[variant.number] for variant in variants]
    best = _NO_MATCH
    best_index = -1
    # Stable: equal reaches keep rubric order.
    for index in sorted(range(len(variants)), key=reaches.__getitem__, reverse=True):
        reach = reaches[index]
        if reach < best.similarity - REACH_SLACK:
            break  # the rest reach no further
        wins_ties = index < best_index  # never before a best is found (best_index -1)
        if reach <= best.similarity + REACH_SLACK and not wins_ties:
            continue  # it could only tie
        # _match_variant gives up on a variant that cannot score above `beat`; one that
        # wins ties must still be matched when it can only equal the best.
        if wins_ties:
            beat = math.nextafter(best.similarity - REACH_SLACK, -math.inf)
        else:
            beat = best.similarity + REACH_SLACK
        match = _match_variant(variants[index], view, beat=beat)
        if match.similarity > beat:
            best, best_index = match, index
    return best, (variants[best_index] if best_index >= 0 else None)


def variant_reaches(view: AnswerView, table: ReachTable) -> list[float]:
    """The most each variant of the rubric could score here (fuzzy lifts half way to 1),
    by variant number; 0 for one sharing no word with the answer.

    One pass over the answer's words and the variants using each (the table's postings).
    The sums run in answer order, not in each variant's word order, so they may differ
    from a variant's own sum in the last bit: comparisons with them allow REACH_SLACK.
    """
    present = [0.0] * len(table.scales)
    postings = table.postings
    strength = view.strength
    if strength is None:
        for hits in map(postings.get, view.positions):
            if hits:
                for number, weight in hits:
                    present[number] += weight
    else:
        for key, power in strength.items():
            hits = postings.get(key)
            if hits:
                for number, weight in hits:
                    present[number] += weight * power
    # min(1.0, total / scale) without the call.
    return [
        ((1.0 if total >= scale else total / scale) + 1.0) / 2 if total else 0.0
        for total, scale in zip(present, table.scales, strict=True)
    ]


def _judge_negation(match: Match, variant: Variant, view: AnswerView) -> Match:
    """The match with its polarity judged (bot.grading.polarity), on the first tied
    window that does not contradict the variant."""
    frozen = variant.key_set
    linked = view.linked
    if linked and not linked.keys().isdisjoint(frozen):
        wanted = set(frozen)
        for key in variant.keys:
            found = linked.get(key)
            if found:
                wanted |= found
        frozen = frozenset(wanted)
    if match.span is None or len(variant.keys) > view.negation_max_words:
        return Match(match.similarity, match.span, False, match.alternatives, wanted=frozen)
    first: tuple[str, str] | None = None
    for span in (match.span, *match.alternatives):
        reason, quote = _contradiction(span, variant, view, frozen)
        if not reason:
            return Match(match.similarity, span, False, wanted=frozen)
        first = first or (reason, quote)
    assert first is not None
    return Match(match.similarity, match.span, True, reason=first[0], quote=first[1], wanted=frozen)


def _contradiction(
    span: tuple[int, int], variant: Variant, view: AnswerView, wanted: frozenset[str]
) -> tuple[str, str]:
    """Why the window contradicts the variant ("negation", "opposite:<word>", "alike")
    and the user's words that do, or ("", "") when it does not. Judged in the sentence
    holding most of the matched words."""
    point = variant.polarity
    if not (
        variant.negations
        or (point.opposites and not view.positions.keys().isdisjoint(point.opposites))
        or point.difference
    ):
        # Only a negation or a failure word near the window could contradict it: negations
        # reach NEGATION_REACH words ahead, failure words qualify polarity.BEFORE/AFTER
        # words around; none within that many tokens of the window, nothing to judge.
        near = max(NEGATION_REACH, polarity.BEFORE, polarity.AFTER)
        first = view.content_index[span[0]] - near
        last = view.content_index[span[1] - 1] + near
        if not (
            _any_within(view.negation_at, first, last) or _any_within(view.valence_at, first, last)
        ):
            return "", ""
    tokens = view.tokens
    matched = view.matched_tokens(span, wanted)
    if not matched:
        return "", ""
    sentence = tokens[matched[0]].sentence
    where = polarity.region(tokens, matched[0], matched[-1], sentence)
    negated = view.is_negated(span, tuple(wanted)) if view.negation_at else False
    failures = polarity.valence(tokens, where)
    if (int(negated) + failures + variant.negations + point.valence) % 2 and (
        negated or failures or variant.negations
    ):
        # Polarities differ and something says so explicitly: "does not reduce variance"
        # against "reduces variance"; not "performs well" against "performs worse", which
        # is a matter of the words matched, not of polarity.
        qualifiers = [
            i for i in where if tokens[i].negation or tokens[i].key in polarity.VALENCE_KEYS
        ]
        return "negation", view.quote(matched + qualifiers)
    if point.opposites:
        # The subject of a claim may sit anywhere in its sentence ("Overfitting is when
        # ... both errors are high"), so opposites are looked for in all of it.
        opposite = polarity.opposite_word(
            tokens, polarity.sentence_range(tokens, matched[0]), point, view.folded
        )
        if opposite is not None:
            at = next(i for i, t in enumerate(tokens) if t is opposite)
            word = view.text[opposite.start : opposite.end]
            return "opposite:" + word, view.quote([*matched, at])
    if point.difference:
        wider = polarity.region(tokens, matched[0], matched[-1], sentence, polarity.ALIKE_AFTER)
        alike = polarity.says_alike(tokens, wider)
        if alike is not None:
            return "alike", view.quote([*matched, alike])
    return "", ""


def _match_variant(variant: Variant, view: AnswerView, beat: float = -1.0) -> Match:
    """The variant's best match; when even a perfect fuzzy score could not lift it above
    `beat`, its overlap alone (the caller keeps only matches above `beat`)."""
    overlap, spans, discount = _overlap(variant, view)
    if not spans or overlap >= 1.0 or 0.5 * (overlap + discount) <= beat:
        return Match(overlap, spans[0] if spans else None, False, tuple(spans[1:]))
    span = spans[0]
    fuzzy, fuzzy_span = _fuzzy(variant, view, span)
    # What discounted the overlap (one word of several, only the prompt's words) holds
    # for the fuzzy windows around it too: "matrix, SVD" fuzzily equals "matrix svd".
    fuzzy *= discount
    if fuzzy > overlap:
        # Fuzzy windows catch misspellings and word-order paraphrases, but a high ratio
        # between short strings is cheap, so it only lifts the overlap part of the way.
        similarity = 0.5 * (overlap + fuzzy)
        if similarity > overlap:
            return Match(similarity, fuzzy_span or span, False, tuple(spans))
    return Match(overlap, span, False, tuple(spans[1:]))


def _cohesive_first(spans: list[tuple[int, int]], view: AnswerView) -> list[tuple[int, int]]:
    """Equally good windows, the first one within a single clause leading (else the first
    within a sentence): "SVD works for any matrix" over "matrix, SVD" across a comma."""
    tokens, index = view.tokens, view.content_index
    for level in (6, 5):  # Token fields: 5 = sentence, 6 = clause
        for i, (first, last) in enumerate(spans):
            if tokens[index[first]][level] == tokens[index[last - 1]][level]:
                return [spans[i], *spans[:i], *spans[i + 1 :]] if i else spans
    return spans


def _overlap(variant: Variant, view: AnswerView) -> tuple[float, list[tuple[int, int]], float]:
    """Best weighted share of the variant's words found close together in the answer.

    Returns the similarity, the tightest windows reaching it (the first one leads) and
    the discount applied to it (1 for none).
    """
    occurrences: list[tuple[int, int]] = []  # (content position, variant key index)
    positions = view.positions
    softened: list[tuple[int, int, float]] | None = None
    for k, key in enumerate(variant.keys):
        found = positions.get(key)
        if found:
            occurrences += zip(found, repeat(k))
    soft = view.soft
    if soft and not soft.keys().isdisjoint(variant.key_set):
        # An answer word stands for one of the variant's words at most, and never for
        # another one when it is one of them itself ("set" in "training set" is not also
        # "fit").
        strongest: dict[int, tuple[float, int]] = {}
        own = variant.key_set
        keys = view.keys
        for k, key in enumerate(variant.keys):
            for p, power in soft.get(key, ()):
                if keys[p] not in own and power > strongest.get(p, (0.0, 0))[0]:
                    strongest[p] = (power, k)
        softened = [(p, k, power) for p, (power, k) in strongest.items()]
    if softened:
        return _soft_overlap(variant, view, occurrences, softened)
    if not occurrences:
        return 0.0, [], 1.0
    occurrences.sort()
    n_keys = len(variant.keys)
    reach = variant.window
    weights = variant.weights
    counts = [0] * n_keys
    weight_in = 0.0
    distinct = 0
    best_weight = 0.0
    best_distinct = 0
    best_spans: list[tuple[int, int]] = []
    left = 0
    left_pos = occurrences[0][0]  # where the window starts
    for pos, k in occurrences:
        if counts[k] == 0:
            weight_in += weights[k]
            distinct += 1
        counts[k] += 1
        while pos - left_pos >= reach:
            lk = occurrences[left][1]
            counts[lk] -= 1
            if counts[lk] == 0:
                weight_in -= weights[lk]
                distinct -= 1
            left += 1
            left_pos = occurrences[left][0]
        if weight_in > best_weight + 1e-12:
            best_weight = weight_in
            best_distinct = distinct
            best_spans = [(left_pos, pos + 1)]
        elif weight_in > best_weight - 1e-12 and len(best_spans) < MAX_TIED_WINDOWS:
            # A tie: keep the tightest window ending here (repeated words at its left edge
            # dropped), so "not zero centred. Tanh is zero centred" offers "Tanh ... centred".
            remaining = counts.copy()
            start = left
            while remaining[occurrences[start][1]] > 1:
                remaining[occurrences[start][1]] -= 1
                start += 1
            if occurrences[start][0] > best_spans[-1][0]:
                best_spans.append((occurrences[start][0], pos + 1))
    # _finish_overlap, inlined for the common case (this runs for every variant tried).
    similarity = min(1.0, best_weight / variant.scale)
    discount = SINGLE_WORD_FACTOR if best_distinct == 1 and n_keys > 1 else 1.0
    if len(best_spans) > 1:
        best_spans = _cohesive_first(best_spans, view)
    if len(variant.own) < len(variant.keys):  # some of its words are the prompt's
        return _finish_overlap(variant, view, best_weight, best_distinct, best_spans, occurrences)
    return similarity * discount, best_spans, discount


def _soft_overlap(
    variant: Variant,
    view: AnswerView,
    exact: list[tuple[int, int]],
    softened: list[tuple[int, int, float]],
) -> tuple[float, list[tuple[int, int]], float]:
    """_overlap when some answer words only stand for a variant word (strength < 1).

    The same sliding window, where a variant word counts with the strongest of its
    occurrences inside the window.
    """
    occurrences = sorted([(p, k, 1.0) for p, k in exact] + softened)
    n_keys = len(variant.keys)
    reach = variant.window
    weights = variant.weights
    inside: list[list[float]] = [[] for _ in range(n_keys)]
    top = [0.0] * n_keys
    weight_in = 0.0
    distinct = 0
    best_weight = 0.0
    best_distinct = 0
    best_spans: list[tuple[int, int]] = []
    left = 0
    left_pos = occurrences[0][0]
    for pos, k, power in occurrences:
        if not inside[k]:
            distinct += 1
        inside[k].append(power)
        if power > top[k]:
            weight_in += weights[k] * (power - top[k])
            top[k] = power
        while pos - left_pos >= reach:
            _, lk, lpower = occurrences[left]
            inside[lk].remove(lpower)
            if not inside[lk]:
                distinct -= 1
                weight_in -= weights[lk] * top[lk]
                top[lk] = 0.0
            elif lpower >= top[lk]:
                new_top = max(inside[lk])
                weight_in -= weights[lk] * (top[lk] - new_top)
                top[lk] = new_top
            left += 1
            left_pos = occurrences[left][0]
        if weight_in > best_weight + 1e-12:
            best_weight = weight_in
            best_distinct = distinct
            best_spans = [(left_pos, pos + 1)]
        elif weight_in > best_weight - 1e-12 and len(best_spans) < MAX_TIED_WINDOWS:
            # The tightest window ending here: drop left occurrences whose word is also
            # in the window at least as strongly.
            remaining = [list(v) for v in inside]
            start = left
            while True:
                _, sk, spower = occurrences[start]
                others = remaining[sk]
                if len(others) > 1 and sum(1 for v in others if v >= spower) > 1:
                    others.remove(spower)
                    start += 1
                else:
                    break
            if occurrences[start][0] > best_spans[-1][0]:
                best_spans.append((occurrences[start][0], pos + 1))
    return _finish_overlap(variant, view, best_weight, best_distinct, best_spans, occurrences)


def _finish_overlap(
    variant: Variant,
    view: AnswerView,
    best_weight: float,
    best_distinct: int,
    best_spans: list[tuple[int, int]],
    occurrences: Sequence[tuple[int, int]] | Sequence[tuple[int, int, float]],
) -> tuple[float, list[tuple[int, int]], float]:
    """The similarity and windows of a variant's best overlap, with its discounts.

    `occurrences`: (content position, variant key index[, strength]) of its words, sorted.
    """
    n_keys = len(variant.keys)
    similarity = min(1.0, best_weight / variant.scale)
    discount = 1.0
    if best_distinct == 1 and n_keys > 1:
        discount *= SINGLE_WORD_FACTOR
    if len(best_spans) > 1:
        best_spans = _cohesive_first(best_spans, view)
    first, last = best_spans[0]
    # Every variant word in the window is an occurrence; without prompt words among the
    # variant's, the window (which starts at one) always has a word of its own.
    # The occurrences in the window, found by bisection ((first,) sorts before every
    # occurrence at first).
    inside = occurrences[bisect_left(occurrences, (first,)) : bisect_left(occurrences, (last,))]
    if len(variant.own) < len(variant.keys) and variant.own.isdisjoint(map(_SECOND, inside)):
        # Only the question's words: a restatement, unless the claim is universal and a
        # window says so too ("SVD works for any matrix" for "SVD exists for every matrix").
        universal = (
            next((s for s in best_spans if _universal_near(view, *s)), None)
            if variant.universal
            else None
        )
        if universal is None:
            discount *= PROMPT_ONLY_FACTOR
        else:
            best_spans = [universal, *(s for s in best_spans if s != universal)]
    return similarity * discount, best_spans, discount


def _universal_near(view: AnswerView, first: int, last: int) -> bool:
    """Whether "every", "any", "all" or "always" sits in or just before the window."""
    if not view.universal_at:
        return False
    start = view.content_index[first] - 2
    end = view.content_index[last - 1]
    return any(start <= i <= end for i in view.universal_at)


def _fuzzy(
    variant: Variant, view: AnswerView, near: tuple[int, int]
) -> tuple[float, tuple[int, int] | None]:
    """rapidfuzz similarity of the variant to word windows and sentences around a match.

    Only windows overlapping the span where the variant's words were found are scored:
    far from any shared word a high ratio would be coincidence, and it keeps the cost
    proportional to the key point, not to the answer.
    """
    size = _bucket(len(variant.keys))
    n = view.content_count
    first_start = max(0, near[0] - size + 1)
    last_start = max(first_start, min(near[1] - 1, n - size))
    starts = range(first_start, last_start + 1)
    keys = view.keys
    strings = [" ".join(keys[i : i + size]) for i in starts]
    best = 0.0
    best_span: tuple[int, int] | None = None
    found = process.extractOne(variant.joined, strings, scorer=fuzz.ratio, score_cutoff=FUZZY_FLOOR)
    if found:
        best = found[1]
        start = starts[found[2]]
        best_span = (start, min(start + size, n))
    # Sentences holding the match, when of comparable length: a one-word sentence is no
    # paraphrase of a claim.
    n_keys = len(variant.keys)
    low, high = max(2, n_keys // 2), 3 * n_keys + 2
    first, last = view.sentence_of[near[0]], view.sentence_of[near[1] - 1]
    sentence_spans = [
        (a, b)
        for a, b in (view.sentence_spans[i] for i in ((first,) if first == last else (first, last)))
        if low <= b - a <= high
    ]
    if sentence_spans:
        # token_sort_ratio, with each sentence's words sorted once per answer.
        found = process.extractOne(
            variant.sorted_joined,
            [view.sorted_sentence(a, b) for a, b in sentence_spans],
            scorer=fuzz.ratio,
            score_cutoff=max(FUZZY_FLOOR, best),
        )
        if found and found[1] > best:
            best = found[1]
            best_span = sentence_spans[found[2]]
    if best_span is None:
        return 0.0, None
    return (best - FUZZY_FLOOR) / (100.0 - FUZZY_FLOOR), best_span


@cache
def _bucket(n_keys: int) -> int:
    index = bisect_left(WINDOW_SIZES, n_keys)
    return WINDOW_SIZES[min(index, len(WINDOW_SIZES) - 1)]


# --- Whole-answer checks ------------------------------------------------------------------


def is_keyword_list(view: AnswerView) -> bool:
    """Terms strung together with almost no words that relate them."""
    if view.content_count < 3:
        return False
    # Single letters and numbers ("k-1", "p(y|x)", "0.8") are neither terms nor glue.
    function_words = terms = 0
    for key, content, *_ in view.tokens:
        if key[:1].isdigit():  # is_number, inlined: this runs on every word
            continue
        if content:
            terms += 1
        elif len(key) > 1:
            function_words += 1
            # Prose is glued together from its first words: once the function words so
            # far would reach the share even against every content word, stop counting.
            if function_words / (function_words + view.content_count) >= KEYWORD_LIST_MAX_GLUE:
                return False
    if terms < 3:
        return False
    function_share = function_words / (function_words + terms)
    if function_share >= KEYWORD_LIST_MAX_GLUE:
        return False
    segments = [s for s in _LIST_SEPARATOR.split(view.text) if any(c.isalpha() for c in s)]
    terms_per_segment = terms / max(1, len(segments))
    return (len(segments) >= 3 and terms_per_segment <= 3.0) or function_share < 0.05


# List separators; a period only when it ends a sentence, not inside "0.8" or "e.g.".
_LIST_SEPARATOR = re.compile(r"[,;\n•·|]|\.(?=\s|$)")


@dataclass(frozen=True, slots=True)
class Copy:
    """How much of an answer is lifted from the published expected answer."""

    share: float  # of the answer's words, in runs of COPY_RUN or more shared words
    whole: bool  # nearly all of it (is_copy_of_reference)
    quote: str  # the user's words: the start of the longest lifted run

    def message(self, seen_reference: bool) -> str:
        if self.whole:
            text = "The answer is nearly a copy of the published expected answer"
        else:
            text = (
                f"About {round(self.share * 100)}% of the answer is the published expected "
                "answer word for word"
            )
        text += f" (“{self.quote}”)."
        if seen_reference:
            text += " Only your own words earn credit."
        return text


def copied(view: AnswerView, compiled: CompiledRubric) -> Copy | None:
    """A whole copy of the reference or the key points (is_copy_of_reference), a partial
    copy of the reference, or None.

    Partial: at least PARTIAL_COPY_SHARE of the answer's words (and PARTIAL_COPY_WORDS of
    them) sit in runs of COPY_RUN or more consecutive words that the reference has too.
    """
    tokens = view.tokens
    n = len(tokens)
    shingles = compiled.copy_shingles
    if n < COPY_RUN or not shingles:
        return None
    keys = view.word_keys
    covered = [False] * n
    last_start = n - COPY_RUN
    # Runs are looked for every COPY_STRIDE words and followed both ways from a hit, so
    # every run of COPY_RUN + COPY_STRIDE - 1 words or more is found whole.
    i = 0
    while i <= last_start:
        if keys[i : i + COPY_RUN] not in shingles:
            i += COPY_STRIDE
            continue
        first = i
        while first > 0 and keys[first - 1 : first - 1 + COPY_RUN] in shingles:
            first -= 1
        last = i
        while last < last_start and keys[last + 1 : last + 1 + COPY_RUN] in shingles:
            last += 1
        covered[first : last + COPY_RUN] = [True] * (last + COPY_RUN - first)
        i = last + COPY_STRIDE
    lifted = sum(covered)
    whole = is_copy_of_reference(view, compiled, keys)
    share = lifted / n
    if not whole and (share < PARTIAL_COPY_SHARE or lifted < PARTIAL_COPY_WORDS):
        return None
    # The longest run, quoted from its start.
    best_start = best_length = start = 0
    for i in range(n + 1):
        if i < n and covered[i]:
            if i == 0 or not covered[i - 1]:
                start = i
            continue
        if i > 0 and covered[i - 1] and i - start > best_length:
            best_start, best_length = start, i - start
    if best_length:
        end = best_start + min(best_length, QUOTE_WORDS) - 1
        quote = view.text[tokens[best_start].start : tokens[end].end]
        if best_length > QUOTE_WORDS:
            quote += "…"
    else:
        quote = (
            view.snippet((0, min(view.content_count, QUOTE_WORDS))) if view.content_count else ""
        )
    return Copy(share=max(share, 1.0 if whole and share < 0.8 else share), whole=whole, quote=quote)


def is_copy_of_reference(
    view: AnswerView, compiled: CompiledRubric, words: Sequence[str] | None = None
) -> bool:
    """Most of the answer is the expected answer (or the key points) in the same order."""
    if words is None:
        words = [t.key for t in view.tokens]
    if len(words) < 8:
        return False
    # Pasting the key points means pasting most of them: an answer that restates one
    # point of three in the rubric's words has not copied the rubric.
    sources = (
        (compiled.reference_words, compiled.reference_word_set, 0.5),
        (compiled.key_point_words, compiled.key_point_word_set, 0.6),
    )
    for source, source_set, share in sources:
        if len(source) < 8:
            continue
        # The common subsequence is no longer than either side: skip the LCS when that
        # already rules the copy out (an answer much longer or shorter than the source).
        if len(source) / len(words) < 0.8 or len(words) / len(source) < share:
            continue
        # Nor has it more words than the answer has words the source uses at all: an
        # answer with its own words in it is ruled out without the LCS.
        if sum(map(source_set.__contains__, words)) / len(words) < 0.8:
            continue
        common = LCSseq.similarity(words, source)
        if common / len(words) >= 0.8 and common / len(source) >= share:
            return True
    return False


def shared_reference(view: AnswerView, compiled: CompiledRubric) -> float:
    """Share of the reference's words (weighted as in reference recall: rarer words more,
    the prompt's words little) the answer uses itself."""
    table = compiled.recall_table
    if table is None or not table.total:
        return 0.0
    positions = view.positions
    found = sum(
        float(weight)
        for key, weight in zip(table.keys, table.weights, strict=True)
        if key in positions
    )
    return found / table.total


def topicality(view: AnswerView, compiled: CompiledRubric) -> float:
    """Share of what the answer says that belongs to the question's topic, in [0, 1].

    Each distinct content word of the answer weighs its information (rare words more) and
    belongs to the topic when the rubric (question, reference, key points) uses it, or
    in part when its meaning is close to one of the rubric's words (GloVe cosine from
    TOPIC_SOFT_AT). Common words ("time", "data", "new") belong to no topic and weigh
    nothing, unless the question itself uses them: "list" in "What is a linked list?".
    """
    meaning = compiled.meaning
    if meaning is None or not view.positions:
        return 0.0
    lex = meaning.lexicon
    relation = view.relation
    best = relation.best_for_answer if relation is not None else {}
    vocabulary = compiled.vocabulary
    prompt = compiled.prompt_keys
    total = found = 0.0
    for key in view.positions:
        rank = lex.rank(key)
        if rank < COMMON_RANK and key not in prompt:
            continue
        weight = math.log(rank + 50.0)
        total += weight
        if key in vocabulary:
            found += weight
        else:
            cosine = best.get(key, 0.0)
            if cosine > TOPIC_SOFT_AT:
                found += weight * min(1.0, (cosine - TOPIC_SOFT_AT) / TOPIC_SPAN)
    return found / total if total else 0.0


def is_off_topic(view: AnswerView, compiled: CompiledRubric) -> bool:
    """The answer shares neither words nor meaning with the question and the reference.

    Words: under OFF_TOPIC_WORDS of what it says is the rubric's vocabulary or close to
    it (topicality). Meaning: its words, taken together, point elsewhere than the
    rubric's (centroid cosine under OFF_TOPIC_MEANING): an answer from another angle in
    the same field, or a paraphrase of a short reference, shares the field's meaning even
    when it shares no words, while office chatter does not.
    """
    if view.content_count < 4:
        return False
    if shared_reference(view, compiled) >= OFF_TOPIC_REFERENCE:
        return False  # it uses the reference's own words: "averaged" for "averages"
    relation = view.relation
    meaning = relation.centroid_cosine if relation is not None else 0.0
    if meaning >= OFF_TOPIC_MEANING:
        return False
    return topicality(view, compiled) < OFF_TOPIC_WORDS
