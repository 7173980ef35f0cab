-- 0006: the inbox. A request from Slack is acknowledged only after it is recorded here
-- (its raw verified payload, and the typed request decoded from it); a worker then
-- processes it, and marks it done in the same transaction as what it changed. An event
-- id is recorded once (Slack's retries of it find it here), which replaces the
-- processed_events table.

CREATE TABLE inbox (
    id            INTEGER PRIMARY KEY,
    team_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,          -- command | message | action | view | home
    dedupe_key    TEXT UNIQUE,            -- the Events API event id, when there is one
    conversation  TEXT NOT NULL,          -- requests of one conversation run in order
    payload       TEXT NOT NULL,          -- the raw verified request body
    request       TEXT NOT NULL,          -- the typed request, as JSON
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'working', 'done', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    owner         TEXT,
    not_before    TEXT NOT NULL,
    error         TEXT,
    received_at   TEXT NOT NULL,
    done_at       TEXT
);
CREATE INDEX inbox_open ON inbox (status, not_before) WHERE status IN ('pending', 'working');
CREATE INDEX inbox_done ON inbox (done_at) WHERE status = 'done';

DROP TABLE processed_events;
