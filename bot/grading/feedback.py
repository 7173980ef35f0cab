"""What a grade says to the person who wrote the answer, in words that match its marks.

Pure functions from a `Grade` to plain strings with Slack mrkdwn (or without markup, for
the terminal). The Slack renderer calls:

* `headline(grade)`: the verdict, the score and what was covered, e.g.
  ``*Pass: 100%* · 5 of 6 key points covered, enough for full marks``. It never shows
  100% without saying why a point counted as covered by weight, and names what capped a
  score ("a required point is missing: …").
* `key_point_lines(grade)`: one line per key point, an icon, the point, a note where
  needed ("partly", "required", "not needed for full marks") and, for credited points,
  ``_you wrote:_ “…”`` with the user's own words that carry the matched meaning.
* `flag_lines(grade)`: one line per flag, quoting the user's words where the flag is
  about them.

User text (snippets and flag messages, which quote it) is escaped with the `escape`
function given (default `escape_mrkdwn`: `&`, `<` and `>`), so it cannot ping anyone or
turn into markup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from bot.grading.result import Grade, KeyPointResult

STATUS_ICON = {"covered": "✅", "partial": "🟡", "missed": "❌"}
SNIPPET_LIMIT = 160

Escape = Callable[[str], str]


def escape_mrkdwn(text: str) -> str:
    """Slack's own escaping of the three characters that make markup."""
    text = "".join(ch for ch in text or "" if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str) -> str:
    """No escaping: for the terminal."""
    return text


def percent(score: float) -> str:
    return f"{round(score * 100)}%"


def full_marks_by_weight(grade: Grade) -> bool:
    """Full marks although not every key point was covered: what was covered weighs
    enough (an explicit rubric needs 85% of the weight, a derived one the claims the
    question asks for)."""
    return grade.score >= 1.0 and any(kp.status != "covered" for kp in grade.key_points)


def coverage_summary(grade: Grade) -> str:
    """ "3 of 5 key points covered, 1 partly" in words that match the marks."""
    points = grade.key_points
    total = len(points)
    covered = sum(1 for kp in points if kp.status == "covered")
    partial = sum(1 for kp in points if kp.status == "partial")
    noun = "key point" if total == 1 else "key points"
    if covered == total:
        text = "the key point covered" if total == 1 else f"all {total} {noun} covered"
    else:
        text = f"{covered} of {total} {noun} covered"
        if partial:
            text += f", {partial} partly"
    if full_marks_by_weight(grade):
        text += ", enough for full marks"
    return text


def _limit_reason(grade: Grade, escape: Escape) -> str | None:
    limit = grade.limited_by
    if limit == "required":
        missed = [kp.text for kp in grade.key_points if kp.required and kp.status == "missed"]
        names = "; ".join(f"“{escape(t)}”" for t in missed)
        if len(missed) == 1:
            return f"a required point is missing: {names}"
        return f"required points are missing: {names}"
    return _REASONS.get(limit or "")


_REASONS = {
    "copied_reference": "held down: it repeats the published expected answer",
    "off_topic": "the answer does not address this question",
    "keyword_list": "a list of terms, not an explanation",
    "too_short": "too short to explain anything",
}


def headline(grade: Grade, *, markup: bool = True, escape: Escape = escape_mrkdwn) -> str:
    """The verdict line: ``*Pass: 85%* · 4 of 5 key points covered``.

    What capped the score, when something did, replaces or follows the coverage: a
    missed required point is named, an off-topic answer says so.
    """
    verdict = "Pass" if grade.passed else "Not yet"
    score = f"{verdict}: {percent(grade.score)}"
    if markup:
        score = f"*{score}*"
    parts = [score]
    reason = _limit_reason(grade, escape if markup else plain)
    for code in ("off_topic", "too_short"):
        # Said even when the score was already below the cap.
        if grade.limited_by == code or (reason is None and grade.has_flag(code)):
            return " · ".join([score, _REASONS[code]])
    parts.append(coverage_summary(grade))
    if reason:
        parts.append(reason)
    return " · ".join(parts)


def key_point_line(
    point: KeyPointResult,
    grade: Grade,
    *,
    markup: bool = True,
    escape: Escape = escape_mrkdwn,
    quote: Escape | None = None,
) -> str:
    """One key point: icon, its text, a note where the marks need one, and the user's
    words for a credited point (shown by `quote` when given, else escaped in quotes)."""
    escape_fn = escape if markup else plain
    line = f"{STATUS_ICON[point.status]} {escape_fn(point.text)}"
    notes = []
    if point.status == "partial":
        notes.append("counted in full" if grade.score >= 1.0 else "partly")
    if point.status == "missed":
        if point.required:
            notes.append("required")
        if grade.score >= 1.0:
            notes.append("not needed for full marks")
    if notes:
        note = ", ".join(notes)
        line += f" _({note})_" if markup else f" ({note})"
    if point.status != "missed" and point.snippet:
        snippet = " ".join(point.snippet.split())
        if len(snippet) > SNIPPET_LIMIT:
            snippet = snippet[: SNIPPET_LIMIT - 1].rstrip() + "…"
        label = "_you wrote:_" if markup else "you wrote:"
        shown = quote(snippet) if quote is not None and markup else f"“{escape_fn(snippet)}”"
        line += f"\n      {label} {shown}"
    return line


def key_point_lines(
    grade: Grade,
    *,
    markup: bool = True,
    escape: Escape = escape_mrkdwn,
    quote: Escape | None = None,
) -> list[str]:
    return [
        key_point_line(p, grade, markup=markup, escape=escape, quote=quote)
        for p in grade.key_points
    ]


def flag_lines(grade: Grade, *, markup: bool = True, escape: Escape = escape_mrkdwn) -> list[str]:
    """One line per flag; messages quote the user's words, so they are escaped."""
    escape_fn = escape if markup else plain
    return [f"⚠️ {escape_fn(flag.message)}" for flag in grade.flags]
