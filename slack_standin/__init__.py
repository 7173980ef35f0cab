"""A local Slack stand-in: Web API server, signed request driver, Block Kit checks."""

from slack_standin.blockkit import validate_blocks, validate_message, validate_view
from slack_standin.driver import DriverResponse, SlackDriver
from slack_standin.hooks import CallHook, CallInfo
from slack_standin.render import buttons, render_blocks, render_message, render_view
from slack_standin.server import CallRecord, SlackStandin

__all__ = [
    "CallHook",
    "CallInfo",
    "CallRecord",
    "DriverResponse",
    "SlackDriver",
    "SlackStandin",
    "buttons",
    "render_blocks",
    "render_message",
    "render_view",
    "validate_blocks",
    "validate_message",
    "validate_view",
]
