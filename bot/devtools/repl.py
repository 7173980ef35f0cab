"""The interactive offline sandbox: you are a Slack user typing in a channel."""

from __future__ import annotations

import asyncio
import re
import shlex
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.devtools import modal_input
from bot.devtools.panels import (
    RECOMMENDATIONS,
    PanelChoices,
    busiest_topics,
    new_panel_values,
    panel_people,
    preset,
    scorecard_values,
    soon,
)
from bot.devtools.sandbox import CHANNEL_ID, CHANNEL_NAME, Sandbox, SandboxUser, Screen
from bot.slack.blocks import ids

HELP = f"""Offline sandbox: the real mlquiz app talking to a local Slack stand-in.
You are a user in #{CHANNEL_NAME}. Type:
  /mlquiz ...        a slash command (try /mlquiz help, /mlquiz ask pca)
  any other text     a reply in the thread of the latest question where you are
  press N            press button N from the output above (press N M: option M of menu N)
  press TEXT         press the newest button shown whose label starts with TEXT
  in dm | in channel switch between your DM with mlquiz and #{CHANNEL_NAME}
  as NAME            act as another user: {{users}}
  home               open your App Home
  skip 8h | skip 30m | skip 2d
                     move the clock forward and run the scheduler (reveals, posts,
                     panel reminders); skip to 2026-03-03 12:30 moves it to a time in
                     your zone; time says what time it is
  panel [role=... level=senior interviewers=bayes,clara,dan hm=hugo topics=a,b
         minutes=45 candidate=...]
                     plan an interview panel you coordinate: the form is filled for you
                     (interviews from the next hour, back to back; the debrief two hours
                     after the last), the plan comes to your DM
  scorecard yes 3 [evidence...]
                     fill your scorecard for your latest interview: every question and
                     topic rated 3; strong-no | no | yes | strong-yes (a strong one needs
                     evidence)
  help | quit
When a modal opens, the sandbox asks for each of its inputs: Enter keeps what the form
shows, options by number or label (several: 1,3), people by name; cancel closes it."""

