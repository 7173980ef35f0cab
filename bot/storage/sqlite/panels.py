"""Interview panels: the panel, its candidate (by code), interviews, planned questions,
scorecards, reminders, the decision, the access log, exposure and the purge."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.core.panel_records import (
    Decision,
    Interview,
    Panel,
    PanelQuestion,
    PanelSettings,
    QuestionRating,
    RatingRow,
    Reminder,
    Scorecard,
    ScorecardIn,
)
from bot.storage.sqlite.database import Database
from bot.storage.sqlite.timestamps import from_db, from_db_required, to_db
from bot.storage.sqlite.util import json_list


class PanelRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- panels --------------------------------------------------------------------------

    async def create(
        self,
        team_id: str,
        *,
        code: str,
        role: str,
        level: str,
        coordinator_id: str,
        hiring_manager_id: str,
        focus_topics: Sequence[str],
        debrief_at: datetime,
        created_by: str,
        candidate_name: str | None,
        now: datetime,
    ) -> Panel:
        row = await self.db.fetchone(
            "INSERT INTO panels (team_id, code, role, level, coordinator_id, hiring_manager_id,"
            " focus_topics, debrief_at, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (
                team_id,
                code,
                role,
                level,
                coordinator_id,
                hiring_manager_id,
                json.dumps(list(focus_topics)),
                to_db(debrief_at),
                created_by,
                to_db(now),
            ),
        )
        await self.db.execute(
            "INSERT INTO panel_candidates (team_id, code, name, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (team_id, code) DO NOTHING",
            (team_id, code, candidate_name or None, to_db(now)),
        )
        assert row is not None
        return _panel(row)

    async def get(self, panel_id: int) -> Panel | None:
        row = await self.db.fetchone("SELECT * FROM panels WHERE id = ?", (panel_id,))
        return None if row is None else _panel(row)

    async def codes(self, team_id: str) -> list[str]:
        rows = await self.db.fetchall("SELECT code FROM panels WHERE team_id = ?", (team_id,))
        return [row[0] for row in rows]

    async def candidate_name(self, team_id: str, code: str) -> str | None:
        row = await self.db.fetchone(
            "SELECT name FROM panel_candidates WHERE team_id = ? AND code = ?", (team_id, code)
        )
        return None if row is None else row[0]

    async def set_status(self, panel_id: int, status: str, now: datetime) -> None:
        column = {"live": "confirmed_at", "closed": "closed_at", "purged": "purged_at"}.get(status)
        if column:
            await self.db.execute(
                f"UPDATE panels SET status = ?, {column} = COALESCE({column}, ?) WHERE id = ?",
                (status, to_db(now), panel_id),
            )
        else:
            await self.db.execute("UPDATE panels SET status = ? WHERE id = ?", (status, panel_id))

    async def transition(
        self, panel_id: int, from_statuses: Sequence[str], to: str, now: datetime
    ) -> bool:
        """Move the panel to `to` only from one of `from_statuses`: the check and the
        change are one statement, so two presses of Confirm confirm once."""
        column = {"live": "confirmed_at", "closed": "closed_at", "purged": "purged_at"}.get(to)
        stamp = f", {column} = COALESCE({column}, ?2)" if column else ""
        changed = await self.db.execute(
            f"UPDATE panels SET status = ?1{stamp} WHERE id = ?3"
            " AND status IN (SELECT value FROM json_each(?4))",
            (to, to_db(now), panel_id, json_list(from_statuses)),
        )
        return changed == 1

    async def by_code(self, team_id: str, code: str) -> Panel | None:
        row = await self.db.fetchone(
            "SELECT * FROM panels WHERE team_id = ? AND code = ?", (team_id, code)
        )
        return None if row is None else _panel(row)

    async def due_packets(self, now: datetime) -> list[Panel]:
        """Live panels whose debrief time came before their packet opened."""
        rows = await self.db.fetchall(
            "SELECT * FROM panels WHERE status = 'live' AND packet_opened_at IS NULL"
            " AND debrief_at <= ? ORDER BY debrief_at, id",
            (to_db(now),),
        )
        return [_panel(row) for row in rows]

    async def kits_to_redact(self, now: datetime) -> list[Interview]:
        """Interviews whose kit still shows the rubric this long after they ended."""
        rows = await self.db.fetchall(
            "SELECT i.* FROM panel_interviews AS i JOIN panels AS p ON p.id = i.panel_id"
            " LEFT JOIN panel_settings AS s ON s.team_id = i.team_id"
            " WHERE i.kit_redacted = 0 AND p.status IN ('live', 'decided', 'closed')"
            " AND datetime(i.starts_at, '+' || (i.minutes + 60 * COALESCE(s.kit_redact_hours,"
            " 24)) || ' minutes') <= datetime(?) ORDER BY i.starts_at, i.id",
            (to_db(now),),
        )
        return [_interview(row) for row in rows]

    async def set_debrief_channel(self, panel_id: int, channel_id: str) -> None:
        await self.db.execute(
            "UPDATE panels SET debrief_channel = ? WHERE id = ?", (channel_id, panel_id)
        )

    async def unfinished_purges(self) -> list[Panel]:
        rows = await self.db.fetchall(
            "SELECT * FROM panels WHERE status = 'purged' AND purge_finished_at IS NULL ORDER BY id"
        )
        return [_panel(row) for row in rows]

    async def finish_purge(self, panel_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE panels SET purge_finished_at = ?, debrief_channel = NULL WHERE id = ?",
            (to_db(now), panel_id),
        )

    async def clear_debrief_channel(self, panel_id: int) -> None:
        await self.db.execute("UPDATE panels SET debrief_channel = NULL WHERE id = ?", (panel_id,))

    async def mark_packet_open(self, panel_id: int, now: datetime) -> bool:
        changed = await self.db.execute(
            "UPDATE panels SET packet_opened_at = ? WHERE id = ? AND packet_opened_at IS NULL",
            (to_db(now), panel_id),
        )
        return changed == 1

    async def for_member(self, team_id: str, user_id: str) -> list[Panel]:
        """Panels the user sits on, manages or coordinates, newest first."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT p.* FROM panels AS p LEFT JOIN panel_interviews AS i"
            " ON i.panel_id = p.id AND i.status != 'replaced'"
            " WHERE p.team_id = ?1 AND p.status != 'purged' AND (i.interviewer_id = ?2"
            " OR p.coordinator_id = ?2 OR p.hiring_manager_id = ?2)"
            " ORDER BY p.created_at DESC, p.id DESC",
            (team_id, user_id),
        )
        return [_panel(row) for row in rows]

    async def in_status(self, statuses: Sequence[str]) -> list[Panel]:
        rows = await self.db.fetchall(
            "SELECT * FROM panels WHERE status IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json_list(statuses),),
        )
        return [_panel(row) for row in rows]

    async def held_questions(self, team_id: str, since: datetime) -> set[str]:
        """Questions planned into panels that are live, or whose last interview ended
        after `since` (the leak guard keeps them out of every public pool). A purge
        erases the candidate's data, not the questions' guard period."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT q.question_id FROM panel_questions AS q"
            " JOIN panels AS p ON p.id = q.panel_id"
            " JOIN panel_interviews AS i ON i.id = q.interview_id"
            " WHERE p.team_id = ?"
            " AND p.status IN ('draft', 'live', 'decided', 'closed', 'purged')"
            " AND (p.status IN ('draft', 'live')"
            "  OR datetime(i.starts_at, '+' || i.minutes || ' minutes') >= datetime(?))",
            (team_id, to_db(since)),
        )
        return {row[0] for row in rows}

    # -- settings -----------------------------------------------------------------------

    async def settings(self, team_id: str) -> PanelSettings:
        row = await self.db.fetchone("SELECT * FROM panel_settings WHERE team_id = ?", (team_id,))
        if row is None:
            return PanelSettings(team_id)
        return PanelSettings(
            team_id, row["leak_guard_days"], row["retention_days"], row["kit_redact_hours"]
        )

    async def save_settings(self, settings: PanelSettings) -> None:
        await self.db.execute(
            "INSERT INTO panel_settings (team_id, leak_guard_days, retention_days,"
            " kit_redact_hours) VALUES (?, ?, ?, ?) ON CONFLICT (team_id) DO UPDATE SET"
            " leak_guard_days = excluded.leak_guard_days,"
            " retention_days = excluded.retention_days,"
            " kit_redact_hours = excluded.kit_redact_hours",
            (
                settings.team_id,
                settings.leak_guard_days,
                settings.retention_days,
                settings.kit_redact_hours,
            ),
        )

    # -- interviews and their questions ---------------------------------------------------

    async def add_interview(
        self,
        panel: Panel,
        interviewer_id: str,
        *,
        starts_at: datetime,
        minutes: int,
        tz: str,
    ) -> Interview:
        row = await self.db.fetchone(
            "INSERT INTO panel_interviews (panel_id, team_id, interviewer_id, starts_at,"
            " minutes, tz) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
            (panel.id, panel.team_id, interviewer_id, to_db(starts_at), minutes, tz),
        )
        assert row is not None
        return _interview(row)

    async def interviews(self, panel_id: int, *, include_replaced: bool = False) -> list[Interview]:
        rows = await self.db.fetchall(
            "SELECT * FROM panel_interviews WHERE panel_id = ? AND (? OR status != 'replaced')"
            " ORDER BY starts_at, id",
            (panel_id, int(include_replaced)),
        )
        return [_interview(row) for row in rows]

    async def interview_of(self, panel_id: int, interviewer_id: str) -> Interview | None:
        row = await self.db.fetchone(
            "SELECT * FROM panel_interviews WHERE panel_id = ? AND interviewer_id = ?"
            " AND status != 'replaced'",
            (panel_id, interviewer_id),
        )
        return None if row is None else _interview(row)

    async def get_interview(self, interview_id: int) -> Interview | None:
        row = await self.db.fetchone("SELECT * FROM panel_interviews WHERE id = ?", (interview_id,))
        return None if row is None else _interview(row)

    async def set_interview_status(self, interview_id: int, status: str) -> None:
        await self.db.execute(
            "UPDATE panel_interviews SET status = ? WHERE id = ?", (status, interview_id)
        )

    async def move_interview(self, interview_id: int, starts_at: datetime) -> None:
        """A new time is a new kit (its rubric shown again, to be removed after it)."""
        await self.db.execute(
            "UPDATE panel_interviews SET starts_at = ?, kit_version = kit_version + 1,"
            " kit_redacted = 0 WHERE id = ?",
            (to_db(starts_at), interview_id),
        )

    async def set_kit_redacted(self, interview_id: int) -> None:
        await self.db.execute(
            "UPDATE panel_interviews SET kit_redacted = 1 WHERE id = ?", (interview_id,)
        )

    async def interviews_for(self, team_id: str, interviewer_id: str) -> list[Interview]:
        rows = await self.db.fetchall(
            "SELECT i.* FROM panel_interviews AS i JOIN panels AS p ON p.id = i.panel_id"
            " WHERE i.team_id = ? AND i.interviewer_id = ? AND i.status = 'scheduled'"
            " AND p.status IN ('live', 'decided') ORDER BY i.starts_at",
            (team_id, interviewer_id),
        )
        return [_interview(row) for row in rows]

    async def set_questions(
        self, panel_id: int, interview_id: int, questions: Sequence[PanelQuestion]
    ) -> None:
        await self.db.execute("DELETE FROM panel_questions WHERE interview_id = ?", (interview_id,))
        await self.db.executemany(
            "INSERT INTO panel_questions (interview_id, position, panel_id, question_id,"
            " minutes, topics) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (interview_id, n, panel_id, q.question_id, q.minutes, json.dumps(list(q.topics)))
                for n, q in enumerate(questions)
            ],
        )

    async def questions(self, panel_id: int) -> list[PanelQuestion]:
        rows = await self.db.fetchall(
            "SELECT q.* FROM panel_questions AS q JOIN panel_interviews AS i"
            " ON i.id = q.interview_id WHERE q.panel_id = ? AND i.status != 'replaced'"
            " ORDER BY i.starts_at, q.interview_id, q.position",
            (panel_id,),
        )
        return [
            PanelQuestion(
                row["interview_id"],
                row["position"],
                row["question_id"],
                row["minutes"],
                tuple(json.loads(row["topics"])),
            )
            for row in rows
        ]

    # -- candidate history and exposure ----------------------------------------------------

    async def asked_before(self, team_id: str, code: str) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT question_id FROM candidate_questions WHERE team_id = ? AND code = ?",
            (team_id, code),
        )
        return {row[0] for row in rows}

    async def knew(self, team_id: str, code: str) -> set[str]:
        """Questions an interviewer said the candidate already knew."""
        rows = await self.db.fetchall(
            "SELECT question_id FROM candidate_questions"
            " WHERE team_id = ? AND code = ? AND reason = 'knew'",
            (team_id, code),
        )
        return {row[0] for row in rows}

    async def note_asked(
        self,
        team_id: str,
        code: str,
        question_ids: Sequence[str],
        *,
        panel_id: int,
        reason: str,
        now: datetime,
    ) -> None:
        await self.db.executemany(
            "INSERT INTO candidate_questions (team_id, code, question_id, panel_id, reason, at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, code, question_id)"
            " DO UPDATE SET reason = CASE WHEN excluded.reason = 'knew' THEN 'knew'"
            " ELSE reason END",
            [(team_id, code, qid, panel_id, reason, to_db(now)) for qid in question_ids],
        )

    async def exposure(self, team_id: str) -> dict[str, int]:
        rows = await self.db.fetchall(
            "SELECT question_id, times FROM question_exposure WHERE team_id = ?", (team_id,)
        )
        return {row[0]: int(row[1]) for row in rows}

    async def expose(self, team_id: str, question_ids: Sequence[str], now: datetime) -> None:
        await self.db.executemany(
            "INSERT INTO question_exposure (team_id, question_id, times, last_at)"
            " VALUES (?, ?, 1, ?) ON CONFLICT (team_id, question_id)"
            " DO UPDATE SET times = times + 1, last_at = excluded.last_at",
            [(team_id, qid, to_db(now)) for qid in question_ids],
        )

    # -- scorecards -------------------------------------------------------------------------

    async def save_scorecard(
        self,
        panel_id: int,
        team_id: str,
        interviewer_id: str,
        card: ScorecardIn,
        *,
        packet_open: bool,
        now: datetime,
    ) -> Scorecard:
        """Store a scorecard; an edit after the packet opened keeps the earlier version
        and is labelled as such."""
        existing = await self.scorecard(panel_id, interviewer_id)
        if existing is not None and packet_open:
            await self.db.execute(
                "INSERT INTO panel_scorecard_history (scorecard_id, revision, body, saved_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (existing.id, existing.revision, json.dumps(_card_body(existing)), to_db(now)),
            )
        row = await self.db.fetchone(
            "INSERT INTO panel_scorecards (panel_id, team_id, interviewer_id, recommendation,"
            " evidence, notes, topic_ratings, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (panel_id, interviewer_id) DO UPDATE SET"
            " recommendation = excluded.recommendation, evidence = excluded.evidence,"
            " notes = excluded.notes, topic_ratings = excluded.topic_ratings,"
            " submitted_at = excluded.submitted_at, revision = revision + 1,"
            " edited_after_packet = MAX(edited_after_packet, ?)"
            " RETURNING id",
            (
                panel_id,
                team_id,
                interviewer_id,
                card.recommendation,
                card.evidence,
                card.notes,
                json.dumps(dict(card.topic_ratings)),
                to_db(now),
                int(packet_open and existing is not None),
            ),
        )
        assert row is not None
        card_id = int(row[0])
        await self.db.execute(
            "DELETE FROM panel_question_ratings WHERE scorecard_id = ?", (card_id,)
        )
        await self.db.executemany(
            "INSERT INTO panel_question_ratings (scorecard_id, question_id, rating,"
            " shown_points, notes) VALUES (?, ?, ?, ?, ?)",
            [
                (card_id, r.question_id, r.rating, json.dumps(list(r.shown_points)), r.notes)
                for r in card.question_ratings
            ],
        )
        saved = await self.scorecard(panel_id, interviewer_id)
        assert saved is not None
        return saved

    async def scorecard(self, panel_id: int, interviewer_id: str) -> Scorecard | None:
        row = await self.db.fetchone(
            "SELECT * FROM panel_scorecards WHERE panel_id = ? AND interviewer_id = ?",
            (panel_id, interviewer_id),
        )
        if row is None:
            return None
        return await self._with_ratings(row)

    async def scorecards(self, panel_id: int) -> list[Scorecard]:
        rows = await self.db.fetchall(
            "SELECT * FROM panel_scorecards WHERE panel_id = ? ORDER BY submitted_at, id",
            (panel_id,),
        )
        return [await self._with_ratings(row) for row in rows]

    async def submitted(self, panel_id: int) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT interviewer_id FROM panel_scorecards WHERE panel_id = ?", (panel_id,)
        )
        return {row[0] for row in rows}

    async def scorecard_history(self, scorecard_id: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT revision, body, saved_at FROM panel_scorecard_history"
            " WHERE scorecard_id = ? ORDER BY revision",
            (scorecard_id,),
        )
        return [{"revision": r[0], **json.loads(r[1]), "saved_at": r[2]} for r in rows]

    async def _with_ratings(self, row: sqlite3.Row) -> Scorecard:
        ratings = await self.db.fetchall(
            "SELECT * FROM panel_question_ratings WHERE scorecard_id = ? ORDER BY question_id",
            (row["id"],),
        )
        return Scorecard(
            id=row["id"],
            panel_id=row["panel_id"],
            interviewer_id=row["interviewer_id"],
            recommendation=row["recommendation"],
            evidence=row["evidence"],
            notes=row["notes"],
            topic_ratings=json.loads(row["topic_ratings"]),
            question_ratings=tuple(
                QuestionRating(
                    r["question_id"], r["rating"], tuple(json.loads(r["shown_points"])), r["notes"]
                )
                for r in ratings
            ),
            submitted_at=from_db_required(row["submitted_at"]),
            revision=row["revision"],
            edited_after_packet=bool(row["edited_after_packet"]),
        )

    async def rating_history(self, team_id: str) -> list[RatingRow]:
        """Each submitted scorecard's panel, interviewer, mean question rating, time of
        submission, interview end and share of questions with evidence cited: what
        interviewer calibration needs."""
        rows = await self.db.fetchall(
            "SELECT s.panel_id, s.interviewer_id, AVG(r.rating) AS mean_rating,"
            " s.submitted_at, i.starts_at, i.minutes,"
            " AVG(CASE WHEN r.shown_points != '[]' THEN 1.0 ELSE 0.0 END) AS cited"
            " FROM panel_scorecards AS s JOIN panel_question_ratings AS r ON r.scorecard_id = s.id"
            " JOIN panel_interviews AS i ON i.panel_id = s.panel_id"
            " AND i.interviewer_id = s.interviewer_id AND i.status != 'replaced'"
            " WHERE s.team_id = ? GROUP BY s.id",
            (team_id,),
            heavy=True,
        )
        return [
            RatingRow(
                panel_id=row[0],
                interviewer_id=row[1],
                mean_rating=float(row[2]),
                submitted_at=from_db_required(row[3]),
                interview_end=from_db_required(row[4]) + timedelta(minutes=int(row[5])),
                cited_share=float(row[6]),
            )
            for row in rows
        ]

    # -- reminders ----------------------------------------------------------------------------

    async def add_reminders(
        self, interview: Interview, times: Sequence[tuple[str, datetime]], *, again: bool = False
    ) -> None:
        """The interview's reminders at these times. A reminder already sent stays sent
        (never twice), unless `again`: the interview moved, so its reminders are due
        anew."""
        keep_sent = "" if again else " WHERE status != 'sent'"
        await self.db.executemany(
            "INSERT INTO panel_reminders (panel_id, team_id, interview_id, kind, due_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (interview_id, kind) DO UPDATE SET"
            f" due_at = excluded.due_at, status = 'pending'{keep_sent}",
            [
                (interview.panel_id, interview.team_id, interview.id, kind, to_db(at))
                for kind, at in times
            ],
        )

    async def due_reminders(self, now: datetime, limit: int = 200) -> list[Reminder]:
        rows = await self.db.fetchall(
            "SELECT * FROM panel_reminders WHERE status = 'pending' AND due_at <= ?"
            " ORDER BY due_at, id LIMIT ?",
            (to_db(now), limit),
        )
        return [_reminder(row) for row in rows]

    async def set_reminder_status(self, reminder_id: int, status: str) -> bool:
        changed = await self.db.execute(
            "UPDATE panel_reminders SET status = ? WHERE id = ? AND status = 'pending'",
            (status, reminder_id),
        )
        return changed == 1

    async def cancel_reminders(self, interview_id: int) -> int:
        return await self.db.execute(
            "UPDATE panel_reminders SET status = 'cancelled'"
            " WHERE interview_id = ? AND status = 'pending'",
            (interview_id,),
        )

    async def cancel_panel_reminders(self, panel_id: int) -> int:
        return await self.db.execute(
            "UPDATE panel_reminders SET status = 'cancelled'"
            " WHERE panel_id = ? AND status = 'pending'",
            (panel_id,),
        )

    async def reminders(self, panel_id: int) -> list[Reminder]:
        rows = await self.db.fetchall(
            "SELECT * FROM panel_reminders WHERE panel_id = ? ORDER BY due_at, id", (panel_id,)
        )
        return [_reminder(row) for row in rows]

    # -- decision, access log, purge ---------------------------------------------------------

    async def decide(
        self,
        panel: Panel,
        by_user_id: str,
        decision: str,
        reason: str,
        *,
        against_majority: bool,
        now: datetime,
    ) -> Decision:
        row = await self.db.fetchone(
            "INSERT INTO panel_decisions (panel_id, team_id, by_user_id, decision, reason,"
            " against_majority, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (
                panel.id,
                panel.team_id,
                by_user_id,
                decision,
                reason,
                int(against_majority),
                to_db(now),
            ),
        )
        assert row is not None
        return _decision(row)

    async def decision(self, panel_id: int) -> Decision | None:
        row = await self.db.fetchone(
            "SELECT * FROM panel_decisions WHERE panel_id = ? ORDER BY id DESC LIMIT 1",
            (panel_id,),
        )
        return None if row is None else _decision(row)

    async def log_access(self, panel: Panel, user_id: str, what: str, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO panel_access_log (panel_id, team_id, user_id, what, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (panel.id, panel.team_id, user_id, what, to_db(now)),
        )

    async def access_log(self, panel_id: int) -> list[tuple[str, str, datetime]]:
        rows = await self.db.fetchall(
            "SELECT user_id, what, at FROM panel_access_log WHERE panel_id = ? ORDER BY id",
            (panel_id,),
        )
        return [(row[0], row[1], from_db_required(row[2])) for row in rows]

    async def purge(
        self, panel: Panel, by_user_id: str, now: datetime, summary: Mapping[str, Any]
    ) -> None:
        """Erase names and free text; keep numeric ratings, without the candidate code."""
        anonymous = f"purged-{panel.id}"
        await self.db.execute(
            "DELETE FROM panel_candidates WHERE team_id = ? AND code = ?",
            (panel.team_id, panel.code),
        )
        await self.db.execute(
            "DELETE FROM candidate_questions WHERE team_id = ? AND code = ?",
            (panel.team_id, panel.code),
        )
        await self.db.execute(
            "UPDATE panel_scorecards SET evidence = '', notes = '' WHERE panel_id = ?",
            (panel.id,),
        )
        await self.db.execute(
            "UPDATE panel_question_ratings SET notes = '', shown_points = '[]'"
            " WHERE scorecard_id IN (SELECT id FROM panel_scorecards WHERE panel_id = ?)",
            (panel.id,),
        )
        await self.db.execute(
            "DELETE FROM panel_scorecard_history WHERE scorecard_id IN"
            " (SELECT id FROM panel_scorecards WHERE panel_id = ?)",
            (panel.id,),
        )
        await self.db.execute(
            "UPDATE panel_decisions SET reason = '' WHERE panel_id = ?", (panel.id,)
        )
        await self.db.execute(
            "UPDATE panels SET code = ?, role = '', status = 'purged', purged_at = ? WHERE id = ?",
            (anonymous, to_db(now), panel.id),
        )
        await self.db.execute(
            "INSERT INTO panel_purge_receipts (team_id, panel_id, by_user_id, at, summary)"
            " VALUES (?, ?, ?, ?, ?)",
            (panel.team_id, panel.id, by_user_id, to_db(now), json.dumps(dict(summary))),
        )

    async def purge_receipts(self, team_id: str) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT panel_id, by_user_id, at, summary FROM panel_purge_receipts"
            " WHERE team_id = ? ORDER BY id",
            (team_id,),
        )
        return [{"panel_id": r[0], "by": r[1], "at": r[2], **json.loads(r[3])} for r in rows]

    async def due_for_retention(self, now: datetime) -> list[Panel]:
        """Decided or closed panels whose retention period has passed."""
        rows = await self.db.fetchall(
            "SELECT p.* FROM panels AS p LEFT JOIN panel_settings AS s ON s.team_id = p.team_id"
            " LEFT JOIN (SELECT panel_id, MAX(decided_at) AS decided_at FROM panel_decisions"
            "  GROUP BY panel_id) AS d ON d.panel_id = p.id"
            " WHERE p.status IN ('decided', 'closed')"
            " AND datetime(COALESCE(d.decided_at, p.closed_at, p.debrief_at),"
            "  '+' || COALESCE(s.retention_days, 180) || ' days') <= datetime(?)"
            " ORDER BY p.id",
            (to_db(now),),
        )
        return [_panel(row) for row in rows]


def _card_body(card: Scorecard) -> dict[str, Any]:
    return {
        "recommendation": card.recommendation,
        "evidence": card.evidence,
        "notes": card.notes,
        "topic_ratings": dict(card.topic_ratings),
        "question_ratings": [
            {
                "question_id": r.question_id,
                "rating": r.rating,
                "shown_points": list(r.shown_points),
                "notes": r.notes,
            }
            for r in card.question_ratings
        ],
        "submitted_at": card.submitted_at.isoformat(),
    }


def _panel(row: sqlite3.Row) -> Panel:
    return Panel(
        id=row["id"],
        team_id=row["team_id"],
        code=row["code"],
        role=row["role"],
        level=row["level"],
        coordinator_id=row["coordinator_id"],
        hiring_manager_id=row["hiring_manager_id"],
        focus_topics=tuple(json.loads(row["focus_topics"])),
        status=row["status"],
        debrief_at=from_db_required(row["debrief_at"]),
        debrief_channel=row["debrief_channel"],
        packet_opened_at=from_db(row["packet_opened_at"]),
        created_by=row["created_by"],
        created_at=from_db_required(row["created_at"]),
        confirmed_at=from_db(row["confirmed_at"]),
        closed_at=from_db(row["closed_at"]),
        purged_at=from_db(row["purged_at"]),
        purge_finished_at=from_db(row["purge_finished_at"]),
    )


def _interview(row: sqlite3.Row) -> Interview:
    return Interview(
        id=row["id"],
        panel_id=row["panel_id"],
        team_id=row["team_id"],
        interviewer_id=row["interviewer_id"],
        starts_at=from_db_required(row["starts_at"]),
        minutes=row["minutes"],
        tz=row["tz"],
        status=row["status"],
        kit_version=row["kit_version"],
        kit_redacted=bool(row["kit_redacted"]),
    )


def _reminder(row: sqlite3.Row) -> Reminder:
    return Reminder(
        id=row["id"],
        panel_id=row["panel_id"],
        team_id=row["team_id"],
        interview_id=row["interview_id"],
        kind=row["kind"],
        due_at=from_db_required(row["due_at"]),
        status=row["status"],
    )


def _decision(row: sqlite3.Row) -> Decision:
    return Decision(
        id=row["id"],
        panel_id=row["panel_id"],
        by_user_id=row["by_user_id"],
        decision=row["decision"],
        reason=row["reason"],
        against_majority=bool(row["against_majority"]),
        decided_at=from_db_required(row["decided_at"]),
    )
