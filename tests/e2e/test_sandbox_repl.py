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
