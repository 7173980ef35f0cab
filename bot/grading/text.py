"""Text normalisation for grading: Slack markup, Unicode, spelling, stems, ML vocabulary.

An answer becomes a list of `Token`s that remember where they came from in the cleaned
display text, so feedback can quote the user's own words while matching works on stems.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import partial
from itertools import accumulate, chain, compress, repeat
from operator import add
from typing import Any, NamedTuple, TypeGuard

import Stemmer

# --- Slack markup -------------------------------------------------------------------------

_CODE_FENCE = re.compile(r"```(?:[a-zA-Z0-9_+-]+\n)?(.*?)```", re.DOTALL)
_INLINE_CODE = re.compile(r"`([^`\n]*)`")
_USER_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_CHANNEL_LINK = re.compile(r"<#[A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL_MENTION = re.compile(r"<!(?:[^>|]*)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto|ftp):[^>|]*)(?:\|([^>]*))?>")
# An emoji code needs a letter so that ratios such as 1:2:3 survive.
_EMOJI = re.compile(r":(?:[+-]1|(?=[a-z0-9_+'-]*[a-z])[a-z0-9_+'-]+):")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def clean_markup(text: str) -> str:
    """Slack message text -> plain readable text (what feedback quotes)."""
    # Each pattern needs its first character in the text; most answers have no markup,
    # and a membership test is much cheaper than a regex pass.
    if "`" in text:
        text = _CODE_FENCE.sub(lambda m: m.group(1), text)
        text = _INLINE_CODE.sub(lambda m: m.group(1), text)
    if "<" in text:
        text = _USER_MENTION.sub(" ", text)
        text = _CHANNEL_LINK.sub(lambda m: m.group(1) or " ", text)
        text = _SPECIAL_MENTION.sub(lambda m: m.group(1) or " ", text)
        # A bare URL carries no claim; a labelled link keeps its label.
        text = _LINK.sub(lambda m: m.group(2) or " ", text)
    if ":" in text:
        text = _EMOJI.sub(" ", text)
    # Slack escapes &, < and > in message text.
    text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    # The substitution rewrites every single space too (about 30 µs for a 150-word
    # answer); a text without a run of spaces or another blank has nothing to collapse.
    if "  " in text or any(blank in text for blank in _BLANKS_BUT_SPACE):
        text = _SPACES.sub(" ", text)
    return text.strip()


# What _SPACES matches besides the plain space.
_BLANKS_BUT_SPACE = ("\t", "\r", "\f", "\v")


# --- Words --------------------------------------------------------------------------------

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "both",
        "between",
        "few",
        "give",
        "gives",
        "giving",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "etc",
        "eg",
        "ie",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "let",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "others",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "per",
        "quite",
        "rather",
        "really",
        "same",
        "shall",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "use",
        "used",
        "uses",
        "using",
        "very",
        "via",
        "was",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "e",
        "g",
        "i.e",
        "also",
        "therefore",
        "hence",
        "however",
        "whereas",
        "like",
        "get",
        "gets",
        "got",
        "make",
        "makes",
        "made",
        "many",
        "way",
        "ways",
        "thing",
        "things",
        "something",
        "basically",
        "simply",
        "just",
        "often",
        "usually",
        "generally",
        "typically",
        "lot",
        "lots",
        "kind",
        "sort",
        "actual",
        "actually",
        "always",
        "sometimes",
        "still",
        "even",
        "though",
        "although",
        "since",
        "both",
        "another",
        "every",
    ]
)

# Stop words that make a claim universal: "SVD exists for every matrix" says more than
# "a matrix ... SVD" (see engine._finish_overlap).
UNIVERSAL = frozenset(["all", "any", "every", "always"])

NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nor",
        "neither",
        "without",
        "cannot",
        "nothing",
        "nobody",
        "nowhere",
        "lack",
        "lacks",
        "lacking",
        "hardly",
        "barely",
    ]
)

# Numbers come first so "0.048", "1/21" and "10,000" stay whole and "300m" splits into
# "300" + "m"; words may carry digits after a letter ("l2", "dw2", "f1").
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:/\d+(?:[.,]\d+)?)?|[^\W\d_][^\W_]*")
# Words that join clauses: a negation before them does not reach past them.
CLAUSE_JOINERS = frozenset(["and", "but", "while", "whereas"])
_CLAUSE_PUNCTUATION_AT = re.compile(r"[,;:]")
# British -> American spellings, applied to both sides so only consistency matters.
_SPELLING_RULES = (
    (re.compile(r"^(\w{3,})is(e|es|ed|ing|er|ers|ation|ations)$"), r"\1iz\2"),
    (re.compile(r"^(\w{2,})ys(e|es|ed|ing|er|ers)$"), r"\1yz\2"),
    (re.compile(r"^(\w{4,})our(s|ed|ing|al|ally)?$"), r"\1or\2"),
    (re.compile(r"^(\w{2,})tre(s|d)?$"), r"\1ter\2"),
)

_STEMMER = Stemmer.Stemmer("english")
_stem_cache: dict[str, str] = {}
_STEM_CACHE_LIMIT = 200_000

GREEK = {
    "λ": "lambda",
    "σ": "sigma",
    "μ": "mu",
    "θ": "theta",
    "α": "alpha",
    "β": "beta",
    "η": "eta",
    "ε": "epsilon",
    "γ": "gamma",
    "δ": "delta",
    "ρ": "rho",
    "π": "pi",
    "∑": "sum",
    "∇": "gradient",
}


def stem_word(word: str) -> str:
    """Lower-case word -> stem, with British spellings folded first; memoised."""
    stem = _stem_cache.get(word)
    if stem is None:
        folded = word
        if len(word) > 5:
            for pattern, repl in _SPELLING_RULES:
                folded = pattern.sub(repl, folded)
        stem = _STEMMER.stemWord(folded)
        if len(_stem_cache) < _STEM_CACHE_LIMIT:
            _stem_cache[word] = stem
    return stem


# --- ML vocabulary: every spelling of a term maps to one canonical token ------------------

# canonical token -> the ways people write it (abbreviation and spelled out); matched on
# stems, so plurals and inflections are covered.
ML_TERMS: dict[str, tuple[str, ...]] = {
    "sgd": ("sgd", "stochastic gradient descent", "stochastic gd"),
    "gd": ("gradient descent", "batch gradient descent"),
    "pca": (
        "pca",
        "principal component analysis",
        "principal components analysis",
        "principal components",
        "principal component",
    ),
    "svd": ("svd", "singular value decomposition"),
    "svm": ("svm", "svms", "support vector machine", "support vector classifier", "svc"),
    "lda": ("lda", "linear discriminant analysis"),
    "tsne": ("tsne", "t sne", "t distributed stochastic neighbor embedding"),
    "knn": ("knn", "k nn", "k nearest neighbor", "k nearest neighbour", "nearest neighbor"),
    "tfidf": ("tfidf", "tf idf", "term frequency inverse document frequency"),
    "mse": ("mse", "mean squared error", "mean square error", "squared error loss"),
    "rmse": ("rmse", "root mean squared error", "root mean square error"),
    "mae": ("mae", "mean absolute error"),
    "mle": (
        "mle",
        "maximum likelihood",
        "maximum likelihood estimation",
        "maximum likelihood estimate",
        "maximum likelihood estimator",
    ),
    "mapest": ("maximum a posteriori",),
    "kl": ("kl", "kullback leibler", "relative entropy"),
    "auc": (
        "auc",
        "roc auc",
        "auc roc",
        "auroc",
        "area under the curve",
        "area under the roc curve",
        "area under curve",
        "area under roc",
    ),
    "l1": ("l1", "l 1", "lasso", "l1 norm"),
    "l2": ("l2", "l 2", "ridge", "l2 norm", "weight decay", "tikhonov"),
    "relu": ("relu", "rectified linear unit", "rectifier"),
    "cnn": ("cnn", "convolutional neural network", "convnet", "convolutional network"),
    "rnn": ("rnn", "recurrent neural network"),
    "lstm": ("lstm", "long short term memory"),
    "nn": ("neural network", "neural net", "ann", "artificial neural network"),
    "smote": ("smote", "synthetic minority oversampling", "synthetic minority over sampling"),
    "mcar": ("mcar", "missing completely at random"),
    "mnar": ("mnar", "missing not at random", "not missing at random", "nmar"),
    "mar": ("missing at random",),
    "iid": (
        "iid",
        "i i d",
        "independent and identically distributed",
        "independently and identically distributed",
    ),
    "ols": ("ols", "ordinary least squares", "least squares"),
    "em": ("expectation maximization",),
    "r2": ("r2", "r squared", "coefficient of determination"),
    "rbf": ("rbf", "radial basis function", "gaussian kernel"),
    "cv": ("cv", "cross validation", "crossvalidation", "cross validate", "cross validated"),
    "kfold": ("kfold", "k fold", "k folds"),
    "loocv": ("loocv", "loo", "leave one out", "leave one out cross validation"),
    "batchnorm": ("batchnorm", "batch norm", "batch normalization"),
    "fpr": ("fpr", "false positive rate", "fall out"),
    "tpr": ("tpr", "true positive rate"),
    "fp": ("fp", "false positive"),
    "fn": ("fn", "false negative"),
    "tp": ("tp", "true positive"),
    "tn": ("tn", "true negative"),
    "gbm": ("gbm", "gradient boosting", "gradient boosted trees", "gradient boosting machine"),
    "rf": ("random forest",),
    "dt": ("decision tree",),
    "lr": ("logistic regression",),
    "linreg": ("linear regression",),
    "nb": ("naive bayes",),
    "ml": ("ml", "machine learning"),
    "dl": ("deep learning",),
    "rl": ("reinforcement learning",),
    "nlp": ("nlp", "natural language processing"),
    "eda": ("eda", "exploratory data analysis"),
    "gan": ("gan", "generative adversarial network"),
    "vae": ("vae", "variational autoencoder"),
    "hmm": ("hidden markov model",),
    "mcmc": ("mcmc", "markov chain monte carlo"),
    "bptt": ("bptt", "backpropagation through time"),
    "backprop": ("backprop", "backpropagation", "back propagation", "backward pass"),
    "xent": ("cross entropy", "crossentropy", "log loss", "logloss", "negative log likelihood"),
    "hyperparam": ("hyperparameter", "hyper parameter", "hyperparameters"),
    "psd": (
        "psd",
        "positive semidefinite",
        "positive semi definite",
        "semidefinite",
        "semi definite",
    ),
    "lr_rate": ("learning rate", "step size"),
}


class Token(NamedTuple):
    """One word of a text: its match key, whether it counts as content, where it sits.

    A NamedTuple rather than a dataclass: answers are tokenised on every grade, and
    tuples are several times cheaper to create.
    """

    key: str  # stem or canonical ML term
    content: bool  # not a stopword, not a negation
    negation: bool
    start: int  # character span in the cleaned text
    end: int
    sentence: int
    clause: int  # increases at sentence ends, , ; : and at "and", "but", "while", "whereas"


# Same matches as r"[.!?;]\s+|\n+", written to start with one character class so the
# regex engine skips ahead to candidates instead of trying both branches everywhere.
_SENTENCE_END = re.compile(r"[.!?;\n](?:(?<=[.!?;])\s+|(?<=\n)\n*)")
_DOT_END = re.compile(r"\.\s+")
# "e.g. k-means" and "vs. boosting" do not end a sentence.
_NOT_AN_END = re.compile(r"(?:\b\w\.\w|\bvs|\bcf|\bca)\.$", re.IGNORECASE)


def _sentence_ends(text: str) -> list[int]:
    """Offsets where a new sentence (or line) starts."""
    ends = []
    # Without ! ? ; or a newline, only a dot followed by blanks ends a sentence, and a
    # pattern that starts with one literal character is searched far faster.
    pattern = _SENTENCE_END if any(map(text.__contains__, "!?;\n")) else _DOT_END
    for m in pattern.finditer(text):
        dot = m.start()
        if (
            text[dot] == "."
            and _may_not_end(text, dot)
            and _NOT_AN_END.search(text, max(0, dot - 4), dot + 1)
        ):
            continue
        ends.append(m.end())
    return ends


# Letters that no abbreviation in _NOT_AN_END ends with, even ignoring case.
_NEVER_BEFORE_ABBREVIATION_DOT = frozenset("bcdeghijklmnopqrtuvwxyzBCDEGHIJKLMNOPQRTUVWXYZ")


def _may_not_end(text: str, dot: int) -> bool:
    """Cheap test before _NOT_AN_END: False only where it cannot match ("value." is an
    end: "x.y." needs a dot two back, "vs." "cf." "ca." end in s, f or a)."""
    return dot < 2 or text[dot - 2] == "." or text[dot - 1] not in _NEVER_BEFORE_ABBREVIATION_DOT


_APOSTROPHES = ("'", "’")
_NON_JOINS = ("-", " ", "‐", "–")


UNIVERSAL_KEYS = frozenset(stem_word(w) for w in UNIVERSAL)


def _phrase_table() -> dict[str, tuple[tuple[int, tuple[str, ...], str], ...]]:
    """First stem -> (length, stems, canonical term) of every spelling, longest first."""
    by_first: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
    for canonical, spellings in ML_TERMS.items():
        for spelling in spellings:
            # Stems as tokenize sees them: concept words already folded ("maximum" is
            # "~maximum" in "maximum likelihood").
            concepts = _concept_table()
            stems = tuple(
                concepts.get(stem, stem)
                for stem in (stem_word(w) for w in _TOKEN.findall(spelling.lower()))
            )
            if stems:
                by_first.setdefault(stems[0], []).append((len(stems), stems, canonical))
    return {
        first: tuple(sorted(set(entries), key=lambda e: -e[0]))
        for first, entries in by_first.items()
    }


_PHRASES: dict[str, tuple[tuple[int, tuple[str, ...], str], ...]] = {}  # see _word_info


# Tokens are built in bulk from parallel field lists, with C-level passes (map, zip,
# accumulate) over the words instead of a Python loop per word: tokenizing was a third of
# grading time.
_make_token = partial(tuple.__new__, Token)
# The same words as _TOKEN, with the text between them kept: split() gives
# [gap, word, gap, word, ..., gap].
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
# The same split for lower-cased ASCII text (nearly every answer), where letters are a-z
# and digits 0-9: plain ranges match faster than the Unicode classes.
_ASCII_TOKEN_SPLIT = re.compile(
    r"([0-9]+(?:[.,][0-9]+)*(?:/[0-9]+(?:[.,][0-9]+)?)?|[a-z][a-z0-9]*)"
)


# Plain ASCII text splits faster without the regex: every character that is not a-z or 0-9
# becomes a blank and the blanks split. That gives the regex's words unless a digit is
# followed by a letter ("10x") or joined to more digits ("0.5", "1/2"): those take the regex.
_BLANK_NON_WORD = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not ("a" <= c <= "z" or "0" <= c <= "9")}
)
_DIGIT_JOINS = re.compile(r"[0-9](?:[a-z]|[.,/][0-9])")
_DIGITS = "0123456789"


def _split_words(lowered: str) -> tuple[list[str], list[int], list[int], list[str] | None]:
    """The words of lower-cased text with their offsets and the text before each (None
    where it was not cut out: see _gaps)."""
    # str.__contains__ finds a character far faster than a regex tests each one.
    if lowered.isascii() and not (
        any(map(lowered.__contains__, _DIGITS)) and _DIGIT_JOINS.search(lowered)
    ):
        pieces = lowered.translate(_BLANK_NON_WORD).split(" ")
        # Piece i starts after the pieces before it and one blank after each.
        offsets = accumulate(map(add, map(len, pieces), repeat(1)), initial=0)
        words = list(compress(pieces, pieces))
        starts = list(compress(offsets, pieces))
        return words, starts, list(map(add, starts, map(len, words))), None
    split = _ASCII_TOKEN_SPLIT.split if lowered.isascii() else _TOKEN_SPLIT.split
    parts = split(lowered)  # [gap, word, gap, word, ..., gap]
    all_offsets = list(accumulate(map(len, parts), initial=0))
    return parts[1::2], all_offsets[1:-1:2], all_offsets[2:-1:2], parts[0:-1:2]


def _gaps(lowered: str, starts: list[int], ends: list[int]) -> list[str]:
    """The text before each word."""
    return list(map(lowered.__getitem__, map(slice, chain((0,), ends), starts)))


def _clause_breaks(lowered: str, starts: list[int], gaps: list[str] | None) -> list[int]:
    """1 for each word with , ; or : between it and the word before, else 0."""
    if gaps is not None:
        # Gaps repeat (" ", ", "), so each distinct one is searched once.
        parted = {gap: int(_CLAUSE_PUNCTUATION_AT.search(gap) is not None) for gap in set(gaps)}
        return list(map(parted.__getitem__, gaps))
    # Without gaps (plain ASCII: words are letters and digits only), each mark parts the
    # first word after it.
    # Found with str.find, which skips ahead far faster than a regex tests each character.
    breaks = [0] * len(starts)
    for mark in ",;:":
        at = lowered.find(mark)
        while at >= 0:
            after = bisect_right(starts, at)
            if after < len(breaks):
                breaks[after] = 1
            at = lowered.find(mark, at + 1)
    return breaks


class Columns(NamedTuple):
    """Tokens with some of their fields as columns too: the grader scans these, and a
    column is cheaper to scan than the tokens' attributes."""

    tokens: list[Token]
    keys: tuple[str, ...]
    contents: Sequence[bool]
    negations: Sequence[bool]
    sentences: list[int]


