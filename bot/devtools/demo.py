"""`mlquiz demo`: a scripted session of three simulated users, printed as a transcript."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.config import Settings
from bot.devtools.sandbox import CHANNEL_ID, Sandbox
from bot.slack.blocks import ids
from questionbank.samples import answer_from

Say = Callable[[str], None]


async def run_demo(settings: Settings, say: Say = print) -> Sandbox:
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


async def _script(sandbox: Sandbox, say: Say) -> None:
    ada, bayes, clara = (u.user_id for u in sandbox.users[:3])
    bank = sandbox.deps.bank

    await sandbox.command(ada, "help")
    _show(sandbox, say, "ada: /mlquiz help")

    await sandbox.command(ada, "ask regularization")
    _show(sandbox, say, "ada: /mlquiz ask regularization")
    question_msg = sandbox.latest_question(sandbox.dm(ada))
    post = await sandbox.post_of(sandbox.dm(ada), question_msg["ts"])
    question = bank.get(post.question_id)
    await sandbox.reply(
        ada,
        answer_from(question, len(question.key_points)),
        channel_id=sandbox.dm(ada),
        thread_ts=question_msg["ts"],
    )
    _show(sandbox, say, "ada replies in the DM thread with a full answer")

    await sandbox.command(bayes, "ask dimensionality reducton easy")
    _show(sandbox, say, "bayes: /mlquiz ask dimensionality reducton easy (typo on purpose)")
    question_msg = sandbox.latest_question(sandbox.dm(bayes))
    await sandbox.press(
        bayes, ids.ANSWER_BUTTON, channel_id=sandbox.dm(bayes), message_ts=question_msg["ts"]
    )
    _show(sandbox, say, "bayes presses Answer")
    post = await sandbox.post_of(sandbox.dm(bayes), question_msg["ts"])
    question = bank.get(post.question_id)
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
    daily = sandbox.latest_question(CHANNEL_ID)
    post = await sandbox.post_of(CHANNEL_ID, daily["ts"])
    question = bank.get(post.question_id)
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
