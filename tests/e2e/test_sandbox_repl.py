"""The interactive offline sandbox (`make run` without tokens), driven line by line."""

from __future__ import annotations

import builtins

from bot.sandbox_repl import Repl


async def test_repl_walks_through_practice_and_the_channel(sandbox, monkeypatch, capsys):
    repl = Repl(sandbox)
    assert await repl.handle("/mlquiz help")
    assert "/mlquiz ask" in capsys.readouterr().out

    assert await repl.handle("/mlquiz ask regularization")
    out = capsys.readouterr().out
    assert "DM with ada" in out and "[1] Answer" in out

    # Pressing Answer opens the modal; the REPL asks for each input and submits it.
    monkeypatch.setattr(builtins, "input", lambda prompt="": "L1 zeroes weights; L2 shrinks.")
    answer_button = next(n for n, (_s, b) in repl.buttons.items() if b["text"] == "Answer")
    repl.channel = sandbox.dm("U0ADA")
    assert await repl.handle(f"press {answer_button}")
    out = capsys.readouterr().out
    assert "Your answer" in out and "GRADED" in out

    assert await repl.handle("in channel")
    assert await repl.handle("/mlquiz post-now")
    assert "QUESTION OF THE DAY" in capsys.readouterr().out
    assert await repl.handle("as bayes")
    assert repl.prompt() == "bayes@#ml-daily> "
    assert await repl.handle("Bias is error from wrong assumptions, variance from noise.")
    assert "reaction" in capsys.readouterr().out
    assert await repl.handle("skip 9h")
    assert "ANSWERS ARE IN" in capsys.readouterr().out
    assert await repl.handle("home")
    assert "App Home" in capsys.readouterr().out
    assert await repl.handle("press 99")
    assert "Press a button number" in capsys.readouterr().out
    assert not await repl.handle("quit")
