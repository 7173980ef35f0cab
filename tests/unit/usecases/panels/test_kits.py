"""Interviewers' private kits: the expected answer, "the candidate knew this", "I did
not interview", the kit again, the rubric removed later, a replaced interviewer and a
moved interview."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.panel_records import PanelSettings
from bot.ports.slack import TriggerExpired
from bot.slack.blocks import ids
from bot.usecases.panels import kits, rooms, scorecards
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    LAST_END,
    OUTSIDER,
    STARTS,
    confirm,
    current,
    deliver,
    dms,
    draft,
    edits_of,
    interview_of,
    kit_questions,
    last_reply,
    live,
    planned,
    submit_card,
    text_of,
    to,
    view_of,
)


async def expected(deps, panel, user, question_id, trigger="t1"):
    await kits.open_expected_answer(
        deps,
        team_id=TEAM,
        user_id=user,
        value=f"{panel.id}|{question_id}",
        trigger_id=trigger,
        reply_to=to(user),
    )


async def knew(deps, panel, user, question_id):
    await kits.candidate_knew(
        deps, team_id=TEAM, user_id=user, value=f"{panel.id}|{question_id}", reply_to=to(user)
    )


async def declined(deps, panel, user):
    await kits.did_not_interview(
        deps, team_id=TEAM, user_id=user, value=str(panel.id), reply_to=to(user)
    )


async def show(deps, panel, user):
    await kits.show_kit(deps, team_id=TEAM, user_id=user, ref=str(panel.id), reply_to=to(user))


async def replace_seat(deps, panel, *args, user=COORDINATOR):
    await kits.replace_interviewer(
        deps, team_id=TEAM, user_id=user, ref=str(panel.id), args=args, reply_to=to(user)
    )


async def move(deps, panel, *args, user=COORDINATOR):
    await kits.move_interview(
        deps, team_id=TEAM, user_id=user, ref=str(panel.id), args=args, reply_to=to(user)
    )


# -- the expected answer -----------------------------------------------------------------


async def test_the_expected_answer_opens_for_a_question_of_ones_own_kit(deps, gateway):
    panel = await live(deps)
    mine = (await kit_questions(deps, panel, "UA"))[0]
    await expected(deps, panel, "UA", mine)
    (call,) = gateway.calls_to("open_view")
    question = deps.bank.get(mine)
    assert call["trigger_id"] == "t1"
    assert question.title in str(call["view"])
    assert question.expected_answer.split()[0] in str(call["view"])


async def test_nobody_reads_the_expected_answer_of_anothers_kit(deps, gateway):
    panel = await live(deps)
    theirs = (await kit_questions(deps, panel, "UB"))[0]
    await expected(deps, panel, "UA", theirs)
    assert last_reply(deps, "UA") == "That question is not in your kit."
    await expected(deps, panel, HIRING_MANAGER, theirs)
    assert last_reply(deps, HIRING_MANAGER) == "Only the panel's interviewers have kits."
    await expected(deps, panel, OUTSIDER, theirs)
    assert last_reply(deps, OUTSIDER) == "I can't find that panel, or you are not on it."
    assert gateway.calls_to("open_view") == []


async def test_an_expired_trigger_for_the_expected_answer_is_said_so(deps, gateway):
    panel = await live(deps)
    gateway.fail("open_view", TriggerExpired("expired_trigger_id"))
    await expected(deps, panel, "UA", (await kit_questions(deps, panel, "UA"))[0])
    assert "press *Expected answer* again" in last_reply(deps, "UA")


# -- the candidate knew this -----------------------------------------------------------


async def test_a_question_the_candidate_knew_is_retired_counted_and_not_rated(deps, gateway):
    panel = await live(deps)
    question = (await kit_questions(deps, panel, "UA"))[0]
    await knew(deps, panel, "UA", question)
    async with deps.storage.reading() as uow:
        assert await uow.panels.knew(TEAM, panel.code) == {question}
        assert (await uow.panels.exposure(TEAM))[question] == 2  # planned, then known
    assert "never planned for them again" in last_reply(deps, "UA")
    # The scorecard no longer asks for its rating.
    await scorecards.open_scorecard(
        deps, team_id=TEAM, user_id="UA", ref=str(panel.id), trigger_id="t", reply_to=to("UA")
    )
    (call,) = gateway.calls_to("open_view")
    blocks = {b.get("block_id") for b in call["view"]["blocks"]}
    assert f"rating:{question}" not in blocks
    others = (await kit_questions(deps, panel, "UA"))[1:]
    assert {f"rating:{q}" for q in others} <= blocks


async def test_knew_only_for_a_question_of_ones_own_kit(deps):
    panel = await live(deps)
    theirs = (await kit_questions(deps, panel, "UB"))[0]
    await knew(deps, panel, "UA", theirs)
    assert last_reply(deps, "UA") == "That question is not in your kit."
    async with deps.storage.reading() as uow:
        assert await uow.panels.knew(TEAM, panel.code) == set()
        assert (await uow.panels.exposure(TEAM))[theirs] == 1


# -- I did not interview ---------------------------------------------------------------


async def test_did_not_interview_stops_the_reminders_and_tells_the_coordinator(deps):
    panel = await live(deps, room=True)
    seat = await interview_of(deps, panel, "UA")
    await declined(deps, panel, "UA")
    async with deps.storage.reading() as uow:
        assert (await uow.panels.get_interview(seat.id)).status == "did_not_interview"
        mine = [r for r in await uow.panels.reminders(panel.id) if r.interview_id == seat.id]
        others = [r for r in await uow.panels.reminders(panel.id) if r.interview_id != seat.id]
    assert {r.status for r in mine} == {"cancelled"}
    assert {r.status for r in others} == {"pending"}
    (notice,) = dms(deps, COORDINATOR, "declined:")
    assert "<@UA> says they did not interview" in notice.text + str(notice.blocks)
    assert last_reply(deps, "UA") == "Thanks: your reminders are off."
    # The room's progress no longer waits for them.
    (edit,) = edits_of(deps, f"panel-progress:{panel.id}")
    assert edit.text == f"Scorecards 0/2 for {panel.code}"


async def test_did_not_interview_opens_the_packet_when_everyone_else_is_in(deps):
    panel = await live(deps, room=True)
    for who in ("UB", "UC"):
        await submit_card(deps, panel, who)
    assert (await current(deps, panel.id)).packet_opened_at is None
    await declined(deps, panel, "UA")
    assert (await current(deps, panel.id)).packet_opened_at == deps.now()
    assert fake(deps).messages(key=f"panel-packet:{panel.id}")


async def test_someone_who_submitted_did_interview(deps):
    panel = await live(deps)
    await submit_card(deps, panel, "UA")
    await declined(deps, panel, "UA")
    assert last_reply(deps, "UA") == "You submitted a scorecard already, so you did interview."
    assert (await interview_of(deps, panel, "UA")).status == "scheduled"


# -- the kit again ---------------------------------------------------------------------


async def test_the_kit_again_privately(deps):
    panel = await live(deps)
    await show(deps, panel, "UA")
    (reply,) = [m for m in fake(deps).messages(action="respond", user_id="UA")]
    assert reply.text == f"Interview kit {panel.code}"
    titles = [deps.bank.get(q).title for q in await kit_questions(deps, panel, "UA")]
    assert all(title in str(reply.blocks) for title in titles)


async def test_no_kit_before_the_plan_is_confirmed_nor_after_its_rubric_is_removed(deps):
    panel = await draft(deps)
    await show(deps, panel, "UA")
    assert last_reply(deps, "UA") == "The plan is not confirmed yet: no kits so far."
    await confirm(deps, panel)
    async with deps.storage.transaction() as uow:
        await uow.panels.set_kit_redacted((await interview_of(deps, panel, "UA")).id)
    await show(deps, panel, "UA")
    assert "the rubric was removed" in last_reply(deps, "UA")


async def test_only_interviewers_have_kits(deps):
    panel = await live(deps)
    await show(deps, panel, COORDINATOR)
    assert last_reply(deps, COORDINATOR) == "Only the panel's interviewers have kits."


# -- the rubric removed after the interview ---------------------------------------------


async def test_the_rubric_is_removed_a_day_after_each_interview(deps, clock):
    panel = await live(deps)
    first = await interview_of(deps, panel, "UA")
    clock.set(first.ends_at + timedelta(hours=24) - timedelta(seconds=1))
    assert await kits.redact_kits(deps) == 0
    clock.set(first.ends_at + timedelta(hours=24))
    assert await kits.redact_kits(deps) == 1
    (edit,) = edits_of(deps, f"kit:{panel.id}:{first.id}:v1")
    assert edit.user_id == "UA" and "rubric removed" in edit.text
    assert "Key points" not in text_of(edit)
    assert (await interview_of(deps, panel, "UA")).kit_redacted
    assert await kits.redact_kits(deps) == 0  # once
    clock.set(LAST_END + timedelta(hours=24))
    assert await kits.redact_kits(deps) == 2


async def test_the_rubric_is_removed_after_the_workspaces_kit_redact_hours(deps, clock):
    panel = await live(deps)
    async with deps.storage.transaction() as uow:
        await uow.panels.save_settings(PanelSettings(TEAM, kit_redact_hours=2))
    first = await interview_of(deps, panel, "UA")
    clock.set(first.ends_at + timedelta(hours=2))
    assert await kits.redact_kits(deps) == 1


async def test_a_draft_panels_kits_are_never_redacted(deps, clock):
    await draft(deps)
    clock.set(LAST_END + timedelta(days=3))
    assert await kits.redact_kits(deps) == 0


# -- a replaced interviewer -------------------------------------------------------------


async def test_a_replaced_interviewer_only_their_kit_is_resent_and_the_old_withdrawn(deps):
    panel = await live(deps, room=True)
    await deliver(deps)
    old_seat = await interview_of(deps, panel, "UA")
    old_questions = await kit_questions(deps, panel, "UA")
    others = {w: dms(deps, w, "kit:") for w in ("UB", "UC")}
    await replace_seat(deps, panel, "<@UA>", "<@UD|dee>")
    view = await view_of(deps, panel)
    newcomer = view.interview_of("UD")
    assert newcomer is not None and view.interview_of("UA") is None
    assert (newcomer.starts_at, newcomer.minutes) == (old_seat.starts_at, old_seat.minutes)
    assert await kit_questions(deps, panel, "UD") == old_questions  # the seat's questions
    (kit,) = dms(deps, "UD", "kit:")
    assert kit.key == f"kit:{panel.id}:{newcomer.id}:v1"
    (withdrawn,) = fake(deps).messages(action="delete")
    assert withdrawn.target_key == f"kit:{panel.id}:{old_seat.id}:v1"
    assert {w: dms(deps, w, "kit:") for w in ("UB", "UC")} == others
    (bye,) = dms(deps, "UA", "replaced:")
    assert "no longer interviewing" in bye.text + str(bye.blocks)
    async with deps.storage.reading() as uow:
        reminders = await uow.panels.reminders(panel.id)
    assert {r.status for r in reminders if r.interview_id == old_seat.id} == {"cancelled"}
    assert {r.status for r in reminders if r.interview_id == newcomer.id} == {"pending"}
    assert last_reply(deps, COORDINATOR) == f"<@UD> replaces <@UA> on *{panel.code}*."


async def test_replacing_in_a_draft_edits_the_plan_and_sends_no_kit(deps):
    panel = await draft(deps)
    await replace_seat(deps, panel, "<@UA>", "<@UD>")
    assert "UD" in await planned(deps, panel)
    assert dms(deps, "UD", "kit:") == [] and fake(deps).messages(action="delete") == []
    assert len(edits_of(deps, f"panel-plan:{panel.id}")) == 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("<@UA>",), "Write it as `/mlquiz panel replace ID @old @new`."),
        (("UA", "UD"), "Write it as `/mlquiz panel replace ID @old @new`."),
        (("<@UD>", "<@UX>"), "<@UD> is not interviewing on this panel."),
        (("<@UA>", "<@UB>"), "<@UB> is on this panel already."),
    ],
)
async def test_a_wrong_replacement_is_explained_and_changes_nothing(deps, args, said):
    panel = await live(deps)
    before = await planned(deps, panel)
    await replace_seat(deps, panel, *args)
    assert last_reply(deps, COORDINATOR) == said
    assert await planned(deps, panel) == before


async def test_only_the_coordinator_replaces_and_moves(deps):
    panel = await live(deps)
    await replace_seat(deps, panel, "<@UA>", "<@UD>", user=HIRING_MANAGER)
    await move(deps, panel, "<@UA>", "2024-03-06T10:00", user="UA")
    assert last_reply(deps, HIRING_MANAGER) == "Only the panel's coordinator can change it."
    assert last_reply(deps, "UA") == "Only the panel's coordinator can change it."
    assert set(await planned(deps, panel)) == set(INTERVIEWERS)


async def test_a_closed_panel_cannot_change(deps):
    panel = await live(deps)
    async with deps.storage.transaction() as uow:
        await uow.panels.transition(panel.id, ("live",), "closed", deps.now())
    await replace_seat(deps, panel, "<@UA>", "<@UD>")
    assert "cannot change" in last_reply(deps, COORDINATOR)


# -- a moved interview ------------------------------------------------------------------


async def test_a_moved_interview_resends_its_kit_and_moves_its_reminders(deps, gateway):
    gateway.add_user(COORDINATOR, tz="Europe/Berlin")
    panel = await live(deps)
    seat = await interview_of(deps, panel, "UB")
    others = {w: dms(deps, w, "kit:") for w in ("UA", "UC")}
    await move(deps, panel, "<@UB>", "2024-03-06T14:00")  # Berlin time: 13:00 UTC
    moved = await interview_of(deps, panel, "UB")
    assert moved.starts_at == STARTS + timedelta(days=1, hours=4)
    assert moved.kit_version == 2
    assert [k.key for k in dms(deps, "UB", "kit:")] == [
        f"kit:{panel.id}:{seat.id}:v1",
        f"kit:{panel.id}:{seat.id}:v2",
    ]
    (withdrawn,) = fake(deps).messages(action="delete")
    assert withdrawn.target_key == f"kit:{panel.id}:{seat.id}:v1"
    assert {w: dms(deps, w, "kit:") for w in ("UA", "UC")} == others
    async with deps.storage.reading() as uow:
        reminders = [r for r in await uow.panels.reminders(panel.id) if r.interview_id == seat.id]
    end = next(r for r in reminders if r.kind == "end")
    assert end.due_at == moved.ends_at and end.status == "pending"
    assert last_reply(deps, COORDINATOR) == "<@UB>'s interview is moved."


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ((), "Write it as"),
        (("<@UB>",), "Write it as"),
        (("<@UB>", "next", "week"), "Write it as"),
        (("<@UB>", "2024-03-01T10:00"), "The new time must be in the future."),
        (("<@UD>", "2024-03-06T10:00"), "<@UD> is not interviewing on this panel."),
    ],
)
async def test_a_wrong_move_is_explained_and_changes_nothing(deps, args, said):
    panel = await live(deps)
    before = await interview_of(deps, panel, "UB")
    await move(deps, panel, *args)
    assert last_reply(deps, COORDINATOR).startswith(said)
    assert await interview_of(deps, panel, "UB") == before


async def test_a_move_in_a_draft_edits_the_plan(deps):
    panel = await draft(deps)
    await move(deps, panel, "<@UA>", "2024-03-06T10:00")
    assert (await interview_of(deps, panel, "UA")).starts_at == STARTS + timedelta(days=1, hours=1)
    assert dms(deps, "UA", "kit:") == []
    assert len(edits_of(deps, f"panel-plan:{panel.id}")) == 1
    assert ids.PANEL_CONFIRM in str(edits_of(deps, f"panel-plan:{panel.id}")[0].blocks)


async def test_a_replacement_joins_the_debrief_room(deps, gateway):
    panel = await live(deps, room=True)
    await replace_seat(deps, panel, "<@UA>", "<@UD>")
    assert gateway.calls_to("invite")[-1] == {"channel": panel.debrief_channel, "users": ["UD"]}


async def test_a_replacement_before_the_room_exists_is_invited_with_everyone(deps, gateway):
    panel = await live(deps)
    await replace_seat(deps, panel, "<@UA>", "<@UD>")
    assert gateway.calls_to("invite") == []
    assert await rooms.open_room(deps, await current(deps, panel.id), deps.leases)
    (invite,) = gateway.calls_to("invite")
    assert "UD" in invite["users"] and "UA" not in invite["users"]


async def test_an_interview_moved_after_its_rubric_was_removed_gets_a_kit_redacted_anew(
    deps, clock
):
    panel = await live(deps)
    seat = await interview_of(deps, panel, "UA")
    clock.set(seat.ends_at + timedelta(hours=24))
    assert await kits.redact_kits(deps) == 1
    await move(deps, panel, "<@UA>", "2024-03-08T09:00")  # the candidate comes back
    moved = await interview_of(deps, panel, "UA")
    assert not moved.kit_redacted
    (resent,) = [k for k in dms(deps, "UA", "kit:") if k.key.endswith(":v2")]
    assert "Key points" in text_of(resent)
    await show(deps, panel, "UA")
    assert last_reply(deps, "UA") == f"Interview kit {panel.code}"
    clock.set(moved.ends_at + timedelta(hours=24))
    assert await kits.redact_kits(deps) == 3  # the moved one, and the others' by now
    assert (await interview_of(deps, panel, "UA")).kit_redacted
    (removed,) = edits_of(deps, f"kit:{panel.id}:{seat.id}:v2")
    assert "Key points" not in text_of(removed)
