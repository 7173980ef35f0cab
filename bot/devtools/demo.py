"""`mlquiz demo`: a scripted session of three simulated users, printed as a transcript."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.devtools.sandbox import CHANNEL_ID, Sandbox
from bot.slack.blocks import ids
from questionbank.samples import answer_from

if TYPE_CHECKING:
    from questionbank.models import Question

Say = Callable[[str], None]


async def run_demo(settings: Settings, say: Say = print, *, panel: bool = False) -> None:
    """The practice and channel session, or (`panel`) an interview panel."""
    if panel:
        from bot.devtools.panel_demo import run_panel_demo

        await run_panel_demo(settings, say)
        return
    await _run_session(settings, say)


async def _run_session(settings: Settings, say: Say) -> Sandbox:
    with tempfile.TemporaryDirectory(prefix="mlquiz-demo-") as tmp:
        demo_settings = settings.model_copy(update={"database_path": Path(tmp) / "demo.db"})
        sandbox = Sandbox(demo_settings, rng=random.Random(7), run_scheduler=False)
        await sandbox.start()
        try:
            await _script(sandbox, say)
        finally:
            await sandbox.stop()
        return sandbox


def _show(sandbox: Sandbox, say: Say, action: str) -> None:
    say(f"\n>>> {action}")
    for screen in sandbox.new_screens():
        say(f"── {screen.where}")
        say(screen.text)


def _question_message(sandbox: Sandbox, channel_id: str) -> dict[str, Any]:
    """The newest question message in a conversation; the script has just asked for one."""
    message = sandbox.latest_question(channel_id)
    if message is None:
        raise RuntimeError(f"demo: no question was posted in {channel_id}")
    return message


async def _question_at(sandbox: Sandbox, channel_id: str, ts: str) -> Question:
    """The bank question the app posted at `ts`."""
    post = await sandbox.post_of(channel_id, ts)
    if post is None:
        raise RuntimeError(f"demo: the app has no record of the question at {channel_id}/{ts}")
    question = sandbox.deps.bank.get(post.question_id)
    if question is None:
        raise RuntimeError(f"demo: question {post.question_id} is not in the bank")
    return question


async def _script(sandbox: Sandbox, say: Say) -> None:
    ada, bayes, clara = (u.user_id for u in sandbox.users[:3])

    await sandbox.command(ada, "help")
    _show(sandbox, say, "ada: /mlquiz help")

    await sandbox.command(ada, "ask regularization")
    _show(sandbox, say, "ada: /mlquiz ask regularization")
    question_msg = _question_message(sandbox, sandbox.dm(ada))
    question = await _question_at(sandbox, sandbox.dm(ada), question_msg["ts"])
    await sandbox.reply(
        ada,
        answer_from(question, len(question.key_points)),
        channel_id=sandbox.dm(ada),
        thread_ts=question_msg["ts"],
    )
    _show(sandbox, say, "ada replies in the DM thread with a full answer")

    await sandbox.command(bayes, "ask dimensionality reducton easy")
    _show(sandbox, say, "bayes: /mlquiz ask dimensionality reducton easy (typo on purpose)")
    question_msg = _question_message(sandbox, sandbox.dm(bayes))
    await sandbox.press(
        bayes, ids.ANSWER_BUTTON, channel_id=sandbox.dm(bayes), message_ts=question_msg["ts"]
    )
    _show(sandbox, say, "bayes presses Answer")
    question = await _question_at(sandbox, sandbox.dm(bayes), question_msg["ts"])
    await sandbox.submit_modal(
        bayes, {ids.ANSWER_INPUT_BLOCK: {ids.ANSWER_INPUT: answer_from(question, 2)}}
    )
    _show(sandbox, say, "bayes submits a partial answer in the modal")

    await sandbox.command(clara, "ask quantum chemistry")
    _show(sandbox, say, "clara: /mlquiz ask quantum chemistry")
    await sandbox.command(clara, "leaderbord")
    _show(sandbox, say, "clara: /mlquiz leaderbord (typo)")

    await sandbox.command(ada, "schedule 09:00 Europe/Berlin weekdays")
    _show(sandbox, say, "ada (admin): /mlquiz schedule 09:00 Europe/Berlin weekdays")
    await sandbox.command(clara, "pause")
    _show(sandbox, say, "clara (not an admin): /mlquiz pause")
    await sandbox.command(ada, "post-now")
    _show(sandbox, say, "ada: /mlquiz post-now")
    daily = _question_message(sandbox, CHANNEL_ID)
    question = await _question_at(sandbox, CHANNEL_ID, daily["ts"])
    await sandbox.reply(
        bayes,
        answer_from(question, len(question.key_points)),
        channel_id=CHANNEL_ID,
        thread_ts=daily["ts"],
    )
    await sandbox.reply(
        clara,
        "I am not sure, something about the data?",
        channel_id=CHANNEL_ID,
        thread_ts=daily["ts"],
    )
    _show(sandbox, say, "bayes and clara reply in the thread")
    await sandbox.press(ada, ids.ANSWER_BUTTON, channel_id=CHANNEL_ID, message_ts=daily["ts"])
    await sandbox.submit_modal(
        ada, {ids.ANSWER_INPUT_BLOCK: {ids.ANSWER_INPUT: answer_from(question, 3)}}
    )
    _show(sandbox, say, "ada answers privately with the modal")
    await sandbox.command(ada, "reveal")
    _show(sandbox, say, "ada: /mlquiz reveal")

    await sandbox.command(bayes, "leaderboard week")
    _show(sandbox, say, "bayes: /mlquiz leaderboard week")
    await sandbox.command(bayes, "stats")
    _show(sandbox, say, "bayes: /mlquiz stats")
    await sandbox.open_home(ada)
    _show(sandbox, say, "ada opens the App Home")
