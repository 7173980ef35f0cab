"""The panel repository and the outbox's subject methods on a real SQLite file.

Every test runs twice: on SQLite, and on the unit tier's in-memory fake
(`tests.unit.fakes.FakePanels`), so the fake the use-case tests rely on keeps the
real repository's promises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.leases import LeasePolicy
from bot.core.panel_records import PanelQuestion, PanelSettings, QuestionRating, ScorecardIn
from bot.core.records import Outgoing
from bot.storage.sqlite.storage import SqliteStorage
from tests.unit.fakes import FakeStorage

T0 = datetime(2024, 3, 4, 9, tzinfo=UTC)  # a Monday
TEAM = "T1"
POLICY = LeasePolicy()


@pytest.fixture(params=["sqlite", "fake"])
async def storage(request, tmp_path):
    if request.param == "fake":
        yield FakeStorage()
        return
    opened = await SqliteStorage.open(tmp_path / "panels.db")
    yield opened
    await opened.close()


async def new_panel(
    storage,
    code="C-AAAAA",
    *,
    team=TEAM,
    debrief=T0 + timedelta(hours=6),
    name=None,
    now=T0,
    status=None,
):
    async with storage.transaction() as uow:
        panel = await uow.panels.create(
            team,
            code=code,
            role="ML Engineer",
            level="senior",
            coordinator_id="UCO",
            hiring_manager_id="UHM",
            focus_topics=("overfitting", "probability"),
            debrief_at=debrief,
            created_by="UCO",
            candidate_name=name,
            now=now,
        )
        if status is not None:
            await uow.panels.set_status(panel.id, status, now)
            panel = await uow.panels.get(panel.id)
    return panel


async def add_interview(storage, panel, who="UA", *, starts=T0 + timedelta(hours=1), minutes=45):
    async with storage.transaction() as uow:
        return await uow.panels.add_interview(
            panel, who, starts_at=starts, minutes=minutes, tz="UTC"
        )


async def read(storage, method, *args, **kwargs):
    async with storage.reading() as uow:
        return await getattr(uow.panels, method)(*args, **kwargs)


async def write(storage, method, *args, **kwargs):
    async with storage.transaction() as uow:
        return await getattr(uow.panels, method)(*args, **kwargs)


async def note(storage, panel, question_ids, reason):
    await write(
        storage,
        "note_asked",
        TEAM,
        panel.code,
        question_ids,
        panel_id=panel.id,
        reason=reason,
        now=T0,
    )


def card(recommendation="yes", *, rating=3, notes="said so", evidence="", shown=("a point",)):
    return ScorecardIn(
        recommendation=recommendation,
        evidence=evidence,
        notes="",
        question_ratings=(QuestionRating("q-b", rating, shown, notes), QuestionRating("q-a", 2)),
        topic_ratings={"overfitting": rating, "probability": None},
    )


# -- transition -------------------------------------------------------------------------


async def test_a_transition_happens_once_from_the_statuses_named(storage):
    panel = await new_panel(storage)
    later = T0 + timedelta(minutes=5)
    assert await write(storage, "transition", panel.id, ("draft",), "live", T0)
    assert not await write(storage, "transition", panel.id, ("draft",), "live", later)
    live = await read(storage, "get", panel.id)
    assert (live.status, live.confirmed_at, live.closed_at) == ("live", T0, None)
    # Not from a status it does not name: nothing changes.
    assert not await write(storage, "transition", panel.id, ("draft", "decided"), "closed", later)
    assert (await read(storage, "get", panel.id)).status == "live"
    assert await write(storage, "transition", panel.id, ("live", "decided"), "decided", later)
    decided = await read(storage, "get", panel.id)
    assert (decided.status, decided.confirmed_at, decided.closed_at) == ("decided", T0, None)
    assert await write(storage, "transition", panel.id, ("decided",), "closed", later)
    assert (await read(storage, "get", panel.id)).closed_at == later
    assert not await write(storage, "transition", panel.id + 1, ("draft",), "live", T0)


async def test_set_status_stamps_the_first_time_only(storage):
    panel = await new_panel(storage)
    await write(storage, "set_status", panel.id, "live", T0)
    await write(storage, "set_status", panel.id, "draft", T0)
    await write(storage, "set_status", panel.id, "live", T0 + timedelta(hours=1))
    assert (await read(storage, "get", panel.id)).confirmed_at == T0


# -- by_code, codes and the candidate's name -----------------------------------------------


async def test_a_panel_is_found_by_its_code_in_its_own_workspace_only(storage):
    ours = await new_panel(storage, "C-AAAAA", name="Ada Lovelace")
    theirs = await new_panel(storage, "C-AAAAA", team="T2")
    assert (await read(storage, "by_code", TEAM, "C-AAAAA")).id == ours.id
    assert (await read(storage, "by_code", "T2", "C-AAAAA")).id == theirs.id
    assert await read(storage, "by_code", TEAM, "C-BBBBB") is None
    assert await read(storage, "codes", TEAM) == ["C-AAAAA"]
    assert await read(storage, "candidate_name", TEAM, "C-AAAAA") == "Ada Lovelace"
    assert await read(storage, "candidate_name", "T2", "C-AAAAA") is None


async def test_a_code_is_unique_in_a_workspace(storage):
    await new_panel(storage, "C-AAAAA")
    with pytest.raises(Exception):  # noqa: B017 - sqlite3.IntegrityError or the fake's
        await new_panel(storage, "C-AAAAA")
    assert await read(storage, "codes", TEAM) == ["C-AAAAA"]  # and nothing half-written


# -- due_packets -------------------------------------------------------------------------


async def test_due_packets_are_live_unopened_and_past_their_debrief(storage):
    early = await new_panel(storage, "C-EARLY", debrief=T0 + timedelta(hours=1), status="live")
    late = await new_panel(storage, "C-LATE2", debrief=T0 + timedelta(hours=2), status="live")
    await new_panel(storage, "C-DRAFT", debrief=T0, status=None)
    opened = await new_panel(storage, "C-OPENS", debrief=T0, status="live")
    await write(storage, "mark_packet_open", opened.id, T0)
    await new_panel(storage, "C-LATER", debrief=T0 + timedelta(hours=5), status="live")
    now = T0 + timedelta(hours=2)
    assert [p.id for p in await read(storage, "due_packets", now)] == [early.id, late.id]
    assert not await write(storage, "mark_packet_open", opened.id, now)  # once
    assert (await read(storage, "get", opened.id)).packet_opened_at == T0


# -- kits_to_redact ----------------------------------------------------------------------


async def test_kits_are_redacted_a_day_after_the_interview_by_default(storage):
    panel = await new_panel(storage, status="live")
    interview = await add_interview(storage, panel, starts=T0, minutes=45)
    end = T0 + timedelta(minutes=45)
    assert await read(storage, "kits_to_redact", end + timedelta(hours=23, minutes=59)) == []
    (due,) = await read(storage, "kits_to_redact", end + timedelta(hours=24))
    assert due.id == interview.id
    await write(storage, "set_kit_redacted", interview.id)
    assert await read(storage, "kits_to_redact", end + timedelta(days=9)) == []
    assert (await read(storage, "get_interview", interview.id)).kit_redacted


async def test_kit_redaction_follows_the_workspace_setting(storage):
    panel = await new_panel(storage, status="live")
    other = await new_panel(storage, "C-OTHER", team="T2", status="live")
    ours = await add_interview(storage, panel, starts=T0, minutes=30)
    theirs = await add_interview(storage, other, starts=T0, minutes=30)
    await write(storage, "save_settings", PanelSettings(TEAM, kit_redact_hours=2))
    now = T0 + timedelta(minutes=30, hours=2)
    assert [i.id for i in await read(storage, "kits_to_redact", now)] == [ours.id]
    later = T0 + timedelta(minutes=30, hours=24)
    assert [i.id for i in await read(storage, "kits_to_redact", later)] == [ours.id, theirs.id]


async def test_no_kit_of_a_draft_or_purged_panel_is_redacted(storage):
    draft = await new_panel(storage, "C-DRAFT")
    purged = await new_panel(storage, "C-PURGE", status="live")
    closed = await new_panel(storage, "C-CLOSE", status="closed")
    await add_interview(storage, draft, starts=T0)
    await add_interview(storage, purged, starts=T0)
    kept = await add_interview(storage, closed, starts=T0)
    await write(storage, "purge", purged, "UCO", T0, {})
    due = await read(storage, "kits_to_redact", T0 + timedelta(days=3))
    assert [i.id for i in due] == [kept.id]


# -- knew and the candidate's history --------------------------------------------------


async def test_knew_wins_over_planned_and_stays(storage):
    panel = await new_panel(storage)
    await note(storage, panel, ["q1", "q2"], "planned")
    await note(storage, panel, ["q2", "q3"], "knew")
    await note(storage, panel, ["q3"], "planned")
    assert await read(storage, "knew", TEAM, panel.code) == {"q2", "q3"}
    assert await read(storage, "asked_before", TEAM, panel.code) == {"q1", "q2", "q3"}
    assert await read(storage, "knew", TEAM, "C-ZZZZZ") == set()
    assert await read(storage, "knew", "T2", panel.code) == set()


async def test_exposure_counts_each_planning(storage):
    await write(storage, "expose", TEAM, ["q1", "q2"], T0)
    await write(storage, "expose", TEAM, ["q1"], T0)
    await write(storage, "expose", "T2", ["q1"], T0)
    assert await read(storage, "exposure", TEAM) == {"q1": 2, "q2": 1}


# -- reminders ---------------------------------------------------------------------------


async def test_cancel_panel_reminders_cancels_that_panels_pending_ones_only(storage):
    panel = await new_panel(storage, status="live")
    other = await new_panel(storage, "C-OTHER", status="live")
    first = await add_interview(storage, panel, "UA")
    second = await add_interview(storage, panel, "UB")
    elsewhere = await add_interview(storage, other, "UA")
    for interview in (first, second, elsewhere):
        await write(
            storage,
            "add_reminders",
            interview,
            [("end", T0 + timedelta(hours=2)), ("hour", T0 + timedelta(hours=3))],
        )
    (sent, *_) = await read(storage, "due_reminders", T0 + timedelta(hours=2))
    assert await write(storage, "set_reminder_status", sent.id, "sent")
    assert await write(storage, "cancel_panel_reminders", panel.id) == 3
    assert await write(storage, "cancel_panel_reminders", panel.id) == 0
    statuses = {
        (r.interview_id, r.kind): r.status for r in await read(storage, "reminders", panel.id)
    }
    assert statuses == {
        (first.id, "end"): "sent",
        (first.id, "hour"): "cancelled",
        (second.id, "end"): "cancelled",
        (second.id, "hour"): "cancelled",
    }
    assert {r.status for r in await read(storage, "reminders", other.id)} == {"pending"}


async def test_reminders_are_upserted_and_a_sent_one_stays_sent(storage):
    panel = await new_panel(storage, status="live")
    interview = await add_interview(storage, panel)
    await write(storage, "add_reminders", interview, [("end", T0), ("hour", T0)])
    end, hour = await read(storage, "reminders", panel.id)
    assert await write(storage, "set_reminder_status", end.id, "sent")
    assert not await write(storage, "set_reminder_status", end.id, "sent")  # only a pending one
    assert await write(storage, "cancel_reminders", interview.id) == 1
    moved = T0 + timedelta(days=1)
    await write(storage, "add_reminders", interview, [("end", moved), ("hour", moved)])
    again = {r.kind: (r.id, r.status, r.due_at) for r in await read(storage, "reminders", panel.id)}
    assert again == {"end": (end.id, "sent", T0), "hour": (hour.id, "pending", moved)}
    assert [r.id for r in await read(storage, "due_reminders", moved)] == [hour.id]
    assert await read(storage, "due_reminders", moved - timedelta(seconds=1)) == []


# -- the debrief channel -----------------------------------------------------------------


async def test_the_debrief_channel_is_set_and_cleared(storage):
    panel = await new_panel(storage, status="live")
    await write(storage, "set_debrief_channel", panel.id, "G123")
    assert (await read(storage, "get", panel.id)).debrief_channel == "G123"
    await write(storage, "clear_debrief_channel", panel.id)
    assert (await read(storage, "get", panel.id)).debrief_channel is None


# -- interviews, questions, members ------------------------------------------------------


async def test_a_replaced_interview_and_its_questions_drop_out(storage):
    panel = await new_panel(storage, status="live")
    old = await add_interview(storage, panel, "UA", starts=T0 + timedelta(hours=2))
    kept = await add_interview(storage, panel, "UB", starts=T0 + timedelta(hours=1))
    q = [
        _question(old.id, "q-old"),
        _question(kept.id, "q-kept-1"),
        _question(kept.id, "q-kept-2"),
    ]
    await write(storage, "set_questions", panel.id, old.id, q[:1])
    await write(storage, "set_questions", panel.id, kept.id, q[1:])
    assert [x.question_id for x in await read(storage, "questions", panel.id)] == [
        "q-kept-1",
        "q-kept-2",
        "q-old",
    ]  # by interview start
    await write(storage, "set_interview_status", old.id, "replaced")
    assert [x.question_id for x in await read(storage, "questions", panel.id)] == [
        "q-kept-1",
        "q-kept-2",
    ]
    assert [i.id for i in await read(storage, "interviews", panel.id)] == [kept.id]
    every = await read(storage, "interviews", panel.id, include_replaced=True)
    assert [i.id for i in every] == [kept.id, old.id]
    assert await read(storage, "interview_of", panel.id, "UA") is None
    assert [p.id for p in await read(storage, "for_member", TEAM, "UA")] == []
    assert [p.id for p in await read(storage, "for_member", TEAM, "UB")] == [panel.id]
    assert [p.id for p in await read(storage, "for_member", TEAM, "UHM")] == [panel.id]


async def test_moving_an_interview_makes_a_new_kit(storage):
    panel = await new_panel(storage, status="live")
    interview = await add_interview(storage, panel)
    await write(storage, "set_kit_redacted", interview.id)
    await write(storage, "move_interview", interview.id, T0 + timedelta(days=1))
    moved = await read(storage, "get_interview", interview.id)
    assert (moved.starts_at, moved.kit_version, moved.kit_redacted) == (
        T0 + timedelta(days=1),
        2,
        False,
    )


def _question(interview_id, question_id):
    return PanelQuestion(interview_id, 0, question_id, 10, ("overfitting",))


# -- held questions (the leak guard) ------------------------------------------------------


async def test_held_questions_are_those_of_open_panels_and_recent_interviews(storage):
    live = await new_panel(storage, "C-LIVE1", status="live")
    closed = await new_panel(storage, "C-CLOSD", status="closed")
    old = await new_panel(storage, "C-OLDER", status="closed")
    other = await new_panel(storage, "C-THEIR", team="T2", status="live")
    purged = await new_panel(storage, "C-PURGE", status="closed")
    for panel, question, starts in (
        (live, "q-live", T0 - timedelta(days=90)),
        (closed, "q-recent", T0 - timedelta(days=3)),
        (old, "q-old", T0 - timedelta(days=40)),
        (other, "q-theirs", T0),
        (purged, "q-purged", T0 - timedelta(days=3)),
    ):
        interview = await add_interview(storage, panel, starts=starts)
        await write(storage, "set_questions", panel.id, interview.id, [_question(0, question)])
    await write(storage, "purge", purged, "UCO", T0, {})
    since = T0 - timedelta(days=30)
    assert await read(storage, "held_questions", TEAM, since) == {
        "q-live",
        "q-recent",
        "q-purged",  # a purge does not cut the guard period short
    }
    assert await read(storage, "held_questions", "T2", since) == {"q-theirs"}


# -- scorecards ----------------------------------------------------------------------------


async def test_an_edit_after_the_packet_opened_is_labelled_and_the_earlier_version_kept(storage):
    panel = await new_panel(storage, status="live")
    first = await write(
        storage, "save_scorecard", panel.id, TEAM, "UA", card(), packet_open=False, now=T0
    )
    assert (first.revision, first.edited_after_packet) == (1, False)
    assert [r.question_id for r in first.question_ratings] == ["q-a", "q-b"]
    second = await write(
        storage, "save_scorecard", panel.id, TEAM, "UA", card("no"), packet_open=False, now=T0
    )
    assert (second.id, second.revision, second.edited_after_packet) == (first.id, 2, False)
    assert await read(storage, "scorecard_history", first.id) == []  # before: overwritten
    later = T0 + timedelta(hours=1)
    third = await write(
        storage,
        "save_scorecard",
        panel.id,
        TEAM,
        "UA",
        card("strong_yes", rating=4, evidence="built it"),
        packet_open=True,
        now=later,
    )
    assert (third.revision, third.edited_after_packet, third.recommendation) == (
        3,
        True,
        "strong_yes",
    )
    (kept,) = await read(storage, "scorecard_history", first.id)
    assert (kept["revision"], kept["recommendation"], kept["submitted_at"]) == (
        2,
        "no",
        T0.isoformat(),
    )
    assert kept["question_ratings"][1] == {
        "question_id": "q-b",
        "rating": 3,
        "shown_points": ["a point"],
        "notes": "said so",
    }
    assert datetime.fromisoformat(kept["saved_at"]) == later
    assert await read(storage, "submitted", panel.id) == {"UA"}


async def test_rating_history_reads_what_calibration_needs(storage):
    panel = await new_panel(storage, status="live")
    await add_interview(storage, panel, "UA", starts=T0, minutes=60)
    submitted = T0 + timedelta(hours=3)
    await write(
        storage,
        "save_scorecard",
        panel.id,
        TEAM,
        "UA",
        card(rating=4),
        packet_open=False,
        now=submitted,
    )
    (row,) = await read(storage, "rating_history", TEAM)
    assert (row.panel_id, row.interviewer_id, row.mean_rating, row.cited_share) == (
        panel.id,
        "UA",
        3.0,
        0.5,
    )
    assert (row.submitted_at, row.interview_end) == (submitted, T0 + timedelta(hours=1))
    assert await read(storage, "rating_history", "T2") == []


# -- decision, purge, retention ------------------------------------------------------------


async def test_a_purge_erases_names_and_free_text_and_keeps_ratings(storage):
    panel = await new_panel(storage, name="Ada Lovelace", status="live")
    await add_interview(storage, panel, "UA")
    await note(storage, panel, ["q1"], "planned")
    saved = await write(
        storage,
        "save_scorecard",
        panel.id,
        TEAM,
        "UA",
        card(evidence="built it"),
        packet_open=False,
        now=T0,
    )
    await write(storage, "save_scorecard", panel.id, TEAM, "UA", card(), packet_open=True, now=T0)
    await write(
        storage, "decide", panel, "UHM", "hire", "great depth", against_majority=False, now=T0
    )
    await write(storage, "purge", panel, "UCO", T0 + timedelta(hours=1), {"scorecards": 1})
    purged = await read(storage, "get", panel.id)
    assert (purged.status, purged.code, purged.role) == ("purged", f"purged-{panel.id}", "")
    assert purged.purged_at == T0 + timedelta(hours=1)
    assert await read(storage, "candidate_name", TEAM, panel.code) is None
    assert await read(storage, "asked_before", TEAM, panel.code) == set()
    assert await read(storage, "by_code", TEAM, panel.code) is None
    (erased,) = await read(storage, "scorecards", panel.id)
    assert (erased.evidence, erased.notes) == ("", "")
    assert [(r.rating, r.shown_points, r.notes) for r in erased.question_ratings] == [
        (2, (), ""),
        (3, (), ""),
    ]
    assert erased.topic_ratings == {"overfitting": 3, "probability": None}
    assert await read(storage, "scorecard_history", saved.id) == []
    assert (await read(storage, "decision", panel.id)).reason == ""
    (receipt,) = await read(storage, "purge_receipts", TEAM)
    assert (receipt["panel_id"], receipt["by"], receipt["scorecards"]) == (panel.id, "UCO", 1)
    assert await read(storage, "for_member", TEAM, "UCO") == []


async def test_retention_counts_from_the_decision_or_the_close_and_follows_the_setting(storage):
    decided = await new_panel(storage, "C-DECID", status="live")
    await write(storage, "decide", decided, "UHM", "hire", "", against_majority=False, now=T0)
    await write(storage, "transition", decided.id, ("live",), "decided", T0)
    closed = await new_panel(storage, "C-CLOSD", status="live")
    await write(storage, "transition", closed.id, ("live",), "closed", T0 + timedelta(days=10))
    await new_panel(storage, "C-LIVE1", debrief=T0 - timedelta(days=900), status="live")

    def ids(panels):
        return sorted(p.id for p in panels)  # the query names no order

    assert await read(storage, "due_for_retention", T0 + timedelta(days=179)) == []
    assert ids(await read(storage, "due_for_retention", T0 + timedelta(days=180))) == [decided.id]
    assert ids(await read(storage, "due_for_retention", T0 + timedelta(days=190))) == [
        decided.id,
        closed.id,
    ]
    await write(storage, "save_settings", PanelSettings(TEAM, retention_days=5))
    assert ids(await read(storage, "due_for_retention", T0 + timedelta(days=5))) == [decided.id]


async def test_the_latest_decision_is_the_one(storage):
    panel = await new_panel(storage, status="live")
    await write(storage, "decide", panel, "UHM", "hold", "wait", against_majority=False, now=T0)
    later = await write(
        storage, "decide", panel, "UHM", "hire", "go", against_majority=True, now=T0
    )
    assert await read(storage, "decision", panel.id) == later


async def test_settings_default_and_save(storage):
    assert await read(storage, "settings", TEAM) == PanelSettings(TEAM)
    await write(storage, "save_settings", PanelSettings(TEAM, 0, 1, 720))
    await write(storage, "save_settings", PanelSettings(TEAM, 7, 30, 2))
    assert await read(storage, "settings", TEAM) == PanelSettings(TEAM, 7, 30, 2)
    with pytest.raises(Exception):  # noqa: B017 - a CHECK constraint, either backend
        await write(storage, "save_settings", PanelSettings(TEAM, kit_redact_hours=0))
    assert await read(storage, "settings", TEAM) == PanelSettings(TEAM, 7, 30, 2)


# -- the outbox's subjects -----------------------------------------------------------------


def message(key, subject, action="dm"):
    return Outgoing(team_id=TEAM, key=key, action=action, user_id="UA", subject=subject, text=key)


async def add(storage, *messages, now=T0):
    async with storage.transaction() as uow:
        return [await uow.outbox.add(m, now) for m in messages]


async def settle(storage, message_id, *, sent=True, now=T0):
    async with storage.transaction() as uow:
        (row,) = await uow.outbox.begin([message_id], owner="me", now=now, policy=POLICY)
        if sent:
            await uow.outbox.sent(row.id, channel_id="DUA", ts=f"1.{message_id}", now=now)
        else:
            await uow.outbox.give_up(row.id, status="failed", error="boom", now=now)


async def start_sending(storage, message_id):
    async with storage.transaction() as uow:
        await uow.processes.beat("me", host="h", pid=1, now=T0)
        await uow.outbox.begin([message_id], owner="me", now=T0, policy=POLICY)


async def outbox(storage, method, *args):
    async with storage.transaction() as uow:
        return await getattr(uow.outbox, method)(*args)


async def statuses(storage, subject):
    return {row.outgoing.key: row.status for row in await outbox(storage, "with_subject", subject)}


async def test_with_subject_lists_a_subjects_messages_oldest_first(storage):
    ids = await add(
        storage,
        message("b", "panel:1"),
        message("a", "panel:1"),
        message("c", "panel:2"),
        message("d", None),
    )
    rows = await outbox(storage, "with_subject", "panel:1")
    assert [(r.id, r.outgoing.key, r.outgoing.subject) for r in rows] == [
        (ids[0], "b", "panel:1"),
        (ids[1], "a", "panel:1"),
    ]
    assert await outbox(storage, "with_subject", "panel:9") == []


async def test_drop_pending_expires_only_what_was_not_started(storage):
    pending, sending, sent, _ = await add(
        storage,
        message("pending", "panel:1"),
        message("sending", "panel:1"),
        message("sent", "panel:1"),
        message("other", "panel:2"),
    )
    await start_sending(storage, sending)
    await settle(storage, sent)
    assert await outbox(storage, "drop_pending", "panel:1", T0) == 1
    assert await statuses(storage, "panel:1") == {
        "pending": "expired",
        "sending": "sending",
        "sent": "sent",
    }
    assert await statuses(storage, "panel:2") == {"other": "pending"}
    async with storage.reading() as uow:
        due = await uow.outbox.due(T0 + timedelta(hours=1), POLICY)
    assert pending not in [row.id for row in due]


async def test_forget_subject_drops_settled_messages_only(storage):
    _, sending, sent, failed, other = await add(
        storage,
        message("pending", "panel:1"),
        message("sending", "panel:1"),
        message("sent", "panel:1"),
        message("failed", "panel:1"),
        message("other", "panel:2"),
    )
    await start_sending(storage, sending)
    await settle(storage, sent)
    await settle(storage, failed, sent=False)
    await settle(storage, other)
    assert await outbox(storage, "forget_subject", "panel:1") == 2
    assert await statuses(storage, "panel:1") == {"pending": "pending", "sending": "sending"}
    assert await statuses(storage, "panel:2") == {"other": "sent"}
    assert await outbox(storage, "by_key", "sent") is None


async def test_forget_sent_before_keeps_panel_messages(storage):
    kept, gone, purge_delete, recent = await add(
        storage,
        message("kit", "panel:1"),
        message("reply", None, action="dm"),
        message("delete:kit", "purge:1", action="dm"),
        message("fresh", None),
    )
    for message_id in (kept, gone, purge_delete):
        await settle(storage, message_id, now=T0)
    await settle(storage, recent, now=T0 + timedelta(days=10))
    assert await outbox(storage, "forget_sent_before", T0 + timedelta(days=1)) == 2
    assert await outbox(storage, "by_key", "kit") is not None
    assert await outbox(storage, "by_key", "fresh") is not None
    assert await outbox(storage, "by_key", "reply") is None
    assert await outbox(storage, "by_key", "delete:kit") is None


# -- what members and the scheduler read ----------------------------------------------------


async def test_member_views_and_the_schedulers_lists(storage):
    older = await new_panel(storage, "C-OLDER", status="live")
    draft = await new_panel(storage, "C-DRAFT", now=T0 + timedelta(hours=1))
    decided = await new_panel(storage, "C-DECID", now=T0 + timedelta(hours=2), status="decided")
    late = await add_interview(storage, older, "UA", starts=T0 + timedelta(hours=5))
    early = await add_interview(storage, decided, "UA", starts=T0 + timedelta(hours=3))
    await add_interview(storage, draft, "UA")
    declined = await add_interview(storage, older, "UB")
    await write(storage, "set_interview_status", declined.id, "did_not_interview")
    assert [p.id for p in await read(storage, "for_member", TEAM, "UA")] == [
        decided.id,
        draft.id,
        older.id,
    ]  # newest first
    assert [p.id for p in await read(storage, "for_member", TEAM, "UB")] == [older.id]
    assert [i.id for i in await read(storage, "interviews_for", TEAM, "UA")] == [early.id, late.id]
    assert await read(storage, "interviews_for", TEAM, "UB") == []  # did not interview
    async with storage.reading() as uow:
        assert [p.id for p in await uow.panels.in_status(("decided", "live"))] == [
            older.id,
            decided.id,
        ]
    await write(storage, "log_access", older, "UHM", "packet", T0)
    await write(storage, "log_access", older, "UA", "panel", T0 + timedelta(minutes=1))
    await write(storage, "log_access", draft, "UA", "panel", T0)
    assert await read(storage, "access_log", older.id) == [
        ("UHM", "packet", T0),
        ("UA", "panel", T0 + timedelta(minutes=1)),
    ]
