import asyncio

from click.testing import CliRunner

from bot.cli.main import cli
from bot.storage.sqlite.database import Database

from .conftest import answer, channel_post, graded
from .store import Store


def test_migrate_stats_backup(tmp_path):
    path = tmp_path / "cli.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["db", "migrate", "--db", str(path)])
    assert first.exit_code == 0, first.output
    assert "applied 0001_initial.sql" in first.output
    again = runner.invoke(cli, ["db", "migrate", "--db", str(path)])
    assert again.exit_code == 0 and "up to date" in again.output

    async def seed():
        database = await Database.open(path)
        store = Store(database)
        post = await channel_post(store)
        await store.answers.record(answer(post, event="E1"), graded(1.0))
        await database.close()

    asyncio.run(seed())
    stats = runner.invoke(cli, ["db", "stats", "--db", str(path)])
    assert stats.exit_code == 0, stats.output
    counts = {line.split()[0]: line.split()[1] for line in stats.output.splitlines()[1:]}
    assert counts["answers"] == "1" and counts["posts"] == "1" and counts["score_totals"] == "8"
    assert "file size" in stats.output

    target = tmp_path / "backup.db"
    backup = runner.invoke(cli, ["db", "backup", "--db", str(path), str(target)])
    assert backup.exit_code == 0, backup.output
    refused = runner.invoke(cli, ["db", "backup", "--db", str(path), str(target)])
    assert refused.exit_code != 0 and "--force" in refused.output

    async def read_copy():
        database = await Database.open(target)
        try:
            return (await database.table_counts())["answers"]
        finally:
            await database.close()

    assert asyncio.run(read_copy()) == 1


def test_database_path_comes_from_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "from-env.db"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["db", "migrate"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-env.db").exists()


def test_stats_of_a_missing_file_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["db", "stats", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code != 0 and "does not exist" in result.output
