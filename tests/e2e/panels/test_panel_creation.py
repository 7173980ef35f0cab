"""Creating a panel, and the ways it is refused: field errors shown inline in the
new-panel modal (the modal stays open with what was typed), the one-line form for
people who plan many panels, and its errors in one reply. A refused panel leaves no
row and sends no plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.slack.blocks import ids
from tests.e2e.helpers import last_ephemeral
from tests.e2e.panels.panel_helpers import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    add_panel_people,
    bot_dms,
    form_values,
    interviews_of,
    panel_record,
    panel_rows,
)

GONE, ROBOT, NOBODY = "U0GONE", "U0ROBOT", "U0NOBODY"


def add_unusable_people(sandbox) -> None:
    sandbox.standin.add_user(GONE, name="gone", deleted=True)
    sandbox.standin.add_user(ROBOT, name="robot", is_bot=True)


def changed(sandbox, clock, **fields):
    starts = clock.now + timedelta(days=1)
    values = form_values(sandbox, starts, debrief=starts + timedelta(hours=4))
    for block, value in fields.items():
        values[block] = {block: value}
    return values


MODAL_CASES = {
    "one interviewer": (
        lambda s, c: changed(s, c, interviewers=INTERVIEWERS[:1]),
        {"interviewers": "at least 2 interviewers"},
    ),
    "a time in the past": (
        lambda s, c: changed(s, c, starts=int((c.now - timedelta(hours=2)).timestamp())),
        {"starts": "must start in the future"},
    ),
    "a debrief before the last interview ends": (
        # Three interviews of 45 minutes: the last ends 2h15 after the first starts.
        lambda s, c: changed(s, c, debrief=int((c.now + timedelta(days=1, hours=2)).timestamp())),
        {"debrief": "after the last interview ends"},
    ),
    "an unknown interviewer": (
        lambda s, c: changed(s, c, interviewers=[INTERVIEWERS[0], NOBODY]),
        {"interviewers": f"<@{NOBODY}> is not in this workspace"},
    ),
    "a deactivated hiring manager": (
        lambda s, c: changed(s, c, hiring_manager=GONE),
        {"hiring_manager": f"<@{GONE}> has left the workspace"},
    ),
    "a bot as interviewer and as coordinator": (
        lambda s, c: changed(s, c, interviewers=[INTERVIEWERS[0], ROBOT], coordinator=ROBOT),
        {"interviewers": f"<@{ROBOT}> is a bot", "coordinator": f"<@{ROBOT}> is a bot"},
    ),
    "several problems at once": (
        lambda s, c: changed(
            s,
            c,
            interviewers=INTERVIEWERS[:1],
            starts=int((c.now - timedelta(hours=2)).timestamp()),
            hiring_manager=GONE,
        ),
        {
            "interviewers": "at least 2",
            "starts": "in the future",
            "hiring_manager": "has left the workspace",
        },
    ),
}


@pytest.mark.parametrize("case", list(MODAL_CASES))
async def test_the_new_panel_modal_shows_field_errors_and_creates_nothing(sandbox, clock, case):
    add_panel_people(sandbox)
    add_unusable_people(sandbox)
    build, expected = MODAL_CASES[case]
    before = await panel_rows(sandbox)
    await sandbox.command(COORDINATOR, "panel new")
    response = await sandbox.submit_modal(COORDINATOR, build(sandbox, clock))
    answer = response.json()
    assert answer["response_action"] == "errors", answer
    assert set(answer["errors"]) == set(expected), answer["errors"]
    for block, words in expected.items():
        assert words in answer["errors"][block], (block, answer["errors"][block])
    # The modal is still open, with what was typed; nothing was created or sent.
    [view] = sandbox.standin.open_views(COORDINATOR)
    assert view["callback_id"] == ids.PANEL_NEW_MODAL
    await sandbox.tick()
    assert await panel_rows(sandbox) == before
    assert not bot_dms(sandbox, COORDINATOR)


def line(*extra: str, interviewers=INTERVIEWERS[:2]) -> str:
    people = " ".join(f"<@{who}|{who.lower()}>" for who in interviewers)
    return " ".join(
        [
            'panel new "ML Engineer" senior',
            people,
            f"hm=<@{HIRING_MANAGER}>",
            "topics=gradient-descent,probability",
            *extra,
        ]
    )


async def test_the_one_line_form_creates_a_panel(sandbox, clock):
    add_panel_people(sandbox)
    # ada is in Berlin: the times are hers (CET, an hour ahead of UTC in March).
    await sandbox.command(
        COORDINATOR, line("start=2026-03-04T10:00", "minutes=60", "debrief=2026-03-04T15:00")
    )
    reply = last_ephemeral(sandbox, COORDINATOR)
    assert "is planned" in reply and "in your DMs" in reply, reply
    async with sandbox.app.storage.reading() as uow:
        [panel] = await uow.panels.for_member(sandbox.team_id, COORDINATOR)
    panel = await panel_record(sandbox, panel.id)
    assert (panel.role, panel.level, panel.status) == ("ML Engineer", "senior", "draft")
    assert panel.focus_topics == ("gradient-descent", "probability")
    assert (panel.coordinator_id, panel.hiring_manager_id) == (COORDINATOR, HIRING_MANAGER)
    assert panel.debrief_at == datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
    interviews = await interviews_of(sandbox, panel.id)
    assert [(who, i.starts_at.hour, i.minutes) for who, i in interviews.items()] == [
        (INTERVIEWERS[0], 9, 60),
        (INTERVIEWERS[1], 10, 60),
    ]
    async with sandbox.app.storage.reading() as uow:
        assert await uow.panels.candidate_name(sandbox.team_id, panel.code) is None
    [plan] = bot_dms(sandbox, COORDINATOR)
    assert plan["text"] == f"Panel plan {panel.code}"


LINE_CASES = {
    "one interviewer": (
        line("start=2026-03-04T10:00", interviewers=INTERVIEWERS[:1]),
        ["*Interviewers*: A panel needs at least 2 interviewers."],
    ),
    "a time in the past": (
        line("start=2026-03-01T10:00"),
        ["*First interview*: The first interview must start in the future."],
    ),
    "a debrief before the interviews end": (
        line("start=2026-03-04T10:00", "debrief=2026-03-04T10:30"),
        ["*Debrief*: The debrief must be after the last interview ends."],
    ),
    "a time that is not one": (line("start=tomorrow"), ["*First interview*: Write the start as"]),
    "a name typed instead of a mention": (
        line("start=2026-03-04T10:00", "@clara"),
        ["*Interviewers*: `@clara` is not a Slack mention"],
    ),
    "an unknown option": (
        line("start=2026-03-04T10:00", "hmm=<@U0HUGO>"),
        ["*Options*: I don't know `hmm=`. Did you mean `hm=`?"],
    ),
    "an unknown topic": (
        line("start=2026-03-04T10:00", "topics=astrology"),
        ["*Focus topics*: I don't know the topic `astrology`"],
    ),
    "a deactivated user and a bot": (
        line("start=2026-03-04T10:00", interviewers=[INTERVIEWERS[0], GONE, ROBOT]),
        [f"*Interviewers*: @{GONE} has left the workspace; @{ROBOT} is a bot."],
    ),
    "an unclosed quote": (
        'panel new "ML Engineer senior <@U0BAYES> <@U0CLARA> hm=<@U0HUGO> topics=probability',
        ["*Role*: A quote is not closed"],
    ),
}


@pytest.mark.parametrize("case", list(LINE_CASES))
async def test_the_one_line_form_says_what_is_wrong_and_creates_nothing(sandbox, case):
    add_panel_people(sandbox)
    add_unusable_people(sandbox)
    text, expected = LINE_CASES[case]
    before = await panel_rows(sandbox)
    await sandbox.command(COORDINATOR, text)
    reply = last_ephemeral(sandbox, COORDINATOR)
    assert reply.startswith("The panel was not created:"), reply
    flat = " ".join(reply.split())
    for words in expected:
        assert words in flat, (words, reply)
    await sandbox.tick()
    assert await panel_rows(sandbox) == before
    assert not bot_dms(sandbox, COORDINATOR)
