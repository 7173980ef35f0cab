"""`mlquiz calibrate --from-db`: the grader against a workspace's own reviewers, read from
a real SQLite file that the app's repositories and use cases filled."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.grading.calibration import Judged, calibrate
from bot.storage.sqlite.storage import SqliteStorage
from bot.usecases.appeals import override_grade, resolve_appeal, submit_appeal
from bot.usecases.deps import Deps, ReplyTo
from questionbank.loader import load_bank

from .conftest import T0, answer, channel_post, graded
from .store import Store

SUPERVISED = "supervised-unsupervised-core-difference"
KFOLD = "cross-validation-k-fold-basics"
RETIRED = "a-question-since-removed-from-the-bank"

# (question, answer, the score a reviewer gave it)
REVIEWED = [
    (
        SUPERVISED,
        "Supervised learning trains on labelled examples with a known target, for "
        "classification or regression, and is scored on held-out labels; unsupervised "
        "learning has no labels and finds structure such as clusters or a PCA projection.",
        1.0,
    ),
    (
        SUPERVISED,
        "With labels you learn to predict the target (classify or regress); without labels "
        "you group the rows, e.g. k-means clustering, and judge it by usefulness.",
        1.0,
    ),
    (SUPERVISED, "Supervised has labels, unsupervised has none.", 0.5),
    (SUPERVISED, "One uses a teacher and the other one does not, I think.", 0.25),
    (SUPERVISED, "Supervised learning is faster because it uses a GPU.", 0.0),
    (SUPERVISED, "no idea", 0.0),
    (
        KFOLD,
        "Split the data into k folds, train on k-1 of them and validate on the one left "
        "out, k times, so every example is validated once; average the k scores. It has "
        "lower variance than a single holdout split; k = 5 or 10 balances bias and cost.",
        1.0,
    ),
    (
        KFOLD,
        "You rotate which fold is held out, train on the rest and average the scores; "
        "fit scaling inside each training fold to avoid leakage. Usually k is 5 or 10.",
        0.75,
    ),
    (KFOLD, "Train on some folds and test on the other one, then average.", 0.5),
    (KFOLD, "It splits the data once into train and test.", 0.25),
    (KFOLD, "Cross-validation means checking the model with a second model.", 0.0),
    (KFOLD, "dunno", 0.0),
]


def _deps(storage: SqliteStorage) -> Deps:
    # Appeals only write to the storage here; the Slack gateway is never reached.
    return Deps(storage=storage, slack=None, bank=load_bank(), clock=lambda: T0)  # type: ignore[arg-type]


async def _review(storage: SqliteStorage, team: str, answer_id: int, score: float) -> None:
    async with storage.transaction() as uow:
        await override_grade(
            uow,
            team_id=team,
            answer_id=answer_id,
            by_user_id="UADMIN",
            score=score,
            note="",
            now=T0,
        )


async def _appeal(storage: SqliteStorage, team: str, user: str, answer_id: int) -> int:
    await submit_appeal(
        _deps(storage),
        team_id=team,
        user_id=user,
        answer_value=str(answer_id),
        note="I covered that",
        reply_to=ReplyTo(team, user),
    )
    async with storage.reading() as uow:
        [appeal] = [a for a in await uow.feedback.open_appeals(team) if a.answer_id == answer_id]
    return appeal.id


async def _seed(path) -> None:
    """T1: twelve reviewed answers (the last through an upheld appeal), one answer first
    overridden and then overridden again, one to a question no longer in the bank, an
    appeal rejected and one accepted without a score; T2: three reviewed answers."""
    storage = await SqliteStorage.open(path)
    store = Store(storage)
    try:
        posts = {}
        for day, question in enumerate((SUPERVISED, KFOLD, RETIRED)):
            posts[question] = await channel_post(
                store,
                question=question,
                difficulty="easy",
                opened=T0 + timedelta(days=day),
                topics=("supervised-unsupervised",),
            )
        for n, (question, text, human) in enumerate(REVIEWED):
            user = f"U{n}"
            recorded = await store.answers.record(
                answer(posts[question], user, text, event=f"E{n}"), graded(0.5)
            )
            if n == len(REVIEWED) - 1:
                appeal_id = await _appeal(storage, "T1", user, recorded.answer_id)
                await resolve_appeal(
                    _deps(storage), appeal_id, accepted=True, by_user_id="UADMIN", score=human
                )
            else:
                if n == 0:
                    await _review(storage, "T1", recorded.answer_id, 0.0)  # then corrected
                await _review(storage, "T1", recorded.answer_id, human)
        retired = await store.answers.record(
            answer(posts[RETIRED], "U1", "an old answer", event="E-old"), graded(0.4)
        )
        await _review(storage, "T1", retired.answer_id, 0.8)
        for user, accepted in (("U20", False), ("U21", True)):
            unreviewed = await store.answers.record(
                answer(posts[KFOLD], user, "k folds, average the scores", event=f"E-{user}"),
                graded(0.3),
            )
            appeal_id = await _appeal(storage, "T1", user, unreviewed.answer_id)
            await resolve_appeal(_deps(storage), appeal_id, accepted=accepted, by_user_id="UA")

        other = await channel_post(store, team="T2", question=SUPERVISED, difficulty="easy")
        for n, (_question, text, human) in enumerate(REVIEWED[:3]):
            recorded = await store.answers.record(
                answer(other, f"V{n}", text, event=f"F{n}"), graded(0.5)
            )
            await _review(storage, "T2", recorded.answer_id, human)
    finally:
        await storage.close()


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("BANK_DIRS", raising=False)
    monkeypatch.delenv("DATABASE_PATH", raising=False)
    return CliRunner()


def _json(output: str) -> dict:
    return json.loads(next(line for line in output.splitlines() if line.startswith("{")))


def _expected(reviewed) -> dict:
    """The figures of the same judgements given to `calibrate` directly."""
    bank = load_bank()
    report = calibrate(
        [
            Judged(bank.get(q), text, human, group=q, seen_reference=True)
            for q, text, human in reviewed
        ]
    )
    return {
        "n": report.overall.n,
        "pearson": round(report.overall.pearson, 4),
        "spearman": round(report.overall.spearman, 4),
        "qwk": round(report.overall.kappa, 4),
        "threshold": report.overall.threshold.threshold,
    }


def test_calibrate_from_the_database_reports_the_workspace_reviewers(runner, tmp_path):
    path = tmp_path / "mlquiz.db"
    asyncio.run(_seed(path))

    team_one = ["calibrate", "--from-db", "--db", str(path), "--team", "T1"]
    result = runner.invoke(cli, team_one)
    assert result.exit_code == 0, result.output
    assert f"human judgements in {path} (workspace T1): 13, 12 used; 1 skipped" in result.output
    assert "question no longer in the bank" in result.output
    assert "too few" not in result.output
    assert "best pass threshold" in result.output and "plain token recall" in result.output
    assert "copies of the reference are flagged, not capped" in result.output

    data = _json(runner.invoke(cli, [*team_one, "--json"]).output)
    assert (data["judgements"], data["used"], data["skipped_not_in_bank"]) == (13, 12, 1)
    assert data["team"] == "T1" and data["too_few"] is False and data["copies_capped"] is False
    figures = {key: data["all"][key] for key in ("n", "pearson", "spearman", "qwk", "threshold")}
    assert figures == _expected(REVIEWED)
    assert data["all"]["pearson"] > 0.5, "the grader should broadly agree with the reviewers"
    assert [(g["question"], g["n"]) for g in data["per_question"]] == [
        (SUPERVISED, 6),
        (KFOLD, 6),
    ]
    human_means = {g["question"]: g["human_mean"] for g in data["per_question"]}
    assert human_means[SUPERVISED] == round((1 + 1 + 0.5 + 0.25) / 6, 4), "latest override"

    left_out = _json(runner.invoke(cli, [*team_one, "--json", "--exclude-qid", KFOLD]).output)
    assert (left_out["used"], left_out["excluded_judgements"]) == (6, 6)
    assert left_out["too_few"] is True


def test_calibrate_from_the_database_warns_when_judgements_are_too_few(runner, tmp_path):
    path = tmp_path / "mlquiz.db"
    asyncio.run(_seed(path))
    result = runner.invoke(cli, ["calibrate", "--from-db", "--db", str(path), "--team", "T2"])
    assert result.exit_code == 0, result.output
    assert "human judgements in" in result.output and "(workspace T2): 3, 3 used" in result.output
    assert "too few to mean anything: 3 judgements" in result.output

    # Without --team every workspace counts; the path comes from DATABASE_PATH.
    runner.env = {"DATABASE_PATH": str(path)}
    every = _json(runner.invoke(cli, ["calibrate", "--from-db", "--json"]).output)
    assert (every["judgements"], every["used"], every["team"]) == (16, 15, None)


def test_calibrate_from_an_empty_database_says_there_is_nothing_yet(runner, tmp_path):
    path = tmp_path / "empty.db"
    assert runner.invoke(cli, ["db", "migrate", "--db", str(path)]).exit_code == 0
    result = runner.invoke(cli, ["calibrate", "--from-db", "--db", str(path)])
    assert result.exit_code != 0
    assert f"no human judgements in {path}: nothing to calibrate against yet" in result.output

    missing = runner.invoke(cli, ["calibrate", "--from-db", "--db", str(tmp_path / "no.db")])
    assert missing.exit_code != 0 and "does not exist" in missing.output


def test_calibrate_needs_a_file_or_the_database_not_both(runner, tmp_path):
    graded_file = tmp_path / "graded.jsonl"
    graded_file.write_text("", encoding="utf-8")
    assert "missing GRADED.jsonl" in runner.invoke(cli, ["calibrate"]).output
    both = runner.invoke(cli, ["calibrate", str(graded_file), "--from-db"])
    assert both.exit_code != 0 and "not both" in both.output
    stray = runner.invoke(cli, ["calibrate", str(graded_file), "--team", "T1"])
    assert stray.exit_code != 0 and "--from-db" in stray.output
