"""Sealed scorecards: the modal's checks, the submission, edits after the packet opened,
and the grader's suggestions, which never change a rating."""

from __future__ import annotations

import pytest

from bot.core.panel_records import QuestionRating, ScorecardIn
from bot.ports.slack import SlackUnavailable, TriggerExpired
from bot.slack.blocks import ids
from bot.usecases.panels import debrief, scorecards
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    TOPICS,
    card_submission,
    card_values,
    current,
    dms,
    draft,
    edits_of,
    interview_of,
    kit_questions,
    last_reply,
    live,
    submit_card,
    text_of,
    to,
)

STRONG_EVIDENCE = "Derived the estimator and tested it on skewed data unprompted."


def questions(deps, n=2):
    return [q for q in deps.bank if q.for_interview and len(q.key_points) >= 3][:n]


def valid(qs, **card):
    return card_values([q.id for q in qs], **card)


# -- parse_card (pure) -------------------------------------------------------------------


def test_a_complete_card_is_parsed_in_the_kits_order(deps):
    qs = questions(deps)
    values = valid(qs, rating="4", points=("k0", "k2", "k99", "x1", "k", "k¹"), notes=" seen ")
    values[f"topic:{TOPICS[1]}.topic"] = "none"
    parsed = scorecards.parse_card(values, qs, TOPICS)
    assert parsed.problems == {}
    assert parsed.card.recommendation == "yes"
    assert parsed.card.question_ratings == tuple(
        QuestionRating(q.id, 4, (q.key_points[0].text, q.key_points[2].text), "seen") for q in qs
    )
    assert parsed.card.topic_ratings == {TOPICS[0]: 4, TOPICS[1]: None}


@pytest.mark.parametrize(
    ("change", "block"),
    [
        ({"rating:Q0.rating": ""}, "rating:Q0"),
        ({"rating:Q0.rating": "5"}, "rating:Q0"),
        ({"rating:Q0.rating": ["3"]}, "rating:Q0"),
        ({f"topic:{TOPICS[0]}.topic": ""}, f"topic:{TOPICS[0]}"),
        ({"recommendation.recommendation": ""}, "recommendation"),
        ({"recommendation.recommendation": "maybe"}, "recommendation"),
        ({"recommendation.recommendation": "strong_yes"}, "evidence"),
        ({"recommendation.recommendation": "strong_no", "evidence.evidence": "weak"}, "evidence"),
        (
            {"recommendation.recommendation": "strong_no", "evidence.evidence": ":x: :y: :z: - -"},
            "evidence",
        ),
    ],
)
def test_each_problem_is_named_by_its_block(deps, change, block):
    qs = questions(deps)
    values = valid(qs)
    values.update({k.replace("Q0", qs[0].id): v for k, v in change.items()})
    problems = scorecards.parse_card(values, qs, TOPICS).problems
    assert set(problems) == {block.replace("Q0", qs[0].id)}


def test_a_missing_rating_and_a_strong_without_evidence_are_both_named(deps):
    qs = questions(deps)
    values = valid(qs, recommendation="strong_yes")
    del values[f"rating:{qs[1].id}.rating"]
    problems = scorecards.parse_card(values, qs, TOPICS).problems
    assert problems == {
        f"rating:{qs[1].id}": "Rate this question from 1 to 4.",
        "evidence": "A Strong recommendation needs its evidence: what did you see?",
    }


def test_a_strong_with_evidence_is_fine(deps):
    qs = questions(deps)
    card = valid(qs, recommendation="strong_no", evidence=STRONG_EVIDENCE)
    assert scorecards.parse_card(card, qs, TOPICS).problems == {}


def test_long_notes_are_cut_to_the_limit(deps):
    qs = questions(deps, 1)
    parsed = scorecards.parse_card(valid(qs, notes="x" * 5000), qs, TOPICS)
    assert len(parsed.card.question_ratings[0].notes) == scorecards.MAX_TEXT


# -- the modal ----------------------------------------------------------------------------


async def open_card(deps, panel, user, trigger="t1"):
    await scorecards.open_scorecard(
        deps, team_id=TEAM, user_id=user, ref=str(panel.id), trigger_id=trigger, reply_to=to(user)
    )


async def test_the_scorecard_modal_asks_for_each_kit_question_and_topic(deps, gateway):
    panel = await live(deps)
    await open_card(deps, panel, "UA")
    (call,) = gateway.calls_to("open_view")
    view = call["view"]
    assert (view["callback_id"], view["private_metadata"]) == (ids.SCORECARD_MODAL, str(panel.id))
    blocks = {b.get("block_id") for b in view["blocks"]}
    mine = await kit_questions(deps, panel, "UA")
    assert {f"rating:{q}" for q in mine} | {f"topic:{t}" for t in TOPICS} <= blocks
    theirs = await kit_questions(deps, panel, "UB")
    assert not {f"rating:{q}" for q in theirs} & blocks


