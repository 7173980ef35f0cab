"""Loader policies: file isolation, id uniqueness, folder scanning, the Bank API."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionbank.loader import BankBuilder, bank_files_in, load_bank, parse_bank_bytes
from questionbank.models import Difficulty, Kind
from questionbank.yaml_source import MAX_FILE_BYTES
from tests.unit.questionbank.bank_yaml import question, write_bank
from tests.unit.questionbank.example_files import EXAMPLES


def test_broken_extra_folder_does_not_stop_bundled_questions(tmp_path: Path) -> None:
    broken = tmp_path / "team"
    (broken / "garbage.yaml").parent.mkdir()
    (broken / "garbage.yaml").write_bytes(b"questions: [unclosed\n\xff\xfe")
    (broken / "not-a-bank.yaml").write_text("- just\n- a list\n", encoding="utf-8")

    bundled_only = load_bank()
    combined = load_bank([broken, EXAMPLES / "invalid", tmp_path / "missing"])

    assert len(bundled_only) > 0
    assert list(combined.questions)[: len(bundled_only)] == list(bundled_only.questions)
    assert combined.errors[: len(bundled_only.errors)] == bundled_only.errors
    reported = {error.file for error in combined.errors}
    assert {broken / "garbage.yaml", broken / "not-a-bank.yaml", tmp_path / "missing"} <= reported


def test_duplicate_id_across_folders_keeps_the_first_and_names_both_files(
    tmp_path: Path,
) -> None:
    first = write_bank(tmp_path / "a" / "bank.yaml", question("shared-id", title="First"))
    second = write_bank(
        tmp_path / "b" / "bank.yaml", question("shared-id", title="Second"), question("own-id")
    )

    bank = load_bank([tmp_path / "a", tmp_path / "b"], include_bundled=False)

    assert bank.get("shared-id").title == "First"
    assert "own-id" in bank
    (error,) = bank.errors
    assert (error.file, error.question, error.field) == (second, "shared-id", "id")
    assert str(first) in error.message
    assert error.message.startswith("duplicate id: already defined in")
    assert bank.files == {first: ("shared-id",), second: ("own-id",)}


def test_team_bank_cannot_replace_a_bundled_question(tmp_path: Path) -> None:
    bundled = next(iter(load_bank()))
    team_file = write_bank(tmp_path / "team.yaml", question(bundled.id, title="Hijacked"))

    bank = load_bank([team_file])

    assert bank.get(bundled.id) == bundled
    assert [(e.file, e.question) for e in bank.errors if e.file == team_file] == [
        (team_file, bundled.id)
    ]


def test_missing_folder_is_reported_and_later_folders_still_load(tmp_path: Path) -> None:
    write_bank(tmp_path / "ok" / "bank.yaml", question("still-loads"))

    bank = load_bank([tmp_path / "nope", tmp_path / "ok"], include_bundled=False)

    assert "still-loads" in bank
    (error,) = bank.errors
    assert error.file == tmp_path / "nope"
    assert error.message == "bank folder or file does not exist"
    assert str(error) == f"{tmp_path / 'nope'}: bank folder or file does not exist"


def test_unreadable_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    builder = BankBuilder()
    builder.add_file(tmp_path)  # a directory cannot be read as a file
    (error,) = builder.build().errors
    assert error.file == tmp_path
    assert error.message.startswith("cannot read file:")


def test_folder_scan_takes_yaml_and_yml_files_by_name_only(tmp_path: Path) -> None:
    for name in ("b.yml", "a.yaml", ".hidden.yaml", "notes.txt", "c.YAML.bak"):
        (tmp_path / name).write_text("questions: []\n", encoding="utf-8")
    (tmp_path / "sub.yaml").mkdir()

    assert [path.name for path in bank_files_in(tmp_path)] == ["a.yaml", "b.yml"]


def test_bundled_questions_come_first_then_folders_in_the_order_given(tmp_path: Path) -> None:
    write_bank(tmp_path / "z" / "one.yaml", question("from-z"))
    write_bank(tmp_path / "a" / "two.yaml", question("from-a-2"))
    write_bank(tmp_path / "a" / "one.yaml", question("from-a-1"))
    bundled = list(load_bank().questions)

    bank = load_bank([tmp_path / "z", tmp_path / "a"])

    assert list(bank.questions) == [*bundled, "from-z", "from-a-1", "from-a-2"]


def test_unknown_top_level_key_is_reported_but_questions_load(tmp_path: Path) -> None:
    path = write_bank(tmp_path / "bank.yaml", question("kept"), author="someone")

    bank = load_bank([path], include_bundled=False)

    assert "kept" in bank
    (error,) = bank.errors
    assert (error.question, error.field) == (None, "author")
    assert error.message.startswith("unknown field")


def test_question_without_a_valid_id_is_named_by_position(tmp_path: Path) -> None:
    path = write_bank(tmp_path / "bank.yaml", question("good-one"), question("Not A Slug"))

    (error,) = load_bank([path], include_bundled=False).errors

    assert (error.question, error.field) == ("#2", "id")
    assert error.message.startswith("value 'Not A Slug' is not a slug")


def test_every_problem_of_one_question_is_reported_at_once(tmp_path: Path) -> None:
    bad = question("many-problems", difficulty="extreme", kind="trivia", title="")
    del bad["prompt"]
    path = write_bank(tmp_path / "bank.yaml", bad)

    errors = load_bank([path], include_bundled=False).errors

    assert sorted(error.field for error in errors) == ["difficulty", "kind", "prompt", "title"]
    assert {error.question for error in errors} == {"many-problems"}


def test_repeated_questions_key_is_reported_and_the_last_list_is_used(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(
        "questions: []\nquestions:\n  - {id: last-list, title: T, prompt: P, topics: [x1],"
        " difficulty: easy, why_asked: W, expected_answer: E, key_points: [{text: K}]}\n",
        encoding="utf-8",
    )

    bank = load_bank([path], include_bundled=False)

    assert "last-list" in bank
    (error,) = bank.errors
    assert (error.line, error.question, error.field) == (2, None, "questions")


def test_yaml_anchors_and_merge_keys_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(
        """\
