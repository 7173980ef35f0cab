"""Word meaning: the shipped tables, soft links, the topical test and lazy loading."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.grading import Rubric, grade
from bot.grading.lexicon import DATA_DIR, lexicon, meta, prefix_opposites, tokenizer_fingerprint
from bot.grading.meaning import prefix_variants, same_word
from bot.grading.text import tokenize

ROOT = Path(__file__).resolve().parents[3]


def test_tables_match_the_tokenizer_they_were_built_for():
    # A change to stop words, stems, ML terms or concept words changes the keys: rebuild
    # the tables (python -m bot.grading.build_tables, see its docstring).
    assert meta()["tokenizer_fingerprint"] == tokenizer_fingerprint()


def test_tables_are_small_and_ship_their_licences():
    files = {p.name: p.stat().st_size for p in DATA_DIR.iterdir()}
    assert sum(files.values()) < 7_000_000
    for name in ("vectors.npy", "ranks.npy", "words.txt", "synonyms.txt", "antonyms.txt"):
        assert name in files, name
    glove = (DATA_DIR / "LICENSE.glove.txt").read_text(encoding="utf-8")
    wordnet = (DATA_DIR / "LICENSE.wordnet.txt").read_text(encoding="utf-8")
    assert "Public Domain Dedication and License" in glove
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in wordnet
    data = meta()
    assert data["keys"] == len((DATA_DIR / "words.txt").read_text(encoding="utf-8").split())


def test_tables_install_with_the_package():
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "grading/data/*" in pyproject["tool"]["setuptools"]["package-data"]["bot"]
    assert any(dep.startswith("numpy>=") for dep in pyproject["project"]["dependencies"])


def test_importing_the_grader_does_not_load_numpy_or_the_tables():
    code = "import sys, bot.grading; print(json.dumps(['numpy' in sys.modules]))"
    out = subprocess.run(
        [sys.executable, "-c", "import json; " + code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(out.stdout) == [False]


def test_lexicon_knows_words_by_the_graders_own_keys():
    lex = lexicon()
    assert lexicon() is lex  # loaded once
    key = tokenize("mistakes")[0].key
    assert tokenize("errors")[0].key in lex.synonyms(key)
    assert lex.are_opposites("~minimum", "~maximum")
    assert lex.are_opposites("~increase", "~decrease")
    # GloVe puts them next to each other; that is why opposites are tracked.
    assert lex.similarity("~increase", "~decrease") > 0.9
    assert lex.information("pointer") > lex.information("time")


def test_extremes_and_psd_fold_to_one_word():
    keys = [t.key for t in tokenize("smallest lowest minimal minimum")]
    assert set(keys) == {"~minimum"}
    assert {t.key for t in tokenize("PSD, positive semi-definite, positive semidefinite")} == {
        "psd"
    }


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("nois", "noisi", True),
        ("small", "smallest", True),
        ("identif", "identifi", True),
        ("eigen", "eigenvalu", False),
        ("mode", "model", False),
        ("column", "columnist", False),
        ("train", "trainer", False),
        ("cat", "cats", False),  # too short to tell
    ],
)
def test_word_forms(a, b, same):
    assert same_word(a, b) is same
    assert same_word(b, a) is same


def test_prefix_opposites():
    assert prefix_opposites("supervis", "unsupervis")
    assert prefix_opposites("overfit", "underfit")
    assert prefix_opposites("linear", "nonlinear")
    assert not prefix_opposites("input", "put")
    assert "underfit" in prefix_variants("overfit")


def _similarity(rubric: Rubric, answer: str, point: int = 0) -> float:
    return grade(rubric, answer).key_points[point].similarity


def test_a_synonym_stands_for_a_key_point_word():
    rubric = Rubric.from_reference(
        "", ["SGD gives cheap but noisy updates", "Batch gradient descent is exact"]
    )
    synonym = _similarity(rubric, "SGD gives inexpensive but noisy updates.")
    nonsense = _similarity(rubric, "SGD gives wombat but noisy updates.")
    assert synonym > nonsense
    assert grade(rubric, "SGD gives inexpensive but noisy updates.").key_points[0].status == (
        "covered"
    )


def test_an_answer_word_the_rubric_uses_is_not_also_a_synonym_of_another():
    rubric = Rubric.from_reference("", ["fits the training set too closely", "uses labels"])
    # "set" is a WordNet synonym of "fit"; here it is only the "set" of "training set".
    alone = _similarity(rubric, "The canteen has a new set of dishes.")
    assert alone < 0.45


def test_paraphrase_of_a_short_reference_is_not_off_topic():
    rubric = Rubric.from_reference(
        "A collection of elements that can be allocated dynamically.",
        prompt="What is a linked list?",
    )
    g = grade(rubric, "A list of nodes where each node holds data and a pointer to the next node.")
    assert not g.has_flag("off_topic")
    assert g.score > 0.1


def test_off_topic_needs_neither_words_nor_meaning():
    rubric = Rubric.from_reference(
        "Bagging averages bootstrap models to reduce variance.", prompt="What does bagging do?"
    )
    chatter = grade(rubric, "The canteen serves lasagne on Wednesdays and soup every Friday.")
    assert chatter.has_flag("off_topic") and chatter.score <= 0.05
    # Everyday words shared with the rubric ("new", "data", "set") do not make it an answer.
    common = grade(
        rubric,
        "Our team set a good time for the new office party and the data goes in a sheet.",
    )
    assert common.has_flag("off_topic")
    # Another angle on the same topic, mostly in other words, is not off topic.
    angle = grade(
        rubric,
        "Each tree sees a resampled copy of the rows, and the predictions of the trees are "
        "averaged, which smooths out their individual quirks.",
    )
    assert not angle.has_flag("off_topic")
