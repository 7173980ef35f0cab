"""Every field of every token on text that exercises each tokenizer rule at once.

Pinned so that speed work on `tokenize` cannot move a key, span, sentence or clause.
"""

import pytest

from bot.grading.text import tokenize

CASES = [
    (
        "It doesn't reduce variance, but non-linear models don't overfit; e.g. PCA vs. SVD.",
        [
            ("it", False, False, 0, 2, 0, 0),
            ("not", False, True, 3, 10, 0, 0),
            ("~decrease", True, False, 11, 17, 0, 0),
            ("varianc", True, False, 18, 26, 0, 0),
            ("but", False, False, 28, 31, 0, 2),
            ("nonlinear", True, False, 32, 42, 0, 2),
            ("model", True, False, 43, 49, 0, 2),
            ("not", False, True, 50, 55, 0, 2),
            ("overfit", True, False, 56, 63, 0, 2),
            ("e", False, False, 65, 66, 1, 4),
            ("g", False, False, 67, 68, 1, 4),
            ("pca", True, False, 70, 73, 1, 4),
            ("vs", True, False, 74, 76, 1, 4),
            ("svd", True, False, 78, 81, 1, 4),
        ],
    ),
    (
        "Stochastic gradient descent (SGD) uses a learning rate: 0,5 or 10,000 steps.\n\n"
        "Non linear? Cross validation!",
        [
            ("sgd", True, False, 0, 27, 0, 0),
            ("sgd", True, False, 29, 32, 0, 0),
            ("use", False, False, 34, 38, 0, 0),
            ("a", False, False, 39, 40, 0, 0),
            ("lr_rate", True, False, 41, 54, 0, 0),
            ("0.5", True, False, 56, 59, 0, 1),
            ("or", False, False, 60, 62, 0, 1),
            ("10000", True, False, 63, 69, 0, 1),
            ("step", True, False, 70, 75, 0, 1),
            ("nonlinear", True, False, 78, 88, 1, 2),
            ("cv", True, False, 90, 106, 2, 3),
        ],
    ),
    (
        "λ controls L2 while the k fold cv isn’t random and non t",
        [
            ("lambda", True, False, 0, 1, 0, 0),
            ("control", True, False, 2, 10, 0, 0),
            ("l2", True, False, 11, 13, 0, 0),
            ("while", False, False, 14, 19, 0, 1),
            ("the", False, False, 20, 23, 0, 1),
            ("kfold", True, False, 24, 30, 0, 1),
            ("cv", True, False, 31, 33, 0, 1),
            ("not", False, True, 34, 39, 0, 1),
            ("random", True, False, 40, 46, 0, 1),
            ("and", False, False, 47, 50, 0, 2),
            ("non", True, False, 51, 54, 0, 2),
            ("t", False, False, 55, 56, 0, 2),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_token_fields(text: str, expected: list[tuple]) -> None:
    assert [tuple(t) for t in tokenize(text)] == expected


def test_no_words() -> None:
    assert tokenize("") == []
    assert tokenize(" ,.; ") == []
