"""The example folders drive the loader: every valid file loads cleanly, every invalid
file yields exactly the errors its header comment announces."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionbank.loader import load_bank
from tests.unit.questionbank.example_files import INVALID, VALID, expectations


def test_there_is_an_example_per_error_kind() -> None:
    assert len(VALID) >= 3
    assert len(INVALID) >= 15


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_valid_example_loads_without_errors(path: Path) -> None:
    bank = load_bank([path], include_bundled=False)

    assert bank.errors == []
    assert len(bank) >= 1
    assert list(bank.files) == [path]
    assert bank.files[path] == tuple(bank.questions)


@pytest.mark.parametrize("path", INVALID, ids=lambda path: path.name)
def test_invalid_example_reports_the_announced_errors(path: Path) -> None:
    expected, loads = expectations(path)
    assert expected, f"{path.name} has no `# expect:` comment"

    bank = load_bank([path], include_bundled=False)

    assert len(bank.errors) == len(expected), "\n".join(map(str, bank.errors))
    for error, wanted in zip(bank.errors, expected, strict=True):
        assert error.file == path
        assert error.line == wanted.line, str(error)
        assert error.question == wanted.question, str(error)
        assert error.field == wanted.field, str(error)
        assert error.message.startswith(wanted.message), str(error)
    assert len(bank) == loads


def test_every_invalid_example_together_still_loads_the_valid_questions() -> None:
    folders = [path.parent for path in (VALID[0], INVALID[0])]
    bank = load_bank(folders, include_bundled=False)

    valid_ids = set(load_bank([folders[0]], include_bundled=False).questions)
    assert valid_ids <= set(bank.questions)
    assert len(bank.errors) == sum(len(expectations(path)[0]) for path in INVALID)


def test_error_renders_as_one_line_with_file_question_field_and_message() -> None:
    path = next(p for p in INVALID if p.name == "wrong-type.yaml")
    (error,) = load_bank([path], include_bundled=False).errors

    assert str(error) == (
        f"{path}:17: question example-wrong-type: field key_points.2.aliases: "
        "must be a valid list (got 'chain rule applied backwards')"
    )
