"""Small helpers shared by the repositories."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def json_list(values: Iterable[Any]) -> str:
    """A JSON array parameter, for `IN (SELECT value FROM json_each(?))` lookups."""
    return json.dumps(list(values), separators=(",", ":"))


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)
