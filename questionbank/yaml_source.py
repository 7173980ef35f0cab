"""Bank file bytes -> Python data plus the YAML node tree, for line numbers in errors.

PyYAML's safe loader is used with two additions: the node tree is kept so that an
error about `key_points.2.aliases` can point at the line it is on, and repeated
mapping keys are recorded instead of silently keeping the last one (a question with
two `prompt:` entries would otherwise lose one without a word).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Bank files are a few hundred kilobytes at most; a huge file is a mistake (a data
# dump saved with the wrong extension) and would only slow the app's start-up.
MAX_FILE_BYTES = 2_000_000

_MERGE_TAG = "tag:yaml.org,2002:merge"


class SourceError(Exception):
    """The file cannot be turned into YAML data at all; carries a 1-based position."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    line: int
    first_line: int
    mapping: Node = field(compare=False, repr=False)


@dataclass
class YamlSource:
    data: object
    root: Node | None
    duplicate_keys: list[DuplicateKey] = field(default_factory=list)


# libyaml parses several times faster; the pure-Python loader is the fallback. Both have
# the safe loader's interface, which is what the type checker is told.
if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TrackingLoader(_BaseLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[DuplicateKey] = []

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        if isinstance(node, MappingNode):
            self._record_duplicates(node)
        return super().construct_mapping(node, deep=deep)

    def _record_duplicates(self, node: MappingNode) -> None:
        first_line: dict[tuple[str, str], int] = {}
        for key_node, _ in node.value:
            # Keys pulled in by a `<<:` merge may legitimately be overridden.
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            ident = (key_node.tag, key_node.value)
            line = key_node.start_mark.line + 1
            if ident in first_line:
                self.duplicate_keys.append(
                    DuplicateKey(key_node.value, line, first_line[ident], node)
                )
            else:
                first_line[ident] = line


def decode_bank_bytes(data: bytes) -> str:
    """UTF-8 (a leading byte-order mark is accepted), else SourceError."""
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(
            f"file is {len(data):,} bytes, larger than the {MAX_FILE_BYTES:,} bytes a bank "
            "file may have; split it into several files"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be "
            "decoded; save the file as UTF-8",
            line=line,
        ) from None


def parse_yaml(text: str) -> YamlSource:
    """One YAML document -> data and node tree; SourceError with a position otherwise."""
    try:
        # The reader rejects control characters already while being set up.
        loader = _TrackingLoader(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text) from None
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
        return YamlSource(data=data, root=root, duplicate_keys=loader.duplicate_keys)
    except yaml.MarkedYAMLError as exc:
        raise _marked_error(exc) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise SourceError("invalid YAML: nesting is too deep") from None
    finally:
        loader.dispose()


def _reader_error(exc: yaml.reader.ReaderError, text: str) -> SourceError:
    line = text[: exc.position].count("\n") + 1
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return SourceError(
        f"invalid YAML at line {line}: control character U+{character:04X} is not allowed",
        line=line,
    )


def _marked_error(exc: yaml.MarkedYAMLError) -> SourceError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "cannot be parsed"
    if exc.context and problem.startswith("but "):
        problem = f"{exc.context}, {problem}"
    elif exc.context:
        problem = f"{problem} ({exc.context})"
    if mark is None:
        return SourceError(f"invalid YAML: {problem}")
    line, column = mark.line + 1, mark.column + 1
    return SourceError(
        f"invalid YAML at line {line}, column {column}: {problem}", line=line, column=column
    )


def _child(node: Node, part: str | int) -> tuple[Node, Node] | None:
    """(node whose line to report, node to descend into) for one path step: for a
    mapping the key's line (an error about `aliases` belongs on the `aliases:` line,
    not on the first alias below it), for a list the item itself."""
    if isinstance(node, SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            return node.value[part], node.value[part]
        return None
    found = None
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                found = (key_node, value_node)
    return found


def child_node(node: Node | None, key: str) -> Node | None:
    """The value node of `key` in a mapping node (the last one, as PyYAML keeps)."""
    if node is None:
        return None
    found = _child(node, key)
    return found[1] if found else None


def line_of(node: Node | None, path: Sequence[str | int]) -> int | None:
    """1-based line of the deepest step along `path` that exists (a missing field points
    at the mapping that lacks it)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        step = _child(node, part)
        if step is None:
            break
        marker, node = step
        line = marker.start_mark.line + 1
    return line


def descendants(node: Node) -> Iterator[Node]:
    """`node` and every node below it, each once (aliases can share nodes)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, MappingNode):
            for key_node, value_node in current.value:
                stack.extend((key_node, value_node))
