"""The JSON Schema of a bank file, generated from the pydantic models.

`questionbank/schema.json` is a checked-in copy for editors (YAML language servers
read it for completion and hover text); a test fails when it no longer matches the
models, and `mlquiz bank schema --write` refreshes it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from questionbank.models import BankFile

SCHEMA_PATH = Path(__file__).with_name("schema.json")
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def bank_file_schema() -> dict[str, Any]:
    schema = BankFile.model_json_schema()
    # The dialect goes first so readers of the file see which JSON Schema it is.
    return {"$schema": JSON_SCHEMA_DIALECT, **schema, "title": "mlquiz question bank file"}


def render_schema() -> str:
    """Stable text: sorted keys would scramble the field order editors show, so the
    models' order is kept and only indentation is fixed."""
    return json.dumps(bank_file_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_is_current(path: Path = SCHEMA_PATH) -> bool:
    try:
        return path.read_text(encoding="utf-8") == render_schema()
    except OSError:
        return False


def write_schema(path: Path = SCHEMA_PATH) -> bool:
    """Writes the schema; False when the file already had exactly this content."""
    if schema_is_current(path):
        return False
    path.write_text(render_schema(), encoding="utf-8")
    return True
