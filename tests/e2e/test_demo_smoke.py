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


def test_panel_demo_runs_a_panel_from_the_form_to_the_purge(tmp_path):
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "demo.db")}
    env.pop("SLACK_BOT_TOKEN", None)
    runs = [
        subprocess.run(
            [str(MLQUIZ), "demo", "--panel"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )
        for _ in range(2)
    ]
    for done in runs:
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    transcript = runs[0].stdout
    # A fixed clock and a seeded generator: the same transcript every time.
    assert runs[1].stdout == transcript
    steps = [
        "┌ New interview panel",  # the form
        "PANEL PLAN: ML ENGINEER (SENIOR)",  # the plan in the coordinator's DM
        "*Coverage* (questions per focus topic and interviewer)",  # with its matrix
        "(message updated)",  # a question swapped
        "✅ Confirmed: kits are on their way",
        "INTERVIEW KIT",  # abbreviated kits
        "more line",
        "(the app created this private channel)",  # the debrief room
        "Candidate: Grace Hopper (visible to panel members only)",
        "The packet opens when every scorecard is in (0/3 so far)",  # sealed, even for hugo
        "Your interview just ended",  # reminders once the clock moves
        "An hour ago you interviewed",
        "*Suggestion, not a rating:*",  # grader assist
        "The packet opens when every scorecard is in (1/3 so far)",
        "*Scorecards: 3/3 submitted*",
        "Strong No: 0 · No: 2 · Yes: 0 · Strong Yes: 1",  # the packet, opened by hugo
        "The panel is split: 1 yes, 2 no.",
        "are two or more apart",
        "_Evidence:_",
        "The packet is for the interviewers and the hiring manager only.",  # not ada
        "This goes against the\npanel's majority recommendation.",  # the decision
        "The app deleted its messages:",  # the purge
        "(the app archived this channel)",
    ]
    at = 0
    for expected in steps:
        found = transcript.find(expected, at)
        assert found >= 0, f"the panel demo lacks {expected!r} after position {at}"
        at = found
    # The candidate's name appears in the one view only panel members open.
    assert transcript.count("Grace Hopper") == 2  # the narration of the form, and that view
    assert "something went wrong" not in transcript
    assert "@U0" not in transcript  # people by name, as Slack shows them
