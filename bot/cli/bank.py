"""`mlquiz bank`: check, browse and install question banks.

The installed bank is the bundled one plus every folder in the BANK_DIRS setting;
settings are read only when a command needs them, so `mlquiz bank schema` and
`mlquiz bank validate PATH` work without any configuration.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from pathlib import Path

import click

from bot.cli.bank_views import plural, question_details, question_table, stats_lines
from bot.config import load_settings
from questionbank.errors import BankError
from questionbank.loader import (
    BANK_SUFFIXES,
    Bank,
    BankBuilder,
    bank_files_in,
    load_bank,
)
from questionbank.models import Difficulty, Kind
from questionbank.schema import SCHEMA_PATH, render_schema, schema_is_current, write_schema
from questionbank.topics import TOPIC_LABELS

EXIT_PROBLEMS = 1


def register(cli: click.Group) -> None:
    cli.add_command(bank)


@click.group()
def bank() -> None:
    """Check, browse and install question banks (bundled + BANK_DIRS)."""


def _installed_bank() -> Bank:
    return load_bank(load_settings().bank_dirs)


def _warn_if_broken(loaded: Bank) -> None:
    if loaded.errors:
        click.echo(
            f"warning: {len(loaded.errors)} problems in the question banks left some "
            "questions out; run `mlquiz bank validate` to see them",
            err=True,
        )


def _echo_errors(errors: list[BankError]) -> None:
    for error in errors:
        click.echo(str(error))


@bank.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check bank files and report every problem.

    With PATHs (files or folders), checks those, including that their ids do not
    clash with the bundled bank. Without, checks the bundled bank and BANK_DIRS.
    Exits 1 when there is any problem.
    """
    builder = BankBuilder()
    if paths:
        # A bundled file named explicitly is checked as given, not twice.
        bundled = set(builder.add_bundled(exclude=_files_under(paths)))
    else:
        bundled = set()
        builder.add_bundled()
    for path in paths or load_settings().bank_dirs:
        builder.add_path(path)
    loaded = builder.build()
    # With explicit paths the bundled bank is only context for id clashes.
    checked = [file for file in loaded.files if file not in bundled]
    errors = [error for error in loaded.errors if error.file not in bundled]
    questions = sum(len(loaded.files[file]) for file in checked)
    if errors:
        _echo_errors(errors)
        bad_files = len({error.file for error in errors})
        click.echo(
            f"{plural(len(errors), 'problem')} in {plural(bad_files, 'file')}; "
            f"{plural(questions, 'valid question')} would load"
        )
        raise SystemExit(EXIT_PROBLEMS)
    click.echo(
        f"OK: {plural(questions, 'question')} in {plural(len(checked), 'file')}, no problems"
    )


def _files_under(paths: tuple[Path, ...]) -> set[Path]:
    found: set[Path] = set()
    for path in paths:
        files = bank_files_in(path) if path.is_dir() else [path]
        found.update(file.resolve() for file in files)
    return found


