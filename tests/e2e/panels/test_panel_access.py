"""Somebody who is not on a panel, at every way into it: each `/mlquiz panel`
subcommand, each panel button (pressed on someone else's screen, or with a forged
value), each panel modal submission with forged metadata. They are told what a
stranger to a panel that does not exist is told, they see nothing of it, and no
panel row changes."""

from __future__ import annotations

import copy
from datetime import timedelta

from bot.slack.blocks import ids
from bot.usecases.panels.access import NOT_FOUND
from tests.e2e.helpers import ephemeral_texts
from tests.e2e.panels.panel_helpers import (
    CANDIDATE,
    COORDINATOR,
    HIRING_MANAGER,
    INTERVIEWERS,
    OUTSIDER,
    add_panel_people,
    confirm_plan,
    first_option,
    form_values,
    latest_with,
    new_panel,
    panel_record,
    panel_rows,
    press_as,
)

NO_SUCH_PANEL = "9999"


def subcommands(ref: str) -> list[str]:
    """Every subcommand that names a panel, with plausible arguments."""
    return [
        f"panel show {ref}",
        f"panel kit {ref}",
        f"panel scorecard {ref}",
        f"panel debrief {ref}",
        f"panel decide {ref}",
        f"panel close {ref}",
        f"panel purge {ref}",
        f"panel replace {ref} <@{INTERVIEWERS[0]}> <@{OUTSIDER}>",
        f"panel move {ref} <@{INTERVIEWERS[0]}> 2026-03-20T10:00",
    ]


class Replies:
    """What the stranger is told, one answer per attempt."""

    def __init__(self, sandbox) -> None:
        self.sandbox = sandbox
        self.seen = 0

    def next(self, what: str) -> str:
        texts = ephemeral_texts(self.sandbox, OUTSIDER)
        assert len(texts) == self.seen + 1, (what, texts[self.seen :])
        self.seen = len(texts)
        return texts[-1]


def conversations(sandbox) -> dict[str, list[dict]]:
    """Every message in every conversation, to prove a press changed none."""
    store = sandbox.standin.workspace
    return {c: copy.deepcopy(sandbox.standin.messages(c)) for c in list(store.channels)}