common: &common
  topics: [probability]
  difficulty: easy
  why_asked: W
  expected_answer: E
  key_points: [{text: K}]
questions:
  - <<: *common
    id: merged-one
    title: T
    prompt: P
    difficulty: hard
""",
        encoding="utf-8",
    )

    bank = load_bank([path], include_bundled=False)

    # `common` is not a bank field: anchors belong inside `questions` or another file.
    assert [error.field for error in bank.errors] == ["common"]
    assert bank.get("merged-one").difficulty is Difficulty.hard


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 5000, "invalid YAML"),
        (b"questions: !!python/object:os.system {}\n", "invalid YAML at line 1"),
        (b"questions:\n  - \x00\n", "invalid YAML at line 2"),
        (b" " * (MAX_FILE_BYTES + 1), "file is"),
        (b"---\nquestions: []\n---\nquestions: []\n", "invalid YAML at line 3"),
    ],
    ids=["deep-nesting", "python-tag", "nul-byte", "too-large", "two-documents"],
)
def test_hostile_content_becomes_one_file_error(content: bytes, message: str) -> None:
    parsed = parse_bank_bytes(content, Path("hostile.yaml"))

    assert parsed.questions == []
    (error,) = parsed.errors
    assert error.message.startswith(message), error.message
    assert error.question is None


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write_bank(tmp_path / "bank.yaml", question("with-bom"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    bank = load_bank([path], include_bundled=False)

    assert bank.errors == []
    assert "with-bom" in bank


@pytest.fixture
def small_bank(tmp_path: Path):
    write_bank(
        tmp_path / "bank.yaml",
        question("q-easy", topics=["probability"], difficulty="easy"),
        question("q-medium", topics=["convexity", "probability"], difficulty="medium"),
        question("q-behave", topics=["ml-project"], difficulty="hard", kind="behavioral"),
    )
    return load_bank([tmp_path], include_bundled=False), tmp_path / "bank.yaml"


def test_bank_lookup_iteration_and_sources(small_bank) -> None:
    bank, path = small_bank

    assert len(bank) == 3
    assert [q.id for q in bank] == ["q-easy", "q-medium", "q-behave"]
    assert bank.get("q-easy").difficulty is Difficulty.easy
    assert bank.get("nope") is None
    assert "q-medium" in bank
    assert bank.source("q-behave") == path
    assert bank.source("nope") is None
    assert bank.ok


def test_bank_topic_counts_count_every_topic_of_a_question(small_bank) -> None:
    bank, _ = small_bank
    assert bank.topics() == {"probability": 2, "convexity": 1, "ml-project": 1}


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({}, ["q-easy", "q-medium", "q-behave"]),
        ({"topics": ["probability"]}, ["q-easy", "q-medium"]),
        ({"topics": "convexity"}, ["q-medium"]),
        ({"topics": []}, ["q-easy", "q-medium", "q-behave"]),
        ({"topics": ["convexity", "ml-project"]}, ["q-medium", "q-behave"]),
        ({"difficulty": "easy"}, ["q-easy"]),
        ({"difficulty": Difficulty.medium}, ["q-medium"]),
        ({"difficulty": "HARD"}, ["q-behave"]),
        ({"topics": ["probability"], "difficulty": "hard"}, []),
        ({"kind": Kind.behavioral}, ["q-behave"]),
        ({"kind": "technical", "topics": ["probability"]}, ["q-easy", "q-medium"]),
    ],
)
def test_bank_filter(small_bank, criteria: dict, expected: list[str]) -> None:
    bank, _ = small_bank
    assert [q.id for q in bank.filter(**criteria)] == expected


def test_bank_filter_rejects_an_unknown_difficulty(small_bank) -> None:
    bank, _ = small_bank
    with pytest.raises(ValueError, match="unknown difficulty 'expert'; expected easy, medium"):
        bank.filter(difficulty="expert")
