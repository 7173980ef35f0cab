"""`/mlquiz panel …`: each subcommand to its use case. Subcommands answered with a
modal are started by the listener with the trigger (`open_from_command`); recorded
requests reach `run` instead, which answers them with a button to press."""

from __future__ import annotations

from bot.ports.requests import SlashCommand
from bot.slack.blocks import panels as blocks
from bot.slack.blocks import plain
from bot.slack.parser.panels import PanelCommand, UnknownPanelCommand, parse_panel_command
from bot.slack.parser.suggest import did_you_mean
from bot.slack.text import escape
from bot.usecases.deps import Deps, reply
from bot.usecases.panels import create, debrief, kits, purge, scorecards, views
from bot.usecases.panels.access import NOT_FOUND, member_view

OPEN_BY_REF = {
    "show": views.show_panel,
    "scorecard": scorecards.open_scorecard,
    "decide": debrief.open_decision,
    "debrief": debrief.open_packet,
}

HELP = (
    "*Interview panels*\n"
    "• `/mlquiz panel new`: plan a panel (a form), or in one line: "
    '`/mlquiz panel new "ML Engineer" senior @a @b @c hm=@d topics=nlp,deep-learning '
    "start=2026-12-03T10:00 minutes=45 debrief=2026-12-03T16:00` "
    "(optional `coordinator=@e`, `code=C-XXXXX` for a later round)\n"
    "• `/mlquiz panel list`: your panels\n"
    "• `/mlquiz panel show ID` · `kit ID` · `scorecard ID` · `debrief ID` · `decide ID`\n"
    "• `/mlquiz panel replace ID @old @new` · `move ID @who 2026-12-03T14:00`\n"
    "• `/mlquiz panel close ID` · `purge ID` (coordinator or admin)\n"
    "• `/mlquiz config panel`: leak guard, retention and kit settings (admins)"
)


def panel_text(text: str) -> str:
    """What follows `panel` in `/mlquiz panel …`."""
    words = text.split(maxsplit=1)
    return words[1] if len(words) > 1 else ""


async def run(deps: Deps, request: SlashCommand) -> None:
    parsed = parse_panel_command(panel_text(request.text))
    team, user, to = request.team_id, request.user_id, request.reply_to
    if isinstance(parsed, UnknownPanelCommand):
        hint = did_you_mean([parsed.suggestion] if parsed.suggestion else [])
        await reply(deps, to, plain(f"I don't know `panel {escape(parsed.given)}`.{hint}\n{HELP}"))
        return
    if parsed.action == "help":
        await reply(deps, to, plain(HELP))
        return
    if parsed.action == "new":
        if parsed.raw:
            await create.new_from_line(
                deps, team_id=team, user_id=user, rest=parsed.raw, reply_to=to
            )
        else:
            await reply(deps, to, plain(HELP))
        return
    if parsed.action == "list":
        await views.list_panels(deps, team_id=team, user_id=user, reply_to=to)
        return
    if not parsed.panel_ref:
        await reply(deps, to, plain(f"Which panel? `/mlquiz panel {parsed.action} ID`."))
        return
    await _with_panel(deps, request, parsed)


async def _with_panel(deps: Deps, request: SlashCommand, parsed: PanelCommand) -> None:
    team, user, to, ref = request.team_id, request.user_id, request.reply_to, parsed.panel_ref
    match parsed.action:
        case "kit":
            await kits.show_kit(deps, team_id=team, user_id=user, ref=ref, reply_to=to)
        case "close":
            await debrief.close(deps, team_id=team, user_id=user, ref=ref, reply_to=to)
        case "purge":
            await purge.purge_command(deps, team_id=team, user_id=user, ref=ref, reply_to=to)
        case "replace":
            await kits.replace_interviewer(
                deps, team_id=team, user_id=user, ref=ref, args=parsed.rest, reply_to=to
            )
        case "move":
            await kits.move_interview(
                deps, team_id=team, user_id=user, ref=ref, args=parsed.rest, reply_to=to
            )
        case _:
            # show, scorecard, debrief, decide without a trigger: a button opens them.
            view = await member_view(deps, team, user, ref)
            if view is None:
                await reply(deps, to, plain(NOT_FOUND))
                return
            await reply(deps, to, blocks.panel_buttons(view.panel))


async def open_from_command(deps: Deps, request: SlashCommand, trigger_id: str) -> None:
    """The subcommands that answer with a modal, started at once by the listener."""
    parsed = parse_panel_command(panel_text(request.text))
    team, user, to = request.team_id, request.user_id, request.reply_to
    if not isinstance(parsed, PanelCommand):
        return
    match parsed.action:
        case "new":
            await create.open_new_panel_modal(
                deps,
                team_id=team,
                user_id=user,
                channel_id=request.channel_id,
                trigger_id=trigger_id,
                reply_to=to,
            )
        case "show" | "scorecard" | "decide" | "debrief":
            # Each opens a modal about one panel, found by its id or candidate code.
            await OPEN_BY_REF[parsed.action](
                deps,
                team_id=team,
                user_id=user,
                ref=parsed.panel_ref,
                trigger_id=trigger_id,
                reply_to=to,
            )
