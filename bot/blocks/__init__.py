"""Block Kit rendering. Everything here is built with `slack_sdk.models`, whose
`to_dict()` enforces Slack's limits, and returns plain dicts ready for the Web API."""

from bot.blocks.common import Message

__all__ = ["Message"]
