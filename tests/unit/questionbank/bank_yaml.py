"""Building bank files in tests without repeating a full question each time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def question(question_id: str, **fields: Any) -> dict[str, Any]:
    """A valid question; keyword arguments replace or add fields."""
    base: dict[str, Any] = {
        "id": question_id,
        "title": f"Title of {question_id}",
        "prompt": "Explain the idea.",
        "topics": ["probability"],
        "difficulty": "medium",
        "why_asked": "Checks understanding.",
        "expected_answer": "A full answer.",
        "key_points": [{"text": "First claim", "aliases": ["claim one"]}],
    }
    base.update(fields)
    return base


def write_bank(path: Path, *questions: dict[str, Any], **top_level: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"questions": list(questions), **top_level}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path