_NO_COLUMNS = Columns([], (), (), (), [])


def tokenize(text: str) -> list[Token]:
    """Cleaned text -> tokens, each ML term (however spelled) merged into one token.

    "doesn't" becomes one negation word, spellings are folded and stemmed (memoised), and
    runs of stems that spell an ML term become that term.
    """
    return tokenize_columns(text).tokens


def tokenize_columns(text: str) -> Columns:
    """tokenize, with columns of the tokens' keys, content and negation flags and
    sentence numbers."""
    lowered = text.lower()
    words, starts, ends, gaps = _split_words(lowered)
    if not words:
        return _NO_COLUMNS
    cached = list(map(_word_infos.get, words))
    infos = (
        cached
        if _all_cached(cached)
        else [info or _word_info(word) for info, word in zip(cached, words, strict=True)]
    )
    if "t" in words or "non" in words:
        if gaps is None:
            gaps = _gaps(lowered, starts, ends)
        infos, starts, ends, gaps = _join_words(lowered, words, infos, starts, ends, gaps)
    # The tokens' columns; copied to lists below only when phrases merge words.
    keys: Sequence[str]
    contents: Sequence[bool]
    negations: Sequence[bool]
    _, keys, contents, negations, phrases, joiners = zip(*infos, strict=True)
    sentences, sentence_firsts = _sentence_numbers(starts, _sentence_ends(text))
    # A clause ends at , ; : between two words, at a sentence end, and before a joining
    # word.
    steps = list(map(add, _clause_breaks(lowered, starts, gaps), joiners))
    steps[0] = int(joiners[0])  # nothing before the first word to part from
    for i in sentence_firsts:
        steps[i] += 1
    clauses = list(accumulate(steps))
    phrase_at = list(compress(range(len(infos)), phrases))
    if phrase_at:
        keys, contents, negations = list(keys), list(contents), list(negations)
        _merge_phrases(
            infos, phrase_at, keys, contents, negations, starts, ends, sentences, clauses
        )
    fields = zip(keys, contents, negations, starts, ends, sentences, clauses, strict=True)
    tokens = list(map(_make_token, fields))
    return Columns(tokens, tuple(keys), contents, negations, sentences)


