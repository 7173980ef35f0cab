"""SIGKILL of a real `mlquiz serve` while a panel of five interviewers is sending its
kits, then while its scorecard reminders and the coordinator's escalations go out:
once as a kit reaches Slack (which never stores it, the kits already on their way it
does), once right after Slack stored a reminder (the app never hears back). After the
restarts every DM arrives exactly once: none doubled, none lost."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.slack.blocks import ids
from tests.e2e.crash.conftest import CHANNEL, eventually

ADMIN = "U0ADMIN"  # the coordinator
INTERVIEWERS = [f"U{n:04d}" for n in range(1, 6)]
HIRING_MANAGER = "U0006"
THURSDAY = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
# Interviews of 45 minutes from 10:00 UTC end at 10:45, 11:30, 12:15, 13:00 and 13:45:
# a day later every reminder of every interview is due (sent as one nudge each, the
# latest, the next working morning's), and so is each interview's escalation.
NEXT_DAY = datetime(2026, 3, 6, 14, 0, tzinfo=UTC)


def bot_dms(workspace, user: str, prefix: str) -> list[dict]:
    bot = workspace.standin.bot_user_id
    return [
        m
        for m in workspace.standin.messages(workspace.dm(user))
        if m.get("user") == bot and m.get("text", "").startswith(prefix)
    ]


def each_has(workspace, users, prefix: str, count: int):
    """True when every user has `count` such DMs; an error as soon as one has more."""
    have = {u: len(bot_dms(workspace, u, prefix)) for u in users}
    assert all(n <= count for n in have.values()), f"doubled {prefix!r}: {have}"
    return all(n == count for n in have.values())


def die_on(app, workspace, prefix: str, *, skip: int, stored: bool = True):
    """Kill the app at the (skip+1)th DM starting with `prefix`: once Slack has stored
    it (the app never hears back), or, not `stored`, as it arrives, dropped unstored
    (the DM is lost unless the restarted app sends it)."""
    return workspace.standin.on_call(
        "chat.postMessage",
        app.kill,
        when=lambda p: (
            workspace.standin.is_dm(p.get("channel")) and str(p.get("text", "")).startswith(prefix)
        ),
        skip=skip,
        phase="after_effect" if stored else "before_effect",
        drop=not stored,
    )


async def test_a_crash_during_the_kits_and_during_the_reminders_doubles_none(app, workspace):
    app.at(THURSDAY)
    await app.start()
    people = " ".join(f"<@{who}>" for who in INTERVIEWERS)
    await workspace.command(
        ADMIN,
        f'panel new "ML Engineer" senior {people} hm=<@{HIRING_MANAGER}> '
        "topics=probability,evaluation-metrics start=2026-03-05T10:00 minutes=45",
        channel_id=CHANNEL,
    )
    plan = await eventually(
        lambda: workspace.latest_question(workspace.dm(ADMIN), ids.PANEL_CONFIRM)
    )

    # 1. The kits: the app dies as the third reaches Slack, which never stores it.
    hook = die_on(app, workspace, "Interview kit", skip=2, stored=False)
    await workspace.press(
        ADMIN, ids.PANEL_CONFIRM, channel_id=workspace.dm(ADMIN), message_ts=plan["ts"]
    )
    await hook.wait(30)
    await app.process.wait()

    # 2. It comes back a day later: the kits still owed go out, and the reminders and
    # escalations now due; it dies again right after Slack stored the third reminder.
    app.at(NEXT_DAY)
    hook = die_on(app, workspace, "Scorecard due", skip=2)
    await app.start(healthy=False)  # the reminders go out on the first tick
    await hook.wait(30)
    await app.process.wait()
    await app.start()
    await eventually(lambda: each_has(workspace, INTERVIEWERS, "Interview kit", 1))
    await eventually(lambda: each_has(workspace, INTERVIEWERS, "Scorecard due", 1))
    await eventually(lambda: each_has(workspace, [ADMIN], "Scorecards missing", len(INTERVIEWERS)))

    await asyncio.sleep(1.0)  # several more ticks: nothing is sent again
    assert each_has(workspace, INTERVIEWERS, "Interview kit", 1)
    assert each_has(workspace, INTERVIEWERS, "Scorecard due", 1)
    assert each_has(workspace, [ADMIN], "Scorecards missing", len(INTERVIEWERS))
    escalations = " ".join(str(m["blocks"]) for m in bot_dms(workspace, ADMIN, "Scorecards"))
    assert all(f"<@{who}>" in escalations for who in INTERVIEWERS), "each interview escalated"
    storage = await app.storage()
    try:
        sent = await storage.db.fetchall(
            "SELECT key, status FROM outbox WHERE key LIKE 'remind:%' OR key LIKE 'kit:%'"
        )
        reminders = await storage.db.fetchall(
            "SELECT status, COUNT(*) FROM panel_reminders GROUP BY status"
        )
    finally:
        await storage.close()
    assert {status for _, status in sent} == {"sent"}
    assert len([k for k, _ in sent if k.startswith("kit:")]) == len(INTERVIEWERS)
    assert len([k for k, _ in sent if k.startswith("remind:")]) == 2 * len(INTERVIEWERS)
    assert "pending" not in dict(tuple(r) for r in reminders), "nothing due is left unsent"
