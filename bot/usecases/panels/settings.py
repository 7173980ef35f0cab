"""`/mlquiz config panel [leak_guard_days=N] [retention_days=N] [kit_redact_hours=N]`:
a workspace's panel settings, for admins."""

from __future__ import annotations

from bot.core.panel_records import PanelSettings
from bot.slack.blocks import plain
from bot.slack.parser.suggest import closest
from bot.usecases.deps import Deps, ReplyTo, reply, reply_in
from bot.usecases.profiles import is_admin

LIMITS = {
    "leak_guard_days": (0, 3650, "days a panel's questions stay out of public pools after it"),
    "retention_days": (1, 3650, "days after the decision before a panel is purged"),
    "kit_redact_hours": (1, 720, "hours after an interview before its kit loses the rubric"),
}


def describe(settings: PanelSettings) -> str:
    return "\n".join(
        f"• `{name}={getattr(settings, name)}`: {meaning}"
        for name, (_, _, meaning) in LIMITS.items()
    )


def parse_changes(args: tuple[str, ...]) -> tuple[dict[str, int], list[str]]:
    changes: dict[str, int] = {}
    problems = []
    for word in args:
        name, sep, value = word.partition("=")
        name = name.lower()
        if not sep or name not in LIMITS:
            guess = closest(name, list(LIMITS), cutoff=70).best
            hint = f" Did you mean `{guess}`?" if guess else ""
            problems.append(f"I don't know `{word[:40]}`.{hint}")
            continue
        low, high, _ = LIMITS[name]
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            problems.append(f"`{name}` takes a whole number from {low} to {high}.")
            continue
        changes[name] = int(value)
    return changes, problems


async def configure(
    deps: Deps, *, team_id: str, user_id: str, args: tuple[str, ...], reply_to: ReplyTo
) -> None:
    if not await is_admin(deps, team_id, user_id):
        await reply(deps, reply_to, plain("Only workspace admins change panel settings."))
        return
    changes, problems = parse_changes(args)
    if problems:
        await reply(deps, reply_to, plain("Nothing changed. " + " ".join(problems)))
        return
    async with deps.storage.transaction() as uow:
        current = await uow.panels.settings(team_id)
        if changes:
            current = PanelSettings(
                team_id,
                changes.get("leak_guard_days", current.leak_guard_days),
                changes.get("retention_days", current.retention_days),
                changes.get("kit_redact_hours", current.kit_redact_hours),
            )
            await uow.panels.save_settings(current)
        head = "Panel settings saved:" if changes else "Panel settings:"
        await reply_in(uow, reply_to, plain(f"*{head}*\n{describe(current)}"), deps.now())