def _all_cached(infos: list[_WordInfo | None]) -> TypeGuard[list[_WordInfo]]:
    """Every word's info was in the cache (the common case: no None to fill in)."""
    return None not in infos


def _sentence_numbers(starts: list[int], boundaries: list[int]) -> tuple[list[int], set[int]]:
    """Each word's sentence (how many sentence starts are at or before it), and the words
    after the first that open a new sentence; one bisect per sentence, not per word."""
    sentences: list[int] = []
    firsts = set()
    for number, boundary in enumerate(boundaries):
        first = bisect_left(starts, boundary)  # the first word at or after the boundary
        sentences += repeat(number, first - len(sentences))
        firsts.add(first)
    sentences += repeat(len(boundaries), len(starts) - len(sentences))
    firsts.discard(0)
    firsts.discard(len(starts))
    return sentences, firsts


def _join_words(
    lowered: str,
    words: list[str],
    infos: list[_WordInfo],
    starts: list[int],
    ends: list[int],
    gaps: list[str],
) -> tuple[list[_WordInfo], list[int], list[int], list[str]]:
    """Words the regex split that are one word: "doesn't" and "non-linear"."""
    joined_infos = [infos[0]]
    joined_starts = [starts[0]]
    joined_ends = [ends[0]]
    joined_gaps = [gaps[0]]
    previous = infos[0].word
    for word, info, start, end, gap in zip(
        words[1:], infos[1:], starts[1:], ends[1:], gaps[1:], strict=True
    ):
        if word == "t" and previous[-1] == "n":
            if lowered[joined_ends[-1] : start] in _APOSTROPHES:
                # The regex split "doesn't" into "doesn" + "t": one negation word.
                joined_infos[-1] = _NOT_INFO
                joined_ends[-1] = end
                previous = _NOT_INFO.word
                continue
        elif (
            previous == "non"
            and word[0].isalpha()
            and lowered[joined_ends[-1] : start] in _NON_JOINS
        ):
            # "non-linear" and "non linear" are one word, not a second "linear".
            merged = _word_infos.get("non" + word) or _word_info("non" + word)
            joined_infos[-1] = merged
            joined_ends[-1] = end
            previous = merged.word
            continue
        joined_infos.append(info)
        joined_starts.append(start)
        joined_ends.append(end)
        joined_gaps.append(gap)
        previous = info.word
    return joined_infos, joined_starts, joined_ends, joined_gaps


