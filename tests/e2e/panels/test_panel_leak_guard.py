"""The leak guard: while a panel is live, and for `leak_guard_days` after its
interviews, neither the channel's question (`post-now`) nor `/mlquiz ask` ever
chooses one of its questions. The public pools are made small (a channel limited to
one topic, `ask` on that topic) and the panel takes most of them, so without the
guard the rotation, which serves never-asked questions first, would choose them."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.harness import CHANNEL_ID
from tests.e2e.helpers import last_ephemeral, message_text
from tests.e2e.panels.panel_helpers import COORDINATOR, OUTSIDER, live_panel, planned_ids

TOPIC = "lagrange-multipliers"  # few practice questions, and the panel takes most


async def post_and_reveal(sandbox, clock) -> str:
    """One channel question posted now and revealed; its question id."""
    clock.advance(hours=1)
    await sandbox.command(COORDINATOR, "post-now")
    message = sandbox.standin.messages(CHANNEL_ID)[-1]
    assert "QUESTION OF THE DAY" in message_text(message), last_ephemeral(sandbox, COORDINATOR)
    post = await sandbox.post_of(CHANNEL_ID, message["ts"])
    await sandbox.command(COORDINATOR, "reveal")
    return post.question_id


async def asked_of(sandbox, user_id: str) -> set[str]:
    async with sandbox.app.storage.reading() as uow:
        return set(await uow.posts.user_history(sandbox.team_id, user_id))


async def test_a_live_panels_questions_stay_out_of_post_now_and_ask(sandbox, clock):
    panel = await live_panel(sandbox, clock, topics=[TOPIC])
    held = await planned_ids(sandbox, panel.id)
    channel_pool = {
        q.id for q in sandbox.bank.filter(topics=[TOPIC], kind="technical", purpose="practice")
    }
    ask_pool = {
        q.id
        for q in sandbox.bank.filter(topics=[TOPIC], purpose="practice")
        if q.primary_topic == TOPIC
    }
    # The test means something only if the guard has work in both pools, and a pool
    # is left to serve.
    assert held & channel_pool and channel_pool - held, (held, channel_pool)
    assert held & ask_pool and ask_pool - held, (held, ask_pool)

    await sandbox.command(COORDINATOR, "schedule 09:00 Europe/Berlin daily")
    await sandbox.command(COORDINATOR, f"config topics {TOPIC}")
    posted = [await post_and_reveal(sandbox, clock) for _ in channel_pool]
    assert not set(posted) & held, "post-now chose a live panel's question"
    assert set(posted) == channel_pool - held, "the rest of the pool is served in turn"

    for _ in ask_pool:
        await sandbox.command(OUTSIDER, "ask lagrange multipliers")
        assert "Sent you" in last_ephemeral(sandbox, OUTSIDER)
    asked = await asked_of(sandbox, OUTSIDER)
    assert not asked & held, "/mlquiz ask chose a live panel's question"
    assert asked == ask_pool - held

    # Closed, the panel still holds its questions for the guard period after its
    # interviews; past it, they come back (the never-asked ones are served first).
    await sandbox.command(COORDINATOR, f"panel close {panel.id}")
    assert "is closed" in last_ephemeral(sandbox, COORDINATOR)
    async with sandbox.app.storage.reading() as uow:
        settings = await uow.panels.settings(sandbox.team_id)
    first_interview = panel.debrief_at - timedelta(hours=3, minutes=15)
    clock.set(first_interview + timedelta(days=settings.leak_guard_days - 1))
    assert await post_and_reveal(sandbox, clock) not in held
    await sandbox.command(OUTSIDER, "ask lagrange multipliers")
    assert not await asked_of(sandbox, OUTSIDER) & held
    clock.set(first_interview + timedelta(days=settings.leak_guard_days, hours=3))
    assert await post_and_reveal(sandbox, clock) in held, "released after the guard period"
    await sandbox.command(OUTSIDER, "ask lagrange multipliers")
    assert await asked_of(sandbox, OUTSIDER) & held
