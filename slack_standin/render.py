"""Block Kit as readable terminal text, for the offline sandbox and for test failure output.

Interactive elements are numbered (``[1] Answer privately``) in reading order;
`buttons(blocks)` returns the same numbering so a prompt can map a number to a click.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any

from slack_standin.blockkit import iter_elements

WIDTH = 78

_USER = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]+))?>")
_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")
# <!date^1772523000^{date_short_pretty} at {time}|2026-03-03 07:30 UTC>: a client shows the
# time in the reader's zone; a terminal has no reader's zone, so it shows the fallback.
_DATE = re.compile(r"<!date\^[^|<>]*\|([^<>]*)>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>")
_BARE_LINK = re.compile(r"<((?:https?|mailto):[^<>]+)>")


@dataclass(frozen=True)
class Button:
    number: int
    action_id: str
    block_id: str | None
    text: str
    value: Any
    type: str


def text_of(obj: Any) -> str:
    """The readable text of a text object, with Slack's mrkdwn escapes undone."""
    if not isinstance(obj, dict):
        return "" if obj is None else str(obj)
    text = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
        text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
        text = _DATE.sub(lambda m: m.group(1), text)
        text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
        text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
        text = _BARE_LINK.sub(lambda m: m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def buttons(blocks: list[dict] | None) -> list[Button]:
    """Every interactive element, numbered as `render_blocks` numbers them."""
    found: list[Button] = []
    for block, element in iter_elements(blocks or []):
        if element.get("type") == "image" or block.get("type") == "input":
            continue
        label = text_of(element.get("text")) or text_of(element.get("placeholder"))
        found.append(
            Button(
                number=len(found) + 1,
                action_id=str(element.get("action_id", "")),
                block_id=block.get("block_id"),
                text=label or element.get("type", "?"),
                value=element.get("value"),
                type=element.get("type", "button"),
            )
        )
    return found


def _wrap(text: str, indent: str = "") -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(
            paragraph, WIDTH - len(indent), replace_whitespace=False, drop_whitespace=True
        )
        lines += [indent + line for line in wrapped] or [indent.rstrip()]
    return lines


def _packed(lead: str, items: list[str], indent: str = "    ") -> list[str]:
    """`lead`, then `items` two spaces apart: a long list is broken between items only."""
    lines = [lead]
    for n, item in enumerate(items):
        gap = " " if n == 0 else "  "
        if len(lines[-1]) + len(gap) + len(item) > WIDTH and n > 0:
            lines.append(indent + item)
        else:
            lines[-1] += gap + item
    return lines


def _element_label(element: dict[str, Any], number: int | None) -> str:
    kind = element.get("type")
    label = text_of(element.get("text")) or text_of(element.get("placeholder")) or kind or "?"
    if kind in ("static_select", "overflow", "radio_buttons", "checkboxes"):
        options = [text_of(o.get("text")) for o in element.get("options") or []]
        label += " {" + " | ".join(options) + "}"
    return f"[{number}] {label}" if number is not None else label


def _rich_text(block: dict[str, Any]) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                parts.append(str(node.get("text", "")))
            elif node.get("type") == "user":
                parts.append("@" + str(node.get("user_id", "")))
            elif node.get("type") == "link":
                parts.append(str(node.get("text") or node.get("url", "")))
            for child in node.get("elements") or []:
                walk(child)

    walk(block)
    return "".join(parts)


def render_blocks(blocks: list[dict] | None, *, start: int = 1) -> str:
    """Readable text for a list of blocks; buttons numbered from `start`."""
    lines: list[str] = []
    number = start
    for block in blocks or []:
        kind = block.get("type")
        if kind == "header":
            title = text_of(block.get("text"))
            lines += [title.upper(), "=" * min(len(title), WIDTH)]
        elif kind == "divider":
            lines.append("-" * WIDTH)
        elif kind == "section":
            if block.get("text"):
                lines += _wrap(text_of(block["text"]))
            for field in block.get("fields") or []:
                lines += _wrap(text_of(field), "  • ")
            accessory = block.get("accessory")
            if isinstance(accessory, dict) and accessory.get("type") != "image":
                lines.append("  " + _element_label(accessory, number))
                number += 1
        elif kind == "context":
            bits = [
                text_of(e) if e.get("type") != "image" else f"[{e.get('alt_text', 'image')}]"
                for e in block.get("elements") or []
            ]
            lines += _wrap("  ".join(bits), "  ")
        elif kind == "actions":
            labels = []
            for element in block.get("elements") or []:
                labels.append(_element_label(element, number))
                number += 1
            lines.append("  ".join(labels))
        elif kind == "input":
            element = block.get("element") or {}
            optional = " (optional)" if block.get("optional") else ""
            lines.append(f"{text_of(block.get('label'))}{optional}:")
            hint = text_of(element.get("placeholder")) or element.get("type", "")
            multiline = element.get("multiline")
            options = [
                text_of(o.get("text"))
                for o in [
                    *(element.get("options") or []),
                    *(
                        o
                        for g in element.get("option_groups") or []
                        for o in g.get("options") or []
                    ),
                ]
                if isinstance(o, dict)
            ]
            if options:
                mark = (
                    "[ ]" if element.get("type") in ("checkboxes", "multi_static_select") else "( )"
                )
                lines += _packed(f"  {element.get('type', '')}:", [f"{mark} {o}" for o in options])
            else:
                lines.append(f"  [{'_' * 20}] {hint}" + ("  (multi-line)" if multiline else ""))
            if block.get("hint"):
                lines += _wrap(text_of(block["hint"]), "  ")
        elif kind == "image":
            lines.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "rich_text":
            lines += _wrap(_rich_text(block))
        else:
            lines.append(f"[{kind} block]")
    return "\n".join(lines)


def render_message(message: dict[str, Any]) -> str:
    """A stored message or ephemeral: its blocks, or its text when it has none."""
    if message.get("blocks"):
        return render_blocks(message["blocks"])
    return "\n".join(_wrap(text_of({"type": "mrkdwn", "text": message.get("text", "")})))


def render_view(view: dict[str, Any]) -> str:
    """A modal or App Home: title bar, blocks, then the close/submit buttons."""
    title = text_of(view.get("title")) or ("App Home" if view.get("type") == "home" else "")
    lines = [f"┌ {title} ", render_blocks(view.get("blocks"))]
    footer = [f"<{text_of(view[key])}>" for key in ("close", "submit") if view.get(key)]
    if footer:
        lines.append("  ".join(footer))
    return "\n".join(lines)