def _check_topics(topics: tuple[str, ...], loaded: Bank) -> None:
    known = set(TOPIC_LABELS) | set(loaded.topics())
    for topic in topics:
        if topic not in known:
            guess = difflib.get_close_matches(topic, sorted(known), n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            raise click.BadParameter(f"unknown topic '{topic}'{hint}", param_hint="--topic")


@bank.command("list")
@click.option("--topic", "topics", multiple=True, help="Only this topic (repeatable).")
@click.option(
    "--difficulty",
    type=click.Choice([d.value for d in Difficulty], case_sensitive=False),
    help="Only this difficulty.",
)
@click.option(
    "--kind",
    type=click.Choice([k.value for k in Kind], case_sensitive=False),
    help="Only technical or behavioral questions.",
)
@click.option(
    "--use",
    "purpose",
    type=click.Choice(["practice", "interview"], case_sensitive=False),
    help="Only questions usable for practice (public pools) or for interview panels.",
)
def list_questions(
    topics: tuple[str, ...], difficulty: str | None, kind: str | None, purpose: str | None
) -> None:
    """List questions as a table: id, difficulty, topics, title."""
    loaded = _installed_bank()
    _check_topics(topics, loaded)
    chosen = loaded.filter(
        topics=topics or None,
        difficulty=difficulty,
        kind=kind,
        purpose=None
        if purpose is None
        else ("interview" if purpose == "interview" else "practice"),
    )
    _warn_if_broken(loaded)
    if not chosen:
        click.echo("no questions match", err=True)
        return
    for line in question_table(chosen):
        click.echo(line)
    click.echo(f"\n{len(chosen)} of {len(loaded)} questions")


@bank.command()
@click.argument("question_id")
def show(question_id: str) -> None:
    """Show one question in full: prompt, answer, key points with aliases and weights."""
    loaded = _installed_bank()
    question = loaded.get(question_id)
    if question is None:
        guesses = difflib.get_close_matches(question_id, list(loaded.questions), n=3)
        hint = f"; did you mean {', '.join(guesses)}?" if guesses else ""
        click.echo(f"no question with id '{question_id}'{hint}", err=True)
        raise SystemExit(EXIT_PROBLEMS)
    source = loaded.source(question_id)
    for line in question_details(question, str(source) if source else None):
        click.echo(line)


@bank.command()
@click.option("--write", is_flag=True, help=f"Update {SCHEMA_PATH.name} in the package.")
@click.option("--check", is_flag=True, help="Exit 1 when the checked-in schema is stale.")
def schema(write: bool, check: bool) -> None:
    """Print the JSON Schema of a bank file (for editors)."""
    if write:
        changed = write_schema(SCHEMA_PATH)
        click.echo(f"wrote {SCHEMA_PATH}" if changed else f"{SCHEMA_PATH} is up to date")
    elif check:
        if not schema_is_current(SCHEMA_PATH):
            click.echo(f"{SCHEMA_PATH} is stale; run `mlquiz bank schema --write`", err=True)
            raise SystemExit(EXIT_PROBLEMS)
        click.echo(f"{SCHEMA_PATH} is up to date")
    else:
        click.echo(render_schema(), nl=False)


@bank.command()
def stats() -> None:
    """Questions per topic, difficulty and kind; flags thinly covered required topics."""
    loaded = _installed_bank()
    _warn_if_broken(loaded)
    for line in stats_lines(loaded):
        click.echo(line)


@bank.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Team bank folder to copy the file into (one of BANK_DIRS).",
)
@click.option("--force", is_flag=True, help="Replace a bank file of the same name.")
def import_bank(file: Path, folder: Path, force: bool) -> None:
    """Validate FILE and copy it into a team bank folder.

    The file must be free of problems, and its ids must not clash with the bundled
    bank, the BANK_DIRS folders or the target folder.
    """
    if file.suffix not in BANK_SUFFIXES:
        raise click.BadParameter(
            f"'{file}' is not a bank file: the name must end in .yaml or .yml",
            param_hint="FILE",
        )
    configured = load_settings().bank_dirs
    target = folder / file.name
    errors = _errors_against_installed(file, target, [*configured, folder])
    if errors:
        _echo_errors(errors)
        click.echo(f"not imported: {file} has {plural(len(errors), 'problem')}", err=True)
        raise SystemExit(EXIT_PROBLEMS)
    if target.exists() and not force:
        click.echo(f"not imported: {target} already exists; use --force to replace it", err=True)
        raise SystemExit(EXIT_PROBLEMS)
    _copy_atomically(file, target)
    click.echo(f"imported {file} -> {target}")
    if not any(_same_path(folder, configured_dir) for configured_dir in configured):
        click.echo(
            f"note: {folder} is not in BANK_DIRS, so the app will not load it until you add it",
            err=True,
        )


def _same_path(a: Path, b: Path) -> bool:
    return a.resolve() == b.resolve()


def _errors_against_installed(file: Path, target: Path, folders: list[Path]) -> list[BankError]:
    """Problems of `file` when loaded after everything already installed, leaving out
    the file it would replace (and itself, when it already sits in a bank folder)."""
    builder = BankBuilder()
    builder.add_bundled()
    skipped = {file.resolve(), target.resolve()}
    seen: set[Path] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for existing in bank_files_in(folder):
            resolved = existing.resolve()
            if resolved not in skipped and resolved not in seen:
                seen.add(resolved)
                builder.add_file(existing)
    builder.add_file(file)
    return [error for error in builder.build().errors if error.file == file]


def _copy_atomically(source: Path, target: Path) -> None:
    # A half-written bank file would be loaded (and reported broken) by a running app.
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(source.read_bytes())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
