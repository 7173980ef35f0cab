"""A panel over Socket Mode: the same people drive the same app, but every request
reaches it as a Socket Mode envelope handled by Bolt's own `AsyncSocketModeHandler`
(the class `mlquiz serve` connects), and the app's answer travels back as the
envelope's acknowledgement.

There is no Socket Mode server in the stand-in, so the websocket itself is left out:
`SocketModeDriver` hands each envelope straight to the handler with a client that
records the acknowledgement. Everything after the socket is the production path:
Bolt's Socket Mode dispatch, our listeners, the inbox, the Web API calls to the
stand-in (triggers, response URLs and modals included)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot import bootstrap
from bot.slack.blocks import ids
from bot.usecases.panels.access import NOT_FOUND
from slack_standin.driver import FORM, DriverResponse, SlackDriver
from tests.e2e.helpers import ephemeral_texts
from tests.e2e.panels.panel_helpers import (
    COORDINATOR,
    INTERVIEWERS,
    OUTSIDER,
    add_panel_people,
    bot_dms,
    confirm_plan,
    fill_scorecard,
    form_values,
    latest_with,
    new_panel,
    panel_rows,
)


class AckRecorder:
    """The Socket Mode client's side of an acknowledgement."""

    def __init__(self, logger) -> None:
        self.logger = logger
        self.acks: list[SocketModeResponse] = []

    async def send_socket_mode_response(self, response: SocketModeResponse) -> None:
        self.acks.append(response)


class SocketModeDriver(SlackDriver):
    """A SlackDriver whose requests arrive as Socket Mode envelopes, not signed HTTP."""

    def __init__(self, handler, signing_secret: str, standin) -> None:
        super().__init__("socket-mode", signing_secret, standin)
        self.handler = handler
        self.envelopes: list[str] = []

    async def send(
        self,
        body: str | bytes,
        content_type: str | None,
        *,
        payload: dict[str, Any] | None = None,
        extra_headers: dict[str, str] | None = None,
        method: str = "POST",
    ) -> DriverResponse:
        text = body.decode() if isinstance(body, bytes) else body
        if content_type == FORM:
            form = dict(parse_qsl(text))
            kind, data = (
                ("interactive", json.loads(form["payload"]))
                if "payload" in form
                else ("slash_commands", form)
            )
        else:
            kind, data = "events_api", json.loads(text)
        self.envelopes.append(kind)
        recorder = AckRecorder(self.handler.app.logger)
        request = SocketModeRequest(type=kind, envelope_id=uuid.uuid4().hex, payload=data)
        await self.handler.handle(recorder, request)
        if not recorder.acks:
            return DriverResponse(status=500, body="not acknowledged", payload=payload or {})
        [ack] = recorder.acks
        answer = json.dumps(ack.payload) if ack.payload else ""
        return DriverResponse(status=200, body=answer, payload=payload or {})


async def test_a_panel_over_socket_mode(sandbox, clock):
    handler = bootstrap.AsyncSocketModeHandler(sandbox.app.bolt, "xapp-1-A0001-socket")
    driver = SocketModeDriver(handler, sandbox.workspace.signing_secret, sandbox.standin)
    await sandbox.workspace.driver.close()
    sandbox.workspace.driver = driver
    try:
        add_panel_people(sandbox)
        # A field error comes back in the envelope's acknowledgement, inline.
        await sandbox.command(COORDINATOR, "panel new")
        starts = clock.now + timedelta(days=1)
        values = form_values(sandbox, starts, debrief=starts + timedelta(hours=4))
        values["interviewers"] = {"interviewers": INTERVIEWERS[:1]}
        before = await panel_rows(sandbox)
        response = await sandbox.submit_modal(COORDINATOR, values)
        assert response.json()["response_action"] == "errors"
        assert "at least 2 interviewers" in response.json()["errors"]["interviewers"]
        assert await panel_rows(sandbox) == before
        sandbox.standin.view_store.clear(COORDINATOR)

        # The modal, the plan, the kits, a scorecard: as over HTTP.
        panel = await confirm_plan(sandbox, await new_panel(sandbox, clock))
        for who in INTERVIEWERS:
            assert latest_with(sandbox, who, ids.PANEL_KNEW) is not None, who
        await fill_scorecard(sandbox, INTERVIEWERS[0], panel.id, recommendation="yes", rating=3)
        saved = [m for m in bot_dms(sandbox, INTERVIEWERS[0]) if "saved (revision 1)" in m["text"]]
        assert len(saved) == 1
        async with sandbox.app.storage.reading() as uow:
            assert await uow.panels.submitted(panel.id) == {INTERVIEWERS[0]}

        # A stranger is refused over the socket too.
        await sandbox.command(OUTSIDER, f"panel show {panel.id}")
        await sandbox.command(OUTSIDER, f"panel kit {panel.id}")
        assert ephemeral_texts(sandbox, OUTSIDER) == [NOT_FOUND, NOT_FOUND]
        assert {"slash_commands", "interactive"} <= set(driver.envelopes)
    finally:
        await handler.client.close()
