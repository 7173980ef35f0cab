-- 0007: interview panels. A panel names its candidate by an app-generated code; the
-- candidate's name, when given, lives only in panel_candidates and is erased by a
-- purge, as is every free-text field, while numeric ratings stay without the code.

CREATE TABLE panels (
    id                  INTEGER PRIMARY KEY,
    team_id             TEXT NOT NULL,
    code                TEXT NOT NULL,
    role                TEXT NOT NULL,
    level               TEXT NOT NULL CHECK (level IN ('junior', 'mid', 'senior', 'staff')),
    coordinator_id      TEXT NOT NULL,
    hiring_manager_id   TEXT NOT NULL,
    focus_topics        TEXT NOT NULL DEFAULT '[]',
    status              TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'live', 'decided', 'closed', 'purged')),
    debrief_at          TEXT NOT NULL,
    debrief_channel     TEXT,
    packet_opened_at    TEXT,
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    confirmed_at        TEXT,
    closed_at           TEXT,
    purged_at           TEXT,
    UNIQUE (team_id, code)
);
CREATE INDEX panels_status ON panels (status, team_id);

CREATE TABLE panel_candidates (
    team_id     TEXT NOT NULL,
    code        TEXT NOT NULL,
    name        TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (team_id, code)
) WITHOUT ROWID;

CREATE TABLE panel_interviews (
    id              INTEGER PRIMARY KEY,
    panel_id        INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
    team_id         TEXT NOT NULL,
    interviewer_id  TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    minutes         INTEGER NOT NULL CHECK (minutes BETWEEN 10 AND 240),
    tz              TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'did_not_interview', 'replaced')),
    kit_version     INTEGER NOT NULL DEFAULT 1,
    kit_redacted    INTEGER NOT NULL DEFAULT 0 CHECK (kit_redacted IN (0, 1))
);
CREATE INDEX panel_interviews_panel ON panel_interviews (panel_id);
CREATE INDEX panel_interviews_interviewer ON panel_interviews (team_id, interviewer_id);

CREATE TABLE panel_questions (
    interview_id  INTEGER NOT NULL REFERENCES panel_interviews(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    panel_id      INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    minutes       INTEGER NOT NULL,
    topics        TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (interview_id, position)
);
CREATE INDEX panel_questions_question ON panel_questions (question_id);

CREATE TABLE panel_scorecards (
    id                   INTEGER PRIMARY KEY,
    panel_id             INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
    team_id              TEXT NOT NULL,
    interviewer_id       TEXT NOT NULL,
    recommendation       TEXT NOT NULL
                         CHECK (recommendation IN ('strong_no', 'no', 'yes', 'strong_yes')),
    evidence             TEXT NOT NULL DEFAULT '',
    notes                TEXT NOT NULL DEFAULT '',
    topic_ratings        TEXT NOT NULL DEFAULT '{}',
    submitted_at         TEXT NOT NULL,
    revision             INTEGER NOT NULL DEFAULT 1,
    edited_after_packet  INTEGER NOT NULL DEFAULT 0 CHECK (edited_after_packet IN (0, 1)),
    UNIQUE (panel_id, interviewer_id)
);

CREATE TABLE panel_question_ratings (
    scorecard_id  INTEGER NOT NULL REFERENCES panel_scorecards(id) ON DELETE CASCADE,
    question_id   TEXT NOT NULL,
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    shown_points  TEXT NOT NULL DEFAULT '[]',
    notes         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (scorecard_id, question_id)
) WITHOUT ROWID;

-- Earlier versions of a scorecard edited after the packet opened: kept, not overwritten.
CREATE TABLE panel_scorecard_history (
    scorecard_id  INTEGER NOT NULL REFERENCES panel_scorecards(id) ON DELETE CASCADE,
    revision      INTEGER NOT NULL,
    body          TEXT NOT NULL,
    saved_at      TEXT NOT NULL,
    PRIMARY KEY (scorecard_id, revision)
) WITHOUT ROWID;

CREATE TABLE panel_reminders (
    id            INTEGER PRIMARY KEY,
    panel_id      INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
    team_id       TEXT NOT NULL,
    interview_id  INTEGER NOT NULL REFERENCES panel_interviews(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('end', 'hour', 'four_hours', 'morning', 'escalate')),
    due_at        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'cancelled')),
    UNIQUE (interview_id, kind)
);
CREATE INDEX panel_reminders_due ON panel_reminders (status, due_at) WHERE status = 'pending';

CREATE TABLE panel_decisions (
    id                INTEGER PRIMARY KEY,
    panel_id          INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
    team_id           TEXT NOT NULL,
    by_user_id        TEXT NOT NULL,
    decision          TEXT NOT NULL CHECK (decision IN ('hire', 'no_hire', 'another_round', 'hold')),
    reason            TEXT NOT NULL DEFAULT '',
    against_majority  INTEGER NOT NULL CHECK (against_majority IN (0, 1)),
    decided_at        TEXT NOT NULL
);

-- Every opening of scorecards or of a packet, by whom and when.
CREATE TABLE panel_access_log (
    id        INTEGER PRIMARY KEY,
    panel_id  INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
    team_id   TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    what      TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX panel_access_log_panel ON panel_access_log (panel_id, at);

-- How often each question was planned into a panel (the least exposed is preferred).
CREATE TABLE question_exposure (
    team_id      TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    times        INTEGER NOT NULL DEFAULT 0,
    last_at      TEXT NOT NULL,
    PRIMARY KEY (team_id, question_id)
) WITHOUT ROWID;

-- Questions a candidate was asked or already knew: never planned for them again.
CREATE TABLE candidate_questions (
    team_id      TEXT NOT NULL,
    code         TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    panel_id     INTEGER REFERENCES panels(id) ON DELETE SET NULL,
    reason       TEXT NOT NULL CHECK (reason IN ('planned', 'knew')),
    at           TEXT NOT NULL,
    PRIMARY KEY (team_id, code, question_id)
) WITHOUT ROWID;

CREATE TABLE panel_settings (
    team_id           TEXT PRIMARY KEY,
    leak_guard_days   INTEGER NOT NULL DEFAULT 30 CHECK (leak_guard_days BETWEEN 0 AND 3650),
    retention_days    INTEGER NOT NULL DEFAULT 180 CHECK (retention_days BETWEEN 1 AND 3650),
    kit_redact_hours  INTEGER NOT NULL DEFAULT 24 CHECK (kit_redact_hours BETWEEN 1 AND 720)
) WITHOUT ROWID;

CREATE TABLE panel_purge_receipts (
    id          INTEGER PRIMARY KEY,
    team_id     TEXT NOT NULL,
    panel_id    INTEGER NOT NULL,
    by_user_id  TEXT NOT NULL,
    at          TEXT NOT NULL,
    summary     TEXT NOT NULL
);
