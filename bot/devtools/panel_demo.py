"""`mlquiz demo --panel`: an interview panel from the form to the decision (and the
purge), played by five sandbox people and printed as a transcript.

It is the real app against the local Slack stand-in, like `mlquiz demo`, but on a clock
that moves only when the script moves it, a seeded random generator and a scheduler
that runs only when the script says: the same transcript on every run, offline."""

from __future__ import annotations

import random
import re
import tempfile
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.core.panel_records import Interview, Panel
from bot.devtools.demo import Say
from bot.devtools.panels import (
    PanelChoices,
    busiest_topics,
    new_panel_values,
    preset,
    scorecard_questions,
    scorecard_values,
)
from bot.devtools.sandbox import ManualClock, Sandbox, Screen
from bot.slack.blocks import ids
from questionbank.models import Question
from questionbank.topics import topic_label

# A Monday morning: ada plans Tuesday's interviews.
START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
SEED = 11
CANDIDATE = "Grace Hopper"
BERLIN = ZoneInfo("Europe/Berlin")
# Lines kept of each part of a long message (a kit question, a heading's section).
BRIEF_LINES = 1
WIDTH = 78


async def run_panel_demo(settings: Settings, say: Say = print) -> None:
    with tempfile.TemporaryDirectory(prefix="mlquiz-panel-demo-") as tmp:
        demo_settings = settings.model_copy(update={"database_path": Path(tmp) / "panel-demo.db"})
        clock = ManualClock(START)
        sandbox = Sandbox(demo_settings, clock=clock, rng=random.Random(SEED), manual_ticks=True)
        await sandbox.start()
        try:
            await PanelScript(sandbox, clock, say).run()
        finally:
            await sandbox.stop()


