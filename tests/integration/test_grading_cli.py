"""`mlquiz grade`, `grade-batch` and `calibrate` through click's runner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bot.cli.main import cli

QUESTION_ID = "supervised-unsupervised-core-difference"
GOOD = (
    "Supervised learning uses labelled examples with a target, for classification or "
    "regression; unsupervised learning has no labels and finds clusters, e.g. k-means."
)


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("BANK_DIRS", raising=False)
    return CliRunner()


def test_grade_prints_score_and_feedback(runner):
    result = runner.invoke(cli, ["grade", QUESTION_ID, GOOD])
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output
    assert "✓ covered" in result.output
    assert "✗ missed" in result.output


def test_grade_reads_stdin_and_prints_json(runner):
    result = runner.invoke(cli, ["grade", QUESTION_ID, "-", "--json"], input=GOOD)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["id"] == QUESTION_ID
    assert data["passed"] is True


def test_unknown_id_suggests_closest(runner):
    result = runner.invoke(cli, ["grade", "supervised-unsupervised-core", "x"])
    assert result.exit_code != 0
    assert "no question with id" in result.output
    assert QUESTION_ID in result.output


def test_grade_batch_skips_bad_lines(runner, tmp_path):
    rows = [
        {
            "id": "a",
            "question": "What does bagging do?",
            "reference_answer": "Bagging averages bootstrap models and reduces variance.",
            "answer": "It averages models trained on bootstrap samples to reduce variance.",
        },
        "{not json",
        {"id": "b", "reference_answer": "x", "answer": 3},
        {
            "id": "c",
            "reference_answer": "ignored",
            "key_points": [
                {"text": "L2 shrinks weights", "aliases": ["weight decay"], "weight": 2},
                "L1 gives sparse weights",
            ],
            "answer": "ridge shrinks the weights while lasso makes them sparse",
        },
        {"id": "d", "reference_answer": "r", "key_points": [{"txt": "bad"}], "answer": "a"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["grade-batch", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "c"]
    assert set(records[0]) == {"id", "score", "key_points", "flags"}
    assert set(records[0]["key_points"][0]) == {"text", "status", "similarity", "snippet"}
    assert records[1]["score"] > 0.8
    assert "line 2:" in result.output and "line 3:" in result.output
    assert "line 5:" in result.output
    assert "graded 2, skipped 3" in result.output


def test_calibrate_reports_agreement(runner, tmp_path):
    reference = "Bagging averages bootstrap models, which reduces variance."
    rows = [
        ("Bagging averages models fit on bootstrap samples to reduce variance.", 1.0),
        ("It averages bootstrap models.", 0.5),
        ("Bagging reduces variance.", 0.75),
        ("no idea", 0.0),
        ("Boosting is sequential and it is a totally different thing.", 0.0),
        ("averaging several bootstrap models cuts the variance of the predictor", 1.0),
    ]
    path = tmp_path / "graded.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "qid": "q1",
                    "question": "What does bagging do?",
                    "reference_answer": reference,
                    "student_answer": a,
                    "score": s,
                }
            )
            + "\n"
            for a, s in rows
        )
        + '{"qid": "q1", "student_answer": "x"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["calibrate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(_last_json(result.output))
    assert data["all"]["n"] == 6
    assert data["all"]["pearson"] > 0.5
    assert data["more_than_3_words"]["n"] == 4
    assert data["per_question"][0]["question"] == "q1"
    assert data["skipped_lines"] == 1
    assert data["token_recall"]["all"]["n"] == 6
    assert data["token_recall"]["more_than_3_words"]["n"] == 4
    assert data["excluded_qids"] == []

    text = runner.invoke(cli, ["calibrate", str(path), "--min-words", "2"])
    assert "answers of more than 2 words" in text.output
    assert "best pass threshold" in text.output
    assert "plain token recall" in text.output


def test_calibrate_excludes_questions(runner, tmp_path):
    path = tmp_path / "graded.jsonl"
    lines = []
    for qid, reference in (("a", "Dropout zeroes random units."), ("b", "L2 shrinks weights.")):
        for answer, score in (
            (reference, 1.0),
            ("dropout randomly drops units while training", 1.0),
            ("it shrinks the weights toward zero", 0.5),
            ("no idea at all here", 0.0),
        ):
            row = {"qid": qid, "reference_answer": reference, "answer": answer, "score": score}
            lines.append(json.dumps(row) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    every = json.loads(_last_json(runner.invoke(cli, ["calibrate", str(path), "--json"]).output))
    result = runner.invoke(cli, ["calibrate", str(path), "--json", "--exclude-qid", "b"])
    data = json.loads(_last_json(result.output))
    assert every["all"]["n"] == 8
    assert data["all"]["n"] == 4
    assert data["excluded_lines"] == 4
    assert [g["question"] for g in data["per_question"]] == ["a"]
    both = runner.invoke(cli, ["calibrate", str(path), "--exclude-qid", "a", "--exclude-qid", "b"])
    assert both.exit_code != 0
    text = runner.invoke(cli, ["calibrate", str(path), "--exclude-qid", "a"])
    assert "left out qid a: 4 answers" in text.output


def _last_json(output: str) -> str:
    return next(line for line in reversed(output.splitlines()) if line.startswith("{"))


def _expected(question_id: str) -> str:
    from questionbank.loader import load_bank

    return load_bank().get(question_id).expected_answer


def test_grade_caps_a_copy_only_with_seen(runner):
    copy = _expected(QUESTION_ID)
    unseen = json.loads(runner.invoke(cli, ["grade", QUESTION_ID, copy, "--json"]).output)
    seen = json.loads(runner.invoke(cli, ["grade", QUESTION_ID, copy, "--json", "--seen"]).output)
    assert "copied_reference" in [f["code"] for f in unseen["flags"]]
    assert "copied_reference" in [f["code"] for f in seen["flags"]]
    assert unseen["passed"] and not seen["passed"]
    assert seen["limited_by"] == "copied_reference"
    text = runner.invoke(cli, ["grade", QUESTION_ID, copy, "--seen"]).output
    assert "held down: it repeats the published expected answer" in text


def test_grade_prints_the_headline_a_user_sees(runner):
    result = runner.invoke(cli, ["grade", QUESTION_ID, GOOD])
    headline = result.output.splitlines()[1]
    assert headline.startswith("Pass: ") and "key points covered" in headline


def test_grade_batch_caps_copies_only_when_told(runner, tmp_path):
    reference = (
        "Bagging trains each model on a bootstrap sample and averages the models, which "
        "reduces their variance."
    )
    rows = [
        {"id": "plain", "reference_answer": reference, "answer": reference},
        {"id": "seen", "reference_answer": reference, "answer": reference, "seen": True},
        {"id": "bad", "reference_answer": reference, "answer": reference, "seen": "yes"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["grade-batch", str(source), "-o", str(out)])
    assert "line 3: field 'seen' must be true or false" in result.output
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    for record in records.values():
        assert "copied_reference" in [f["code"] for f in record["flags"]]
    assert records["plain"]["score"] > 0.6 > records["seen"]["score"]
    everyone = tmp_path / "all.jsonl"
    runner.invoke(cli, ["grade-batch", str(source), "-o", str(everyone), "--seen"])
    assert all(json.loads(line)["score"] < 0.6 for line in everyone.read_text().splitlines())


def test_calibrate_does_not_cap_copies_by_default(runner, tmp_path):
    reference = (
        "Bagging trains each model on a bootstrap sample and averages the models, which "
        "reduces their variance."
    )
    rows = [
        (reference, 1.0),
        ("It averages bootstrap models to cut variance.", 0.75),
        ("no idea", 0.0),
        ("Boosting is sequential and it is a totally different thing.", 0.0),
    ]
    path = tmp_path / "graded.jsonl"
    path.write_text(
        "".join(
            json.dumps({"qid": "q", "reference_answer": reference, "answer": a, "score": s}) + "\n"
            for a, s in rows
        ),
        encoding="utf-8",
    )
    plain = json.loads(_last_json(runner.invoke(cli, ["calibrate", str(path), "--json"]).output))
    capped = json.loads(
        _last_json(runner.invoke(cli, ["calibrate", str(path), "--json", "--seen"]).output)
    )
    assert plain["copies_capped"] is False and capped["copies_capped"] is True
    assert plain["all"]["pearson"] > capped["all"]["pearson"]
    text = runner.invoke(cli, ["calibrate", str(path)]).output
    assert "copies of the reference are flagged, not capped" in text
