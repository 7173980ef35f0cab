"""Normalisation: Slack markup, Unicode, spellings and ML vocabulary."""

from __future__ import annotations

import pytest

from bot.grading.text import clean_markup, tokenize


def keys(text: str) -> list[str]:
    return [t.key for t in tokenize(clean_markup(text)) if t.content]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hi <@U123ABC> there", "hi there"),
        ("see <#C024BE7LR|general>", "see general"),
        ("read <https://example.org/x|the docs> now", "read the docs now"),
        ("bare <https://example.org/x> link", "bare link"),
        ("nice :tada: :+1::skin-tone-2:", "nice"),
        ("ratio 1:2:3 stays", "ratio 1:2:3 stays"),
        ("use `model.fit()` here", "use model.fit() here"),
        ("```python\nx = 1\n``` done", "x = 1\n done"),
        ("a &lt;b&gt; &amp; c", "a <b> & c"),
        ("ﬁne Ｌ２ ℓ1", "fine L2 l1"),
    ],
)
def test_clean_markup(raw, expected):
    assert clean_markup(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("stochastic gradient descent", "SGD"),
        ("principal component analysis", "PCA"),
        ("support vector machines", "SVM"),
        ("area under the ROC curve", "ROC-AUC"),
        ("k nearest neighbours", "k-NN"),
        ("term frequency inverse document frequency", "tf-idf"),
        ("mean squared error", "MSE"),
        ("maximum likelihood estimation", "MLE"),
        ("Kullback-Leibler divergence", "KL divergence"),
        ("regularisation", "regularization"),
        ("optimise", "optimize"),
        ("behaviour", "behavior"),
        ("labelled", "labeled"),
        ("lasso", "L1"),
        ("ridge", "L2"),
    ],
)
def test_spellings_and_abbreviations_meet(a, b):
    assert keys(a) == keys(b)


def test_negations_are_marked_and_contractions_split():
    tokens = tokenize("it doesn't reduce variance and isn’t cheap")
    negations = [t for t in tokens if t.negation]
    assert len(negations) == 2
    assert not any(t.content for t in negations)


def test_missing_not_at_random_is_one_term_not_a_negation():
    tokens = tokenize("values are missing not at random")
    assert [t.key for t in tokens if t.content] == ["valu", "mnar"]
    assert not any(t.negation for t in tokens)


def test_token_spans_point_into_the_cleaned_text():
    text = clean_markup("Use *stochastic gradient descent*, <@U1> ok")
    token = next(t for t in tokenize(text) if t.key == "sgd")
    assert text[token.start : token.end] == "stochastic gradient descent"


def test_sentences_are_not_cut_at_eg():
    tokens = tokenize("clusters, e.g. k-means. Next sentence")
    sentences = {t.key: t.sentence for t in tokens}
    assert sentences["cluster"] == sentences["mean"]
    assert sentences["next"] == sentences["cluster"] + 1
