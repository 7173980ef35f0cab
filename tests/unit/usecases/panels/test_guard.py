"""The leak guard: a panel's questions stay out of every public pool (the channel's
question, `/mlquiz ask`, review) while it is open and for the guard period after its
interviews."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest

from bot.core.panel_records import PanelQuestion, PanelSettings
from bot.core.schedule import RevealAfter, ScheduleSpec
from bot.slack.parser.commands import AskArgs
from bot.usecases import admin, posting, practice
from bot.usecases.panels import purge
from bot.usecases.panels.guard import held_out
from questionbank.loader import Bank
from questionbank.models import Use
from tests.unit.builders import CHANNEL, fake, reply_to
from tests.unit.fakes import T0, TEAM
from tests.unit.panel_builders import ADMIN, live, planned

SPEC = ScheduleSpec(time=time(9, 0), tz="UTC", reveal=RevealAfter(6))


async def hold(deps, question_ids, *, status="live", starts=T0, team=TEAM, code="C-HOLD1"):
    """A panel of `status` whose one interview (at `starts`) plans these questions."""
    async with deps.storage.transaction() as uow:
        panel = await uow.panels.create(
            team,
            code=code,
            role="R",
            level="senior",
            coordinator_id="UCO",
            hiring_manager_id="UHM",
            focus_topics=(),
            debrief_at=starts,
            created_by="UCO",
            candidate_name=None,
            now=T0,
        )
        await uow.panels.set_status(panel.id, status, T0)
        interview = await uow.panels.add_interview(
            panel, "UA", starts_at=starts, minutes=45, tz="UTC"
        )
        await uow.panels.set_questions(
            panel.id,
            interview.id,
            [PanelQuestion(interview.id, n, q, 10, ()) for n, q in enumerate(question_ids)],
        )
    return panel


async def held(deps, team=TEAM):
    async with deps.storage.reading() as uow:
        return await held_out(uow, team, deps.now())


def public(deps, topic=None, difficulty=None):
    return [
        q
        for q in deps.bank
        if q.for_practice
        and (topic is None or topic in q.topics)
        and (difficulty is None or q.difficulty.value == difficulty)
    ]


# -- what is held --------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "live"])
async def test_an_open_panels_questions_are_held_however_long_ago(deps, clock, status):
    await hold(deps, ["q1", "q2"], status=status, starts=T0 - timedelta(days=400))
    assert await held(deps) == {"q1", "q2"}
    assert await held(deps, team="T2") == set()


@pytest.mark.parametrize("status", ["decided", "closed"])
async def test_a_finished_panels_questions_are_held_for_the_guard_period(deps, clock, status):
    await hold(deps, ["q1"], status=status, starts=T0)
    ended = T0 + timedelta(minutes=45)  # the guard period runs from the interview's end
    clock.set(ended + timedelta(days=30))
    assert await held(deps) == {"q1"}
    clock.set(ended + timedelta(days=30, seconds=1))
    assert await held(deps) == set()


async def test_a_purge_does_not_cut_the_guard_period_short(deps, clock):
    panel = await hold(deps, ["q1"], status="closed", starts=T0)
    clock.set(T0 + timedelta(days=3))
    await purge.purge(deps, panel, by="UCO")
    assert await held(deps) == {"q1"}
    clock.set(T0 + timedelta(days=30, minutes=45, seconds=1))
    assert await held(deps) == set()


async def test_the_guard_period_is_the_workspaces(deps, clock):
    await hold(deps, ["q1"], status="closed", starts=T0)
    async with deps.storage.transaction() as uow:
        await uow.panels.save_settings(PanelSettings(TEAM, leak_guard_days=90))
    clock.set(T0 + timedelta(days=60))
    assert await held(deps) == {"q1"}
    async with deps.storage.transaction() as uow:
        await uow.panels.save_settings(PanelSettings(TEAM, leak_guard_days=0))
    clock.set(T0 + timedelta(minutes=45, seconds=1))
    assert await held(deps) == set()


# -- the channel's question (the daily one and post-now) ----------------------------------


async def test_the_channels_question_is_never_a_held_one(deps):
    pool = posting.question_pool(deps, (), None)
    free = pool[len(pool) // 2]
    await hold(deps, [q.id for q in pool if q.id != free.id])
    for seed in range(5):
        deps.rng.seed(seed)
        chosen = await posting.choose_channel_question(deps, TEAM, CHANNEL, pool)
        assert chosen.id == free.id


async def test_with_every_question_held_there_is_nothing_to_post(deps):
    pool = posting.question_pool(deps, ("overfitting",), "hard")
    await hold(deps, [q.id for q in pool])
    with pytest.raises(posting.NoQuestionAvailable, match="held out for an interview panel"):
        await posting.post_question(
            deps,
            team_id=TEAM,
            channel_id=CHANNEL,
            spec=ScheduleSpec(time=time(9), tz="UTC", topics=("overfitting",), difficulty="hard"),
            schedule_id=None,
            slot_date=None,
            now=deps.now(),
        )
    assert fake(deps).state.posts == {}


async def test_post_now_posts_around_a_live_panel(deps, gateway):
    gateway.add_user(ADMIN, admin=True)
    pool = posting.question_pool(deps, (), None)
    free = pool[0]
    await hold(deps, [q.id for q in pool if q.id != free.id])
    await admin.run(deps, "post-now", admin.AdminRequest(TEAM, ADMIN, CHANNEL, "", reply_to(ADMIN)))
    (post,) = fake(deps).state.posts.values()
    assert post.question_id == free.id


async def test_a_panel_made_by_the_use_cases_holds_its_questions_from_every_pool(deps):
    """With only questions shared by practice and interviews in the bank, every planned
    question is one a public pool could offer."""
    shared = Bank({q.id: q for q in deps.bank if q.use is Use.both})
    deps = replace(deps, bank=shared)
    panel = await live(deps)
    planned_ids = {q for qs in (await planned(deps, panel)).values() for q in qs}
    assert planned_ids and await held(deps) == planned_ids
    pool = [q for q in posting.question_pool(deps, (), None) if q.id in planned_ids]
    assert pool
    with pytest.raises(posting.NoQuestionAvailable):
        await posting.choose_channel_question(deps, TEAM, CHANNEL, pool)
    for _ in range(10):
        await ask(deps)
    asked = {p.question_id for p in fake(deps).state.posts.values()}
    assert len(asked) == 10 and not asked & planned_ids


# -- /mlquiz ask and review ----------------------------------------------------------------


async def ask(deps, *words, difficulty=None):
    await practice.ask(
        deps, team_id=TEAM, user_id="UP", args=AskArgs(words, difficulty), reply_to=reply_to("UP")
    )


async def test_ask_never_offers_a_held_question(deps):
    mainly = [q for q in public(deps, "overfitting") if q.primary_topic == "overfitting"]
    free = mainly[-1]
    await hold(deps, [q.id for q in mainly if q.id != free.id])
    await ask(deps, "overfitting")
    (post,) = fake(deps).state.posts.values()
    assert post.question_id == free.id


async def test_ask_falls_back_to_questions_touching_the_topic_when_the_main_ones_are_held(
    deps,
):
    mainly = [q.id for q in public(deps, "overfitting") if q.primary_topic == "overfitting"]
    await hold(deps, mainly)
    await ask(deps, "overfitting")
    (post,) = fake(deps).state.posts.values()
    question = deps.bank.get(post.question_id)
    assert question.id not in mainly and "overfitting" in question.topics


async def test_ask_with_every_question_held_says_there_is_none(deps):
    await hold(deps, [q.id for q in public(deps, "overfitting", "hard")])
    await ask(deps, "overfitting", difficulty="hard")
    assert fake(deps).state.posts == {}
    (said,) = [m.text for m in fake(deps).messages(action="respond")]
    assert said.startswith("There is no hard")


async def due_for_review(deps, *questions):
    async with deps.storage.transaction() as uow:
        for days, question in enumerate(questions, start=1):
            await uow.reviews.save(
                TEAM,
                "UP",
                question.id,
                card={},
                due_at=T0 - timedelta(days=10 - days),  # the first most overdue
                score=0.1,
                now=T0,
            )


async def test_review_skips_a_held_question(deps):
    first, second = public(deps)[:2]
    await due_for_review(deps, first, second)
    await hold(deps, [first.id])
    await practice.review(deps, team_id=TEAM, user_id="UP", reply_to=reply_to("UP"))
    (post,) = fake(deps).state.posts.values()
    assert post.question_id == second.id


async def test_review_with_only_held_questions_due_has_nothing(deps):
    (question,) = public(deps)[:1]
    await due_for_review(deps, question)
    await hold(deps, [question.id])
    await practice.review(deps, team_id=TEAM, user_id="UP", reply_to=reply_to("UP"))
    assert fake(deps).state.posts == {}
    (said,) = [m.text for m in fake(deps).messages(action="respond")]
    assert said.startswith("Nothing is due for review.")
