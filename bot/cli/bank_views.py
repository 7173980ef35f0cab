"""Plain-text rendering for `mlquiz bank` (tables, one question, coverage stats).

Pure functions from bank data to lines, so the command module only loads, decides
and echoes.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Collection, Sequence

from questionbank.loader import Bank
from questionbank.models import Difficulty, Kind, Question, Use
from questionbank.topics import REQUIRED_TOPICS, topic_label

MIN_QUESTIONS_PER_REQUIRED_TOPIC = 2
WRAP_WIDTH = 88


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Collection[int] = ()
) -> list[str]:
    """Columns two spaces apart, numbers (`right` column indexes) right-aligned; the
    last column is not padded unless right-aligned."""
    all_rows = [header, *rows]
    widths = [max(len(row[i]) for row in all_rows) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return [line(row) for row in all_rows]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def question_table(questions: Sequence[Question]) -> list[str]:
    rows = [(q.id, q.difficulty.value, ",".join(q.topics), q.title) for q in questions]
    return table(("ID", "DIFFICULTY", "TOPICS", "TITLE"), rows)


def _paragraphs(text: str, indent: str = "  ") -> list[str]:
    """Re-wrap each blank-line-separated paragraph of YAML text to the terminal width."""
    lines: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        if lines:
            lines.append("")
        lines.extend(
            textwrap.wrap(
                " ".join(paragraph.split()),
                WRAP_WIDTH,
                initial_indent=indent,
                subsequent_indent=indent,
            )
        )
    return lines


def _bullets(items: Sequence[str], indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for item in items:
        lines.extend(
            textwrap.wrap(
                " ".join(item.split()),
                WRAP_WIDTH,
                initial_indent=f"{indent}- ",
                subsequent_indent=f"{indent}  ",
            )
        )
    return lines


def key_point_lines(question: Question) -> list[str]:
    lines: list[str] = []
    for number, point in enumerate(question.key_points, start=1):
        tags = [f"weight {point.weight:g}"]
        if point.required:
            tags.insert(0, "required")
        lines.append(f"  {number}. {point.text}  [{', '.join(tags)}]")
        if point.aliases:
            lines.extend(
                textwrap.wrap(
                    "; ".join(point.aliases),
                    WRAP_WIDTH,
                    initial_indent="     aliases: ",
                    subsequent_indent="              ",
                )
            )
        else:
            lines.append("     aliases: (none)")
    return lines


def question_details(question: Question, source: str | None = None) -> list[str]:
    topics = ", ".join(f"{slug} ({topic_label(slug)})" for slug in question.topics)
    lines = [
        f"{question.id}: {question.title}",
        f"  difficulty: {question.difficulty.value}   kind: {question.kind.value}"
        f"   use: {question.use.value}   minutes: {question.minutes}",
        f"  topics: {topics}",
    ]
    if source:
        lines.append(f"  file: {source}")
    sections: list[tuple[str, list[str]]] = [
        ("Prompt", _paragraphs(question.prompt)),
        ("Why it is asked", _paragraphs(question.why_asked)),
        ("Expected answer", _paragraphs(question.expected_answer)),
        (f"Key points ({len(question.key_points)})", key_point_lines(question)),
        ("Strong answer signals", _bullets(question.strong_answer_signals)),
        ("Follow-up questions", _bullets(question.follow_ups)),
        ("References", _bullets(question.references)),
    ]
    for heading, body in sections:
        if body:
            lines.extend(["", heading, *body])
    return lines


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "-"


def stats_lines(bank: Bank) -> list[str]:
    """Questions per difficulty, kind and topic, and which required topics are thin."""
    total = len(bank)
    lines = [f"{plural(total, 'question')} in {plural(len(bank.files), 'file')}"]

    by_difficulty = Counter(q.difficulty for q in bank)
    rows = [(d.value, str(by_difficulty[d]), _share(by_difficulty[d], total)) for d in Difficulty]
    lines += ["", "By difficulty", *table(("DIFFICULTY", "QUESTIONS", "SHARE"), rows, right={1, 2})]

    by_kind = Counter(q.kind for q in bank)
    rows = [(k.value, str(by_kind[k]), _share(by_kind[k], total)) for k in Kind]
    lines += ["", "By kind", *table(("KIND", "QUESTIONS", "SHARE"), rows, right={1, 2})]
    by_use = Counter(q.use for q in bank)
    rows = [(u.value, str(by_use[u]), _share(by_use[u], total)) for u in Use]
    lines += ["", "By use", *table(("USE", "QUESTIONS", "SHARE"), rows, right={1, 2})]

    counts = bank.topics()
    topics = list(REQUIRED_TOPICS) + sorted(set(counts) - set(REQUIRED_TOPICS))
    thin = [t for t in REQUIRED_TOPICS if counts.get(t, 0) < MIN_QUESTIONS_PER_REQUIRED_TOPIC]
    topic_rows = [
        (
            topic,
            str(counts.get(topic, 0)),
            _share(counts.get(topic, 0), total),
            f"! fewer than {MIN_QUESTIONS_PER_REQUIRED_TOPIC} (required topic)"
            if topic in thin
            else "",
        )
        for topic in topics
    ]
    lines += [
        "",
        "By topic (a question may cover several topics, so shares add up to more than 100%)",
        *table(("TOPIC", "QUESTIONS", "SHARE", ""), topic_rows, right={1, 2}),
        "",
    ]
    if thin:
        lines.append(
            f"{plural(len(thin), 'required topic')} covered by fewer than "
            f"{MIN_QUESTIONS_PER_REQUIRED_TOPIC} questions: {', '.join(thin)}"
        )
    else:
        lines.append(
            f"every required topic has at least {MIN_QUESTIONS_PER_REQUIRED_TOPIC} questions"
        )
    return lines
