"""`mlquiz bank` end to end through click: exit codes and what each subcommand prints.

The bundled bank is swapped for the valid example files so these tests do not move
whenever a question is added to the real bank.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from bot.cli import bank as bank_cli
from questionbank import loader
from questionbank.schema import render_schema
from tests.unit.questionbank.bank_yaml import question, write_bank
from tests.unit.questionbank.example_files import EXAMPLES, VALID

BUNDLED_IDS = [
    "example-full-technical",
    "example-full-behavioral",
    "example-minimal-question",
    "example-yml-extension",
]


@pytest.fixture
def team_dir(tmp_path: Path) -> Path:
    return tmp_path / "team-bank"


@pytest.fixture
def run(tmp_path: Path, team_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(loader, "bundled_bank_files", lambda: list(VALID))
    # Settings also read `.env` from the working directory; keep the checkout's out.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BANK_DIRS", raising=False)
    group = click.Group("mlquiz")
    bank_cli.register(group)
    runner = CliRunner()

    def invoke(*args: str, bank_dirs: Path | None = None) -> Result:
        env = {"BANK_DIRS": str(bank_dirs)} if bank_dirs else {}
        return runner.invoke(group, ["bank", *args], env=env, catch_exceptions=False)

    return invoke


def _team_question(team_dir: Path, question_id: str = "team-question", **fields) -> Path:
    return write_bank(team_dir / "team.yaml", question(question_id, **fields))


def test_validate_without_paths_checks_bundled_and_configured_banks(run, team_dir: Path) -> None:
    _team_question(team_dir)

    result = run("validate", bank_dirs=team_dir)

    assert result.exit_code == 0, result.output
    assert result.output == "OK: 5 questions in 4 files, no problems\n"


def test_validate_reports_each_problem_and_exits_1(run, team_dir: Path) -> None:
    broken = write_bank(team_dir / "broken.yaml", question("ok-one"), question("bad-one", kind="x"))

    result = run("validate", bank_dirs=team_dir)

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{broken}:26: question bad-one: field kind: must be one of 'technical' or "
        "'behavioral' (got 'x')",
        "1 problem in 1 file; 5 valid questions would load",
    ]


def test_validate_paths_checks_only_those_files(run, team_dir: Path) -> None:
    good = _team_question(team_dir)

    result = run("validate", str(good))

    assert result.exit_code == 0, result.output
    assert result.output == "OK: 1 question in 1 file, no problems\n"


def test_validate_folder_of_invalid_examples_lists_every_problem(run) -> None:
    result = run("validate", str(EXAMPLES / "invalid"))

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"\d+ problems in 17 files; 3 valid questions would load", lines[-1])
    assert any("wrong-type.yaml:17: question example-wrong-type" in line for line in lines)


def test_validate_path_catches_an_id_clash_with_the_bundled_bank(run, team_dir: Path) -> None:
    clash = _team_question(team_dir, "example-minimal-question")

    result = run("validate", str(clash))

    assert result.exit_code == 1
    assert f"{clash}:2: question example-minimal-question: field id: duplicate id" in result.stdout


def test_validate_a_bundled_file_by_path_does_not_clash_with_itself(run) -> None:
    result = run("validate", str(VALID[0]))

    assert result.exit_code == 0, result.output


def test_validate_missing_path_is_a_problem(run, tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nowhere"))

    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere'}: bank folder or file does not exist" in result.stdout


def test_list_prints_an_aligned_table(run, team_dir: Path) -> None:
    _team_question(team_dir, topics=["convexity", "probability"], title="Team title")

    result = run("list", bank_dirs=team_dir)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = lines[0]
    assert header.split() == ["ID", "DIFFICULTY", "TOPICS", "TITLE"]
    rows = lines[1:6]
    assert [row.split()[0] for row in rows] == [*BUNDLED_IDS, "team-question"]
    for column in ("DIFFICULTY", "TOPICS", "TITLE"):
        start = header.index(column)
        assert all(row[start - 2 : start] == "  " and row[start] != " " for row in rows)
    assert "team-question" in rows[-1]
    assert rows[-1].split() == ["team-question", "medium", "convexity,probability", "Team", "title"]
    assert lines[-1] == "5 of 5 questions"


def test_list_filters_by_topic_and_difficulty(run) -> None:
    result = run("list", "--topic", "probability", "--difficulty", "MEDIUM")

    assert result.exit_code == 0, result.output
    ids = [line.split()[0] for line in result.stdout.splitlines()[1:-2]]
    assert ids == ["example-yml-extension"]
    assert result.stdout.splitlines()[-1] == "1 of 4 questions"


def test_list_unknown_topic_is_a_usage_error_with_a_suggestion(run) -> None:
    result = run("list", "--topic", "probabilty")

    assert result.exit_code == 2
    assert "unknown topic 'probabilty'; did you mean 'probability'?" in result.output


def test_list_with_no_match_says_so(run) -> None:
    result = run("list", "--topic", "convexity")

    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "no questions match\n"


def test_list_warns_when_banks_have_problems(run, team_dir: Path) -> None:
    (team_dir / "broken.yaml").parent.mkdir(parents=True)
    (team_dir / "broken.yaml").write_text("questions: [\n", encoding="utf-8")

    result = run("list", bank_dirs=team_dir)

    assert result.exit_code == 0
    assert "warning: 1 problems in the question banks" in result.stderr
    assert result.stdout.splitlines()[-1] == "4 of 4 questions"


def test_show_renders_the_whole_question(run) -> None:
    result = run("show", "example-full-technical")

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(
        "example-full-technical: Why standardise features before k-means\n"
        "  difficulty: medium   kind: technical   use: both   minutes: 12\n"
        "  topics: dimensionality-reduction (Dimensionality reduction), "
        "evaluation-metrics (Evaluation metrics)\n"
        f"  file: {VALID[0]}\n"
    )
    for heading in (
        "Prompt",
        "Why it is asked",
        "Expected answer",
        "Key points (3)",
        "Strong answer signals",
        "Follow-up questions",
        "References",
    ):
        assert f"\n{heading}\n" in out
    assert (
        "  1. Euclidean distance is dominated by the feature with the largest scale"
        "  [required, weight 2]\n"
        "     aliases: income dominates the distance; large-range feature swamps the others\n"
    ) in out
    assert "  3. Check cluster quality with the silhouette score  [weight 1]\n" in out
    assert "  - Would you scale a one-hot encoded feature the same way?\n" in out


def test_show_leaves_out_empty_sections(run) -> None:
    out = run("show", "example-minimal-question").stdout

    assert "Follow-up questions" not in out
    assert "     aliases: (none)\n" in out


def test_show_unknown_id_suggests_close_ids(run) -> None:
    result = run("show", "example-minimal-questoin")

    assert result.exit_code == 1
    assert result.stderr.startswith(
        "no question with id 'example-minimal-questoin'; did you mean example-minimal-question"
    )


def test_schema_prints_the_generated_schema(run) -> None:
    result = run("schema")

    assert result.exit_code == 0
    assert result.stdout == render_schema()
    assert json.loads(result.stdout)["title"] == "mlquiz question bank file"


def test_schema_write_and_check(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "schema.json"
    target.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(bank_cli, "SCHEMA_PATH", target)

    stale = run("schema", "--check")
    assert stale.exit_code == 1
    assert "is stale; run `mlquiz bank schema --write`" in stale.stderr

    written = run("schema", "--write")
    assert (written.exit_code, written.stdout) == (0, f"wrote {target}\n")
    assert target.read_text(encoding="utf-8") == render_schema()

    again = run("schema", "--write")
    assert again.stdout == f"{target} is up to date\n"
    assert run("schema", "--check").exit_code == 0


def test_stats_shows_shares_and_thin_required_topics(run) -> None:
    result = run("stats")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "4 questions in 3 files"
    assert "easy                1  25.0%" in lines
    assert "behavioral          1  25.0%" in lines
    probability = next(line for line in lines if line.startswith("probability "))
    assert probability.split() == ["probability", "2", "50.0%"]
    convexity = next(line for line in lines if line.startswith("convexity "))
    assert convexity.split()[:3] == ["convexity", "0", "0.0%"]
    assert convexity.endswith("! fewer than 2 (required topic)")
    assert lines[-1].startswith("24 required topics covered by fewer than 2 questions: ")


def test_import_copies_a_valid_file(run, tmp_path: Path, team_dir: Path) -> None:
    source = write_bank(tmp_path / "incoming" / "new.yaml", question("brand-new"))

    result = run("import", str(source), "--to", str(team_dir), bank_dirs=team_dir)

    assert result.exit_code == 0, result.output
    assert result.stdout == f"imported {source} -> {team_dir / 'new.yaml'}\n"
    assert (team_dir / "new.yaml").read_bytes() == source.read_bytes()
    assert result.stderr == ""
    assert [p.name for p in team_dir.iterdir()] == ["new.yaml"]


def test_import_notes_a_folder_outside_bank_dirs(run, tmp_path: Path) -> None:
    source = write_bank(tmp_path / "new.yaml", question("brand-new"))
    elsewhere = tmp_path / "elsewhere"

    result = run("import", str(source), "--to", str(elsewhere))

    assert result.exit_code == 0, result.output
    assert (elsewhere / "new.yaml").exists()
    assert "is not in BANK_DIRS" in result.stderr


def test_import_refuses_an_invalid_file(run, tmp_path: Path, team_dir: Path) -> None:
    source = EXAMPLES / "invalid" / "missing-field.yaml"

    result = run("import", str(source), "--to", str(team_dir), bank_dirs=team_dir)

    assert result.exit_code == 1
    assert f"{source}:4: question example-missing-answer: field expected_answer" in result.stdout
    assert "not imported" in result.stderr
    assert not team_dir.exists()


def test_import_refuses_an_id_already_installed(run, tmp_path: Path, team_dir: Path) -> None:
    _team_question(team_dir, "taken-id")
    source = write_bank(tmp_path / "other.yaml", question("taken-id"))

    result = run("import", str(source), "--to", str(team_dir), bank_dirs=team_dir)

    assert result.exit_code == 1
    assert "duplicate id: already defined in" in result.stdout
    assert not (team_dir / "other.yaml").exists()


def test_import_refuses_to_overwrite_without_force(run, tmp_path: Path, team_dir: Path) -> None:
    installed = _team_question(team_dir, "old-version")
    source = write_bank(tmp_path / "team.yaml", question("old-version", title="New title"))

    refused = run("import", str(source), "--to", str(team_dir), bank_dirs=team_dir)
    assert refused.exit_code == 1
    assert "already exists; use --force to replace it" in refused.stderr
    assert "Title of old-version" in installed.read_text(encoding="utf-8")

    # Replacing a file must not count its own ids as clashes.
    forced = run("import", str(source), "--to", str(team_dir), "--force", bank_dirs=team_dir)
    assert forced.exit_code == 0, forced.output
    assert "New title" in installed.read_text(encoding="utf-8")


def test_import_requires_a_yaml_name(run, tmp_path: Path, team_dir: Path) -> None:
    source = tmp_path / "bank.txt"
    source.write_text("questions: []\n", encoding="utf-8")

    result = run("import", str(source), "--to", str(team_dir))

    assert result.exit_code == 2
    assert "must end in .yaml or .yml" in result.output
