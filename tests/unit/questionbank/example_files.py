"""Reading the expectations written as comments at the top of example bank files.

An invalid example states each error it must produce on its own line:

    # expect: line N | question | field | message prefix

with `-` where the error has no line, question or field; `# loads: N` says how many of
its questions must still load (default 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXAMPLES = Path(__file__).parent / "examples"
VALID = sorted((EXAMPLES / "valid").iterdir())
INVALID = sorted((EXAMPLES / "invalid").iterdir())


@dataclass(frozen=True)
class ExpectedError:
    line: int | None
    question: str | None
    field: str | None
    message: str


def _optional(text: str) -> str | None:
    return None if text == "-" else text


def expectations(path: Path) -> tuple[list[ExpectedError], int]:
    # Example files may be deliberately undecodable; their comments are plain ASCII.
    header = path.read_bytes().decode("utf-8", errors="replace")
    expected: list[ExpectedError] = []
    loads = 0
    for line in header.splitlines():
        if line.startswith("# expect:"):
            where, question, field, message = (
                part.strip() for part in line.removeprefix("# expect:").split(" | ", 3)
            )
            number = where.removeprefix("line ").strip()
            expected.append(
                ExpectedError(
                    line=None if number == "-" else int(number),
                    question=_optional(question),
                    field=_optional(field),
                    message=message,
                )
            )
        elif line.startswith("# loads:"):
            loads = int(line.removeprefix("# loads:"))
    return expected, loads
