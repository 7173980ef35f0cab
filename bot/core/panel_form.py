"""What a new panel needs, checked field by field (pure).

Both ways in, the modal and the one-line command, produce a `PanelForm`; `problems`
names every field that is wrong, in words for the form, so nothing is half-created."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.panel_plan import LEVELS

MIN_INTERVIEWERS = 2
MAX_INTERVIEWERS = 6
MIN_MINUTES = 15
MAX_MINUTES = 180
MAX_TOPICS = 8
MAX_ROLE = 80
MAX_NAME = 120
# A break between back-to-back interviews, so each starts on time.
BREAK_MINUTES = 0
LONGEST_LEAD = timedelta(days=120)  # interviews further out are almost surely a typo


@dataclass(frozen=True)
class PanelForm:
    role: str
    level: str
    interviewers: tuple[str, ...]
    hiring_manager: str
    coordinator: str
    topics: tuple[str, ...]
    starts_at: datetime | None
    minutes: int
    debrief_at: datetime | None
    candidate_name: str = ""

    def interview_starts(self) -> list[datetime]:
        """Back to back from the first start, in interviewer order."""
        assert self.starts_at is not None
        step = timedelta(minutes=self.minutes + BREAK_MINUTES)
        return [self.starts_at + n * step for n in range(len(self.interviewers))]

    def last_end(self) -> datetime:
        return self.interview_starts()[-1] + timedelta(minutes=self.minutes)


def default_debrief(form: PanelForm) -> datetime:
    """An hour after the last interview ends: time to write the scorecards."""
    return form.last_end() + timedelta(hours=1)


def problems(form: PanelForm, *, now: datetime, known_topics: Collection[str]) -> dict[str, str]:
    """Field name -> what is wrong with it. Empty when the form can be planned."""
    found: dict[str, str] = {}
    role = form.role.strip()
    if not role:
        found["role"] = "Name the role, e.g. ML Engineer."
    elif len(role) > MAX_ROLE:
        found["role"] = f"Keep the role under {MAX_ROLE} characters."
    if form.level not in LEVELS:
        found["level"] = f"Choose a level: {', '.join(LEVELS)}."
    if len(form.candidate_name) > MAX_NAME:
        found["candidate"] = f"Keep the name under {MAX_NAME} characters."
    people = form.interviewers
    if len(people) < MIN_INTERVIEWERS:
        found["interviewers"] = f"A panel needs at least {MIN_INTERVIEWERS} interviewers."
    elif len(people) > MAX_INTERVIEWERS:
        found["interviewers"] = f"A panel has at most {MAX_INTERVIEWERS} interviewers."
    elif len(set(people)) != len(people):
        found["interviewers"] = "Each interviewer can sit on the panel once."
    if not form.hiring_manager:
        found["hiring_manager"] = "Choose the hiring manager."
    if not form.coordinator:
        found["coordinator"] = "Choose the coordinator."
    if not form.topics:
        found["topics"] = "Choose at least one focus topic."
    elif len(form.topics) > MAX_TOPICS:
        found["topics"] = f"Choose at most {MAX_TOPICS} focus topics."
    else:
        unknown = [t for t in form.topics if t not in known_topics]
        if unknown:
            found["topics"] = "No interview questions on: " + ", ".join(unknown) + "."
    if not MIN_MINUTES <= form.minutes <= MAX_MINUTES:
        found["minutes"] = f"Interviews last {MIN_MINUTES} to {MAX_MINUTES} minutes."
    if form.starts_at is None:
        found["starts"] = "Give the first interview's date and time."
    elif form.starts_at <= now:
        found["starts"] = "The first interview must start in the future."
    elif form.starts_at - now > LONGEST_LEAD:
        found["starts"] = "That is more than four months away: check the date."
    debrief = form.debrief_at
    timed = form.starts_at is not None and bool(people) and "minutes" not in found
    if debrief is not None and timed and debrief < form.last_end():
        found["debrief"] = "The debrief must be after the last interview ends."
    return found
