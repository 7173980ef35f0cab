"""`mlquiz demo` runs the scripted three-user session cleanly (a smoke test of make run's
offline sandbox: same stand-in, same app, same HTTP path), as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MLQUIZ = Path(sys.executable).with_name("mlquiz")


def test_demo_transcript_covers_every_flow(tmp_path):
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "demo.db")}
    env.pop("SLACK_BOT_TOKEN", None)
    done = subprocess.run(
        [str(MLQUIZ), "demo"], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    transcript = done.stdout
    for expected in (
        "/mlquiz help",
        "GRADED:",  # practice feedback
        "Did you mean",  # fuzzy subcommand
        "don't know the topic",  # unknown topic
        "is for workspace admins",  # a non-admin refused
        "QUESTION OF THE DAY",  # the channel post
        "reaction on an answer",  # collected answers acknowledged
        "Got your private answer",  # the private modal answer
        "ANSWERS ARE IN",  # the reveal in the thread
        "Closed: 3 answers",  # the original post updated
        "App Home",
    ):
        assert expected in transcript, f"demo transcript lacks {expected!r}"
    assert "something went wrong" not in transcript
    assert "Traceback" not in done.stderr
