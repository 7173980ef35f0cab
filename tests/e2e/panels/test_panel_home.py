"""App Home's panel part: "My interviews" before an interview, "Scorecards due" after
it (overdue marked a day later), the interviewer's own calibration seen by them alone,
and the team's calibration by admins only. Never a ranking of interviewers."""

from __future__ import annotations

from datetime import timedelta

from bot.slack.blocks import ids
from tests.e2e.panels.panel_helpers import (
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    OUTSIDER,
    fill_scorecard,
    interviews_of,
    live_panel,
    view_text,
)

BAYES, CLARA, DAN = INTERVIEWERS


async def home(sandbox, user_id: str) -> str:
    await sandbox.open_home(user_id)
    return " ".join(view_text(sandbox.standin.home_view(user_id)).split())


def calibration_lines(text: str, heading: str) -> list[str]:
    """The interviewers named under a calibration heading, in order."""
    if heading not in text:
        return []
    part = text.split(heading, 1)[1]
    return [who for who in sorted(INTERVIEWERS, key=part.find) if f"@{who} ·" in part]


async def test_app_home_shows_interviews_due_scorecards_and_private_calibration(sandbox, clock):
    panel = await live_panel(sandbox, clock)
    mine = (await interviews_of(sandbox, panel.id))[BAYES]

    before = await home(sandbox, BAYES)
    assert "*My interviews*" in before and panel.code in before
    assert "Scorecards due" not in before and "calibration" not in before

    clock.set(mine.ends_at + timedelta(hours=1))
    due = await home(sandbox, BAYES)
    assert "*Scorecards due*" in due and "🟡 due" in due and "overdue" not in due
    assert "*My interviews*" not in due, "the interview is over"

    clock.set(mine.ends_at + timedelta(hours=25))
    overdue = await home(sandbox, BAYES)
    assert "🔴 *overdue*" in overdue and panel.code in overdue

    # The scorecard from Home's own button; the others from their kits.
    await sandbox.press(BAYES, ids.PANEL_SCORECARD, view=sandbox.standin.home_view(BAYES))
    assert sandbox.standin.open_views(BAYES)[-1]["callback_id"] == ids.SCORECARD_MODAL
    sandbox.standin.view_store.clear(BAYES)
    for who, rating in ((BAYES, 4), (CLARA, 2), (DAN, 3)):
        await fill_scorecard(sandbox, who, panel.id, recommendation="yes", rating=rating)

    for who in INTERVIEWERS:
        text = await home(sandbox, who)
        assert "Scorecards due" not in text
        own = calibration_lines(text, "*Your interviewer calibration* (only you see this)")
        assert own == [who], (who, own)
        assert "Team calibration" not in text, f"{who} is no admin"
    assert "leniency +1.00" in await home(sandbox, BAYES), "4 against a panel mean of 3"

    # The hiring manager and a stranger see nobody's calibration; the admin sees the
    # team's, alphabetically, and has none of their own (ada never interviewed).
    for who in (HIRING_MANAGER, OUTSIDER):
        text = await home(sandbox, who)
        assert "calibration" not in text and "leniency" not in text, who
    assert "Interview panels" not in await home(sandbox, OUTSIDER)
    admin = await home(sandbox, COORDINATOR)
    assert "Your interviewer calibration" not in admin
    team = calibration_lines(admin, "*Team calibration* (admins only; alphabetical, not a ranking)")
    assert team == sorted(INTERVIEWERS), team
