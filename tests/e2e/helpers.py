"""Reading what the app did, from the stand-in's point of view."""

from __future__ import annotations

import json

from slack_standin.render import render_blocks, text_of


def blocks_text(blocks) -> str:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return render_blocks(blocks or [])


def message_text(message: dict) -> str:
    if message.get("blocks"):
        return blocks_text(message["blocks"])
    return text_of({"type": "mrkdwn", "text": message.get("text", "")})


def ephemeral_texts(sandbox, user_id: str) -> list[str]:
    return [message_text(m) for m in sandbox.standin.ephemerals(user=user_id)]


def last_ephemeral(sandbox, user_id: str) -> str:
    texts = ephemeral_texts(sandbox, user_id)
    assert texts, f"no ephemeral reply for {user_id}"
    return texts[-1]


def bot_messages(sandbox, channel: str) -> list[dict]:
    bot = sandbox.standin.bot_user_id
    return [m for m in sandbox.standin.messages(channel) if m.get("user") == bot or m.get("bot_id")]


def thread_replies(sandbox, channel: str, ts: str) -> list[dict]:
    return [m for m in sandbox.standin.thread(channel, ts) if m.get("ts") != ts]
