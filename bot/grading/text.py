"""Text normalisation for grading: Slack markup, Unicode, spelling, stems, ML vocabulary.

An answer becomes a list of `Token`s that remember where they came from in the cleaned
display text, so feedback can quote the user's own words while matching works on stems.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

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
    text = _CODE_FENCE.sub(lambda m: m.group(1), text)
    text = _INLINE_CODE.sub(lambda m: m.group(1), text)
    text = _USER_MENTION.sub(" ", text)
    text = _CHANNEL_LINK.sub(lambda m: m.group(1) or " ", text)
    text = _SPECIAL_MENTION.sub(lambda m: m.group(1) or " ", text)
    # A bare URL carries no claim; a labelled link keeps its label.
    text = _LINK.sub(lambda m: m.group(2) or " ", text)
    text = _EMOJI.sub(" ", text)
    # Slack escapes &, < and > in message text.
    text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", text).strip()


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

_TOKEN = re.compile(r"[^\W_]+")
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
    "lr_rate": ("learning rate", "step size"),
}


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: its match key, whether it counts as content, where it sits."""

    key: str  # stem or canonical ML term
    content: bool  # not a stopword, not a negation
    negation: bool
    start: int  # character span in the cleaned text
    end: int
    sentence: int


def _words(text: str) -> list[tuple[str, int, int]]:
    """Lower-case words with spans; "doesn't" becomes one negation word."""
    words: list[tuple[str, int, int]] = []
    lowered = text.lower()
    for m in _TOKEN.finditer(lowered):
        word = m.group()
        start, end = m.start(), m.end()
        if word == "t" and words and lowered[start - 1 : start] in ("'", "’"):
            previous, p_start, _ = words[-1]
            if previous.endswith("n"):
                # The regex split "doesn't" into "doesn" + "t": one negation word.
                words[-1] = ("not", p_start, end)
                continue
        words.append((GREEK.get(word, word), start, end))
    return words


# "e.g. k-means" and "vs. boosting" do not end a sentence.
_SENTENCE_END = re.compile(
    r"(?<!\.\w\.)(?<!\bvs\.)(?<!\bcf\.)(?<!\bca\.)(?<=[.!?;])\s+|\n+", re.IGNORECASE
)


def _phrase_table() -> tuple[dict[tuple[str, ...], str], int]:
    table: dict[tuple[str, ...], str] = {}
    longest = 1
    for canonical, spellings in ML_TERMS.items():
        for spelling in spellings:
            stems = tuple(stem_word(w) for w in _TOKEN.findall(spelling.lower()))
            if stems:
                table[stems] = canonical
                longest = max(longest, len(stems))
    return table, longest


_PHRASES, _LONGEST_PHRASE = _phrase_table()
_PHRASE_FIRST = frozenset(k[0] for k in _PHRASES)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences (and lines) in cleaned text."""
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _sentence_index(text: str, words: list[tuple[str, int, int]]) -> list[int]:
    boundaries = [m.end() for m in _SENTENCE_END.finditer(text)]
    index = []
    current = 0
    for _, start, _ in words:
        while current < len(boundaries) and boundaries[current] <= start:
            current += 1
        index.append(current)
    return index


def tokenize(text: str) -> list[Token]:
    """Cleaned text -> tokens with ML terms merged into one canonical token each."""
    words = _words(text)
    if not words:
        return []
    sentence_of = _sentence_index(text, words)
    stems = [stem_word(w) for w, _, _ in words]
    tokens: list[Token] = []
    i = 0
    n = len(words)
    while i < n:
        stem = stems[i]
        if stem in _PHRASE_FIRST:
            for size in range(min(_LONGEST_PHRASE, n - i), 0, -1):
                canonical = _PHRASES.get(tuple(stems[i : i + size]))
                if canonical is not None:
                    tokens.append(
                        Token(
                            canonical,
                            True,
                            False,
                            words[i][1],
                            words[i + size - 1][2],
                            sentence_of[i],
                        )
                    )
                    i += size
                    break
            else:
                tokens.append(_plain_token(words[i], stem, sentence_of[i]))
                i += 1
            continue
        tokens.append(_plain_token(words[i], stem, sentence_of[i]))
        i += 1
    return tokens


def _plain_token(word: tuple[str, int, int], stem: str, sentence: int) -> Token:
    raw = word[0]
    negation = raw in NEGATIONS
    content = not negation and raw not in STOPWORDS
    # Single letters and bare digits carry no claim on their own ("k", "2").
    if content and len(raw) == 1:
        content = False
    return Token(stem, content, negation, word[1], word[2], sentence)


# A negation word governs the few words after it.
NEGATION_REACH = 3


def governing_negations(
    tokens: list[Token],
    first: int,
    last: int,
    wanted: frozenset[str] | set[str],
    fold: dict[str, str] | None = None,
    sentence: int | None = None,
) -> int:
    """Negation words in tokens[first-REACH : last+1] that negate one of the `wanted` words.

    A negation counts when one of the next few words of its sentence is wanted: "does not
    reduce variance" negates "reduce variance", while "spam vs not spam ... regression" does
    not negate "classification or regression".
    """
    count = 0
    for i in range(max(0, first - NEGATION_REACH), min(last + 1, len(tokens))):
        tok = tokens[i]
        if not tok.negation or (sentence is not None and tok.sentence != sentence):
            continue
        for j in range(i + 1, min(len(tokens), i + 1 + NEGATION_REACH)):
            following = tokens[j]
            if following.sentence != tok.sentence:
                break
            key = fold.get(following.key, following.key) if fold else following.key
            if following.content and key in wanted:
                count += 1
                break
    return count
