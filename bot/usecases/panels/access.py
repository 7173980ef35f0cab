"""Finding a panel and knowing who the caller is on it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.panel_records import Interview, Panel, PanelQuestion
from bot.core.panel_rules import Membership
from bot.ports.storage import UnitOfWork
from bot.slack.parser.panels import panel_ref
from bot.usecases.deps import Deps
from bot.usecases.profiles import is_admin

NOT_FOUND = "I can't find that panel, or you are not on it."


@dataclass(frozen=True)
class PanelView:
    """A panel with its current interviews and questions, as the use cases read it."""

    panel: Panel
    interviews: list[Interview]
    questions: list[PanelQuestion]

    @property
    def members(self) -> Membership:
        return Membership(
            interviewers=frozenset(i.interviewer_id for i in self.scheduled()),
            hiring_manager=self.panel.hiring_manager_id,
            coordinator=self.panel.coordinator_id,
        )

    def scheduled(self) -> list[Interview]:
        """Interviews that happen (not replaced, not declined)."""
        return [i for i in self.interviews if i.status == "scheduled"]

    def interview_of(self, user_id: str) -> Interview | None:
        return next((i for i in self.scheduled() if i.interviewer_id == user_id), None)

    def questions_of(self, interview: Interview) -> list[PanelQuestion]:
        return [q for q in self.questions if q.interview_id == interview.id]

    def everyone(self) -> list[str]:
        """Members in a stable order: interviewers, then hiring manager, coordinator."""
        people = [i.interviewer_id for i in self.scheduled()]
        for who in (self.panel.hiring_manager_id, self.panel.coordinator_id):
            if who not in people:
                people.append(who)
        return people


async def load(uow: UnitOfWork, panel: Panel) -> PanelView:
    return PanelView(
        panel, await uow.panels.interviews(panel.id), await uow.panels.questions(panel.id)
    )


async def find(uow: UnitOfWork, team_id: str, ref: str | int | None) -> Panel | None:
    """A panel of this workspace by id or candidate code; purged panels are gone."""
    if isinstance(ref, str) and not ref.isdigit():
        parsed = panel_ref(ref)
    else:
        parsed = panel_ref(str(ref)) if ref is not None else None
    if parsed is None:
        return None
    panel = (
        await uow.panels.get(parsed)
        if isinstance(parsed, int)
        else await uow.panels.by_code(team_id, parsed)
    )
    if panel is None or panel.team_id != team_id or panel.status == "purged":
        return None
    return panel


async def member_view(
    deps: Deps, team_id: str, user_id: str, ref: str | int | None, *, admins_too: bool = False
) -> PanelView | None:
    """The panel if the caller is on it (or, with `admins_too`, a workspace admin);
    None otherwise, and the caller is told the same thing either way, so a stranger
    cannot learn which panels exist."""
    async with deps.storage.reading() as uow:
        panel = await find(uow, team_id, ref)
        view = None if panel is None else await load(uow, panel)
    if view is None:
        return None
    if view.members.is_member(user_id):
        return view
    if admins_too and await is_admin(deps, team_id, user_id):
        return view
    return None