async def test_the_modal_shows_ones_own_earlier_card(deps, gateway):
    panel = await live(deps)
    await submit_card(deps, panel, "UA", rating="2", notes="their notes")
    await open_card(deps, panel, "UA")
    (call,) = gateway.calls_to("open_view")
    assert "their notes" in str(call["view"])


@pytest.mark.parametrize(
    ("user", "said"),
    [
        (HIRING_MANAGER, "Only the panel's interviewers write scorecards."),
        (COORDINATOR, "Only the panel's interviewers write scorecards."),
        ("UX", "I can't find that panel, or you are not on it."),
    ],
)
async def test_only_interviewers_open_a_scorecard(deps, gateway, user, said):
    panel = await live(deps)
    await open_card(deps, panel, user)
    assert last_reply(deps, user) == said and gateway.calls_to("open_view") == []


async def test_no_scorecard_before_the_plan_is_confirmed(deps, gateway):
    panel = await draft(deps)
    await open_card(deps, panel, "UA")
    assert last_reply(deps, "UA") == "Scorecards open once the plan is confirmed."


@pytest.mark.parametrize(
    ("error", "said"),
    [(TriggerExpired("expired_trigger_id"), "again"), (SlackUnavailable("x"), "try again")],
)
async def test_a_modal_that_does_not_open_is_said_so(deps, gateway, error, said):
    panel = await live(deps)
    gateway.fail("open_view", error)
    await open_card(deps, panel, "UA")
    assert said in last_reply(deps, "UA")


# -- checks before the ack ------------------------------------------------------------------


async def test_the_checks_before_the_ack_name_the_blocks(deps):
    panel = await live(deps)
    mine = await kit_questions(deps, panel, "UA")
    values = card_values(mine, recommendation="strong_yes")
    del values[f"rating:{mine[0]}.rating"]
    problems = await scorecards.check_submission(deps, card_submission(panel, "UA", values))
    assert set(problems) == {f"rating:{mine[0]}", "evidence"}


async def test_a_valid_card_passes_the_checks(deps):
    panel = await live(deps)
    mine = await kit_questions(deps, panel, "UA")
    submission = card_submission(panel, "UA", card_values(mine))
    assert await scorecards.check_submission(deps, submission) == {}


async def test_someone_not_interviewing_is_refused_in_the_modal(deps):
    panel = await live(deps)
    mine = await kit_questions(deps, panel, "UA")
    submission = card_submission(panel, HIRING_MANAGER, card_values(mine))
    assert await scorecards.check_submission(deps, submission) == {
        "recommendation": "Only the panel's interviewers write scorecards."
    }


# -- submitting ---------------------------------------------------------------------------


async def test_a_submission_stores_the_card_stops_the_reminders_and_updates_progress(deps):
    panel = await live(deps, room=True)
    mine = await kit_questions(deps, panel, "UA")
    await submit_card(deps, panel, "UA", rating="3", points=("k0",))
    async with deps.storage.reading() as uow:
        card = await uow.panels.scorecard(panel.id, "UA")
        reminders = await uow.panels.reminders(panel.id)
    assert card is not None and card.revision == 1 and not card.edited_after_packet
    assert sorted(r.question_id for r in card.question_ratings) == sorted(mine)
    assert {r.rating for r in card.question_ratings} == {3}
    seat = await interview_of(deps, panel, "UA")
    assert {r.status for r in reminders if r.interview_id == seat.id} == {"cancelled"}
    assert {r.status for r in reminders if r.interview_id != seat.id} == {"pending"}
    (edit,) = edits_of(deps, f"panel-progress:{panel.id}")
    assert edit.text == f"Scorecards 1/3 for {panel.code}"
    assert "Open the packet" not in text_of(edit)  # who, never what; the packet is shut
    assert last_reply(deps, "UA") == f"Scorecard for *{panel.code}* saved (revision 1)."


async def test_the_last_card_opens_the_packet_in_the_same_transaction(deps):
    panel = await live(deps, room=True)
    for who in INTERVIEWERS[:-1]:
        await submit_card(deps, panel, who)
    assert (await current(deps, panel.id)).packet_opened_at is None
    await submit_card(deps, panel, INTERVIEWERS[-1])
    assert (await current(deps, panel.id)).packet_opened_at == deps.now()
    (opened,) = fake(deps).messages(key=f"panel-packet:{panel.id}")
    assert (opened.action, opened.channel_id) == ("post", panel.debrief_channel)
    assert "(partial)" not in opened.text + str(opened.blocks)
    assert "Open the packet" in text_of(edits_of(deps, f"panel-progress:{panel.id}")[-1])


async def test_a_card_racing_a_change_is_not_saved(deps):
    panel = await live(deps)
    mine = await kit_questions(deps, panel, "UA")
    values = card_values(mine)
    del values["recommendation.recommendation"]
    await scorecards.submit(deps, card_submission(panel, "UA", values))
    assert last_reply(deps, "UA").startswith("Your scorecard was not saved: ")
    assert fake(deps).state.panel_scorecards == {}