def _merge_phrases(
    infos: list[_WordInfo],
    phrase_at: list[int],
    keys: list[str],
    contents: list[bool],
    negations: list[bool],
    starts: list[int],
    ends: list[int],
    sentences: list[int],
    clauses: list[int],
) -> None:
    """Runs of words that spell an ML term become one token, in place; left to right,
    longest spelling first, a word used by one term is not the start of another."""
    n = len(infos)
    free = 0  # words before this are part of an earlier term
    keep: list[bool] | None = None  # words folded into the term before them are dropped
    for i in phrase_at:
        if i < free:
            continue
        for size, phrase, canonical in infos[i].phrases:
            if i + size <= n and (
                size == 1 or tuple(x.stem for x in infos[i : i + size]) == phrase
            ):
                keys[i] = canonical
                contents[i] = True
                negations[i] = False
                if size > 1:
                    ends[i] = ends[i + size - 1]
                    if keep is None:
                        keep = [True] * n
                    keep[i + 1 : i + size] = [False] * (size - 1)
                free = i + size
                break
    if keep is not None:
        columns: tuple[list[Any], ...] = (
            keys,
            contents,
            negations,
            starts,
            ends,
            sentences,
            clauses,
        )
        for field in columns:
            field[:] = compress(field, keep)


class _WordInfo(NamedTuple):
    word: str
    stem: str
    content: bool
    negation: bool
    phrases: tuple[tuple[int, tuple[str, ...], str], ...]  # ML terms starting here
    joiner: bool = False  # a clause joiner (CLAUSE_JOINERS)


