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

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal, TypeVar

from questionbank.bank_file import ParsedFile, parse_bank_bytes
from questionbank.errors import BankError
from questionbank.models import Difficulty, Kind, Question

__all__ = [
    "BANK_SUFFIXES",
    "Bank",
    "BankBuilder",
    "BankError",
    "ParsedFile",
    "bank_files_in",
    "bundled_bank_files",
    "load_bank",
    "parse_bank_bytes",
]

BANK_SUFFIXES = (".yaml", ".yml")
_E = TypeVar("_E", Difficulty, Kind)
# What a pool is for: the public pools (daily question, /mlquiz ask, review, stats)
# never hold interview-only questions; panels never hold practice-only ones.
Purpose = Literal["practice", "interview"]


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
        purpose: Purpose | None = None,
    ) -> list[Question]:
        """Questions covering any of `topics` (None or empty: any topic) at the given
        difficulty and kind, usable for `purpose` (None: any), in bank order. A bad
        difficulty or kind is a ValueError."""
        wanted = {topics} if isinstance(topics, str) else set(topics or ())
        level = None if difficulty is None else _enum_value(Difficulty, difficulty)
        wanted_kind = None if kind is None else _enum_value(Kind, kind)
        return [
            question
            for question in self.questions.values()
            if (not wanted or wanted.intersection(question.topics))
            and (level is None or question.difficulty is level)
            and (wanted_kind is None or question.kind is wanted_kind)
            and _serves(question, purpose)
        ]

    def topics(self, purpose: Purpose | None = None) -> dict[str, int]:
        """Number of questions covering each topic (usable for `purpose`, None: any),
        in order of first appearance."""
        counts: dict[str, int] = {}
        for question in self.questions.values():
            if not _serves(question, purpose):
                continue
            for topic in question.topics:
                counts[topic] = counts.get(topic, 0) + 1
        return counts


def _serves(question: Question, purpose: Purpose | None) -> bool:
    if purpose == "practice":
        return question.for_practice
    if purpose == "interview":
        return question.for_interview
    return True


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
