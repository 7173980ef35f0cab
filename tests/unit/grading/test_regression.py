"""Regression bands: realistic answers must land where a human would.

Cases live in regression/*.yaml. A block names a bundled question (`question: ID`) or
gives a rubric of its own (`id`, `reference`, optional `prompt` and `key_points`; key
points are derived from the reference when absent). Each answer has:

* `text`, or `near_copy: true` (the expected answer with a copier's small edits), or
  `paste_paragraphs: N` (the first N paragraphs of the expected answer, pasted);
* `band`: the score range a human would give;
* `flags`: flags it must carry; no other copy or off-topic flag may appear, and
  `not_flags` lists more that must not;
* `seen: true` when its author could have seen the published answer (copies are capped);
* `covered` / `not_covered`: key points (by a piece of their text) that must be credited
  (covered or partly) or not; `snippets`: for a key point, words its "you wrote" quote
  must contain.

One test per answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.grading import Rubric, grade
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


def paragraphs(expected: str, count: int) -> str:
    return "\n\n".join(p.strip() for p in expected.split("\n\n")[:count])


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            name = block.get("question") or block["id"]
            for answer in block["answers"]:
                case_id = f"{name}:{answer['label'].replace(' ', '-')}"
                yield pytest.param(block, answer, id=case_id)


CASES = list(_cases())


def _target(block: dict):
    if "question" in block:
        question = BANK.get(block["question"])
        assert question is not None, f"unknown question {block['question']}"
        return question, question.expected_answer
    rubric = Rubric.from_reference(
        block["reference"], block.get("key_points"), prompt=block.get("prompt", "")
    )
    return rubric, block["reference"]


def _point(result, piece: str):
    found = [kp for kp in result.key_points if piece.lower() in kp.text.lower()]
    assert len(found) == 1, (piece, [kp.text for kp in result.key_points])
    return found[0]


def test_regression_set_is_broad_enough():
    bank_questions = {case.values[0]["question"] for case in CASES if "question" in case.values[0]}
    assert len(bank_questions) >= 15
    for question_id in bank_questions:
        count = sum(1 for c in CASES if c.values[0].get("question") == question_id)
        assert count >= 6, question_id


@pytest.mark.parametrize(("block", "case"), CASES)
def test_answer_lands_in_band(block, case):
    target, expected = _target(block)
    if case.get("near_copy"):
        text = near_copy(expected)
    elif case.get("paste_paragraphs"):
        text = paragraphs(expected, case["paste_paragraphs"])
    else:
        text = case["text"]
    # "seen": the author could have seen the published answer (the copy cap applies).
    result = grade(target, text, seen_reference=case.get("seen", False))
    low, high = case["band"]
    detail = [(kp.status, round(kp.similarity, 2), kp.text) for kp in result.key_points]
    assert low <= result.score <= high, (result.score, result.flag_codes, detail)
    for code in case.get("flags", []):
        assert result.has_flag(code), (code, result.flag_codes, result.score)
    for code in case.get("not_flags", []):
        assert not result.has_flag(code), (code, [f.message for f in result.flags])
    if "copied_reference" not in case.get("flags", []):
        assert not result.has_flag("copied_reference"), result.flag_codes
    if "off_topic" not in case.get("flags", []):
        assert not result.has_flag("off_topic"), result.flag_codes
    for piece in case.get("covered", []):
        assert _point(result, piece).status != "missed", (piece, detail)
    for piece in case.get("not_covered", []):
        assert _point(result, piece).status == "missed", (piece, detail)
    for piece, words in case.get("snippets", {}).items():
        snippet = _point(result, piece).snippet or ""
        assert words.lower() in snippet.lower(), (piece, snippet)
