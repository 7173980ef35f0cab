"""`mlquiz db`: migrate, inspect and back up the SQLite database.

The path comes from the DATABASE_PATH setting unless `--db` is given.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from bot.bootstrap import open_database
from bot.config import load_settings


def register(cli: click.Group) -> None:
    cli.add_command(db)


def _path(db_option: Path | None) -> Path:
    return db_option if db_option is not None else load_settings().database_path


db_path_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database file (default: the DATABASE_PATH setting).",
)


@click.group()
def db() -> None:
    """Migrate, inspect and back up the database."""


@db.command()
@db_path_option
def migrate(db_path: Path | None) -> None:
    """Apply pending migrations (safe to run again)."""
    path = _path(db_path)

    async def run() -> tuple[list[str], int]:
        database = await open_database(path, migrate=False)
        try:
            applied = await database.migrate()
            return [m.name for m in applied], await database.schema_version()
        finally:
            await database.close()

    applied, version = asyncio.run(run())
    for name in applied:
        click.echo(f"applied {name}")
    click.echo(f"{path}: schema version {version}" + ("" if applied else " (up to date)"))


@db.command()
@db_path_option
def stats(db_path: Path | None) -> None:
    """Row counts per table and the file size."""
    path = _path(db_path)
    if not path.exists():
        raise click.ClickException(f"{path} does not exist (run `mlquiz db migrate` first)")

    async def run() -> tuple[dict[str, int], int]:
        database = await open_database(path, migrate=False)
        try:
            return await database.table_counts(), await database.schema_version()
        finally:
            await database.close()

    counts, version = asyncio.run(run())
    width = max((len(name) for name in counts), default=5)
    click.echo(f"{path}  schema version {version}")
    for name, count in counts.items():
        click.echo(f"  {name:<{width}}  {count:>12,}")
    click.echo(f"  {'file size':<{width}}  {_size(path):>12}")


@db.command()
@db_path_option
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite TARGET if it exists.")
def backup(db_path: Path | None, target: Path, force: bool) -> None:
    """Copy the live database to TARGET (SQLite online backup; safe while serving)."""
    path = _path(db_path)
    if not path.exists():
        raise click.ClickException(f"{path} does not exist")
    if target.exists():
        if not force:
            raise click.ClickException(f"{target} exists; pass --force to overwrite it")
        target.unlink()

    async def run() -> None:
        database = await open_database(path, migrate=False)
        try:
            await database.backup(target)
        finally:
            await database.close()

    asyncio.run(run())
    click.echo(f"backed up {path} to {target} ({_size(target)})")


def _size(path: Path) -> str:
    total: float = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    for unit in ("B", "KB", "MB", "GB"):
        if total < 1024 or unit == "GB":
            return f"{total:.0f} {unit}" if unit == "B" else f"{total:.1f} {unit}"
        total /= 1024
    return f"{total:.1f} GB"
