"""Validate one bank file's bytes: its top-level shape, then each question on its own.

A bad question is reported (every problem in it, with the line it is on) and skipped;
the file's other questions are still returned. See `questionbank.loader` for how files
combine into a bank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from yaml.nodes import SequenceNode

from questionbank.error_messages import describe_input, translate, unknown_field_message
from questionbank.errors import BankError
from questionbank.models import BankFile, Question
from questionbank.yaml_source import (
    SourceError,
    YamlSource,
    child_node,
    decode_bank_bytes,
    descendants,
    line_of,
    parse_yaml,
)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class ParsedFile:
    """What one file yields: valid questions with their line, and its problems."""

    questions: list[tuple[Question, int | None]] = field(default_factory=list)
    errors: list[BankError] = field(default_factory=list)


def parse_bank_bytes(data: bytes, file: Path) -> ParsedFile:
    """Validate one bank file's content. Never raises for bad content."""
    parsed = ParsedFile()
    try:
        source = parse_yaml(decode_bank_bytes(data))
    except SourceError as exc:
        parsed.errors.append(
            BankError(file=file, message=exc.message, line=exc.line, column=exc.column)
        )
        return parsed
    _QuestionsReader(file, source, parsed).read()
    # Authors fix a file top to bottom; problems found in separate passes are merged.
    parsed.errors.sort(key=lambda error: error.line or 0)
    return parsed


class _QuestionsReader:
    """Walks one parsed file: top-level shape, then each question on its own."""

    def __init__(self, file: Path, source: YamlSource, parsed: ParsedFile) -> None:
        self.file = file
        self.source = source
        self.parsed = parsed
        data = source.data
        found = data.get("questions") if isinstance(data, dict) else None
        self.items: list[object] = found if isinstance(found, list) else []
        self.items_node = child_node(source.root, "questions") if self.items else None

    def error(self, message: str, **where: object) -> None:
        self.parsed.errors.append(BankError(file=self.file, message=message, **where))  # type: ignore[arg-type]

    def read(self) -> None:
        broken = self.report_duplicate_keys()
        if self.top_level_ok():
            self.read_items(broken)

    def top_level_ok(self) -> bool:
        data, root = self.source.data, self.source.root
        if data is None:
            self.error("file is empty: a bank file is a mapping with a `questions` list")
            return False
        if not isinstance(data, dict):
            self.error(
                f"top level must be a mapping with a `questions` list (got {describe_input(data)})",
                line=line_of(root, ()),
            )
            return False
        allowed = list(BankFile.model_fields)
        for key in data:
            if key not in allowed:
                self.error(
                    unknown_field_message(key, allowed),
                    field=str(key),
                    line=line_of(root, (str(key),)),
                )
        if "questions" not in data:
            self.error("required field is missing", field="questions")
            return False
        items = data["questions"]
        if not isinstance(items, list) or not items:
            problem = (
                "must list at least 1 question (the list is empty)"
                if isinstance(items, list)
                else f"must be a list of questions (got {describe_input(items)})"
            )
            self.error(problem, field="questions", line=line_of(root, ("questions",)))
            return False
        return True

    def read_items(self, broken: set[int]) -> None:
        first_line_of_id: dict[str, int | None] = {}
        for index, raw in enumerate(self.items):
            line = line_of(self.items_node, (index,))
            label = _question_label(raw, index)
            if not isinstance(raw, dict):
                self.error(
                    f"must be a mapping of question fields (got {describe_input(raw)})",
                    question=label,
                    line=line,
                )
                continue
            question = self.validate(raw, label, index)
            if question is None or index in broken:
                continue
            if question.id in first_line_of_id:
                self.error(
                    f"duplicate id: already defined at line {first_line_of_id[question.id]} "
                    "of this file; this one is skipped",
                    question=question.id,
                    field="id",
                    line=line_of(self.items_node, (index, "id")),
                )
                continue
            first_line_of_id[question.id] = line
            self.parsed.questions.append((question, line))

    def validate(self, raw: dict[object, object], label: str, index: int) -> Question | None:
        try:
            return Question.model_validate(raw)
        except ValidationError as exc:
            for detail in exc.errors():
                loc, message = translate(detail)
                self.error(
                    message,
                    question=label,
                    field=".".join(str(part) for part in loc),
                    line=line_of(self.items_node, (index, *loc)),
                )
            return None

    def report_duplicate_keys(self) -> set[int]:
        """Report repeated keys; returns the positions of questions holding one, which
        are skipped because which of the values was meant is unknown."""
        owner_of: dict[int, int] = {}
        if isinstance(self.items_node, SequenceNode):
            for index, item_node in enumerate(self.items_node.value):
                for node in descendants(item_node):
                    owner_of.setdefault(id(node), index)
        broken: set[int] = set()
        for duplicate in self.source.duplicate_keys:
            where: dict[str, object] = {"field": duplicate.key, "line": duplicate.line}
            owner = owner_of.get(id(duplicate.mapping))
            if owner is not None:
                broken.add(owner)
                where["question"] = _question_label(self.items[owner], owner)
            self.error(
                f"key '{duplicate.key}' appears twice in one mapping "
                f"(first at line {duplicate.first_line}); keep one",
                **where,
            )
        return broken


def _question_label(raw: object, index: int) -> str:
    """The id when it is a valid slug, else the 1-based position `#N`."""
    if isinstance(raw, dict):
        candidate = raw.get("id")
        if isinstance(candidate, str) and _SLUG.fullmatch(candidate) and len(candidate) >= 3:
            return candidate
    return f"#{index + 1}"
