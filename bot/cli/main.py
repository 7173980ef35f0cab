"""`mlquiz` command line: each command group lives in its own module and registers itself."""

from __future__ import annotations

import importlib
import logging
import sys

import click

from bot.bootstrap import DatabaseUnusable, StartupError
from bot.config import SettingsError

# Order is the order `mlquiz --help` lists them in.
COMMAND_MODULES = ("bank", "grading", "db", "serve")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mlquiz")
def cli() -> None:
    """mlquiz: machine-learning interview questions in Slack."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"bot.cli.{_name}").register(cli)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except SettingsError as exc:
        # A bad setting is one clear line, never a traceback.
        click.echo(f"mlquiz: configuration error: {exc}", err=True)
        sys.exit(2)
    except (StartupError, DatabaseUnusable) as exc:
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            logging.getLogger("mlquiz").exception("failed")
        what = "cannot start" if isinstance(exc, StartupError) else "database problem"
        click.echo(f"mlquiz: {what}: {exc}", err=True)
        sys.exit(1)
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
