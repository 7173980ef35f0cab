"""`mlquiz serve` (Slack or the offline sandbox) and `mlquiz demo`."""

from __future__ import annotations

import asyncio
import logging

import click

from bot.config import Settings, SettingsError, load_settings
from bot.logs import configure_logging

log = logging.getLogger("mlquiz.serve")


def register(cli: click.Group) -> None:
    cli.add_command(serve)
    cli.add_command(demo)


@click.command()
@click.option("--offline", is_flag=True, help="Use the local Slack stand-in even with tokens.")
def serve(offline: bool) -> None:
    """Serve Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP), or the offline sandbox."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    if offline or not settings.online:
        asyncio.run(_sandbox(settings))
        return
    from bot.bootstrap import serve as serve_slack

    socket_mode = settings.slack_app_token is not None
    if not socket_mode and settings.slack_signing_secret is None:
        raise SettingsError("SLACK_SIGNING_SECRET is required to serve Slack over HTTP")
    asyncio.run(serve_slack(settings, socket_mode=socket_mode))


async def _sandbox(settings: Settings) -> None:
    from bot.devtools.repl import run_repl
    from bot.devtools.sandbox import Sandbox

    # The sandbox keeps its own file so trying it never touches a real database.
    sandbox_db = settings.database_path.with_name(settings.database_path.stem + "-sandbox.db")
    logging.getLogger().setLevel(logging.WARNING)
    async with Sandbox(settings.model_copy(update={"database_path": sandbox_db})) as sandbox:
        await run_repl(sandbox)


@click.command()
@click.option(
    "--panel",
    is_flag=True,
    help="An interview panel instead: the form, plan, kits, reminders, scorecards, "
    "packet, decision and purge.",
)
def demo(panel: bool) -> None:
    """Run a scripted offline session with simulated users and print it."""
    from bot.devtools.demo import run_demo

    settings = load_settings()
    configure_logging("WARNING", settings.log_format)
    asyncio.run(run_demo(settings, panel=panel))