_word_infos: dict[str, _WordInfo] = {}


# Everyday words for the direction of a change, folded to one concept each: answers say
# "lowers variance", "variance goes down" or "smaller variance" for "reduces variance",
# and "divided by ten" for "decreases by a factor of ten". General English, not tied to
# any question.
_CONCEPT_WORDS = {
    "decrease": (
        "decrease",
        "reduce",
        "reduction",
        "lower",
        "shrink",
        "smaller",
        "drop",
        "decline",
        "diminish",
        "fewer",
        "divide",
        "cut",
        "shorter",
        "lessen",
    ),
    "increase": (
        "increase",
        "raise",
        "grow",
        "growth",
        "larger",
        "bigger",
        "higher",
        "rise",
        "multiply",
        "longer",
        "boost",
        "enlarge",
    ),
    # Whether a claim holds: "the right class" is "the correct class".
    "correct": ("correct", "correctly", "right", "accurate", "accurately"),
    "wrong": ("wrong", "wrongly", "incorrect", "incorrectly", "erroneous", "inaccurate"),
    # Pros and cons: "a drawback of X" is "a disadvantage of X".
    "advantage": ("advantage", "benefit"),
    "disadvantage": ("disadvantage", "drawback", "downside"),
    # Extremes: "the smallest eigenvalue" is "the minimum eigenvalue".
    "minimum": ("minimum", "minimal", "minima", "min", "smallest", "lowest"),
    "maximum": ("maximum", "maximal", "maxima", "max", "largest", "highest", "biggest"),
}


