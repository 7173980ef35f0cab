"""Small builders shared by every screen."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.ports.slack import Message
from bot.slack.text import truncate

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
MESSAGE_BLOCK_LIMIT = 50


def render(blocks: Iterable[Block]) -> list[dict[str, Any]]:
    rendered = [as_dict(block) for block in blocks]
    if len(rendered) > MESSAGE_BLOCK_LIMIT:
        rendered = render_limited(rendered)
    return rendered


# The models the builders below make, with texts already cut to Slack's limits. For
# them `as_dict` gives what `to_dict()` gives (a property test compares the two) without
# re-validating every object on every call: that was most of the time a reveal spent
# building its thousand feedback DMs. Any other model goes through `to_dict()`.
_PLAIN_MODELS = (
    HeaderBlock,
    SectionBlock,
    ContextBlock,
    ActionsBlock,
    DividerBlock,
    ButtonElement,
    PlainTextObject,
    MarkdownTextObject,
)
_KEYS: dict[type, tuple[str, ...]] = {}


def as_dict(model: JsonObject) -> dict[str, Any]:
    kind = type(model)
    if kind not in _PLAIN_MODELS:
        return model.to_dict()
    keys = _KEYS.get(kind)
    if keys is None:
        keys = _KEYS[kind] = tuple(sorted(model.attributes))
    plain: dict[str, Any] = {}
    for key in keys:
        value = getattr(model, key, None)
        if value is None:
            continue
        if isinstance(value, JsonObject):
            plain[key] = as_dict(value)
        elif isinstance(value, (list, tuple)):
            if value:
                plain[key] = [as_dict(v) if isinstance(v, JsonObject) else v for v in value]
        elif not isinstance(value, (str, dict)) or value:
            plain[key] = value
    return plain


def render_limited(rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the head and say so, rather than have Slack reject the whole message."""
    more = context("…more than fits in one message.").to_dict()
    return [*rendered[: MESSAGE_BLOCK_LIMIT - 1], more]


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=truncate(text, HEADER_LIMIT))


def section(markdown: str, *, accessory: Any = None, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(
        text=MarkdownTextObject(text=truncate(markdown, SECTION_LIMIT) or " "),
        accessory=accessory,
        block_id=block_id,
    )


_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s")


def reflow(text: str) -> str:
    """Join hard-wrapped lines of a paragraph (YAML block text wraps at ~88 columns),
    keeping blank lines and list items, so Slack wraps the text to the reader's width."""
    lines = text.strip("\n").splitlines()
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        joinable = out and out[-1] and stripped and not _LIST_ITEM.match(line)
        if joinable:
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(stripped if not _LIST_ITEM.match(line) else line.rstrip())
    return "\n".join(out)


def long_sections(markdown: str) -> list[SectionBlock]:
    """Split long text at paragraph or line breaks into sections within Slack's limit."""
    markdown = reflow(markdown)
    chunks: list[str] = []
    current = ""
    for line in markdown.splitlines(keepends=True):
        while len(line) > SECTION_LIMIT - 100:
            chunks.append(current) if current else None
            current = ""
            chunks.append(line[: SECTION_LIMIT - 100])
            line = line[SECTION_LIMIT - 100 :]
        if len(current) + len(line) > SECTION_LIMIT - 100:
            chunks.append(current)
            current = ""
        current += line
    if current.strip():
        chunks.append(current)
    return [section(chunk.strip("\n")) for chunk in chunks if chunk.strip()]


def context(*markdown: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=truncate(m, 2000)) for m in markdown])


def divider() -> DividerBlock:
    return DividerBlock()


def button(
    text: str, action_id: str, value: str = "", *, style: str | None = None
) -> ButtonElement:
    return ButtonElement(
        text=truncate(text, 75), action_id=action_id, value=value or "-", style=style
    )


def actions(*buttons: ButtonElement, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(buttons), block_id=block_id)


def bar(fraction: float, width: int = 10) -> str:
    """A text progress bar, e.g. ▰▰▰▱▱▱▱▱▱▱ for 0.3."""
    fraction = min(1.0, max(0.0, fraction))
    filled = round(fraction * width)
    return "▰" * filled + "▱" * (width - filled)


def percent(score: float) -> str:
    return f"{round(score * 100)}%"


def plain(text: str) -> Message:
    """A one-section message: most replies are a sentence or two."""
    return Message(text=text, blocks=render([section(text)]))
