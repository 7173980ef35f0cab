"""Workspaces and their users (Slack ids, cached profile, time zone, admin flag)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.records import User, Workspace
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.timestamps import from_db_required, to_db


def _check_tz(tz: str | None) -> None:
    if tz is not None:
        ZoneInfo(tz)  # raises ZoneInfoNotFoundError for a name that is no IANA zone


class WorkspaceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def upsert(
        self,
        team_id: str,
        *,
        name: str | None = None,
        tz: str | None = None,
        now: datetime,
    ) -> Workspace:
        """Create or update; a None argument keeps the stored value.

        The zone sets where weeks and months start on leaderboards; rows already
        counted keep their day (see `ScoreRepository.rebuild`).
        """
        _check_tz(tz)
        await self.db.execute(
            "INSERT INTO workspaces (team_id, name, tz, created_at) "
            "VALUES (?, ?, COALESCE(?, 'UTC'), ?) "
            "ON CONFLICT (team_id) DO UPDATE SET name = COALESCE(excluded.name, name), "
            "tz = COALESCE(?, tz)",
            (team_id, name, tz, to_db(now), tz),
        )
        workspace = await self.get(team_id)
        assert workspace is not None
        return workspace

    async def get(self, team_id: str) -> Workspace | None:
        row = await self.db.fetchone("SELECT * FROM workspaces WHERE team_id = ?", (team_id,))
        return None if row is None else _workspace(row)

    async def tz(self, team_id: str) -> str:
        row = await self.db.fetchone("SELECT tz FROM workspaces WHERE team_id = ?", (team_id,))
        return row[0] if row else "UTC"


class UserRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def upsert(
        self,
        team_id: str,
        user_id: str,
        *,
        display_name: str | None = None,
        tz: str | None = None,
        is_admin: bool | None = None,
        now: datetime,
    ) -> User:
        """Create or refresh a user; a None argument keeps the stored value."""
        _check_tz(tz)
        stamp = to_db(now)
        admin = None if is_admin is None else int(is_admin)
        async with self.db.transaction():
            await self.db.execute(
                "INSERT INTO workspaces (team_id, created_at) VALUES (?, ?) "
                "ON CONFLICT (team_id) DO NOTHING",
                (team_id, stamp),
            )
            await self.db.execute(
                "INSERT INTO users (team_id, user_id, display_name, tz, is_admin, updated_at) "
                "VALUES (?, ?, ?, ?, COALESCE(?, 0), ?) "
                "ON CONFLICT (team_id, user_id) DO UPDATE SET "
                "display_name = COALESCE(excluded.display_name, display_name), "
                "tz = COALESCE(excluded.tz, tz), is_admin = COALESCE(?, is_admin), "
                "updated_at = excluded.updated_at",
                (team_id, user_id, display_name, tz, admin, stamp, admin),
            )
            user = await self.get(team_id, user_id)
        assert user is not None
        return user

    async def get(self, team_id: str, user_id: str) -> User | None:
        row = await self.db.fetchone(
            "SELECT * FROM users WHERE team_id = ? AND user_id = ?", (team_id, user_id)
        )
        return None if row is None else _user(row)

    async def admins(self, team_id: str) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT user_id FROM users WHERE team_id = ? AND is_admin = 1 ORDER BY user_id",
            (team_id,),
        )
        return [row[0] for row in rows]


def _workspace(row: sqlite3.Row) -> Workspace:
    return Workspace(row["team_id"], row["name"], row["tz"], from_db_required(row["created_at"]))


def _user(row: sqlite3.Row) -> User:
    return User(
        team_id=row["team_id"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        tz=row["tz"],
        is_admin=bool(row["is_admin"]),
        updated_at=from_db_required(row["updated_at"]),
    )