async def test_a_closed_panel_takes_no_card(deps):
    panel = await live(deps)
    await debrief.close(
        deps, team_id=TEAM, user_id=COORDINATOR, ref=str(panel.id), reply_to=to(COORDINATOR)
    )
    await submit_card(deps, panel, "UA")
    assert last_reply(deps, "UA") == "This panel is closed: nothing was saved."
    assert fake(deps).state.panel_scorecards == {}
    problems = await scorecards.check_submission(deps, card_submission(panel, "UA", {}))
    assert problems == {"recommendation": "This panel is closed: scorecards can no longer change."}


async def test_a_stranger_submission_is_dropped(deps):
    panel = await live(deps)
    mine = await kit_questions(deps, panel, "UA")
    await scorecards.submit(deps, card_submission(panel, "UX", card_values(mine)))
    assert fake(deps).state.panel_scorecards == {}


# -- edits ------------------------------------------------------------------------------


async def test_an_edit_before_the_packet_opened_simply_replaces(deps):
    panel = await live(deps, room=True)
    await submit_card(deps, panel, "UA", rating="2")
    await submit_card(deps, panel, "UA", rating="3")
    async with deps.storage.reading() as uow:
        card = await uow.panels.scorecard(panel.id, "UA")
        assert card is not None and await uow.panels.scorecard_history(card.id) == []
    assert (card.revision, card.edited_after_packet) == (2, False)
    assert not [m for m in fake(deps).messages(action="post") if m.key.startswith("panel-edit:")]


async def test_an_edit_after_the_packet_opened_is_labelled_and_the_earlier_kept(deps, clock):
    panel = await live(deps, room=True)
    for who in INTERVIEWERS:
        await submit_card(deps, panel, who, rating="2", recommendation="no")
    clock.advance(hours=1)
    await submit_card(deps, panel, "UA", rating="4", recommendation="yes")
    async with deps.storage.reading() as uow:
        card = await uow.panels.scorecard(panel.id, "UA")
        assert card is not None
        (earlier,) = await uow.panels.scorecard_history(card.id)
    assert (card.revision, card.edited_after_packet, card.recommendation) == (2, True, "yes")
    assert (earlier["revision"], earlier["recommendation"]) == (1, "no")
    assert {r["rating"] for r in earlier["question_ratings"]} == {2}
    (notice,) = fake(deps).messages(key=f"panel-edit:{card.id}:r2")
    assert notice.channel_id == panel.debrief_channel
    assert "changed their scorecard after the packet opened" in text_of(notice)
    assert last_reply(deps, "UA") == f"Scorecard for *{panel.code}* saved (revision 2)."


# -- the grader's suggestions ---------------------------------------------------------


async def test_suggestions_name_points_the_notes_show_and_never_change_the_ratings(deps):
    panel = await live(deps)
    mine = await kit_questions(deps, panel, "UA")
    question = deps.bank.get(mine[0])
    notes = "The candidate said: " + " ".join(p.text for p in question.key_points)
    values = card_values(mine, rating="1")
    values[f"notes:{question.id}.notes"] = notes
    await scorecards.submit(deps, card_submission(panel, "UA", values))
    async with deps.storage.reading() as uow:
        card = await uow.panels.scorecard(panel.id, "UA")
    assert card is not None
    assert {r.rating for r in card.question_ratings} == {1}  # as given
    assert all(r.shown_points == () for r in card.question_ratings)  # as ticked
    (assist,) = dms(deps, "UA", "assist:")
    assert assist.key == f"assist:{card.id}:r1"
    assert "Suggestion, not a rating" in text_of(assist)
    assert "Your ratings stand as you gave them" in text_of(assist)
    assert question.key_points[0].text.split()[0] in text_of(assist)


def test_suggestions_skip_ticked_points_and_empty_notes(deps):
    question = questions(deps, 1)[0]
    every = tuple(p.text for p in question.key_points)
    notes = " ".join(every)
    card = scorecards.parse_card(valid([question], notes=notes), [question], TOPICS).card
    ticked = card.question_ratings[0]
    assert scorecards.suggestions([question], card)[question.id]
    all_ticked = ScorecardIn(
        card.recommendation,
        card.evidence,
        card.notes,
        (QuestionRating(question.id, ticked.rating, every, notes),),
        card.topic_ratings,
    )
    assert scorecards.suggestions([question], all_ticked) == {}
    empty = scorecards.parse_card(valid([question], notes="  "), [question], TOPICS).card
    assert scorecards.suggestions([question], empty) == {}


async def test_with_nothing_to_suggest_the_interviewer_is_thanked(deps):
    panel = await live(deps)
    await submit_card(deps, panel, "UA")
    (assist,) = dms(deps, "UA", "assist:")
    assert "Your notes show no key point you did not tick" in text_of(assist)
