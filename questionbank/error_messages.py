"""Pydantic validation errors -> (field path, message) a bank author can act on.

Pydantic's own messages are written for programmers ("String should match pattern
'^[a-z0-9]+...'"); authors of YAML files need to hear what to type instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from questionbank.models import KeyPoint, Question

SLUG_HINT = "lowercase letters and digits joined by hyphens, e.g. 'bias-variance'"


def describe_input(value: object) -> str:
    """How an offending value is shown: short and unambiguous about its YAML type."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    if isinstance(value, int | float | date):
        return f"{type(value).__name__} {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def model_at(loc: Sequence[str | int], root: type[BaseModel] = Question) -> type[BaseModel]:
    """The model whose field the last element of `loc` names."""
    if len(loc) >= 3 and loc[0] == "key_points":
        return KeyPoint
    return root


def unknown_field_message(name: object, allowed: Sequence[str]) -> str:
    guess = difflib.get_close_matches(str(name), allowed, n=1)
    hint = f" (did you mean '{guess[0]}'?)" if guess else ""
    return f"unknown field{hint}; allowed fields: {', '.join(allowed)}"


def translate(error: ErrorDetails) -> tuple[tuple[str | int, ...], str]:
    """(field path, message) for one pydantic error on a `Question`."""
    loc: tuple[Any, ...] = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    got = f" (got {describe_input(value)})"
    path = loc
    leaf = loc[-1] if loc else None

    if kind == "missing":
        return path, "required field is missing"
    if kind == "extra_forbidden":
        return path, unknown_field_message(leaf, list(model_at(loc).model_fields))
    if kind == "duplicate_key_point":
        index, first = ctx["index"], ctx["first"]
        return (
            (*loc, index, "text"),
            f"repeats the text of key_points.{first}.text ('{ctx['text']}')",
        )
    if kind == "string_pattern_mismatch":
        what = "topic" if loc and loc[0] == "topics" else "value"
        return path, f"{what} {describe_input(value)} is not a slug: use {SLUG_HINT}"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return path, "must not be empty"
    if kind == "too_short" and ctx.get("actual_length") == 0:
        return path, f"must list at least {ctx.get('min_length', 1)} item (the list is empty)"
    if kind == "enum":
        return path, f"must be one of {ctx.get('expected', '')}{got}"
    return path, _plain(error["msg"]) + got


def _plain(message: str) -> str:
    for prefix, replacement in (("Input should be", "must be"), ("Value error, ", "")):
        if message.startswith(prefix):
            message = replacement + message[len(prefix) :]
    return message[:1].lower() + message[1:]
