"""The tokenizer's and matcher's fast paths give what their general paths give.

Plain ASCII text is split without the regex, clause marks and (in text without ! ? ; or
newlines) sentence ends are found without testing every character, and reaches are summed
per rubric in answer order: each is checked against the general way on arbitrary text.
"""

from itertools import accumulate

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.grading import Rubric, grade
from bot.grading.engine import AnswerView
from bot.grading.text import (
    _ASCII_TOKEN_SPLIT,
    _CLAUSE_PUNCTUATION_AT,
    _DOT_END,
    _SENTENCE_END,
    _clause_breaks,
    _gaps,
    _sentence_ends,
    _split_words,
    clean_markup,
    tokenize_columns,
)

EXAMPLES = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
# Letters, digits and the characters the fast paths treat specially, so that short random
# strings hit every rule: numbers joined by . , /, digits before letters, clause marks,
# sentence ends with and without blanks, apostrophes, non-ASCII blanks and letters.
ASCII_ISH = st.text(alphabet="abnotz09 .,/;:'-_\n\t!?()é\u00a0\u2029", max_size=60)


def regex_split(lowered: str) -> tuple[list[str], list[int], list[int], list[str]]:
    parts = _ASCII_TOKEN_SPLIT.split(lowered)
    offsets = list(accumulate(map(len, parts), initial=0))
    return parts[1::2], offsets[1:-1:2], offsets[2:-1:2], parts[0:-1:2]


@EXAMPLES
@given(ASCII_ISH)
def test_plain_split_gives_the_regex_words_offsets_and_gaps(text: str) -> None:
    lowered = text.lower()
    if not lowered.isascii():
        return
    words, starts, ends, gaps = _split_words(lowered)
    expected = regex_split(lowered)
    assert (words, starts, ends) == expected[:3]
    assert (gaps if gaps is not None else _gaps(lowered, starts, ends)) == expected[3]


@EXAMPLES
@given(ASCII_ISH)
def test_clause_marks_found_by_find_are_the_ones_in_the_gaps(text: str) -> None:
    lowered = text.lower()
    _, starts, ends, gaps = _split_words(lowered)
    every_gap = gaps if gaps is not None else _gaps(lowered, starts, ends)
    expected = [int(_CLAUSE_PUNCTUATION_AT.search(gap) is not None) for gap in every_gap]
    assert _clause_breaks(lowered, starts, None if gaps is None else gaps) == expected
    assert _clause_breaks(lowered, starts, every_gap) == expected


@EXAMPLES
@given(st.text(alphabet="ab. \t\r\u2029\u00a0e.g.vs", max_size=40))
def test_dot_only_sentence_ends_match_the_general_pattern(text: str) -> None:
    general = [m.end() for m in _SENTENCE_END.finditer(text)]
    assert [m.end() for m in _DOT_END.finditer(text)] == general
    # A trailing "!" ends nothing but sends the text down the general path.
    assert _sentence_ends(text) == _sentence_ends(text + "!")


@EXAMPLES
@given(ASCII_ISH)
def test_columns_are_the_tokens_fields(text: str) -> None:
    columns = tokenize_columns(text)
    assert list(columns.keys) == [t.key for t in columns.tokens]
    assert list(columns.contents) == [t.content for t in columns.tokens]
    assert list(columns.negations) == [t.negation for t in columns.tokens]
    assert list(columns.sentences) == [t.sentence for t in columns.tokens]


RUBRIC = Rubric.from_reference(
    "Bagging reduces variance by averaging models fit on bootstrap samples.",
    [
        {"text": "Bagging reduces variance", "aliases": ["variance reduction"]},
        {"text": "Models are fit on bootstrap samples", "aliases": ["resampled training sets"]},
    ],
)


@EXAMPLES
@given(st.text(alphabet="bagging reduces variance models bootstrap samples fit .,", max_size=80))
def test_reaches_summed_per_rubric_equal_each_variants_own_sum(text: str) -> None:
    compiled = RUBRIC.compiled
    cleaned = clean_markup(text)
    view = AnswerView.build(cleaned, tokenize_columns(cleaned), compiled)
    for point in compiled.key_points:
        for variant in point.variants:
            strength = view.strength or dict.fromkeys(view.positions, 1.0)
            words = zip(variant.keys, variant.weights, strict=True)
            present = sum(w * strength.get(k, 0.0) for k, w in words)
            own = (min(1.0, present / variant.scale) + 1.0) / 2 if present else 0.0
            assert abs(view.reaches[variant.number] - own) < 1e-12


def test_a_tie_between_wordings_goes_to_the_key_points_own_text() -> None:
    # Both wordings are said in full: the point's text, not the alias, supplies the quote.
    result = grade(RUBRIC, "Variance reduction. Bagging reduces variance a lot.")
    assert result.key_points[0].snippet == "Bagging reduces variance"
