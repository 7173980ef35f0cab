"""One schedule per channel: when its daily question is posted and revealed."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.records import Schedule
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.timestamps import from_db_required, to_db

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def days_mask(days: Iterable[int]) -> int:
    mask = 0
    for day in days:
        if not 0 <= int(day) <= 6:
            raise ValueError(f"weekday numbers run 0 (Monday) to 6 (Sunday), got {day!r}")
        mask |= 1 << int(day)
    if not mask:
        raise ValueError("a schedule needs at least one weekday")
    return mask


def days_from_mask(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask & (1 << day))


def _check_time(label: str, value: str | None) -> None:
    if value is not None and not _HHMM.match(value):
        raise ValueError(f"{label} must be HH:MM (24-hour), got {value!r}")


class ScheduleRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def upsert(
        self,
        team_id: str,
        channel_id: str,
        *,
        post_time: str,
        tz: str,
        days: Iterable[int],
        created_by: str,
        now: datetime,
        reveal_time: str | None = None,
        reveal_after_hours: float | None = None,
        topics: Iterable[str] = (),
        difficulty: str | None = None,
        recap_day: int | None = None,
        paused: bool = False,
    ) -> Schedule:
        """Create or replace the channel's schedule (its id, and so its claims, are kept).

        Reveal rule: `reveal_time` (local HH:MM) or `reveal_after_hours`; neither
        means eight hours after posting.
        """
        _check_time("post time", post_time)
        _check_time("reveal time", reveal_time)
        ZoneInfo(tz)
        if reveal_time is not None and reveal_after_hours is not None:
            raise ValueError("give a reveal time or hours after posting, not both")
        if reveal_time is None and reveal_after_hours is None:
            reveal_after_hours = 8.0
        mask = days_mask(days)
        stamp = to_db(now)
        async with self.db.transaction():
            await self.db.execute(
                "INSERT INTO workspaces (team_id, created_at) VALUES (?, ?) "
                "ON CONFLICT (team_id) DO NOTHING",
                (team_id, stamp),
            )
            await self.db.execute(
                "INSERT INTO schedules (team_id, channel_id, post_time, tz, days_mask,"
                " reveal_time, reveal_after_hours, topics, difficulty, recap_day, paused,"
                " created_by, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (team_id, channel_id) DO UPDATE SET post_time = excluded.post_time,"
                " tz = excluded.tz, days_mask = excluded.days_mask,"
                " reveal_time = excluded.reveal_time,"
                " reveal_after_hours = excluded.reveal_after_hours, topics = excluded.topics,"
                " difficulty = excluded.difficulty, recap_day = excluded.recap_day,"
                " paused = excluded.paused, updated_at = excluded.updated_at",
                (
                    team_id,
                    channel_id,
                    post_time,
                    tz,
                    mask,
                    reveal_time,
                    reveal_after_hours,
                    json.dumps(sorted(set(topics))),
                    difficulty,
                    recap_day,
                    int(paused),
                    created_by,
                    stamp,
                    stamp,
                ),
            )
            schedule = await self.get(team_id, channel_id)
        assert schedule is not None
        return schedule

    async def get(self, team_id: str, channel_id: str) -> Schedule | None:
        row = await self.db.fetchone(
            "SELECT * FROM schedules WHERE team_id = ? AND channel_id = ?", (team_id, channel_id)
        )
        return None if row is None else _schedule(row)

    async def by_id(self, schedule_id: int) -> Schedule | None:
        row = await self.db.fetchone("SELECT * FROM schedules WHERE id = ?", (schedule_id,))
        return None if row is None else _schedule(row)

    async def active(self) -> list[Schedule]:
        rows = await self.db.fetchall("SELECT * FROM schedules WHERE paused = 0 ORDER BY id")
        return [_schedule(row) for row in rows]

    async def for_team(self, team_id: str) -> list[Schedule]:
        rows = await self.db.fetchall(
            "SELECT * FROM schedules WHERE team_id = ? ORDER BY channel_id", (team_id,)
        )
        return [_schedule(row) for row in rows]

    async def set_paused(self, team_id: str, channel_id: str, paused: bool, now: datetime) -> bool:
        changed = await self.db.execute(
            "UPDATE schedules SET paused = ?, updated_at = ? WHERE team_id = ? AND channel_id = ?",
            (int(paused), to_db(now), team_id, channel_id),
        )
        return changed == 1

    async def delete(self, team_id: str, channel_id: str) -> bool:
        changed = await self.db.execute(
            "DELETE FROM schedules WHERE team_id = ? AND channel_id = ?", (team_id, channel_id)
        )
        return changed == 1


def _schedule(row: sqlite3.Row) -> Schedule:
    return Schedule(
        id=row["id"],
        team_id=row["team_id"],
        channel_id=row["channel_id"],
        post_time=row["post_time"],
        tz=row["tz"],
        days=days_from_mask(row["days_mask"]),
        reveal_time=row["reveal_time"],
        reveal_after_hours=row["reveal_after_hours"],
        topics=tuple(json.loads(row["topics"])),
        difficulty=row["difficulty"],
        recap_day=row["recap_day"],
        paused=bool(row["paused"]),
        created_by=row["created_by"],
        created_at=from_db_required(row["created_at"]),
        updated_at=from_db_required(row["updated_at"]),
    )
