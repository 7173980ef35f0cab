"""Creating a panel: from the modal or one line, every field checked before anything is
stored, the people checked with Slack, and a later round that repeats no question."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.panel_form import LONGEST_LEAD
from bot.ports.slack import SlackUnavailable, TriggerExpired
from bot.slack.blocks import ids
from bot.usecases.panels import create
from tests.unit.builders import fake
from tests.unit.fakes import T0, TEAM
from tests.unit.panel_builders import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    LAST_END,
    MINUTES,
    NAME,
    STARTS,
    TOPICS,
    confirm,
    draft,
    kit_questions,
    last_reply,
    panel_form,
    planned,
    text_of,
    to,
)


async def from_modal(deps, form=None, code=""):
    return await create.new_from_modal(
        deps,
        team_id=TEAM,
        user_id=COORDINATOR,
        form=form or panel_form(),
        code=code,
        reply_to=to(COORDINATOR),
    )


async def from_line(deps, rest, user=COORDINATOR):
    return await create.new_from_line(
        deps, team_id=TEAM, user_id=user, rest=rest, reply_to=to(user)
    )


def nothing_stored(deps):
    state = fake(deps).state
    assert state.panels == {} and state.panel_interviews == {} and state.panel_questions == {}
    assert state.panel_candidates == {} and state.candidate_questions == {}
    assert [m.action for m in fake(deps).messages()] in ([], ["respond"])
    return True


LINE = (
    '"ML Engineer" senior <@UA> <@UB|bea> <@UC> hm=<@UHM> '
    "topics=evaluation-metrics,probability start=2024-03-05T09:00 minutes=45"
)


# -- from the modal ------------------------------------------------------------------------


async def test_a_panel_from_the_modal_is_a_planned_draft_sent_to_its_coordinator(deps):
    panel = await from_modal(deps)
    assert panel is not None
    state = fake(deps).state
    assert (panel.status, panel.role, panel.level, panel.focus_topics) == (
        "draft",
        "ML Engineer",
        "senior",
        TOPICS,
    )
    assert panel.code.startswith("C-") and len(panel.code) == 7
    assert state.panel_candidates == {(TEAM, panel.code): NAME}
    # Back to back, in the order given, each with their own questions.
    interviews = sorted(state.panel_interviews.values(), key=lambda i: i.starts_at)
    assert [(i.interviewer_id, i.starts_at, i.minutes) for i in interviews] == [
        (who, STARTS + n * timedelta(minutes=MINUTES), MINUTES)
        for n, who in enumerate(INTERVIEWERS)
    ]
    by_interviewer = await planned(deps, panel)
    every = [q for qs in by_interviewer.values() for q in qs]
    assert all(by_interviewer.values()) and len(every) == len(set(every))
    assert all(deps.bank.get(q).for_interview for q in every)
    # The plan goes to the coordinator only, by code; the name is in no message.
    (plan,) = fake(deps).messages(key=f"panel-plan:{panel.id}")
    assert (plan.action, plan.user_id, plan.subject) == ("dm", COORDINATOR, f"panel:{panel.id}")
    assert panel.code in text_of(plan)
    assert all(NAME not in text_of(m) for m in fake(deps).messages())
    assert "is planned" in last_reply(deps, COORDINATOR)
    # A draft: nothing counts as asked or exposed yet.
    assert state.candidate_questions == {} and state.question_exposure == {}


async def test_a_debrief_defaults_to_an_hour_after_the_last_interview(deps):
    panel = await from_modal(deps, panel_form(debrief_at=None))
    assert panel is not None and panel.debrief_at == LAST_END + timedelta(hours=1)


async def test_another_creator_is_told_the_plan_is_with_the_coordinator(deps):
    panel = await create.new_from_modal(
        deps,
        team_id=TEAM,
        user_id="UD",
        form=panel_form(),
        code="",
        reply_to=to("UD"),
    )
    assert panel is not None and panel.created_by == "UD"
    assert f"with the coordinator, <@{COORDINATOR}>" in last_reply(deps, "UD")


async def test_the_modal_opens_with_tomorrows_working_hours_in_the_creators_zone(deps, gateway):
    gateway.add_user(COORDINATOR, tz="Asia/Tokyo")
    await create.open_new_panel_modal(
        deps,
        team_id=TEAM,
        user_id=COORDINATOR,
        channel_id="C1",
        trigger_id="t1",
        reply_to=to(COORDINATOR),
    )
    (call,) = gateway.calls_to("open_view")
    view = call["view"]
    assert (call["trigger_id"], view["callback_id"], view["private_metadata"]) == (
        "t1",
        ids.PANEL_NEW_MODAL,
        "C1",
    )
    pickers = {
        b["block_id"]: b["element"]["initial_date_time"]
        for b in view["blocks"]
        if b.get("element", {}).get("type") == "datetimepicker"
    }
    # Monday 18:00 in Tokyo: the next working morning is Tuesday, 10:00 and 16:00 there.
    assert pickers == {
        "starts": int((T0 + timedelta(hours=16)).timestamp()),
        "debrief": int((T0 + timedelta(hours=22)).timestamp()),
    }


@pytest.mark.parametrize(
    ("error", "said"),
    [(TriggerExpired("expired_trigger_id"), "in time"), (SlackUnavailable("x"), "try again")],
)
async def test_a_modal_that_cannot_open_is_said_so(deps, gateway, error, said):
    gateway.fail("open_view", error)
    await create.open_new_panel_modal(
        deps,
        team_id=TEAM,
        user_id=COORDINATOR,
        channel_id="C1",
        trigger_id="t1",
        reply_to=to(COORDINATOR),
    )
    assert said in last_reply(deps, COORDINATOR)


# -- every field checked ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": "  "}, "role"),
        ({"role": "x" * 81}, "role"),
        ({"level": "principal"}, "level"),
        ({"candidate_name": "n" * 121}, "candidate"),
        ({"interviewers": ("UA",)}, "interviewers"),
        (
            {"interviewers": ("UA", "UB", "UC", "UD", "UE", "UF", "UG"), "debrief_at": None},
            "interviewers",
        ),
        ({"interviewers": ("UA", "UB", "UA")}, "interviewers"),
        ({"hiring_manager": ""}, "hiring_manager"),
        ({"coordinator": ""}, "coordinator"),
        ({"topics": ()}, "topics"),
        ({"topics": ("quantum-gravity",)}, "topics"),
        ({"topics": ("probability",) * 9}, "topics"),
        ({"minutes": 5}, "minutes"),
        ({"minutes": 500}, "minutes"),
        ({"starts_at": None}, "starts"),
        ({"starts_at": T0}, "starts"),
        ({"starts_at": T0 + LONGEST_LEAD + timedelta(hours=1), "debrief_at": None}, "starts"),
        ({"debrief_at": LAST_END - timedelta(minutes=1)}, "debrief"),
    ],
)
async def test_each_wrong_field_is_named_and_nothing_is_created(deps, changes, field):
    form = panel_form(**changes)
    assert set(await create.check_form(deps, TEAM, COORDINATOR, form)) == {field}
    assert await from_modal(deps, form) is None
    assert nothing_stored(deps)
    assert last_reply(deps, COORDINATOR).startswith("The panel was not created:\n")
    assert f"*{create.FIELD_LABELS[field]}*" in last_reply(deps, COORDINATOR)


async def test_every_wrong_field_is_named_at_once(deps):
    form = panel_form(role="", level="", interviewers=("UA",), topics=(), minutes=0)
    found = await create.check_form(deps, TEAM, COORDINATOR, form)
    assert set(found) == {"role", "level", "interviewers", "topics", "minutes"}


async def test_a_panel_too_short_for_any_question_is_refused(deps):
    # 15 minutes leave 10 after introductions: every senior question takes longer.
    found = await create.check_form(deps, TEAM, COORDINATOR, panel_form(minutes=15))
    assert (
        set(found) == {"minutes"}
        and "No interview question fits in 15 minutes" in (found["minutes"])
    )


async def test_people_who_left_bots_and_strangers_are_refused(deps, gateway):
    gateway.add_user("UB", deleted=True)
    gateway.add_user(HIRING_MANAGER, is_bot=True)
    gateway.remove_user("UC")
    found = await create.check_form(deps, TEAM, COORDINATOR, panel_form())
    assert found == {
        "interviewers": "<@UB> has left the workspace; <@UC> is not in this workspace.",
        "hiring_manager": f"<@{HIRING_MANAGER}> is a bot.",
    }
    assert await from_modal(deps) is None
    assert nothing_stored(deps)


async def test_slack_being_slow_does_not_refuse_anyone(deps, gateway):
    gateway.fail("profile", SlackUnavailable("timeout"))
    assert await create.check_form(deps, TEAM, COORDINATOR, panel_form()) == {}


async def test_a_failure_half_way_leaves_nothing_behind(deps, monkeypatch):
    calls = 0
    real = fake(deps).uow.panels.set_questions

    async def fails_on_the_second(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        await real(*args, **kwargs)

    monkeypatch.setattr(fake(deps).uow.panels, "set_questions", fails_on_the_second)
    with pytest.raises(RuntimeError):
        await from_modal(deps)
    assert calls == 2
    assert nothing_stored(deps) and fake(deps).messages() == []


# -- from one line ---------------------------------------------------------------------


async def test_a_panel_from_one_line(deps):
    panel = await from_line(deps, LINE)
    assert panel is not None
    assert (panel.role, panel.coordinator_id, panel.hiring_manager_id) == (
        "ML Engineer",
        COORDINATOR,  # the creator coordinates unless told otherwise
        HIRING_MANAGER,
    )
    assert set((await planned(deps, panel)).keys()) == set(INTERVIEWERS)
    assert fake(deps).state.panel_candidates == {(TEAM, panel.code): None}  # no name given


async def test_times_in_one_line_are_the_creators_own(deps, gateway):
    gateway.add_user(COORDINATOR, tz="America/New_York")
    panel = await from_line(deps, LINE.replace("09:00", "10:30") + " debrief=2024-03-05T16:00")
    assert panel is not None
    first = min(i.starts_at for i in fake(deps).state.panel_interviews.values())
    assert first == T0 + timedelta(days=1, hours=6, minutes=30)  # 10:30 EST is 15:30 UTC
    assert panel.debrief_at == T0 + timedelta(days=1, hours=12)


async def test_one_line_without_a_start_takes_the_next_working_morning(deps):
    panel = await from_line(deps, LINE.replace(" start=2024-03-05T09:00", ""))
    assert panel is not None
    first = min(i.starts_at for i in fake(deps).state.panel_interviews.values())
    assert first == T0 + timedelta(days=1, hours=1)  # Tuesday 10:00 UTC


@pytest.mark.parametrize(
    ("rest", "said"),
    [
        (LINE + " colour=blue", "I don't know `colour=`"),
        (LINE + " coordinatr=<@UD>", "I don't know `coordinatr=`. Did you mean `coordinator=`?"),
        (LINE + " @dave", "`@dave` is not a Slack mention"),
        (LINE.replace("probability", "astrology"), "I don't know the topic `astrology`"),
        (LINE.replace("start=2024-03-05T09:00", "start=tomorrow"), "Write the start as"),
        (LINE.replace("minutes=45", "minutes=5"), "Interviews last 15 to 180 minutes"),
        (LINE.replace("hm=<@UHM>", "hm=hugo"), "`hm=@name`"),
        ('"ML Engineer senior <@UA> <@UB>', "A quote is not closed"),
    ],
)
async def test_a_wrong_line_is_explained_and_nothing_is_created(deps, rest, said):
    assert await from_line(deps, rest) is None
    assert said in last_reply(deps, COORDINATOR)
    assert nothing_stored(deps)


# -- a later round ------------------------------------------------------------------------


async def test_a_later_round_never_repeats_a_question_and_keeps_the_name(deps):
    first = await draft(deps)
    await confirm(deps, first)
    asked = {q for qs in (await planned(deps, first)).values() for q in qs}
    knew = next(q for q in deps.bank if q.for_interview and q.id not in asked)
    async with deps.storage.transaction() as uow:
        await uow.panels.note_asked(
            TEAM, first.code, [knew.id], panel_id=first.id, reason="knew", now=T0
        )
    second = await from_modal(deps, panel_form(candidate_name=""), code=first.code.lower())
    assert second is not None and second.code != first.code
    again = {q for qs in (await planned(deps, second)).values() for q in qs}
    assert again and not again & (asked | {knew.id})
    async with deps.storage.reading() as uow:
        assert await uow.panels.candidate_name(TEAM, second.code) == NAME
        # The new code carries the history on, for a third round.
        assert await uow.panels.asked_before(TEAM, second.code) == asked | {knew.id}


async def test_a_later_round_in_one_line(deps):
    first = await draft(deps)
    await confirm(deps, first)
    asked = {q for qs in (await planned(deps, first)).values() for q in qs}
    second = await from_line(deps, f"{LINE} code={first.code}")
    assert second is not None, last_reply(deps, COORDINATOR)
    assert not {q for qs in (await planned(deps, second)).values() for q in qs} & asked


async def test_an_unknown_earlier_code_is_refused(deps):
    assert await from_modal(deps, code="C-ZZZZZ") is None
    assert "No earlier panel of yours has that candidate code." in last_reply(deps, COORDINATOR)
    assert nothing_stored(deps)


async def test_each_panel_gets_its_own_code(deps):
    codes = {(await draft(deps)).code for _ in range(5)}
    assert len(codes) == 5


async def test_only_interview_questions_fill_the_kits(deps):
    panel = await draft(deps)
    for who in INTERVIEWERS:
        assert all(deps.bank.get(q).for_interview for q in await kit_questions(deps, panel, who))