class PanelScript:
    def __init__(self, sandbox: Sandbox, clock: ManualClock, say: Say) -> None:
        self.sandbox = sandbox
        self.clock = clock
        self.say = say
        self.ada, self.bayes, self.clara, self.dan, self.hugo = (
            self._id(name) for name in ("ada", "bayes", "clara", "dan", "hugo")
        )
        self.panel_id = 0

    def _id(self, name: str) -> str:
        user = self.sandbox.user_named(name)
        if user is None:
            raise RuntimeError(f"demo: the sandbox has no {name}")
        return user.user_id

    # -- showing ------------------------------------------------------------------------

    def show(self, action: str, *, brief: Callable[[Screen], bool] | None = None) -> None:
        """What the app did since the last step, under the step's line; screens that
        `brief` picks keep only the first line of each part."""
        self.say("\n" + textwrap.fill(f">>> {action}", WIDTH, subsequent_indent="    "))
        for screen in self.sandbox.new_screens():
            self.say(f"── {screen.where}")
            self.say(abbreviated(screen.text) if brief and brief(screen) else screen.text)

    # -- the script -----------------------------------------------------------------------

    async def run(self) -> None:
        panel = await self.plan()
        self.panel_id = panel.id
        await self.confirm()
        await self.room()
        await self.interviews_end(panel)
        await self.scorecards()
        await self.debrief()
        await self.purge()

    async def plan(self) -> Panel:
        sandbox = self.sandbox
        await sandbox.command(self.ada, "panel new")
        self.show("ada (coordinator): /mlquiz panel new")
        view = sandbox.open_modal(self.ada)
        if view is None or view.get("callback_id") != ids.PANEL_NEW_MODAL:
            raise RuntimeError("demo: the new-panel form did not open")
        topics = busiest_topics(sandbox.deps.bank)
        starts, debrief = (
            datetime.fromtimestamp(int(_preset(view, name)), UTC) for name in ("starts", "debrief")
        )
        choices = PanelChoices(
            interviewers=(self.bayes, self.clara, self.dan),
            hiring_manager=self.hugo,
            coordinator=self.ada,
            topics=tuple(topics),
            starts=starts,
            debrief=debrief,
            candidate=CANDIDATE,
        )
        problems = await sandbox.submit_modal(self.ada, new_panel_values(view, choices))
        if problems:
            raise RuntimeError(f"demo: the form was refused: {problems}")
        labels = ", ".join(topic_label(t) for t in topics)
        self.show(
            f"ada fills the form: ML Engineer, senior, candidate {CANDIDATE}; interviewers "
            f"bayes, clara and dan, 45 minutes each, back to back from "
            f"{_local(starts)} (the form's proposal); hiring manager hugo; focus topics "
            f"{labels}; debrief at {_local(debrief)}. She submits: the plan comes to her DM"
        )
        return await self._panel()

    async def confirm(self) -> None:
        sandbox = self.sandbox
        dm = sandbox.dm(self.ada)
        plan = sandbox.latest_with(dm, ids.PANEL_CONFIRM)
        if plan is None:
            raise RuntimeError("demo: no plan in the coordinator's DM")
        option = _first_option(plan, ids.PANEL_SWAP)
        swapped = sandbox.deps.bank.get(option["value"].split("|")[2])
        await sandbox.press(
            self.ada, ids.PANEL_SWAP, channel_id=dm, message_ts=plan["ts"], value=option["value"]
        )
        title = swapped.title if swapped else option["value"]
        self.show(f"ada swaps bayes's question “{title}” for the next best one")
        await sandbox.press(self.ada, ids.PANEL_CONFIRM, channel_id=dm, message_ts=plan["ts"])
        self.show(
            "ada confirms: each interviewer gets a private kit in a DM (abbreviated here: "
            "each part cut to its first line)",
            brief=lambda screen: "INTERVIEW KIT" in screen.text,
        )

    async def room(self) -> None:
        await self.sandbox.tick()
        self.show("the scheduler runs: a private debrief room named by the candidate code")
        await self.sandbox.command(self.ada, f"panel show {self.panel_id}")
        self.show(
            f"ada: /mlquiz panel show {self.panel_id} (a modal only panel members open: "
            "the one place the candidate's name appears)"
        )
        self.sandbox.close_modal(self.ada)
        await self.sandbox.command(self.hugo, f"panel debrief {self.panel_id}")
        self.show(
            "hugo (hiring manager) tries to read scorecards early: "
            f"/mlquiz panel debrief {self.panel_id}"
        )

    async def interviews_end(self, panel: Panel) -> None:
        interviews = await self._interviews(panel)
        last_end = max(i.ends_at for i in interviews)
        self.clock.set(last_end + timedelta(minutes=1))
        await self.sandbox.tick()
        self.show(
            f"time moves to {_local(self.clock())}, a minute after the last interview; "
            "the scheduler sends the scorecard reminders (bayes's first two fell due "
            "together: one message)"
        )

    async def scorecards(self) -> None:
        await self._card(
            self.bayes,
            "strong_yes",
            4,
            evidence=(
                "Derived the calibration gap from the numbers, then proposed isotonic "
                "recalibration on recent held-out data and a monitor for drift."
            ),
            notes_from_points=True,
            show_form=True,
        )
        await self.sandbox.command(self.bayes, f"panel debrief {self.panel_id}")
        self.show(f"bayes, submitted, asks for the packet: /mlquiz panel debrief {self.panel_id}")
        await self._card(self.clara, "no", 2)
        await self._card(self.dan, "no", 2)

    async def _card(
        self,
        user: str,
        recommendation: str,
        rating: int,
        *,
        evidence: str = "",
        notes_from_points: bool = False,
        show_form: bool = False,
    ) -> None:
        sandbox = self.sandbox
        name = sandbox.name_of(user)
        dm = sandbox.dm(user)
        reminder = sandbox.latest_with(dm, ids.PANEL_SCORECARD)
        if reminder is None:
            raise RuntimeError(f"demo: {name} has no scorecard button")
        await sandbox.press(user, ids.PANEL_SCORECARD, channel_id=dm, message_ts=reminder["ts"])
        view = sandbox.open_modal(user)
        if view is None or view.get("callback_id") != ids.SCORECARD_MODAL:
            raise RuntimeError(f"demo: {name}'s scorecard did not open")
        if show_form:
            self.show(
                f"{name} presses Open my scorecard (the modal, abbreviated)",
                brief=lambda screen: screen.where == "modal",
            )
        else:
            self.sandbox.new_screens()  # the same form, with their own questions
        questions = [q for qid in scorecard_questions(view) if (q := sandbox.deps.bank.get(qid))]
        covered = {t for q in questions for t in q.topics}
        topics = {t: (rating if t in covered else None) for t in await self._focus()}
        if notes_from_points:
            # The required points ticked; the notes also show others, which grader
            # assist then suggests (it never changes the rating).
            ticked = {
                q.id: [n for n, p in enumerate(q.key_points) if p.required] for q in questions
            }
            notes: dict[str, str] | str = {q.id: _notes(q) for q in questions}
        else:
            ticked = {q.id: [0] for q in questions}
            notes = "Knew the definitions, but could not say when the method breaks down."
        values = scorecard_values(
            view,
            recommendation=recommendation,
            rating=rating,
            evidence=evidence,
            notes=notes,
            ticked=ticked,
            topics=topics,
        )
        problems = await sandbox.submit_modal(user, values)
        if problems:
            raise RuntimeError(f"demo: {name}'s scorecard was refused: {problems}")
        label = recommendation.replace("_", " ").title()
        rated = ", ".join(f"{topic_label(t)} {r}" for t, r in topics.items() if r is not None)
        self.show(
            f"{name} "
            + ("submits" if show_form else "opens the same form and submits")
            + f": every question {rating}, {rated}, the other topics not assessed; overall "
            + label
            + (" with evidence" if evidence else "")
        )

    async def debrief(self) -> None:
        sandbox = self.sandbox
        room = (await self._panel()).debrief_channel
        if room is None:
            raise RuntimeError("demo: the panel has no debrief room")
        progress = sandbox.latest_with(room, ids.PANEL_PACKET)
        if progress is None:
            raise RuntimeError("demo: the packet did not open")
        where = {"channel_id": room, "message_ts": progress["ts"]}
        await sandbox.press(self.hugo, ids.PANEL_PACKET, **where)
        self.show("hugo presses Open the packet in the debrief room (the opening is logged)")
        sandbox.close_modal(self.hugo)
        await sandbox.press(self.ada, ids.PANEL_PACKET, **where)
        self.show("ada presses Open the packet too")
        await sandbox.press(self.hugo, ids.PANEL_DECIDE, **where)
        self.show("hugo presses Record the decision")
        problems = await sandbox.submit_modal(
            self.hugo,
            {
                "decision": {"decision": "hire"},
                "reason": {
                    "reason": "The calibration work bayes saw is what this team needs; "
                    "the gaps clara and dan found can be coached."
                },
            },
        )
        if problems:
            raise RuntimeError(f"demo: the decision was refused: {problems}")
        self.show("hugo records Hire, with his reason: against the panel's majority")

    async def purge(self) -> None:
        await self.sandbox.command(self.ada, f"panel purge {self.panel_id}")
        self.show(
            f"ada: /mlquiz panel purge {self.panel_id} (otherwise 180 days after the decision)"
        )
        await self.sandbox.tick()
        self.show("the scheduler finishes the purge")

    # -- the app's records ------------------------------------------------------------

    async def _panel(self) -> Panel:
        async with self.sandbox.deps.storage.reading() as uow:
            panels = await uow.panels.for_member(self.sandbox.team_id, self.ada)
        if not panels:
            raise RuntimeError("demo: the panel was not created")
        return panels[0]

    async def _interviews(self, panel: Panel) -> list[Interview]:
        async with self.sandbox.deps.storage.reading() as uow:
            return list(await uow.panels.interviews(panel.id))

    async def _focus(self) -> tuple[str, ...]:
        return (await self._panel()).focus_topics


