"""The checked-in JSON Schema matches the models and agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from questionbank.schema import SCHEMA_PATH, bank_file_schema, render_schema
from tests.unit.questionbank.example_files import EXAMPLES, VALID


def test_checked_in_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), (
        "questionbank/schema.json is stale: run `mlquiz bank schema --write` and commit it"
    )


def test_schema_is_a_valid_json_schema_that_forbids_unknown_fields() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Question"]["additionalProperties"] is False
    assert schema["$defs"]["KeyPoint"]["additionalProperties"] is False


def _document(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_valid_examples_satisfy_the_schema(path: Path) -> None:
    jsonschema.validate(_document(path), bank_file_schema())


@pytest.mark.parametrize(
    "name",
    [
        "unknown-field.yaml",
        "missing-field.yaml",
        "wrong-type.yaml",
        "empty-key-points.yaml",
        "topic-not-slug.yaml",
        "bad-difficulty.yaml",
        "questions-not-list.yaml",
    ],
)
def test_schema_rejects_what_the_loader_rejects(name: str) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_document(EXAMPLES / "invalid" / name), bank_file_schema())