def _concept_table() -> dict[str, str]:
    table = {}
    for concept, words in _CONCEPT_WORDS.items():
        for word in words:
            table[stem_word(word)] = "~" + concept
    return table


_CONCEPTS: dict[str, str] = {}


def _word_info(word: str) -> _WordInfo:
    """Everything tokenize needs about a lower-case word; memoised."""
    if word[0].isdigit():
        # A number is a claim ("dL/dw2 = 4" is not "= 6"), so it is content, unstemmed.
        info = _WordInfo(word, normalize_number(word), True, False, ())
        if len(_word_infos) < _STEM_CACHE_LIMIT:
            _word_infos[word] = info
        return info
    word = GREEK.get(word, word)
    if not _CONCEPTS:
        _CONCEPTS.update(_concept_table())
        _PHRASES.update(_phrase_table())
    stem = stem_word(word)
    stem = _CONCEPTS.get(stem, stem)
    negation = word in NEGATIONS
    # Single letters and bare digits carry no claim on their own ("k", "2").
    content = not negation and len(word) > 1 and word not in STOPWORDS
    info = _WordInfo(word, stem, content, negation, _PHRASES.get(stem, ()), word in CLAUSE_JOINERS)
    if len(_word_infos) < _STEM_CACHE_LIMIT:
        _word_infos[word] = info
    return info


