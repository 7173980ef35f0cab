"""`/mlquiz panel …` and the panel buttons and modals reach their use cases."""

from __future__ import annotations

import pytest

from bot.ports.requests import SlashCommand, ViewSubmission
from bot.slack.blocks import ids
from bot.usecases import commands as top
from bot.usecases.panels import buttons, commands, progress
from tests.unit.builders import fake
from tests.unit.fakes import TEAM
from tests.unit.panel_builders import (
    ADMIN,
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    OUTSIDER,
    current,
    draft,
    kit_questions,
    last_reply,
    live,
    planned,
    press,
    to,
)


def command(text, user=COORDINATOR):
    return SlashCommand(TEAM, user, "C1", text, to(user))


async def run(deps, text, user=COORDINATOR):
    """Through the top-level router, as a recorded slash command."""
    await top.run_command(deps, command(text, user))
    return last_reply(deps, user)


async def test_panel_alone_lists_ones_panels(deps):
    panel = await live(deps)
    assert await run(deps, "panel") == "Your panels"
    assert panel.code in str(fake(deps).messages(action="respond")[-1].blocks)


@pytest.mark.parametrize(("typed", "meant"), [("lst", "list"), ("purg", "purge"), ("shwo", "show")])
async def test_a_mistyped_subcommand_is_guessed_with_the_help(deps, typed, meant):
    said = await run(deps, f"panel {typed} 1")
    assert said.startswith(f"I don't know `panel {typed}`. Did you mean `{meant}`?")
    assert "*Interview panels*" in said


async def test_an_unknown_subcommand_gets_the_help(deps):
    said = await run(deps, "panel frobnicate <!channel>")
    assert said.startswith("I don't know `panel frobnicate`.\n*Interview panels*")


@pytest.mark.parametrize("text", ["panel help", "panel new"])
async def test_help_and_new_without_arguments_show_the_help(deps, text):
    assert (await run(deps, text)).startswith("*Interview panels*")


@pytest.mark.parametrize("action", ["show", "kit", "scorecard", "debrief", "decide", "close"])
async def test_a_subcommand_needing_a_panel_asks_which(deps, action):
    assert await run(deps, f"panel {action}") == f"Which panel? `/mlquiz panel {action} ID`."


async def test_new_in_one_line_creates_a_panel(deps):
    text = (
        'panel new "ML Engineer" senior <@UA> <@UB> hm=<@UHM> '
        "topics=probability start=2024-03-05T10:00"
    )
    assert "is planned" in await run(deps, text)
    (panel,) = fake(deps).state.panels.values()
    assert panel.status == "draft"


async def test_kit_close_purge_replace_and_move_reach_their_use_cases(deps):
    panel = await live(deps)
    assert (await run(deps, f"panel kit {panel.code}", user="UA")) == f"Interview kit {panel.code}"
    await run(deps, f"panel move {panel.id} <@UA> 2024-03-07T09:00")
    assert "moved" in last_reply(deps, COORDINATOR)
    await run(deps, f"panel replace {panel.id} <@UB> <@UD>")
    assert "UD" in await planned(deps, panel)
    await run(deps, f"panel close {panel.id}")
    assert (await current(deps, panel.id)).status == "closed"
    await run(deps, f"panel purge {panel.id}")
    assert (await current(deps, panel.id)).status == "purged"


@pytest.mark.parametrize("action", ["show", "scorecard", "debrief", "decide"])
async def test_a_recorded_modal_subcommand_answers_with_buttons(deps, action):
    panel = await live(deps)
    assert await run(deps, f"panel {action} {panel.id}", user="UA") == f"Panel {panel.code}"
    assert await run(deps, f"panel {action} {panel.id}", user=OUTSIDER) == (
        "I can't find that panel, or you are not on it."
    )


async def test_config_panel_reaches_the_settings(deps):
    assert await run(deps, "config panel", user=COORDINATOR) == (
        "Only workspace admins change panel settings."
    )


# -- modals opened at once, with the trigger ----------------------------------------------


async def open_now(deps, text, user=COORDINATOR):
    await commands.open_from_command(deps, command(text, user), "trigger-9")


async def test_panel_new_opens_the_form(deps, gateway):
    await open_now(deps, "panel new")
    (call,) = gateway.calls_to("open_view")
    assert (call["trigger_id"], call["view"]["callback_id"]) == ("trigger-9", ids.PANEL_NEW_MODAL)


