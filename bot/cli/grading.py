"""`mlquiz grade`, `grade-batch` and `calibrate`: the grader from the command line.

Reading files and the bank happens here, and `calibrate --from-db` reads the app's human
judgements through the storage that `bot.bootstrap` opens; grading itself is the pure
`bot.grading`.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, cast

import click
from rapidfuzz import fuzz, process

from bot.bootstrap import open_storage
from bot.core.records import HumanLabel
from bot.grading import PASS_THRESHOLD, Grade, Rubric, grade
from bot.grading.calibration import KAPPA_BINS, Agreement, Judged, calibrate
from bot.grading.feedback import flag_lines, headline

STATUS_MARKS = {"covered": "✓", "partial": "~", "missed": "✗"}
EXIT_BAD_INPUT = 2


def register(cli: click.Group) -> None:
    cli.add_command(grade_command)
    cli.add_command(grade_batch_command)
    cli.add_command(calibrate_command)


# --- mlquiz grade ---------------------------------------------------------------------------


@click.command("grade")
@click.argument("question_id")
@click.argument("answer")
@click.option("--json", "as_json", is_flag=True, help="Print the grade as one JSON object.")
@click.option(
    "--seen",
    is_flag=True,
    help="The author could have seen the published answer: a copy of it is capped.",
)
def grade_command(question_id: str, answer: str, as_json: bool, seen: bool) -> None:
    """Grade ANSWER to the bank question QUESTION_ID (ANSWER "-" reads stdin).

    Without --seen a copy of the expected answer is flagged but graded like any other
    answer, as for someone who never saw it; the app passes what it knows.
    """
    from bot.config import load_settings
    from questionbank.loader import load_bank

    bank = load_bank(load_settings().bank_dirs)
    question = bank.get(question_id)
    if question is None:
        raise click.ClickException(unknown_id_message(question_id, list(bank.questions)))
    if answer == "-":
        answer = sys.stdin.read()
    result = grade(question, answer, seen_reference=seen)
    if as_json:
        click.echo(json.dumps({"id": question_id, **result.to_dict()}, ensure_ascii=False))
        return
    for line in render_grade(result):
        click.echo(line)


def unknown_id_message(question_id: str, known: list[str]) -> str:
    close = process.extract(question_id, known, scorer=fuzz.WRatio, limit=3, score_cutoff=50)
    message = f"no question with id {question_id!r}"
    if close:
        message += "; closest: " + ", ".join(choice for choice, _, _ in close)
    return message


def render_grade(result: Grade) -> list[str]:
    """The grade as the terminal shows it: score and verdict, the headline the user would
    see (bot.grading.feedback), each key point with its similarity and the user's words,
    and the flags."""
    verdict = "PASS" if result.passed else "FAIL"
    lines = [
        f"score {result.score:.2f}  {verdict}  (pass at {PASS_THRESHOLD:.2f})",
        headline(result, markup=False),
        "",
    ]
    for kp in result.key_points:
        mark = STATUS_MARKS[kp.status]
        tags = []
        if kp.required:
            tags.append("required")
        if kp.weight != 1.0:
            tags.append(f"weight {kp.weight:g}")
        suffix = f"  [{', '.join(tags)}]" if tags else ""
        lines.append(f"{mark} {kp.status:<7} {kp.similarity:.2f}  {kp.text}{suffix}")
        if kp.snippet and kp.status != "missed":
            lines.append(f"      “{' '.join(kp.snippet.split())}”")
    if result.flags:
        lines.append("")
        lines.extend(
            f"! {flag.code}: {line.removeprefix('⚠️ ')}"
            for flag, line in zip(result.flags, flag_lines(result, markup=False), strict=True)
        )
    return lines


# --- mlquiz grade-batch ---------------------------------------------------------------------


class BadLine(ValueError):
    """A batch input line that cannot be graded; the message says why."""


class RubricCache:
    """Rubrics of a batch, built once per distinct (prompt, reference, key points)."""

    def __init__(self) -> None:
        self._rubrics: dict[tuple[str, str, str], Rubric] = {}

    def get(self, prompt: str, reference: str, key_points: Any) -> Rubric:
        cache_key = (prompt, reference, json.dumps(key_points, sort_keys=True))
        rubric = self._rubrics.get(cache_key)
        if rubric is None:
            try:
                rubric = Rubric.from_reference(reference, key_points or None, prompt=prompt)
            except (TypeError, ValueError, KeyError) as exc:
                raise BadLine(f"bad key_points: {exc}") from None
            self._rubrics[cache_key] = rubric
        return rubric


def grade_batch_line(line: str, rubrics: RubricCache, *, seen: bool = False) -> dict[str, Any]:
    """One JSONL input line -> one output record; BadLine when the line is unusable.

    A copy of the reference is capped only for `seen` or a line whose "seen" is true.
    """
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON ({exc.msg})") from None
    if not isinstance(row, dict):
        raise BadLine("not a JSON object")
    for name in ("reference_answer", "answer"):
        if not isinstance(row.get(name), str):
            raise BadLine(f"missing or non-text field {name!r}")
    prompt = row.get("question") or ""
    if not isinstance(prompt, str):
        raise BadLine("field 'question' must be text")
    key_points = row.get("key_points")
    if key_points is not None and not isinstance(key_points, list):
        raise BadLine("field 'key_points' must be a list")
    if not row["reference_answer"].strip() and not key_points:
        raise BadLine("empty reference_answer and no key_points")
    line_seen = row.get("seen", False)
    if not isinstance(line_seen, bool):
        raise BadLine("field 'seen' must be true or false")
    result = grade(
        rubrics.get(prompt, row["reference_answer"], key_points),
        row["answer"],
        seen_reference=seen or line_seen,
    )
    return {
        "id": row.get("id"),
        "score": result.score,
        "key_points": [
            {
                "text": kp.text,
                "status": kp.status,
                "similarity": kp.similarity,
                "snippet": kp.snippet,
            }
            for kp in result.key_points
        ],
        "flags": [flag.to_dict() for flag in result.flags],
    }


@click.command("grade-batch")
@click.argument("in_file", metavar="IN.jsonl", type=click.File("r", encoding="utf-8"))
@click.option(
    "-o",
    "--output",
    "out_file",
    metavar="OUT.jsonl",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Where to write results (default: stdout).",
)
@click.option(
    "--seen",
    is_flag=True,
    help="Every author could have seen the reference: cap copies of it (default: flag only).",
)
def grade_batch_command(in_file: TextIO, out_file: TextIO, seen: bool) -> None:
    """Grade every line of IN.jsonl: {"id", "question", "reference_answer", "answer"}.

    Optional "key_points": a list of strings or of {"text", "aliases", "weight"}; without
    it key points come from the reference answer. Optional "seen": true when that author
    could have seen the reference (its copy is then capped). Copies are always flagged.
    A bad line is reported and skipped.
    """
    lines = in_file.read().splitlines()
    rubrics = RubricCache()
    graded = skipped = 0
    show_progress = sys.stderr.isatty()
    # click types the file as TextIO; it only writes to, flushes and asks isatty of it.
    sink = sys.stderr if show_progress else cast(TextIO, _NullFile())
    with click.progressbar(lines, label="grading", file=sink) as bar:
        for number, line in enumerate(bar, start=1):
            if not line.strip():
                continue
            try:
                record = grade_batch_line(line, rubrics, seen=seen)
            except BadLine as exc:
                skipped += 1
                click.echo(f"line {number}: {exc}; skipped", err=True)
                continue
            out_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            graded += 1
    out_file.flush()
    click.echo(f"graded {graded}, skipped {skipped}", err=True)


class _NullFile:
    """A sink for the progress bar when stderr is not a terminal."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False


