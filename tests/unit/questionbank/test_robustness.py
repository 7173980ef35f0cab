"""Whatever bytes a team drops into a bank folder, loading returns errors or questions
and never raises."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionbank.loader import parse_bank_bytes
from questionbank.models import KeyPoint, Question

FILE = Path("team/fuzz.yaml")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["easy", "hard", "technical", "probability", "Bad Slug", ""]),
)
field_names = st.sampled_from([*Question.model_fields, *KeyPoint.model_fields, "questions"])
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(field_names, st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=15,
)
question_like = st.fixed_dictionaries(
    {},
    optional={name: yaml_values for name in Question.model_fields},
)


def _assert_well_formed(content: bytes) -> None:
    parsed = parse_bank_bytes(content, FILE)

    assert parsed.errors or parsed.questions
    for error in parsed.errors:
        assert error.file == FILE
        assert error.message
        assert "\n" not in str(error)
    ids = [question.id for question, _ in parsed.questions]
    assert len(ids) == len(set(ids))


fuzz_settings = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@fuzz_settings
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(content: bytes) -> None:
    _assert_well_formed(content)


@fuzz_settings
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    _assert_well_formed(text.encode("utf-8"))


@fuzz_settings
@given(st.lists(st.sampled_from("questions:- id[]{}&*!|>#'\"\n  :,?"), max_size=120))
def test_yaml_punctuation_soup_never_raises(pieces: list[str]) -> None:
    _assert_well_formed("".join(pieces).encode("utf-8"))


@fuzz_settings
@given(st.one_of(yaml_values, st.fixed_dictionaries({"questions": st.lists(question_like)})))
def test_arbitrary_yaml_structures_never_raise(document: object) -> None:
    _assert_well_formed(yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))
