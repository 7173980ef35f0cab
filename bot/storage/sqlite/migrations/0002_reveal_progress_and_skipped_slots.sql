-- 0002: reveals claimed per post with their finished steps recorded, and claims that
-- record a slot deliberately skipped (missed beyond the catch-up grace window).

CREATE TABLE reveals (
    post_id          INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    team_id          TEXT NOT NULL,
    owner            TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('claimed', 'done', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 1,
    last_error       TEXT,
    claimed_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    summary_ts       TEXT,
    original_closed  INTEGER NOT NULL DEFAULT 0 CHECK (original_closed IN (0, 1))
);
CREATE INDEX reveals_failed ON reveals (team_id, status) WHERE status = 'failed';

CREATE TABLE reveal_feedback (
    answer_id  INTEGER PRIMARY KEY REFERENCES answers(id) ON DELETE CASCADE,
    post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    sent_at    TEXT NOT NULL
);
CREATE INDEX reveal_feedback_post ON reveal_feedback (post_id);

-- SQLite cannot alter a CHECK constraint: rebuild claims with 'skipped' allowed.
CREATE TABLE claims_new (
    id           INTEGER PRIMARY KEY,
    team_id      TEXT NOT NULL,
    schedule_id  INTEGER NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    slot_date    TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('post', 'reveal', 'recap')),
    owner        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('claimed', 'done', 'failed', 'skipped')),
    attempts     INTEGER NOT NULL DEFAULT 1,
    last_error   TEXT,
    claimed_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (schedule_id, slot_date, kind)
);
INSERT INTO claims_new SELECT id, team_id, schedule_id, slot_date, kind, owner, status,
    attempts, last_error, claimed_at, updated_at FROM claims;
DROP TABLE claims;
ALTER TABLE claims_new RENAME TO claims;
CREATE INDEX claims_failed ON claims (team_id, status) WHERE status = 'failed';
CREATE INDEX claims_schedule ON claims (schedule_id, kind, slot_date);