_SKIP = re.compile(r"^skip\s+(\d+(?:\.\d+)?)\s*([dhm])$")
_SKIP_TO = re.compile(r"^skip\s+to\s+(\d{4}-\d{2}-\d{2}\s+\d{1,2}:\d{2})$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
# Sandbox commands, told apart from a reply that happens to start with the same word.
_PANEL = re.compile(r"^panel(\s+\w+=.*)?$")
_SCORECARD = re.compile(r"^scorecard\s+(strong[-_])?(yes|no)\b", re.IGNORECASE)
HISTORY = 300  # buttons remembered for `press TEXT`


class Repl:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.user = sandbox.users[0]
        self.channel = CHANNEL_ID
        self.buttons: dict[int, tuple[Screen, dict]] = {}
        self.history: list[tuple[Screen, dict]] = []

    def prompt(self) -> str:
        where = f"#{CHANNEL_NAME}" if self.channel == CHANNEL_ID else "DM"
        return f"{self.user.name}@{where}> "

    def show(self) -> None:
        screens = self.sandbox.new_screens()
        if not screens:
            return  # nothing new: the buttons on screen stay pressable
        self.buttons = {}
        number = 1
        for screen in screens:
            print(f"\n── {screen.where} " + "─" * max(0, 60 - len(screen.where)))
            text = screen.text
            for button in screen.buttons:
                # Renumber so every button on screen has its own number.
                text = text.replace(f"[{button['number']}]", f"[{number}]", 1)
                self.buttons[number] = (screen, button)
                self.history.append((screen, button))
                number += 1
            print(text)
        del self.history[:-HISTORY]
        print()

    async def handle(self, line: str) -> bool:
        line = line.strip()
        if not line:
            return True
        if line in ("quit", "exit"):
            return False
        if line == "help":
            print(HELP.format(users=", ".join(u.name for u in self.sandbox.users)))
        elif line.startswith("/mlquiz"):
            await self.sandbox.command(
                self.user.user_id, line[len("/mlquiz") :].strip(), channel_id=self.channel
            )
        elif line.startswith("press "):
            await self.press(line[6:].strip())
        elif line in ("in dm", "in channel"):
            self.channel = self.sandbox.dm(self.user.user_id) if line == "in dm" else CHANNEL_ID
        elif line.startswith("as "):
            self.switch_user(line[3:].strip())
        elif line == "home":
            await self.sandbox.open_home(self.user.user_id)
        elif line == "time":
            print(self.now_text())
        elif _SKIP.match(line) or _SKIP_TO.match(line):
            await self.skip(line)
        elif _PANEL.match(line):
            await self.new_panel(line[5:].strip())
            return True
        elif _SCORECARD.match(line):
            await self.scorecard(line[9:].strip())
            return True
        else:
            await self.reply(line)
        self.show()
        await self.fill_open_modal()
        return True

    def switch_user(self, name: str) -> None:
        found = self.sandbox.user_named(name)
        if found is None:
            print(f"No user {name!r}; try " + ", ".join(u.name for u in self.sandbox.users))
            return
        self.user = found
        if self.channel != CHANNEL_ID:
            self.channel = self.sandbox.dm(found.user_id)

    # -- time ---------------------------------------------------------------------------

    def now_text(self) -> str:
        zone = ZoneInfo(self.user.tz)
        return f"(it is {self.sandbox.clock().astimezone(zone):%a %Y-%m-%d %H:%M} {zone.key})"

    async def skip(self, line: str) -> None:
        clock = self.sandbox.clock
        advance = getattr(clock, "advance", None)
        move_to = getattr(clock, "set", None)
        if advance is None or move_to is None:
            print("This sandbox's clock cannot be moved.")
            return
        if match := _SKIP.match(line):
            advance(**{_UNITS[match.group(2)]: float(match.group(1))})
        elif match := _SKIP_TO.match(line):
            moment = datetime.strptime(" ".join(match.group(1).split()), "%Y-%m-%d %H:%M")
            target = moment.replace(tzinfo=ZoneInfo(self.user.tz))
            if target <= clock():
                print("The sandbox's clock only moves forward. " + self.now_text())
                return
            move_to(target)
        else:
            return
        await self.sandbox.tick()
        print(self.now_text())

    # -- replies and buttons ----------------------------------------------------------

    async def reply(self, text: str) -> None:
        channel = self.channel
        question = self.sandbox.latest_question(channel)
        if question is None and channel == CHANNEL_ID:
            print("No question here yet: try /mlquiz post-now (as ada) or /mlquiz ask.")
            return
        thread_ts = question["ts"] if question else None
        await self.sandbox.reply(self.user.user_id, text, channel_id=channel, thread_ts=thread_ts)

    def _find(self, what: str) -> tuple[Screen, dict, str | None] | None:
        """The button `press` means: a number from the last output (and an option of a
        menu), or the newest button shown whose label starts with the text."""
        words = what.split()
        if words and words[0].isdigit():
            if int(words[0]) not in self.buttons:
                return None
            screen, button = self.buttons[int(words[0])]
            return screen, button, " ".join(words[1:]) or None
        wanted = what.casefold()
        for screen, button in reversed(self.history):
            if str(button["text"]).casefold().startswith(wanted) and self._mine(screen):
                return screen, button, None
        return None

    def _owner(self, screen: Screen) -> SandboxUser | None:
        """Whose DM the screen is in (None: not a DM)."""
        return next(
            (u for u in self.sandbox.users if screen.channel == self.sandbox.dm(u.user_id)),
            None,
        )

    def _mine(self, screen: Screen) -> bool:
        owner = self._owner(screen)
        return owner is None or owner.user_id == self.user.user_id

    async def press(self, what: str) -> None:
        found = self._find(what)
        if found is None:
            print("Press a button number shown in the last output, or the start of a label.")
            return
        screen, button, choice = found
        owner = self._owner(screen)
        if owner is not None and owner.user_id != self.user.user_id:
            print(f"That button is in {owner.name}'s DM: type `as {owner.name}` first.")
            return
        value = button["value"]
        if button.get("options"):
            first = what.split()[0]
            picked = self._option(button, choice, first if first.isdigit() else "N")
            if picked is None:
                return
            value = picked
        where: dict[str, Any]
        if screen.channel and screen.ts:
            where = {"channel_id": screen.channel, "message_ts": screen.ts}
        else:
            view = self.sandbox.open_modal(self.user.user_id) or self.sandbox.standin.home_view(
                self.user.user_id
            )
            if view is None:
                print("That button is no longer on your screen.")
                return
            where = {"view": view}
        await self.sandbox.press(self.user.user_id, button["action_id"], value=value, **where)

    def _option(self, button: dict, choice: str | None, shown: str) -> str | None:
        menu = {"type": "static_select", "options": button["options"]}
        labels = [label for label, _value in modal_input.options(menu)]
        if choice is None:
            print(
                "Pick an option: "
                + "; ".join(f"press {shown} {n} for {label!r}" for n, label in enumerate(labels, 1))
            )
            return None
        try:
            return str(modal_input.answer(menu, choice, people={}, tz=self.user.tz))
        except modal_input.BadAnswer as exc:
            print(f"That menu has no {choice!r}: {exc}.")
            return None

    # -- modals --------------------------------------------------------------------------

    async def fill_open_modal(self) -> None:
        """Ask for each input of the modal just opened, then submit it; a modal with
        nothing to fill in (a packet, an expected answer) is read, then closed."""
        user = self.user.user_id
        while (view := self.sandbox.open_modal(user)) is not None:
            inputs = modal_input_blocks(view)
            if not inputs or not view.get("submit"):
                self.sandbox.close_modal(user)
                return
            try:
                values = await self.ask_inputs(view)
            except EOFError:
                values = None
            if values is None:
                self.sandbox.close_modal(user)
                print("(closed without submitting)")
                return
            problems = await self.sandbox.submit_modal(user, values)
            self.show()
            if not problems:
                return
            print("The form says: " + " ".join(problems) + " Try again, or type cancel.")

    async def ask_inputs(self, view: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
        people = {u.name: u.user_id for u in self.sandbox.users}
        names = {u.user_id: u.name for u in self.sandbox.users}
        tz = self.user.tz
        values: dict[str, dict[str, Any]] = {}
        for block_id, label, element, optional in modal_input_blocks(view):
            current = preset(element)
            hint = modal_input.hint(element, current, optional=optional, tz=tz, names=names)
            question = f"{label}{hint}> "
            while True:
                typed = await asyncio.to_thread(input, question)
                if typed.strip().lower() == "cancel":
                    return None
                try:
                    value = modal_input.answer(element, typed, people=people, tz=tz)
                except modal_input.BadAnswer as exc:
                    print(f"  {exc}")
                    continue
                if value is None:
                    value = current
                if value in (None, [], "") and not optional:
                    print("  this one is required")
                    continue
                break
            if value not in (None, [], ""):
                values[block_id] = {element["action_id"]: value}
        return values

    # -- panels --------------------------------------------------------------------------

    async def new_panel(self, options_text: str) -> None:
        """`panel [key=value ...]`: the new-panel form, filled in and submitted."""
        sandbox = self.sandbox
        try:
            given = dict(_pair(word) for word in shlex.split(options_text))
            choices = self._panel_choices(given)
        except ValueError as exc:
            print(f"panel: {exc}")
            return
        await sandbox.command(self.user.user_id, "panel new", channel_id=self.channel)
        view = sandbox.open_modal(self.user.user_id)
        if view is None or view.get("callback_id") != ids.PANEL_NEW_MODAL:
            self.show()  # the app said why not
            return
        sandbox.new_screens()  # the form itself: filled in below instead of shown
        values = new_panel_values(view, choices)
        refused = _not_offered(view, values)
        if refused:
            sandbox.close_modal(self.user.user_id)
            print(f"panel: {refused}")
            return
        names = {u.user_id: u.name for u in sandbox.users}
        zone = ZoneInfo(self.user.tz)
        print(
            f"Filling the new-panel form: {choices.role} ({choices.level}), interviewers "
            + ", ".join(names.get(i, i) for i in choices.interviewers)
            + f", {choices.minutes} min each from {choices.starts.astimezone(zone):%a %H:%M}"
            f"; hiring manager {names.get(choices.hiring_manager)}; coordinator "
            f"{names.get(choices.coordinator)}; topics {', '.join(choices.topics)}; "
            f"debrief {choices.debrief.astimezone(zone):%a %H:%M} ({zone.key})."
        )
        problems = await sandbox.submit_modal(self.user.user_id, values)
        if problems:
            sandbox.close_modal(self.user.user_id)
            print("The form says: " + " ".join(problems))
        self.show()

    def _panel_choices(self, given: dict[str, str]) -> PanelChoices:
        sandbox = self.sandbox
        known = {"role", "level", "interviewers", "hm", "coordinator", "topics", "minutes"}
        unknown = set(given) - known - {"candidate"}
        if unknown:
            raise ValueError(
                f"unknown {', '.join(sorted(unknown))}; use {', '.join(sorted(known))}"
            )
        coordinator = self._person(given.get("coordinator", self.user.name))
        interviewers, hiring_manager = panel_people(sandbox.users, coordinator)
        if "hm" in given:
            hiring_manager = self._person(given["hm"])
            interviewers = [i for i in interviewers if i != hiring_manager]
        if "interviewers" in given:
            interviewers = [self._person(n) for n in given["interviewers"].split(",") if n]
        topics = (
            [t.strip() for t in given["topics"].split(",") if t.strip()]
            if "topics" in given
            else busiest_topics(sandbox.deps.bank)
        )
        minutes = int(given.get("minutes", "45"))
        starts, debrief = soon(sandbox.clock(), minutes, len(interviewers))
        return PanelChoices(
            interviewers=tuple(interviewers),
            hiring_manager=hiring_manager,
            coordinator=coordinator,
            topics=tuple(topics),
            starts=starts,
            debrief=debrief,
            minutes=minutes,
            role=given.get("role", "ML Engineer"),
            level=given.get("level", "senior"),
            candidate=given.get("candidate", "Grace Hopper"),
        )

    def _person(self, name: str) -> str:
        found = self.sandbox.user_named(name)
        if found is None:
            raise ValueError(f"no one called {name!r}")
        return found.user_id

    async def scorecard(self, args: str) -> None:
        """`scorecard REC RATING [evidence]`: the latest scorecard button in your DM,
        pressed, and the modal filled in and submitted."""
        words = args.split(maxsplit=2)
        recommendation = words[0].lower().replace("-", "_") if words else ""
        rating = words[1] if len(words) > 1 else ""
        if recommendation not in RECOMMENDATIONS or rating not in ("1", "2", "3", "4"):
            print("Try: scorecard yes 3, or scorecard strong-yes 4 what you saw that says so")
            return
        sandbox, user = self.sandbox, self.user.user_id
        dm = sandbox.dm(user)
        message = sandbox.latest_with(dm, ids.PANEL_SCORECARD)
        if message is None:
            print("No scorecard for you: no confirmed panel has you as an interviewer.")
            return
        await sandbox.press(user, ids.PANEL_SCORECARD, channel_id=dm, message_ts=message["ts"])
        view = sandbox.open_modal(user)
        if view is None or view.get("callback_id") != ids.SCORECARD_MODAL:
            self.show()  # the app said why not
            return
        sandbox.new_screens()  # the modal itself: filled in below instead of shown
        evidence = words[2] if len(words) > 2 else ""
        values = scorecard_values(
            view,
            recommendation=recommendation,
            rating=int(rating),
            evidence=evidence,
            notes=evidence,
        )
        print(
            f"Filling your scorecard: every question and topic {rating}, overall "
            f"{recommendation.replace('_', ' ')}" + (f"; evidence: {evidence}" if evidence else "")
        )
        problems = await sandbox.submit_modal(user, values)
        if problems:
            sandbox.close_modal(user)
            print("The form says: " + " ".join(problems))
        self.show()


def modal_input_blocks(view: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], bool]]:
    """(block id, label, element, optional) of each input of a modal."""
    return [
        (
            str(block.get("block_id")),
            str((block.get("label") or {}).get("text", "input")),
            block.get("element") or {},
            bool(block.get("optional")),
        )
        for block in view.get("blocks") or []
        if block.get("type") == "input"
    ]


