"""Reading Web API arguments the way Slack reads them.

Params arrive merged from query string, form or JSON body; values sent as form fields are
strings, so JSON-typed arguments (blocks, view, metadata, ...) are decoded here, booleans
accept Slack's spellings and numbers may come as strings.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from slack_standin.ids import parse_ts
from slack_standin.workspace import SlackError


def json_arg(params: dict[str, Any], name: str, *, error: str = "invalid_arguments") -> Any:
    value = params.get(name)
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise SlackError(error) from None
    return value


def bool_arg(params: dict[str, Any], name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def required(params: dict[str, Any], name: str, error: str) -> str:
    value = params.get(name)
    if value in (None, ""):
        raise SlackError(error)
    return str(value)


def int_arg(
    params: dict[str, Any], name: str, *, default: int, error: str = "invalid_arguments"
) -> int:
    value = params.get(name)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise SlackError(error)
    try:
        return int(str(value).strip())
    except ValueError:
        raise SlackError(error) from None


def list_arg(params: dict[str, Any], name: str) -> list[str]:
    """A comma separated list of ids (a JSON array is accepted too)."""
    value = params.get(name)
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = str(value or "").split(",")
    return [item.strip() for item in items if item.strip()]


def ts_arg(params: dict[str, Any], name: str, *, error: str) -> int | None:
    """A timestamp argument ("1700000000.000100", "1700000000" or a number) in microseconds."""
    value = params.get(name)
    if value in (None, ""):
        return None
    text = str(value).strip()
    seconds, dot, fraction = text.partition(".")
    if not seconds.isdigit() or (dot and fraction and not fraction.isdigit()):
        raise SlackError(error)
    return parse_ts(text)


# -- cursors ---------------------------------------------------------------------
#
# Slack's cursors are opaque base64 strings; apps must send back the `next_cursor` they were
# given.  Ours encode "<kind>:<position>", like Slack's own ("bmV4dF90czo..." is
# "next_ts:..."), and any other string is `invalid_cursor`.


def encode_cursor(kind: str, position: str) -> str:
    return base64.b64encode(f"{kind}:{position}".encode()).decode()


def decode_cursor(cursor: Any, kind: str) -> str | None:
    if cursor in (None, ""):
        return None
    try:
        text = base64.b64decode(str(cursor), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    prefix, sep, position = text.partition(":")
    if prefix != kind or not sep or not position:
        raise SlackError("invalid_cursor")
    return position


def page(
    items: list[Any],
    *,
    limit: int,
    cursor: Any,
    kind: str,
    key: Any,
) -> tuple[list[Any], str | None]:
    """One page of `items` from the cursor's position; returns (page, next_cursor or None).

    `key(item)` is the string a cursor names an item by; the cursor points at the first item
    of the next page, so items added or removed meanwhile do not shift the pages."""
    start = 0
    position = decode_cursor(cursor, kind)
    if position is not None:
        keys = [key(item) for item in items]
        if position not in keys:
            raise SlackError("invalid_cursor")
        start = keys.index(position)
    chunk = items[start : start + limit]
    rest = items[start + limit :]
    return chunk, (encode_cursor(kind, key(rest[0])) if rest else None)