_NOT_INFO = _WordInfo("not", "not", False, True, ())

_THOUSANDS = re.compile(r",(?=\d{3}(?!\d))")


def normalize_number(number: str) -> str:
    """One spelling per value: "10,000" -> "10000", "0,5" -> "0.5", "2.50" -> "2.5"."""
    number = _THOUSANDS.sub("", number).replace(",", ".")
    parts = number.split("/")
    for i, part in enumerate(parts):
        if part.count(".") == 1:
            part = part.rstrip("0").rstrip(".")
            parts[i] = part or "0"
    return "/".join(parts)


def is_number(key: str) -> bool:
    return key[:1].isdigit()


# A negation word governs the few words after it.
NEGATION_REACH = 3


def governing_negations(
    tokens: list[Token],
    first: int,
    last: int,
    wanted: frozenset[str] | set[str],
    fold: dict[str, str] | None = None,
    sentence: int | None = None,
    governed: set[int] | None = None,
) -> int:
    """Negation words in tokens[first-REACH : last+1] that negate one of the `wanted` words.

    A negation counts when one of the next few words of its clause is wanted: "does not
    reduce variance" negates "reduce variance", while "spam vs not spam ... regression" does
    not negate "classification or regression", and "X is not zero centred, Y is" leaves Y
    alone. "without" governs only the noun phrase right after it: in "without non-linear
    activations the layers collapse" the collapse is asserted, not denied. `governed`, when
    given, collects the token indices of the negated words.
    """
    count = 0
    for i in range(max(0, first - NEGATION_REACH), min(last + 1, len(tokens))):
        tok = tokens[i]
        if not tok.negation or (sentence is not None and tok.sentence != sentence):
            continue
        noun_phrase_only = tok.key == "without"
        seen_content = False
        for j in range(i + 1, min(len(tokens), i + 1 + NEGATION_REACH)):
            following = tokens[j]
            if following.clause != tok.clause:
                break
            if noun_phrase_only and seen_content and not following.content:
                break
            seen_content = seen_content or following.content
            key = fold.get(following.key, following.key) if fold else following.key
            # Only words of the match count: "not zero centred, tanh is zero centred" must
            # not reach back from the second claim to the first one's words.
            if following.content and key in wanted and j >= first:
                count += 1
                if governed is not None:
                    governed.add(j)
                break
    return count