def _not_offered(view: dict[str, Any], values: dict[str, dict[str, Any]]) -> str:
    """What the form would not let a person pick (an unknown level, topic, length)."""
    for block_id, label, element, _optional in modal_input_blocks(view):
        offered = {value for _label, value in modal_input.options(element)}
        if not offered or block_id not in values:
            continue
        picked = values[block_id][element["action_id"]]
        wrong = [v for v in (picked if isinstance(picked, list) else [picked]) if v not in offered]
        if wrong:
            return (
                f"{label.lower()} cannot be {', '.join(map(str, wrong))}: choose from "
                + ", ".join(sorted(offered))
            )
    return ""


def _pair(word: str) -> tuple[str, str]:
    key, sep, value = word.partition("=")
    if not sep:
        raise ValueError(f"{word!r} is not key=value")
    return key.lower(), value


async def run_repl(sandbox: Sandbox) -> None:
    repl = Repl(sandbox)
    print(HELP.format(users=", ".join(u.name for u in sandbox.users)))
    while True:
        try:
            line = await asyncio.to_thread(input, repl.prompt())
        except EOFError:
            print()
            return
        try:
            if not await repl.handle(line):
                return
        except Exception as exc:  # the sandbox must survive a bad line
            print(f"(sandbox error: {type(exc).__name__}: {exc})", file=sys.stderr)
