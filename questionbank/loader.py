"""Load the bundled question bank plus any team banks into one `Bank`.

What survives a broken file (the policy the app relies on):

* Files are independent: an unreadable, non-UTF-8, empty or malformed file is
  reported and skipped; every other file still loads.
* Inside a readable file each question is validated on its own: a bad question is
  reported (every problem in it, with the line it is on) and skipped, and the file's
  valid questions still load. Problems with the file's top level (unknown keys, a
  repeated `questions:` key) are reported without dropping its valid questions.
* Ids are unique across everything loaded. The first definition wins (bundled files
  load first, then extra folders in the order given, files in a folder by name);
  a later duplicate is reported, naming both files, and skipped.

So a bank with errors still serves every valid question, and `Bank.errors` (or
`mlquiz bank validate`) says exactly what was left out and why.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError
from yaml.nodes import SequenceNode

from questionbank.error_messages import describe_input, translate, unknown_field_message
from questionbank.errors import BankError
from questionbank.models import BankFile, Difficulty, Kind, Question
from questionbank.yaml_source import (
    SourceError,
    YamlSource,
    child_node,
    decode_bank_bytes,
    descendants,
    line_of,
    parse_yaml,
)

BANK_SUFFIXES = (".yaml", ".yml")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_E = TypeVar("_E", Difficulty, Kind)


@dataclass
class Bank:
    """Every question that loaded, keyed by id, and every problem found on the way.

    `files` maps each bank file that was read to the ids it contributed (empty when
    nothing in it loaded), in load order.
    """

    questions: dict[str, Question] = field(default_factory=dict)
    errors: list[BankError] = field(default_factory=list)
    files: dict[Path, tuple[str, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions.values())

    def __contains__(self, question_id: object) -> bool:
        return question_id in self.questions

    @property
    def ok(self) -> bool:
        return not self.errors

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    def source(self, question_id: str) -> Path | None:
        """The file a question was loaded from."""
        for path, ids in self.files.items():
            if question_id in ids:
                return path
        return None

    def filter(
        self,
        topics: Iterable[str] | str | None = None,
        difficulty: Difficulty | str | None = None,
        kind: Kind | str | None = None,
    ) -> list[Question]:
        """Questions covering any of `topics` (None or empty: any topic) at the given
        difficulty and kind, in bank order. A bad difficulty or kind is a ValueError."""
        wanted = {topics} if isinstance(topics, str) else set(topics or ())
        level = None if difficulty is None else _enum_value(Difficulty, difficulty)
        wanted_kind = None if kind is None else _enum_value(Kind, kind)
        return [
            question
            for question in self.questions.values()
            if (not wanted or wanted.intersection(question.topics))
            and (level is None or question.difficulty is level)
            and (wanted_kind is None or question.kind is wanted_kind)
        ]

    def topics(self) -> dict[str, int]:
        """Number of questions covering each topic, in order of first appearance."""
        counts: dict[str, int] = {}
        for question in self.questions.values():
            for topic in question.topics:
                counts[topic] = counts.get(topic, 0) + 1
        return counts


def _enum_value(enum: type[_E], value: _E | str) -> _E:
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValueError(f"unknown {enum.__name__.lower()} {value!r}; expected {allowed}") from None


def load_bank(extra_dirs: Sequence[Path] = (), *, include_bundled: bool = True) -> Bank:
    """The bundled bank (unless excluded) plus every bank file in `extra_dirs`.

    An entry of `extra_dirs` may also be a single file. Never raises for bad data: a
    missing folder or broken file becomes an entry in `Bank.errors`.
    """
    builder = BankBuilder()
    if include_bundled:
        builder.add_bundled()
    for path in extra_dirs:
        builder.add_path(Path(path))
    return builder.build()


def bundled_bank_files() -> list[Traversable]:
    """The YAML files shipped inside the package, by name."""
    folder = resources.files("questionbank") / "bank"
    if not folder.is_dir():
        return []
    found = [entry for entry in folder.iterdir() if entry.name.endswith(BANK_SUFFIXES)]
    return sorted((entry for entry in found if entry.is_file()), key=lambda entry: entry.name)


def bank_files_in(folder: Path) -> list[Path]:
    """Bank files directly inside `folder`, by name. Hidden files (editor backups,
    `.#lock` files) are not banks."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix in BANK_SUFFIXES and path.is_file() and not path.name.startswith(".")
    )


@dataclass
class _Entry:
    question: Question
    file: Path
    line: int | None


class BankBuilder:
    """Accumulates files in load order; `build()` returns the `Bank`.

    `load_bank` covers the usual case; the builder exists for callers that need a
    different mix, such as checking one file against everything already installed.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._errors: list[BankError] = []
        self._files: dict[Path, list[str]] = {}

    def add_bundled(self, exclude: Collection[Path] = ()) -> list[Path]:
        """Adds the bundled files, except those whose resolved path is in `exclude`;
        returns the files added."""
        added: list[Path] = []
        for entry in bundled_bank_files():
            file = Path(str(entry))
            if exclude and file.resolve() in exclude:
                continue
            added.append(file)
            try:
                data = entry.read_bytes()
            except OSError as exc:
                self._file_error(file, f"cannot read file: {exc.strerror or exc}")
                continue
            self.add_bytes(file, data)
        return added

    def add_path(self, path: Path) -> None:
        """A folder (every bank file in it) or a single file."""
        if path.is_dir():
            try:
                files = bank_files_in(path)
            except OSError as exc:
                self._file_error(path, f"cannot list bank folder: {exc.strerror or exc}")
                return
            for file in files:
                self.add_file(file)
        elif path.exists():
            self.add_file(path)
        else:
            self._file_error(path, "bank folder or file does not exist")

    def add_file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._file_error(path, f"cannot read file: {exc.strerror or exc}")
            return
        self.add_bytes(path, data)

    def add_bytes(self, file: Path, data: bytes) -> None:
        """Parse one file's content; its questions join the bank unless their id is
        already taken."""
        parsed = parse_bank_bytes(data, file)
        self._errors.extend(parsed.errors)
        contributed = self._files.setdefault(file, [])
        for question, line in parsed.questions:
            earlier = self._entries.get(question.id)
            if earlier is not None:
                where = f"{earlier.file}:{earlier.line}" if earlier.line else str(earlier.file)
                self._errors.append(
                    BankError(
                        file=file,
                        question=question.id,
                        field="id",
                        line=line,
                        message=f"duplicate id: already defined in {where}; this one is skipped",
                    )
                )
                continue
            self._entries[question.id] = _Entry(question, file, line)
            contributed.append(question.id)

    def build(self) -> Bank:
        return Bank(
            questions={qid: entry.question for qid, entry in self._entries.items()},
            errors=list(self._errors),
            files={path: tuple(ids) for path, ids in self._files.items()},
        )

    def _file_error(self, file: Path, message: str) -> None:
        self._errors.append(BankError(file=file, message=message))


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
            index = owner_of.get(id(duplicate.mapping))
            if index is not None:
                broken.add(index)
                where["question"] = _question_label(self.items[index], index)
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
