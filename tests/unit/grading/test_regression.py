"""Regression bands: realistic answers to bundled questions must land where a human would.

Cases live in regression/*.yaml, one test per answer: `text` (or `near_copy: true` for the
expected answer with a copier's small edits), its `band`, the `flags` it must carry (no
other copy or off-topic flag may appear) and `seen: true` when its author could have seen
the published answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.grading import grade
from questionbank.loader import load_bank

CASES_DIR = Path(__file__).parent / "regression"
BANK = load_bank()


def near_copy(expected: str) -> str:
    """The expected answer with the small edits of someone pasting it as their own."""
    sentences = [s for s in expected.replace("\n", " ").split(". ") if s.strip()]
    if len(sentences) > 3:
        sentences = sentences[:-1]
    text = ". ".join(sentences)
    for old, new in (("The ", "the "), (" is ", " is basically "), (", ", " , ")):
        text = text.replace(old, new, 1)
    return "i think " + text


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            for answer in block["answers"]:
                case_id = f"{block['question']}:{answer['label'].replace(' ', '-')}"
                yield pytest.param(block["question"], answer, id=case_id)


CASES = list(_cases())


def test_regression_set_is_broad_enough():
    questions = {case.values[0] for case in CASES}
    assert len(questions) >= 15
    for question_id in questions:
        assert sum(1 for c in CASES if c.values[0] == question_id) >= 6, question_id


@pytest.mark.parametrize(("question_id", "case"), CASES)
def test_answer_lands_in_band(question_id, case):
    question = BANK.get(question_id)
    assert question is not None, f"unknown question {question_id}"
    text = near_copy(question.expected_answer) if case.get("near_copy") else case["text"]
    # "seen": the author could have seen the published answer (the copy cap applies).
    result = grade(question, text, seen_reference=case.get("seen", False))
    low, high = case["band"]
    detail = [(kp.status, round(kp.similarity, 2), kp.text) for kp in result.key_points]
    assert low <= result.score <= high, (result.score, result.flag_codes, detail)
    for code in case.get("flags", []):
        assert result.has_flag(code), (code, result.flag_codes, result.score)
    if "copied_reference" not in case.get("flags", []):
        assert not result.has_flag("copied_reference"), result.flag_codes
    if "off_topic" not in case.get("flags", []):
        assert not result.has_flag("off_topic"), result.flag_codes
