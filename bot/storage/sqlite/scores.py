"""Reads of the leaderboard rollups (`score_totals`, `score_daily`) kept by triggers."""

from __future__ import annotations

from datetime import date

from bot.core.ranking import Standing
from bot.storage.sqlite.database import Database

WORKSPACE = ""  # channel_id of the workspace-wide rollup rows
# The first day of a local day's calendar quarter, as the rollup triggers key it.
QUARTER_OF_DAY = (
    "'quarter:' || substr(day, 1, 5)"
    " || printf('%02d', (CAST(substr(day, 6, 2) AS INTEGER) - 1) / 3 * 3 + 1) || '-01'"
)


class ScoreRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def top_totals(
        self, team_id: str, scope: str, period_key: str, limit: int, offset: int = 0
    ) -> list[Standing]:
        rows = await self.db.fetchall(
            "SELECT user_id, points, answered, score_sum FROM score_totals"
            " WHERE team_id = ? AND channel_id = ? AND period = ? AND answered > 0"
            " ORDER BY points DESC, user_id LIMIT ? OFFSET ?",
            (team_id, scope, period_key, limit, offset),
        )
        return [Standing(*row) for row in rows]

    async def user_total(
        self, team_id: str, scope: str, period_key: str, user_id: str
    ) -> Standing | None:
        row = await self.db.fetchone(
            "SELECT user_id, points, answered, score_sum FROM score_totals"
            " WHERE team_id = ? AND channel_id = ? AND period = ? AND user_id = ?"
            " AND answered > 0",
            (team_id, scope, period_key, user_id),
        )
        return None if row is None else Standing(*row)

    async def count_above(self, team_id: str, scope: str, period_key: str, points: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM score_totals"
            " WHERE team_id = ? AND channel_id = ? AND period = ? AND points > ?"
            " AND answered > 0",
            (team_id, scope, period_key, points),
        )
        return int(row[0]) if row else 0

    async def sum_days(self, team_id: str, scope: str, start: date, end: date) -> list[Standing]:
        """Per-user sums over local days [start, end), for periods without a rollup."""
        rows = await self.db.fetchall(
            "SELECT user_id, SUM(points), SUM(answered), SUM(score_sum) FROM score_daily"
            " WHERE team_id = ? AND day >= ? AND day < ? AND (? = '' OR channel_id = ?)"
            " GROUP BY user_id HAVING SUM(answered) > 0",
            (team_id, start.isoformat(), end.isoformat(), scope, scope),
        )
        return [Standing(*row) for row in rows]

    async def rebuild(self, team_id: str | None = None) -> None:
        """Recompute every rollup from the answers (after a bulk load or a zone change)."""
        live = "status = 'live' AND ranked = 1 AND score IS NOT NULL"
        where = f"WHERE {live}" + ("" if team_id is None else " AND team_id = ?")
        params: tuple[str, ...] = () if team_id is None else (team_id,)
        scoped = "" if team_id is None else " WHERE team_id = ?"
        async with self.db.transaction():
            await self.db.execute(f"DELETE FROM score_daily{scoped}", params)
            await self.db.execute(f"DELETE FROM score_totals{scoped}", params)
            await self.db.execute(
                "INSERT INTO score_daily SELECT team_id, day, channel_id, user_id, SUM(points),"
                f" COUNT(*), SUM(score) FROM answers {where}"
                " GROUP BY team_id, day, channel_id, user_id",
                params,
            )
            periods = (
                "'all'",
                "'week:' || date(day, '-6 days', 'weekday 1')",
                "'month:' || substr(day, 1, 8) || '01'",
                QUARTER_OF_DAY,
            )
            for period in periods:
                for scope in ("channel_id", "''"):
                    await self.db.execute(
                        f"INSERT INTO score_totals SELECT team_id, {scope}, {period}, user_id,"
                        " SUM(points), SUM(answered), SUM(score_sum) FROM score_daily"
                        f"{scoped} GROUP BY 1, 2, 3, 4",
                        params,
                    )
