"""A local Slack stand-in: Web API server, signed request driver, Block Kit checks."""

from slack_standin.blockkit import validate_blocks, validate_message, validate_view
from slack_standin.server import SlackStandin

__all__ = ["SlackStandin", "validate_blocks", "validate_message", "validate_view"]
