"""Make user-supplied text safe to echo in Slack messages."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
_SLACK_TOKENS = re.compile(r"<[^>]*>|:[a-z0-9_+\-']+:")


def escape(text: str) -> str:
    """Escape Slack's three control characters so `<!channel>`, `<@U1>` and links in
    user text are shown literally instead of pinging people or rendering markup."""
    return (
        _CONTROL.sub("", text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    )


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"


def quote(text: str, limit: int = 280) -> str:
    """A user's words shown back to them exactly: escaped, shortened, on one line, and
    inside a code span so Slack renders `*bold*` or `_x_` literally instead of as markup
    (a backtick inside would end the span, so it is shown as a similar mark)."""
    flat = " ".join((text or "").split())
    if not flat:
        return ""
    return "`" + escape(truncate(flat, limit)).replace("`", "ˋ") + "`"


def has_words(text: str) -> bool:
    """Emoji codes, mentions and links alone are not an answer."""
    return bool(_WORD.search(_SLACK_TOKENS.sub(" ", text or "")))
