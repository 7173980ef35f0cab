"""Who sees what, when (bot.core.panel_rules): tables of cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.panel_rules import (
    Membership,
    Role,
    may_decide,
    may_purge,
    may_read_scorecard,
    may_see_progress,
    packet_state,
)

T0 = datetime(2024, 3, 4, 9, tzinfo=UTC)
PANEL = Membership(interviewers=frozenset({"A", "B", "C"}), hiring_manager="H", coordinator="K")
SUBMITTED = {"A"}  # A has submitted; B and C have not
SHUT = packet_state("ABC", SUBMITTED, T0 + timedelta(hours=1), T0)
PARTIAL = packet_state("ABC", SUBMITTED, T0, T0)  # the debrief time came
COMPLETE = packet_state("ABC", "ABC", T0 + timedelta(hours=1), T0)


@pytest.mark.parametrize(
    ("viewer", "author", "state", "sees"),
    [
        # One's own card: always.
        ("A", "A", SHUT, True),
        ("B", "B", SHUT, True),
        # Before the packet opens nobody reads anybody else's.
        ("A", "B", SHUT, False),
        ("H", "A", SHUT, False),
        ("K", "A", SHUT, False),
        ("X", "A", SHUT, False),
        # Open, partial: the hiring manager and those who submitted read; the others
        # must rate first.
        ("H", "A", PARTIAL, True),
        ("A", "B", PARTIAL, True),
        ("B", "A", PARTIAL, False),
        ("C", "A", PARTIAL, False),
        # Open, complete: every reader.
        ("B", "A", COMPLETE, True),
        ("H", "C", COMPLETE, True),
        # The coordinator and strangers never, however open.
        ("K", "A", COMPLETE, False),
        ("K", "A", PARTIAL, False),
        ("X", "A", COMPLETE, False),
    ],
)
def test_who_reads_a_scorecard(viewer, author, state, sees):
    assert may_read_scorecard(viewer, author, PANEL, state) is sees


def test_a_coordinator_who_also_interviews_reads_as_an_interviewer():
    both = Membership(frozenset({"A", "K"}), hiring_manager="H", coordinator="K")
    opened = packet_state("AK", "AK", T0, T0)
    assert may_read_scorecard("K", "A", both, opened)
    assert both.roles("K") == {Role.INTERVIEWER, Role.COORDINATOR}
    assert "K" in both.readers()


@pytest.mark.parametrize(
    ("viewer", "admin", "progress", "purge", "decide"),
    [
        ("A", False, True, False, False),
        ("H", False, True, False, True),
        ("K", False, True, True, False),
        ("X", False, False, False, False),
        ("X", True, True, True, False),  # an admin: progress and purge, never decides
    ],
)
def test_who_sees_progress_purges_and_decides(viewer, admin, progress, purge, decide):
    assert may_see_progress(viewer, PANEL, is_admin=admin) is progress
    assert may_purge(viewer, PANEL, is_admin=admin) is purge
    assert may_decide(viewer, PANEL) is decide


@pytest.mark.parametrize(
    ("expected", "submitted", "now", "opened", "partial"),
    [
        ("ABC", "", T0 - timedelta(seconds=1), False, False),
        ("ABC", "AB", T0 - timedelta(seconds=1), False, False),
        ("ABC", "ABC", T0 - timedelta(days=1), True, False),
        ("ABC", "AB", T0, True, True),
        ("ABC", "ABCZ", T0 - timedelta(days=1), True, False),  # a stray card counts not
        ("", "", T0 - timedelta(days=1), False, False),  # nobody expected: wait for the time
        ("", "", T0, True, True),
    ],
)
def test_when_the_packet_opens(expected, submitted, now, opened, partial):
    state = packet_state(expected, submitted, T0, now)
    assert (state.open, state.partial) == (opened, partial)
    assert state.submitted <= state.expected


def test_roles_of_each_member():
    assert PANEL.roles("A") == {Role.INTERVIEWER}
    assert PANEL.roles("H") == {Role.HIRING_MANAGER}
    assert PANEL.roles("K") == {Role.COORDINATOR}
    assert PANEL.roles("X") == {Role.OUTSIDER}
    assert PANEL.roles("X", is_admin=True) == {Role.ADMIN}
    assert PANEL.readers() == {"A", "B", "C", "H"}
    assert [PANEL.is_member(u) for u in "ABCHKX"] == [True] * 5 + [False]
