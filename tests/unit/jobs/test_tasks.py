"""Background work: bounded, supervised, drained at shutdown, urgent work never queued."""

from __future__ import annotations

import asyncio

from bot.jobs.tasks import BackgroundTasks


async def test_at_most_max_running_at_once_and_urgent_skips_the_queue():
    tasks = BackgroundTasks(max_running=2)
    running = 0
    peak = 0
    release = asyncio.Event()

    async def slow():
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await release.wait()
        running -= 1

    for n in range(6):
        tasks.spawn(slow(), name=f"slow{n}")
    urgent_done = asyncio.Event()

    async def urgent():
        urgent_done.set()

    tasks.spawn(urgent(), name="urgent", urgent=True)
    await asyncio.wait_for(urgent_done.wait(), 1)  # ran although both slots are taken
    assert peak == 2 and tasks.pending == 6
    release.set()
    await tasks.wait_idle(5)
    assert peak == 2 and tasks.pending == 0 and tasks.failures == 0


async def test_failures_are_counted_not_lost():
    tasks = BackgroundTasks()

    async def boom():
        raise RuntimeError("boom")

    tasks.spawn(boom(), name="boom")
    await tasks.wait_idle(5)
    assert tasks.failures == 1


async def test_drain_cancels_what_outlives_the_grace_period():
    tasks = BackgroundTasks()
    tasks.spawn(asyncio.sleep(30), name="forever")
    await tasks.drain(0.05)
    assert tasks.pending == 0
