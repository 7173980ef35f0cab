"""`mlquiz demo` runs the scripted three-user session cleanly (a smoke test of make run's
offline sandbox: same stand-in, same app, same HTTP path)."""

from __future__ import annotations

from bot.demo import run_demo
from tests.e2e.conftest import e2e_settings


async def test_demo_transcript_covers_every_flow(tmp_path):
    lines: list[str] = []
    sandbox = await run_demo(e2e_settings(tmp_path), say=lines.append)
    transcript = "\n".join(lines)
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
    assert sandbox.ctx.tasks.failures == 0