# --- mlquiz calibrate -----------------------------------------------------------------------

ANSWER_FIELDS = ("answer", "student_answer")
SCORE_FIELDS = ("score", "human_score")
REFERENCE_FIELDS = ("reference_answer", "expected_answer")
GROUP_FIELDS = ("qid", "question_id")


def _pick(row: dict[str, Any], chosen: str | None, candidates: tuple[str, ...]) -> Any:
    if chosen is not None:
        return row.get(chosen)
    for name in candidates:
        if name in row:
            return row[name]
    return None


def iter_graded_rows(
    path: Path, answer_field: str | None, score_field: str | None
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, row) for good rows, (line number, problem) for bad ones."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"not JSON ({exc.msg})"
                continue
            if not isinstance(row, dict):
                yield number, "not a JSON object"
                continue
            answer = _pick(row, answer_field, ANSWER_FIELDS)
            score = _pick(row, score_field, SCORE_FIELDS)
            reference = _pick(row, None, REFERENCE_FIELDS)
            if not isinstance(answer, str) or not isinstance(reference, str):
                yield number, "needs an answer and a reference answer (text)"
                continue
            if isinstance(score, bool) or not isinstance(score, int | float):
                yield number, "needs a numeric human score"
                continue
            if not 0.0 <= float(score) <= 1.0:
                yield number, f"human score {score} outside [0, 1]"
                continue
            group = _pick(row, None, GROUP_FIELDS) or row.get("question") or reference[:40]
            yield (
                number,
                {
                    "answer": answer,
                    "human": float(score),
                    "reference": reference,
                    "prompt": row.get("question") if isinstance(row.get("question"), str) else "",
                    "key_points": row.get("key_points"),
                    "group": str(group),
                },
            )


