"""The interactive offline sandbox (`make run` without tokens), typed into like a user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MLQUIZ = Path(sys.executable).with_name("mlquiz")
SESSION = [
    "/mlquiz help",
    "/mlquiz ask regularization",
    "in dm",
    "press 1",  # Answer: the sandbox asks for the modal's input on the next line
    "L1 zeroes weights; L2 shrinks them.",
    "in channel",
    "/mlquiz post-now",
    "as bayes",
    "Bias is error from wrong assumptions, variance from noise.",
    "skip 24h",
    "home",
    "press 99",
    "quit",
]


def test_repl_walks_through_practice_and_the_channel(tmp_path):
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "repl.db")}
    env.pop("SLACK_BOT_TOKEN", None)
    done = subprocess.run(
        [str(MLQUIZ), "serve", "--offline"],
        input="\n".join(SESSION) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "/mlquiz ask" in out  # help
    assert "DM with ada" in out and "[1] Answer" in out
    assert "Your answer" in out and "GRADED" in out
    assert "QUESTION OF THE DAY" in out
    assert "bayes@#ml-daily> " in out
    assert "reaction" in out
    assert "ANSWERS ARE IN" in out
    assert "App Home" in out
    assert "Press a button number" in out
    assert "sandbox error" not in done.stderr and "Traceback" not in done.stderr


PANEL_SESSION = [
    "panel topics=evaluation-metrics,probability",  # ada coordinates; the form is filled
    "press 1",  # a menu: the sandbox says how to pick an option
    "press 1 2",  # swap bayes's second question
    "press confirm",  # by label: the kits go out
    "as bayes",
    "press open my scorecard",  # the modal asks for its inputs ...
    "cancel",  # ... and closes unsent
    "skip 4h",  # past the interviews: the debrief room, the reminders
    "scorecard strong-yes 4 Designed the whole pipeline and its tests unprompted.",
    "as clara",
    "scorecard strong-no 1",  # refused: a strong one needs its evidence
    "scorecard no 2 Knew the words, not the trade-offs.",
    "as dan",
    "scorecard no 2",
    "as hugo",
    "press open the packet",
    "press record the decision",  # the decision modal asks ...
    "hire",  # ... for the decision, by its label
    "Strong systems depth.",  # ... and the reason
    "as ada",
    "/mlquiz panel purge 1",
    "skip 1m",
    "quit",
]


def test_repl_drives_a_panel_from_the_form_to_the_purge(tmp_path):
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "repl.db")}
    env.pop("SLACK_BOT_TOKEN", None)
    done = subprocess.run(
        [str(MLQUIZ), "serve", "--offline"],
        input="\n".join(PANEL_SESSION) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "sandbox error" not in done.stderr and "Traceback" not in done.stderr
    out = done.stdout
    steps = [
        "panel [role=",  # the help lists the panel commands
        "Filling the new-panel form: ML Engineer (senior), interviewers bayes, clara, dan",
        "PANEL PLAN: ML ENGINEER (SENIOR)",
        "*Coverage*",
        "Pick an option: press 1 1 for",
        "(message updated)",
        "✅ Confirmed: kits are on their way",
        "── DM with bayes",
        "INTERVIEW KIT",
        "Key points the candidate showed",  # the first prompt of the scorecard modal
        "(closed without submitting)",
        "(it is ",  # the clock moved: then what the scheduler did
        "(the app created this private channel)",
        "Your scorecard is",  # the reminders
        "Filling your scorecard: every question and topic 4, overall strong yes",
        "*Scorecards: 1/3 submitted*",
        "The form says: A Strong recommendation needs its evidence",
        "*Scorecards: 3/3 submitted*",
        "┌ Packet C-",
        "The panel is split: 1 yes, 2 no.",
        "Decision [1 Hire, 2 No hire, 3 Another round, 4 Hold]> ",
        "against the",
        "is purged",
        "(the app archived this channel)",
    ]
    at = 0
    for expected in steps:
        found = out.find(expected, at)
        assert found >= 0, f"the REPL's output lacks {expected!r} after position {at}"
        at = found
    assert "hugo@#ml-daily> " in out
