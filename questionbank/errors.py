"""Problems found while loading a question bank, one per broken thing.

A `BankError` is data, not an exception: the loader collects every problem of every
file so that one pass shows an author all that needs fixing, and the app can still
run on the questions that did load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_PLAIN_FIELD = re.compile(r"[\w.#-]+")


@dataclass(frozen=True, kw_only=True)
class BankError:
    """One problem in one bank file.

    `question` is the question's id, or `#N` (1-based position in the file's
    `questions` list) when the question has no valid id, or None for problems with the
    file as a whole. `field` is a dotted path inside the question (list indexes are
    0-based, as in JSON paths: `key_points.2.aliases` is the third key point), or None.
    `line`/`column` are 1-based positions in the file when known.
    """

    file: Path
    message: str
    question: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None

    def __post_init__(self) -> None:
        # Reports are read line by line (terminal, CI logs), so nothing may break a line:
        # messages are re-spaced, and a field named by odd YAML keys is quoted.
        object.__setattr__(self, "message", " ".join(self.message.split()))
        if self.field is not None and not _PLAIN_FIELD.fullmatch(self.field):
            object.__setattr__(self, "field", repr(self.field))

    @property
    def location(self) -> str:
        """`file` or `file:line`, the form editors and terminals turn into a link."""
        return f"{self.file}:{self.line}" if self.line else str(self.file)

    def __str__(self) -> str:
        parts = [self.location]
        if self.question is not None:
            parts.append(f"question {self.question}")
        if self.field:
            parts.append(f"field {self.field}")
        parts.append(self.message)
        return ": ".join(parts)