def format_agreement(title: str, result: Agreement) -> list[str]:
    t = result.threshold
    return [
        f"{title}",
        f"  n {result.n}",
        f"  Pearson r    {result.pearson:.3f}",
        f"  Spearman rho {result.spearman:.3f}",
        f"  QWK          {result.kappa:.3f}  (both sides binned to nearest of "
        f"{', '.join(f'{b:g}' for b in KAPPA_BINS)})",
        f"  best pass threshold {t.threshold:.2f}: accuracy {t.accuracy:.3f}, "
        f"balanced accuracy {t.balanced_accuracy:.3f} (human pass = score >= 0.5)",
    ]


@dataclass
class JudgementSource:
    """The judgements of one `mlquiz calibrate` run and what its report says of where
    they came from: lines before the figures, counts added to the JSON, a warning (before
    the figures, or on stderr with --json) and a note of skipped input for stderr."""

    judged: list[Judged] = field(default_factory=list)
    preface: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    warning: str = ""
    problems: str = ""


@click.command("calibrate")
@click.argument(
    "graded",
    metavar="[GRADED.jsonl]",
    required=False,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--from-db",
    is_flag=True,
    help="Calibrate against the app's own human judgements (admin grade overrides and "
    "appeals accepted with a score) instead of a file.",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --from-db: the database file (default: the DATABASE_PATH setting).",
)
@click.option(
    "--team",
    "team_id",
    metavar="TEAM_ID",
    default=None,
    help="With --from-db: only this workspace's judgements (default: every workspace).",
)
@click.option("--answer-field", default=None, help="Field of GRADED.jsonl with the answer text.")
@click.option(
    "--score-field", default=None, help="Field of GRADED.jsonl with the human score in [0, 1]."
)
@click.option(
    "--min-words",
    default=3,
    show_default=True,
    type=click.IntRange(min=0),
    help="Also report without answers of this many words or fewer.",
)
@click.option(
    "--exclude-qid",
    "exclude_qids",
    multiple=True,
    metavar="Q",
    help="Leave out the answers to question Q (its qid); repeatable.",
)
@click.option(
    "--seen",
    is_flag=True,
    help="Cap copies of the reference, as if every author could have seen it "
    "(default: copies are flagged, not capped).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
def calibrate_command(
    graded: Path | None,
    from_db: bool,
    db_path: Path | None,
    team_id: str | None,
    answer_field: str | None,
    score_field: str | None,
    min_words: int,
    exclude_qids: tuple[str, ...],
    seen: bool,
    as_json: bool,
) -> None:
    """Agreement of the grader with human scores, and a pass threshold.

    From GRADED.jsonl: each line needs an answer, a reference answer and a human score in
    [0, 1]; key points come from the line's "key_points" or, without them, from the
    reference answer. With --from-db: the app's own human judgements (the latest admin
    override of each answer, appeals accepted with a score among them), each graded
    against its bank question; judgements whose question is no longer in the bank are
    skipped. The same figures for plain token recall of the reference (the share of its
    content words the answer uses) are printed as the baseline.
    """
    excluded = set(exclude_qids)
    if from_db:
        if graded is not None:
            raise click.UsageError("give GRADED.jsonl or --from-db, not both")
        if answer_field is not None or score_field is not None:
            raise click.UsageError("--answer-field and --score-field are for GRADED.jsonl")
        source = judgements_from_db(db_path, team_id, excluded)
    else:
        if graded is None:
            raise click.UsageError(
                "missing GRADED.jsonl (or --from-db for the app's own human judgements)"
            )
        if db_path is not None or team_id is not None:
            raise click.UsageError("--db and --team go with --from-db")
        source = judgements_from_file(graded, answer_field, score_field, excluded)
        if len(source.judged) < 2:
            raise click.ClickException("need at least two usable graded answers")
    report_calibration(source, min_words=min_words, seen=seen, as_json=as_json, excluded=excluded)


def judgements_from_file(
    graded: Path, answer_field: str | None, score_field: str | None, excluded: set[str]
) -> JudgementSource:
    """The usable lines of GRADED.jsonl; each bad line is reported on stderr."""
    rubrics = RubricCache()
    source = JudgementSource()
    problems = 0
    left_out = 0
    for number, row in iter_graded_rows(graded, answer_field, score_field):
        if isinstance(row, str):
            problems += 1
            click.echo(f"line {number}: {row}; skipped", err=True)
            continue
        if row["group"] in excluded:
            left_out += 1
            continue
        try:
            rubric = rubrics.get(row["prompt"], row["reference"], row["key_points"])
        except BadLine as exc:
            problems += 1
            click.echo(f"line {number}: {exc}; skipped", err=True)
            continue
        source.judged.append(
            Judged(rubric, row["answer"], row["human"], group=row["group"], seen_reference=True)
        )
    if excluded:
        source.preface.append(f"left out qid {', '.join(sorted(excluded))}: {left_out} answers")
    source.counts = {"excluded_lines": left_out, "skipped_lines": problems}
    if problems:
        source.problems = f"{problems} lines skipped"
    return source


# Fewer judgements than this and the figures are anecdotes: one reviewer's few overrides
# can swing a correlation from one end to the other.
MEANINGFUL_JUDGEMENTS = 10


def judgements_from_db(
    db_path: Path | None, team_id: str | None, excluded: set[str]
) -> JudgementSource:
    """The app's human judgements, each paired with its question in the bank."""
    from bot.config import load_settings
    from questionbank.loader import load_bank

    settings = load_settings()
    path = db_path if db_path is not None else settings.database_path
    if not path.exists():
        raise click.ClickException(f"{path} does not exist")
    where = f"{path}" + (f" (workspace {team_id})" if team_id else "")
    try:
        labels = asyncio.run(_read_labels(path, team_id))
    except sqlite3.Error as exc:
        raise click.ClickException(
            f"cannot read human judgements from {path} ({exc}); is it an mlquiz database?"
        ) from None
    if not labels:
        raise click.ClickException(
            f"no human judgements in {where}: nothing to calibrate against yet "
            "(they come from admin grade overrides and appeals accepted with a score)"
        )
    bank = load_bank(settings.bank_dirs)
    source = JudgementSource()
    not_in_bank = left_out = 0
    for label in labels:
        question = bank.get(label.question_id)
        if question is None:
            not_in_bank += 1
        elif label.question_id in excluded:
            left_out += 1
        else:
            # The author may or may not have seen the published answer; copies are
            # capped only with --seen, as for a file.
            source.judged.append(
                Judged(
                    question,
                    label.text,
                    label.human_score,
                    group=label.question_id,
                    seen_reference=True,
                )
            )
    used = len(source.judged)
    if used < 2:
        raise click.ClickException(
            f"{_usable(used)} of the {_judgements(len(labels))} in {where}"
            f"{_dropped(not_in_bank, left_out)}: agreement needs at least two, and "
            f"{MEANINGFUL_JUDGEMENTS} or more to mean anything"
        )
    source.preface.append(
        f"human judgements in {where}: {len(labels)}, {used} used{_dropped(not_in_bank, left_out)}"
    )
    too_few = used < MEANINGFUL_JUDGEMENTS
    if too_few:
        source.warning = (
            f"warning: too few to mean anything: {_judgements(used)}; read these figures "
            f"as anecdotes until there are {MEANINGFUL_JUDGEMENTS} or more"
        )
    source.counts = {
        "database": str(path),
        "team": team_id,
        "judgements": len(labels),
        "used": used,
        "skipped_not_in_bank": not_in_bank,
        "excluded_judgements": left_out,
        "too_few": too_few,
    }
    return source


async def _read_labels(path: Path, team_id: str | None) -> list[HumanLabel]:
    storage = await open_storage(path, migrate=False)
    try:
        async with storage.reading() as uow:
            return await uow.feedback.labels(team_id)
    finally:
        await storage.close()


def _judgements(n: int) -> str:
    return f"{n} judgement" + ("" if n == 1 else "s")


def _usable(n: int) -> str:
    return {0: "none", 1: "only one"}.get(n, str(n))


def _dropped(not_in_bank: int, left_out: int) -> str:
    parts = []
    if not_in_bank:
        parts.append(f"{not_in_bank} skipped (question no longer in the bank)")
    if left_out:
        parts.append(f"{left_out} left out by --exclude-qid")
    return "; " + ", ".join(parts) if parts else ""


def report_calibration(
    source: JudgementSource, *, min_words: int, seen: bool, as_json: bool, excluded: set[str]
) -> None:
    report = calibrate(source.judged, min_words=min_words, cap_copies=seen)
    per_group: list[dict[str, Any]] = [
        {
            "question": g.question,
            "n": g.n,
            "pearson": round(g.pearson, 4),
            "grader_mean": round(g.grader_mean, 4),
            "human_mean": round(g.human_mean, 4),
        }
        for g in report.per_group
    ]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "all": _agreement_dict(report.overall),
                    f"more_than_{min_words}_words": (
                        _agreement_dict(report.longer) if report.longer else None
                    ),
                    "token_recall": {
                        "all": _agreement_dict(report.baseline),
                        f"more_than_{min_words}_words": (
                            _agreement_dict(report.baseline_longer)
                            if report.baseline_longer
                            else None
                        ),
                    },
                    "per_question": per_group,
                    "excluded_qids": sorted(excluded),
                    **source.counts,
                    "copies_capped": seen,
                }
            )
        )
        for note in (source.warning, source.problems):
            if note:
                click.echo(note, err=True)
        return
    preface = [*source.preface, source.warning] if source.warning else source.preface
    if preface:
        click.echo("\n".join(preface) + "\n")
    for line in format_agreement("all answers", report.overall):
        click.echo(line)
    if report.longer is not None:
        click.echo("")
        for line in format_agreement(f"answers of more than {min_words} words", report.longer):
            click.echo(line)
    click.echo("")
    click.echo("baseline: plain token recall of the reference")
    click.echo(_baseline_line("all answers", report.baseline))
    if report.baseline_longer is not None:
        click.echo(_baseline_line(f"more than {min_words} words", report.baseline_longer))
    click.echo("")
    click.echo(f"{'question':<24} {'n':>5} {'pearson':>8} {'grader':>7} {'human':>7}")
    for row in per_group:
        click.echo(
            f"{row['question'][:24]:<24} {row['n']:>5} {row['pearson']:>8.3f} "
            f"{row['grader_mean']:>7.3f} {row['human_mean']:>7.3f}"
        )
    if not seen:
        click.echo("\ncopies of the reference are flagged, not capped (--seen caps them)")
    if source.problems:
        click.echo(f"\n{source.problems}", err=True)


def _baseline_line(title: str, result: Agreement) -> str:
    return (
        f"  {title:<24} n {result.n:>5}  Pearson r {result.pearson:.3f}  "
        f"Spearman rho {result.spearman:.3f}  QWK {result.kappa:.3f}"
    )


def _agreement_dict(result: Agreement) -> dict[str, Any]:
    return {
        "n": result.n,
        "pearson": round(result.pearson, 4),
        "spearman": round(result.spearman, 4),
        "qwk": round(result.kappa, 4),
        "qwk_bins": list(KAPPA_BINS),
        "threshold": result.threshold.threshold,
        "threshold_accuracy": round(result.threshold.accuracy, 4),
        "threshold_balanced_accuracy": round(result.threshold.balanced_accuracy, 4),
    }