async def test_a_stranger_is_refused_at_every_entry_point(sandbox, clock):
    add_panel_people(sandbox)
    draft = await new_panel(sandbox, clock)
    replies = Replies(sandbox)

    # The coordinator's draft: confirm, swap and re-roll, pressed on their DM.
    plan = latest_with(sandbox, COORDINATOR, ids.PANEL_CONFIRM)
    assert plan is not None
    coordinator_dm = sandbox.dm(COORDINATOR)
    before, shown = await panel_rows(sandbox), conversations(sandbox)
    swap = first_option(plan, ids.PANEL_SWAP)
    for action_id, value in (
        (ids.PANEL_CONFIRM, None),
        (ids.PANEL_CONFIRM, draft.code),  # forged: the code instead of the id
        (ids.PANEL_SWAP, swap),
        (ids.PANEL_REROLL, None),
    ):
        response = await press_as(sandbox, OUTSIDER, action_id, plan, coordinator_dm, value)
        assert response.status == 200
        assert replies.next(action_id) == NOT_FOUND
    assert await panel_rows(sandbox) == before, "the draft is untouched"
    assert conversations(sandbox) == shown, "the plan message is not replaced"

    # Live, with its room, at debrief time (the packet open, partial): every button is
    # on somebody's screen, and the scorecard and decision modals are open for their
    # owners, ready to be forged.
    panel = await confirm_plan(sandbox, draft)
    await sandbox.tick()
    clock.set(panel.debrief_at + timedelta(minutes=1))
    await sandbox.tick()
    panel = await panel_record(sandbox, panel.id)
    assert panel.packet_opened_at is not None and panel.debrief_channel
    kit = latest_with(sandbox, INTERVIEWERS[0], ids.PANEL_KNEW)
    progress = latest_with_in(sandbox, panel.debrief_channel, ids.PANEL_PACKET)
    assert kit is not None and progress is not None
    await sandbox.press(
        INTERVIEWERS[0],
        ids.PANEL_SCORECARD,
        channel_id=sandbox.dm(INTERVIEWERS[0]),
        message_ts=kit["ts"],
    )
    scorecard_view = sandbox.standin.open_views(INTERVIEWERS[0])[-1]
    await sandbox.press(
        HIRING_MANAGER,
        ids.PANEL_DECIDE,
        channel_id=panel.debrief_channel,
        message_ts=progress["ts"],
    )
    decision_view = sandbox.standin.open_views(HIRING_MANAGER)[-1]
    assert scorecard_view["callback_id"] == ids.SCORECARD_MODAL
    assert decision_view["callback_id"] == ids.DECISION_MODAL
    before, shown = await panel_rows(sandbox), conversations(sandbox)

    # Every subcommand, by id and by candidate code, and for a panel that does not
    # exist: one answer, the same answer.
    for ref in (str(panel.id), panel.code, NO_SUCH_PANEL):
        for text in subcommands(ref):
            response = await sandbox.command(OUTSIDER, text)
            assert response.status == 200
            assert replies.next(text) == NOT_FOUND

    # Every panel button: on an interviewer's kit and on the debrief room's progress
    # message, as shown and with forged values (another interviewer's question, the
    # candidate code in place of the panel id).
    kit_dm = sandbox.dm(INTERVIEWERS[0])
    question = kit_question(kit, ids.PANEL_KNEW)
    other_kit = latest_with(sandbox, INTERVIEWERS[1], ids.PANEL_KNEW)
    assert other_kit is not None
    others_question = kit_question(other_kit, ids.PANEL_KNEW)
    for action_id, message, channel, value in (
        (ids.PANEL_SCORECARD, kit, kit_dm, None),
        (ids.PANEL_NOT_INTERVIEWED, kit, kit_dm, None),
        (ids.PANEL_EXPECTED, kit, kit_dm, None),
        (ids.PANEL_EXPECTED, kit, kit_dm, f"{panel.id}|{others_question}"),
        (ids.PANEL_KNEW, kit, kit_dm, None),
        (ids.PANEL_KNEW, kit, kit_dm, f"{panel.code}|{question}"),
        (ids.PANEL_PACKET, progress, panel.debrief_channel, None),
        (ids.PANEL_DECIDE, progress, panel.debrief_channel, None),
    ):
        response = await press_as(sandbox, OUTSIDER, action_id, message, channel, value)
        assert response.status == 200
        assert replies.next(f"{action_id} {value}") == NOT_FOUND
    # Buttons on no screen the stranger could reach now ("Show the panel" is never sent
    # to a stranger; the plan's buttons went with the confirmation): forged outright.
    for action_id, value in (
        (ids.PANEL_SHOW, str(panel.id)),
        (ids.PANEL_CONFIRM, str(panel.id)),
        (ids.PANEL_REROLL, f"{panel.id}|{INTERVIEWERS[0]}"),
        (ids.PANEL_SWAP, f"{panel.id}|{INTERVIEWERS[0]}|{question}"),
    ):
        payload = sandbox.driver.build_block_actions(
            OUTSIDER, ids.PANEL_SCORECARD, channel_id=kit_dm, message_ts=kit["ts"]
        )
        payload["actions"][0] |= {"action_id": action_id, "value": value}
        assert (await sandbox.driver.send_interaction(payload)).status == 200
        await sandbox.settle()
        assert replies.next(action_id) == NOT_FOUND

    # The scorecard and decision modals, submitted by the stranger with the panel in
    # their metadata: refused inline, in words a missing panel gets too.
    card_values = filled_scorecard(scorecard_view)
    decision_values = {"decision": {"decision": "no_hire"}, "reason": {"reason": "Forged."}}
    for view, values in ((scorecard_view, card_values), (decision_view, decision_values)):
        refusals = []
        for ref in (str(panel.id), NO_SUCH_PANEL):
            response = await sandbox.driver.view_submission(
                OUTSIDER, view, values, callback_id=view["callback_id"], private_metadata=ref
            )
            await sandbox.settle()
            assert response.status == 200
            answer = response.json() or {}
            assert answer.get("response_action") == "errors", (view["callback_id"], answer)
            refusals.append(sorted(answer["errors"].values()))
        assert refusals[0] == refusals[1], "a real panel and a missing one look alike"
        text = " ".join(refusals[0][0].split())
        assert panel.code not in text and "ML Engineer" not in text

    # A later round of this candidate, started by the stranger from the new-panel
    # modal with the candidate code: refused as an unknown code would be, and nothing
    # is created (the candidate's name would come with it).
    refusals = []
    for code in (panel.code, "C-ZZZZZ"):
        await sandbox.command(OUTSIDER, "panel new")
        starts = clock.now + timedelta(days=2)
        values = later_round(sandbox, starts, code)
        response = await sandbox.submit_modal(OUTSIDER, values)
        assert response.json()["response_action"] == "errors"
        refusals.append(response.json()["errors"])
        sandbox.standin.view_store.clear(OUTSIDER)
    assert refusals[0] == refusals[1], refusals
    assert set(refusals[0]) == {"code"}, refusals[0]

    assert await panel_rows(sandbox) == before, "no panel row changed"
    assert conversations(sandbox) == shown, "no message changed, none was added"
    # Nothing of the panel reached the stranger: no DM, no view, no name, no code.
    assert not sandbox.standin.messages(sandbox.dm(OUTSIDER))
    assert all(v["callback_id"] == ids.PANEL_NEW_MODAL for v in sandbox.standin.views(OUTSIDER))
    told = " ".join(ephemeral_texts(sandbox, OUTSIDER))
    for secret in (panel.code, CANDIDATE, "ML Engineer", *(f"@{who}" for who in INTERVIEWERS)):
        assert secret not in told, secret
    await sandbox.command(OUTSIDER, "panel list")
    assert panel.code not in replies.next("list")


def latest_with_in(sandbox, channel: str, action_id: str) -> dict | None:
    for message in reversed(sandbox.standin.messages(channel)):
        for block in message.get("blocks") or []:
            if any(e.get("action_id") == action_id for e in block.get("elements") or []):
                return message
    return None


def kit_question(kit: dict, action_id: str) -> str:
    """The question id of the first `action_id` button of a kit."""
    for block in kit["blocks"]:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return str(element["value"]).split("|", 1)[1]
    raise LookupError(action_id)


def filled_scorecard(view: dict) -> dict[str, dict[str, str]]:
    values: dict[str, dict[str, str]] = {}
    for block in view["blocks"]:
        block_id = block.get("block_id", "")
        if block_id.startswith("rating:"):
            values[block_id] = {"rating": "4"}
        elif block_id.startswith("topic:"):
            values[block_id] = {"topic": "4"}
    values["recommendation"] = {"recommendation": "yes"}
    return values


def later_round(sandbox, starts, code: str) -> dict:
    """The new-panel form of a stranger who names an earlier candidate code."""
    values = form_values(sandbox, starts, debrief=starts + timedelta(hours=4))
    values["interviewers"] = {"interviewers": [OUTSIDER, INTERVIEWERS[2]]}
    values["coordinator"] = {"coordinator": OUTSIDER}
    values["candidate"] = {"candidate": ""}
    values["code"] = {"code": code}
    return values