def _preset(view: dict[str, Any], block_id: str) -> Any:
    for block in view.get("blocks") or []:
        if block.get("block_id") == block_id:
            return preset(block.get("element") or {})
    raise LookupError(block_id)


def _first_option(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return dict(element["options"][0])
    raise LookupError(action_id)


def _local(moment: datetime) -> str:
    return moment.astimezone(BERLIN).strftime("%a %H:%M in Berlin") + moment.astimezone(
        UTC
    ).strftime(" (%H:%M UTC)")


def _notes(question: Question) -> str:
    """An interviewer's notes: what the candidate said, in other words than the rubric's."""
    said = [max(p.aliases or [p.text], key=len) for p in question.key_points[:4]]
    return "Said: " + "; ".join(s.rstrip(".") for s in said) + "."


# Where a part of a long message starts: a bold line (a title or a heading), a row of
# buttons, a divider, a header, an input's label, the rating anchors.
_PART = re.compile(r"^(\*|\[\d+\]|-{20,}|={20,}|┌|<|  Rating anchors|[^ ].*:$)")


def abbreviated(text: str, keep: int = BRIEF_LINES) -> str:
    """A long message cut down: each part keeps its first `keep` lines and says how many
    it dropped; rows of buttons and code blocks (the coverage matrix) stay whole."""
    out: list[str] = []
    kept = dropped = 0
    in_code = False

    def flush() -> None:
        if dropped:
            out.append(f"    … ({dropped} more line{'s' if dropped > 1 else ''})")

    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or line.startswith("```") or _PART.match(line) or "  [" in line[:4]:
            if _PART.match(line):
                flush()
                kept = dropped = 0
            out.append(line)
        elif kept < keep:
            out.append(line)
            kept += 1
        else:
            dropped += 1
    flush()
    return "\n".join(out)
