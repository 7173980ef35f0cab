"""Block Kit rendering. Everything here is built with `slack_sdk.models`, whose
`to_dict()` enforces Slack's limits, and returns plain dicts ready for the Web API."""

from bot.ports.slack import Message
from bot.slack.blocks.common import plain

__all__ = ["Message", "plain"]
