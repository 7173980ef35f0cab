"""The outbox: every message the app sends to Slack, recorded before it is sent.

A message is added in the same transaction as the change it reports, so the two
commit together. Its delivery (`bot.jobs.delivery`) marks it `sending` under a live
process, then `sent` with Slack's ts; a row left `sending` by a dead process has an
unknown outcome and is reconciled against the conversation's history before any
second attempt."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.leases import LeasePolicy
from bot.core.records import OutboxRow, OutboxStatus, Outgoing
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.leases import LIVE_OWNERS
from bot.storage.sqlite.timestamps import from_db, from_db_required, to_db
from bot.storage.sqlite.util import json_list

PROBLEM_STATUSES = ("failed", "undeliverable", "expired")


# Messages per INSERT: 15 parameters each, well under SQLite's limit of variables.
ADD_CHUNK = 200


def _columns(message: Outgoing, stamp: str) -> list[Any]:
    body = json.dumps(
        {"text": message.text, "blocks": list(message.blocks), "reaction": message.reaction},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return [
        message.team_id,
        message.key,
        message.action,
        message.channel_id,
        message.user_id,
        message.thread_ts,
        message.target_ts,
        message.target_key,
        message.url,
        body,
        message.subject,
        stamp,
        None if message.expires_at is None else to_db(message.expires_at),
        stamp,
        stamp,
    ]


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, message: Outgoing, now: datetime) -> int:
        """Record a message to send; the same key again is the same message (its id)."""
        return (await self.add_many([message], now))[0]

    async def add_many(self, messages: Sequence[Outgoing], now: datetime) -> list[int]:
        """Record messages in a few multi-row statements (a reveal's thousand DMs);
        their ids in order. A key already recorded is that message."""
        ids: list[int] = []
        stamp = to_db(now)
        for start in range(0, len(messages), ADD_CHUNK):
            chunk = messages[start : start + ADD_CHUNK]
            values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
            params: list[Any] = []
            for message in chunk:
                params += _columns(message, stamp)
            rows = await self.db.fetchall(
                "INSERT INTO outbox (team_id, key, action, channel_id, user_id, thread_ts,"
                " target_ts, target_key, url, body, subject, not_before, expires_at,"
                f" created_at, updated_at) VALUES {values}"
                " ON CONFLICT (key) DO NOTHING RETURNING id, key",
                params,
            )
            new = {row[1]: int(row[0]) for row in rows}
            for message_id in new.values():
                self.db.after_commit("outbox", message_id)
            missing = [m.key for m in chunk if m.key not in new]
            if missing:
                found = await self.db.fetchall(
                    "SELECT key, id FROM outbox WHERE key IN (SELECT value FROM json_each(?))",
                    (json_list(missing),),
                )
                new |= {row[0]: int(row[1]) for row in found}
            ids += [new[m.key] for m in chunk]
        return ids

    async def due(self, now: datetime, policy: LeasePolicy, limit: int = 200) -> list[OutboxRow]:
        """Messages to send now: pending and due, or left `sending` by a dead process."""
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE (status = 'pending' AND not_before <= ?)"
            f" OR (status = 'sending' AND (owner IS NULL OR owner NOT IN ({LIVE_OWNERS})))"
            " ORDER BY id LIMIT ?",
            (to_db(now), to_db(now - policy.stale_after), limit),
        )
        return [_row(row) for row in rows]

    async def get_many(self, ids: Sequence[int]) -> list[OutboxRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json_list(ids),),
        )
        return [_row(row) for row in rows]

    async def begin(
        self, ids: Sequence[int], *, owner: str, now: datetime, policy: LeasePolicy
    ) -> list[OutboxRow]:
        """Take these messages for sending (each at most once at a time); returns the
        ones taken, with `attempts` counting this one."""
        rows = await self.db.fetchall(
            "UPDATE outbox SET status = 'sending', owner = ?, attempts = attempts + 1,"
            " updated_at = ? WHERE id IN (SELECT value FROM json_each(?))"
            " AND (status = 'pending'"
            f" OR (status = 'sending' AND (owner IS NULL OR owner NOT IN ({LIVE_OWNERS}))))"
            " RETURNING *",
            (owner, to_db(now), json_list(ids), to_db(now - policy.stale_after)),
        )
        return sorted((_row(row) for row in rows), key=lambda r: r.id)

    async def set_channel(self, message_id: int, channel_id: str) -> None:
        """The DM's conversation, known once opened (history is searched there)."""
        await self.db.execute(
            "UPDATE outbox SET channel_id = ? WHERE id = ?", (channel_id, message_id)
        )

    async def sent(
        self, message_id: int, *, channel_id: str | None, ts: str | None, now: datetime
    ) -> bool:
        changed = await self.db.execute(
            "UPDATE outbox SET status = 'sent', channel_id = COALESCE(?, channel_id), ts = ?,"
            " error = NULL, updated_at = ? WHERE id = ? AND status = 'sending'",
            (channel_id, ts, to_db(now), message_id),
        )
        return changed == 1

    async def retry_later(
        self, message_id: int, *, error: str, not_before: datetime, now: datetime
    ) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'pending', owner = NULL, error = ?, not_before = ?,"
            " updated_at = ? WHERE id = ? AND status = 'sending'",
            (error[:500], to_db(not_before), to_db(now), message_id),
        )

    async def give_up(
        self, message_id: int, *, status: OutboxStatus, error: str, now: datetime
    ) -> bool:
        """A final outcome other than sent: failed, undeliverable or expired."""
        if status not in PROBLEM_STATUSES:
            raise ValueError(f"give_up takes one of {PROBLEM_STATUSES}, not {status!r}")
        changed = await self.db.execute(
            "UPDATE outbox SET status = ?, owner = NULL, error = ?, updated_at = ?"
            " WHERE id = ? AND status IN ('pending', 'sending')",
            (status, error[:500], to_db(now), message_id),
        )
        return changed == 1

    async def by_key(self, key: str) -> OutboxRow | None:
        row = await self.db.fetchone("SELECT * FROM outbox WHERE key = ?", (key,))
        return None if row is None else _row(row)

    async def unsettled_in(self, team_id: str, channel_id: str) -> bool:
        """Whether a post to this conversation may have reached Slack unrecorded."""
        row = await self.db.fetchone(
            "SELECT 1 FROM outbox WHERE team_id = ? AND channel_id = ? AND action = 'post'"
            " AND status IN ('pending', 'sending') AND attempts > 0 LIMIT 1",
            (team_id, channel_id),
        )
        return row is not None

    async def problems(self, team_id: str, *, since: datetime | None = None) -> list[OutboxRow]:
        """Messages that finally failed or are being retried after an error, newest
        first (what `/mlquiz config` lists)."""
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE team_id = ? AND (status IN ('failed', 'undeliverable',"
            " 'expired') OR (status IN ('pending', 'sending') AND error IS NOT NULL))"
            " AND (? IS NULL OR updated_at >= ?) ORDER BY updated_at DESC, id DESC LIMIT 50",
            (
                team_id,
                None if since is None else to_db(since),
                None if since is None else to_db(since),
            ),
        )
        return [_row(row) for row in rows]

    async def forget_sent_before(self, cutoff: datetime) -> int:
        """Drop messages sent before `cutoff`: their keys are never asked for again."""
        # A panel's messages are kept until the panel is purged: the purge deletes
        # them from Slack, so it must still know where they are.
        return await self.db.execute(
            "DELETE FROM outbox WHERE status = 'sent' AND updated_at < ?"
            " AND (subject IS NULL OR subject NOT LIKE 'panel:%')",
            (to_db(cutoff),),
        )

    async def with_subject(self, subject: str) -> list[OutboxRow]:
        """Every message recorded about `subject` (e.g. `panel:7`), oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE subject = ? ORDER BY id", (subject,)
        )
        return [_row(row) for row in rows]

    async def drop_pending(self, subject: str, now: datetime) -> int:
        """Messages about `subject` not sent yet never will be (it was purged)."""
        return await self.db.execute(
            "UPDATE outbox SET status = 'expired', updated_at = ?"
            " WHERE subject = ? AND status = 'pending'",
            (to_db(now), subject),
        )

    async def forget_subject(self, subject: str) -> int:
        """Drop the records of a subject's messages that are settled (sent or given up)."""
        return await self.db.execute(
            "DELETE FROM outbox WHERE subject = ? AND status NOT IN ('pending', 'sending')",
            (subject,),
        )

    async def counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        return {row[0]: int(row[1]) for row in rows}


def _row(row: sqlite3.Row) -> OutboxRow:
    body = json.loads(row["body"] or "{}")
    outgoing = Outgoing(
        team_id=row["team_id"],
        key=row["key"],
        action=row["action"],
        text=body.get("text") or "",
        blocks=tuple(body.get("blocks") or ()),
        channel_id=row["channel_id"],
        user_id=row["user_id"],
        thread_ts=row["thread_ts"],
        target_ts=row["target_ts"],
        target_key=row["target_key"],
        url=row["url"],
        reaction=body.get("reaction"),
        subject=row["subject"],
        expires_at=from_db(row["expires_at"]),
    )
    return OutboxRow(
        id=row["id"],
        outgoing=outgoing,
        status=row["status"],
        attempts=row["attempts"],
        owner=row["owner"],
        not_before=from_db_required(row["not_before"]),
        channel_id=row["channel_id"],
        ts=row["ts"],
        error=row["error"],
        created_at=from_db_required(row["created_at"]),
    )