@pytest.mark.parametrize(
    ("text", "user", "title"),
    [
        ("panel show {id}", "UA", "Panel "),
        ("panel scorecard {id}", "UA", "Scorecard"),
        ("panel decide {id}", HIRING_MANAGER, "Decision"),
        ("panel debrief {id}", HIRING_MANAGER, "Packet "),
    ],
)
async def test_modal_subcommands_open_their_modal(deps, gateway, clock, text, user, title):
    panel = await live(deps)
    clock.set(panel.debrief_at)  # the packet and the decision are open
    await progress.open_due_packets(deps)
    await open_now(deps, text.format(id=panel.id), user=user)
    (call,) = gateway.calls_to("open_view")
    assert call["view"]["title"]["text"].startswith(title)


async def test_a_line_or_an_unknown_subcommand_opens_nothing(deps, gateway):
    await open_now(deps, "panel zzz")
    await open_now(deps, "panel list")
    assert gateway.calls_to("open_view") == []


# -- buttons and modal submissions ---------------------------------------------------------


async def test_recorded_buttons_reach_their_use_cases(deps):
    panel = await draft(deps)
    before = await planned(deps, panel)
    await buttons.recorded(deps, press(COORDINATOR, ids.PANEL_REROLL, f"{panel.id}|UA"))
    assert (await planned(deps, panel))["UA"] != before["UA"]
    await buttons.recorded(deps, press(COORDINATOR, ids.PANEL_CONFIRM, str(panel.id)))
    assert (await current(deps, panel.id)).status == "live"
    question = (await kit_questions(deps, panel, "UA"))[0]
    await buttons.recorded(deps, press("UA", ids.PANEL_KNEW, f"{panel.id}|{question}"))
    async with deps.storage.reading() as uow:
        assert await uow.panels.knew(TEAM, panel.code) == {question}
    await buttons.recorded(deps, press("UB", ids.PANEL_NOT_INTERVIEWED, str(panel.id)))
    assert last_reply(deps, "UB") == "Thanks: your reminders are off."


async def test_modal_buttons_open_their_modals(deps, gateway):
    panel = await live(deps)
    question = (await kit_questions(deps, panel, "UA"))[0]
    await buttons.open_modal(deps, press("UA", ids.PANEL_SCORECARD, str(panel.id)))
    await buttons.open_modal(deps, press("UA", ids.PANEL_EXPECTED, f"{panel.id}|{question}"))
    await buttons.open_modal(deps, press("UA", ids.PANEL_SHOW, str(panel.id)))
    titles = [c["view"]["title"]["text"] for c in gateway.calls_to("open_view")]
    assert titles == ["Scorecard", "Expected answer", f"Panel {panel.code}"]


def new_panel_modal(values, user=COORDINATOR):
    return ViewSubmission(TEAM, user, ids.PANEL_NEW_MODAL, "C1", values, to(user))


async def test_the_new_panel_modal_is_checked_then_created(deps):
    starts = 1709629200  # 2024-03-05 09:00 UTC
    values: dict[str, str | list[str]] = {
        "role.role": "ML Engineer",
        "level.level": "senior",
        "interviewers.interviewers": list(INTERVIEWERS),
        "hiring_manager.hiring_manager": HIRING_MANAGER,
        "coordinator.coordinator": COORDINATOR,
        "topics.topics": ["probability"],
        "starts.starts": str(starts),
        "minutes.minutes": "45",
        "debrief.debrief": str(starts + 4 * 3600),
        "candidate.candidate": "  Ada  ",
        "code.code": "",
    }
    assert await buttons.check(deps, new_panel_modal(values)) == {}
    bad = {**values, "role.role": "", "topics.topics": []}
    assert set(await buttons.check(deps, new_panel_modal(bad))) == {"role", "topics"}
    await buttons.submitted(deps, new_panel_modal(values))
    (panel,) = fake(deps).state.panels.values()
    assert fake(deps).state.panel_candidates[(TEAM, panel.code)] == "Ada"


async def test_an_unknown_modal_is_not_checked(deps):
    submission = ViewSubmission(TEAM, "UA", "something_else", "", {}, to("UA"))
    assert await buttons.check(deps, submission) == {}
    await buttons.submitted(deps, submission)
    assert fake(deps).messages() == []


@pytest.mark.parametrize(
    ("text", "user", "said"),
    [
        ("panel show ¹", "UA", "I can't find that panel, or you are not on it."),
        ("panel kit ²", "UA", "I can't find that panel, or you are not on it."),
        (
            "config panel retention_days=³",
            ADMIN,
            "Nothing changed. `retention_days` takes a whole number from 1 to 3650.",
        ),
    ],
)
async def test_odd_digits_get_a_friendly_answer(deps, text, user, said):
    """Digits str.isdigit takes and int() refuses, typed by a person."""
    await live(deps)
    assert await run(deps, text, user=user) == said
