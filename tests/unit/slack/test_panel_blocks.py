"""Every panel message and modal is Block Kit Slack accepts (checked by the stand-in's
validator), and no message carries the candidate's name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.panel_records import Interview, Panel, QuestionRating, Scorecard
from bot.core.panel_rules import (
    Calibration,
    CardSummary,
    packet,
    rating_anchors,
)
from bot.slack.blocks import panels as blocks
from bot.slack.blocks.common import render
from questionbank.loader import load_bank
from slack_standin.blockkit import validate_blocks, validate_view

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BANK = load_bank()
QUESTIONS = [q for q in BANK if q.for_interview][:3]
PANEL = Panel(
    id=7,
    team_id="T1",
    code="C-7KQ4M",
    role="ML <Engineer> & co",
    level="senior",
    coordinator_id="U1",
    hiring_manager_id="U2",
    focus_topics=tuple(QUESTIONS[0].topics[:2]),
    status="live",
    debrief_at=NOW + timedelta(hours=5),
    debrief_channel="G1",
    packet_opened_at=None,
    created_by="U1",
    created_at=NOW,
    confirmed_at=NOW,
    closed_at=None,
    purged_at=None,
)
INTERVIEW = Interview(
    7, 7, "T1", "U3", NOW + timedelta(hours=1), 45, "Europe/Berlin", "scheduled", 1, False
)
KIT = [blocks.KitQuestion(q, q.minutes, rating_anchors(q)) for q in QUESTIONS]
CARD = Scorecard(
    id=1,
    panel_id=7,
    interviewer_id="U3",
    recommendation="yes",
    evidence="Clear <b>reasoning</b>",
    notes="",
    topic_ratings={t: 3 for t in PANEL.focus_topics},
    question_ratings=tuple(
        QuestionRating(q.id, 3, (q.key_points[0].text,), "good *notes*") for q in QUESTIONS
    ),
    submitted_at=NOW,
    revision=2,
    edited_after_packet=True,
)
SEATS = [
    blocks.SeatView(
        "U3",
        NOW,
        45,
        tuple(blocks.PlannedLine(q, q.minutes, tuple(q.topics[:1])) for q in QUESTIONS),
    ),
    blocks.SeatView("U4", NOW + timedelta(minutes=45), 45, ()),
]


def messages():
    summary = CardSummary(
        "U3",
        "yes",
        {q.id: 3 for q in QUESTIONS},
        dict(CARD.topic_ratings),
        {q.id: frozenset() for q in QUESTIONS},
    )
    built = packet([summary], PANEL.focus_topics, {q.id: [q.key_points[0].text] for q in QUESTIONS})
    calib = Calibration("U3", 2, 0.25, timedelta(hours=3), 0.5)
    return {
        "plan": blocks.plan_message(PANEL, SEATS, ["nlp: covered by 1"], confirmed=False),
        "plan confirmed": blocks.plan_message(PANEL, SEATS, [], confirmed=True),
        "kit": blocks.kit_message(PANEL, INTERVIEW, KIT),
        "kit redacted": blocks.kit_redacted(PANEL, INTERVIEW),
        "assist": blocks.grader_assist(PANEL, {QUESTIONS[0].id: ["a point"]}, {}),
        "progress": blocks.progress_message(PANEL, ["U3", "U4"], {"U3"}),
        "progress open": blocks.progress_message(
            PANEL, ["U3", "U4"], {"U3"}, packet_open=True, partial=True
        ),
        "decision": blocks.decision_message(PANEL, "hire", against_majority=True, by="U2"),
        "reminder": blocks.reminder_message(PANEL, INTERVIEW, "morning"),
        "escalation": blocks.escalation_message(PANEL, ["U3"]),
        "list": blocks.panel_list([(PANEL, 1, 2)]),
        "empty list": blocks.panel_list([]),
        "buttons": blocks.panel_buttons(PANEL),
        "home": {
            "blocks": render(
                blocks.home_section(
                    [(PANEL, INTERVIEW)], [(PANEL, INTERVIEW, True)], calib, [calib]
                )
            )
        },
        "packet": built,
    }


VIEWS = {
    "new": lambda: blocks.panel_new_modal(
        {t: t.title() for t in BANK.topics("interview")}, creator="U1", starts=NOW, debrief=NOW
    ),
    "scorecard": lambda: blocks.scorecard_modal(PANEL, KIT, None),
    "scorecard again": lambda: blocks.scorecard_modal(PANEL, KIT, CARD),
    "expected": lambda: blocks.expected_answer_view(QUESTIONS[0]),
    "decision": lambda: blocks.decision_modal(PANEL),
    "panel": lambda: blocks.panel_view(PANEL, "Grace <Hopper>", SEATS, {"U3"}),
    "packet": lambda: blocks.packet_view(
        PANEL, messages()["packet"], [CARD], {q.id: q.title for q in QUESTIONS}, partial=True
    ),
}


@pytest.mark.parametrize("name", [n for n in messages() if n != "packet"])
def test_every_panel_message_is_valid_block_kit(name):
    message = messages()[name]
    body = message if isinstance(message, dict) else {"blocks": message.blocks}
    assert validate_blocks(body["blocks"]) == [], name
    assert len(body["blocks"]) <= 50


@pytest.mark.parametrize("name", list(VIEWS))
def test_every_panel_modal_is_a_valid_view(name):
    assert validate_view(VIEWS[name]()) == [], name


def _mrkdwn(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") == "mrkdwn" else []
        return own + [t for v in node.values() for t in _mrkdwn(v)]
    if isinstance(node, list):
        return [t for v in node for t in _mrkdwn(v)]
    return []


def test_user_text_is_escaped_where_it_is_shown():
    shown = _mrkdwn(VIEWS["panel"]()) + _mrkdwn(messages()["kit"].blocks)
    assert not any("<Engineer>" in t or "<Hopper>" in t for t in shown)
    assert any("&lt;Hopper&gt;" in t for t in shown)
    packet_text = _mrkdwn(VIEWS["packet"]())
    assert not any("<b>" in t for t in packet_text)
