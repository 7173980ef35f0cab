"""The interactive offline sandbox: you are a Slack user typing in a channel."""

from __future__ import annotations

import asyncio
import re
import sys

from bot.devtools.sandbox import CHANNEL_ID, CHANNEL_NAME, Sandbox, Screen

HELP = f"""Offline sandbox: the real mlquiz app talking to a local Slack stand-in.
You are a user in #{CHANNEL_NAME}. Type:
  /mlquiz ...        a slash command (try /mlquiz help, /mlquiz ask pca)
  any other text     a reply in the thread of the latest question where you are
  press N            press button N from the output above
  in dm | in channel switch between your DM with mlquiz and #{CHANNEL_NAME}
  as NAME            act as another user: {{users}}
  home               open your App Home
  skip 8h | skip 30m move the clock forward and run the scheduler (reveals, posts)
  help | quit"""

_SKIP = re.compile(r"^skip\s+(\d+(?:\.\d+)?)\s*([hm])$")


class Repl:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.user = sandbox.users[0]
        self.channel = CHANNEL_ID
        self.buttons: dict[int, tuple[Screen, dict]] = {}

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
                number += 1
            print(text)
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
        elif match := _SKIP.match(line):
            amount = float(match.group(1))
            unit = "hours" if match.group(2) == "h" else "minutes"
            advance = getattr(self.sandbox.clock, "advance", None)
            if advance is None:
                print("This sandbox's clock cannot be moved.")
            else:
                advance(**{unit: amount})
                await self.sandbox.tick()
        else:
            await self.reply(line)
        self.show()
        await self.fill_open_modal()
        return True

    def switch_user(self, name: str) -> None:
        for user in self.sandbox.users:
            if user.name == name.lower():
                self.user = user
                return
        print(f"No user {name!r}; try " + ", ".join(u.name for u in self.sandbox.users))

    async def reply(self, text: str) -> None:
        channel = self.channel
        question = self.sandbox.latest_question(channel)
        if question is None and channel == CHANNEL_ID:
            print("No question here yet: try /mlquiz post-now (as ada) or /mlquiz ask.")
            return
        thread_ts = question["ts"] if question else None
        await self.sandbox.reply(self.user.user_id, text, channel_id=channel, thread_ts=thread_ts)

    async def press(self, number_text: str) -> None:
        if not number_text.isdigit() or int(number_text) not in self.buttons:
            print("Press a button number shown in the last output.")
            return
        screen, button = self.buttons[int(number_text)]
        location = screen.where
        channel = (
            CHANNEL_ID
            if location.startswith(f"#{CHANNEL_NAME}")
            else (self.sandbox.dm(self.user.user_id))
        )
        for message in reversed(self.sandbox.standin.messages(channel)):
            if any(
                b.get("action_id") == button["action_id"]
                for blk in message.get("blocks") or []
                for b in blk.get("elements") or []
            ):
                await self.sandbox.press(
                    self.user.user_id,
                    button["action_id"],
                    channel_id=channel,
                    message_ts=message["ts"],
                    value=button["value"],
                )
                return
        home = self.sandbox.standin.home_view(self.user.user_id)
        if home is not None:
            await self.sandbox.press(self.user.user_id, button["action_id"], view=home)

    async def fill_open_modal(self) -> None:
        views = self.sandbox.standin.open_views(self.user.user_id)
        if not views:
            return
        view = views[-1]
        values: dict[str, dict[str, str]] = {}
        for block in view.get("blocks") or []:
            if block.get("type") != "input":
                continue
            label = (block.get("label") or {}).get("text", "input")
            answer = await asyncio.to_thread(input, f"{label}> ")
            values[block["block_id"]] = {block["element"]["action_id"]: answer}
        await self.sandbox.submit_modal(self.user.user_id, values)
        self.show()


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
