-- 0005: one lease mechanism for all scheduled and resumable work, held by processes
-- that beat a heartbeat, so work held by a dead process is taken over at once; and the
-- outbox: every message the app sends to Slack is recorded (with the key its Slack
-- metadata carries) before it is sent, so a crash or a timeout is reconciled instead
-- of posting twice.

-- Each serving process: a lease or a message being sent is held by one of these, and
-- is live only while its process beats (a stopped or silent process holds nothing).
CREATE TABLE processes (
    owner         TEXT PRIMARY KEY,       -- host:pid:random
    host          TEXT NOT NULL,
    pid           INTEGER NOT NULL,
    started_at    TEXT NOT NULL,
    heartbeat_at  TEXT NOT NULL,
    stopped_at    TEXT
) WITHOUT ROWID;

CREATE TABLE leases (
    key           TEXT PRIMARY KEY,       -- 'post:<schedule>:<date>', 'reveal:<post>', ...
    team_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    schedule_id   INTEGER REFERENCES schedules(id) ON DELETE CASCADE,
    slot_date     TEXT,
    owner         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('claimed', 'done', 'failed', 'skipped')),
    attempts      INTEGER NOT NULL DEFAULT 1,
    last_error    TEXT,
    claimed_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX leases_slots ON leases (schedule_id, kind, slot_date) WHERE schedule_id IS NOT NULL;
CREATE INDEX leases_failed ON leases (team_id, status) WHERE status = 'failed';
CREATE INDEX leases_claimed ON leases (status, owner) WHERE status = 'claimed';

INSERT INTO leases (key, team_id, kind, schedule_id, slot_date, owner, status, attempts,
                    last_error, claimed_at, updated_at)
SELECT kind || ':' || schedule_id || ':' || slot_date, team_id, kind, schedule_id, slot_date,
       owner, status, attempts, last_error, claimed_at, updated_at
FROM claims;

INSERT INTO leases (key, team_id, kind, owner, status, attempts, last_error, claimed_at,
                    updated_at)
SELECT 'reveal:' || post_id, team_id, 'reveal', owner, status, attempts, last_error,
       claimed_at, updated_at
FROM reveals;

CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    team_id       TEXT NOT NULL,
    key           TEXT NOT NULL UNIQUE,   -- the app's own id for the message
    action        TEXT NOT NULL CHECK (action IN
                      ('post', 'dm', 'update', 'delete', 'ephemeral', 'react', 'respond')),
    channel_id    TEXT,                   -- the conversation (a DM's, once opened)
    user_id       TEXT,                   -- DM recipient, ephemeral viewer
    thread_ts     TEXT,                   -- a reply in this thread
    target_ts     TEXT,                   -- the message an update, delete or reaction acts on
    target_key    TEXT,                   -- ... or the outbox message with this key
    url           TEXT,                   -- response_url of a 'respond'
    body          TEXT NOT NULL,          -- JSON: text, blocks, reaction name
    subject       TEXT,                   -- the row told when it is sent: 'post:<id>'
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
                      ('pending', 'sending', 'sent', 'failed', 'undeliverable', 'expired')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    owner         TEXT,                   -- the process sending it (status 'sending')
    not_before    TEXT NOT NULL,
    expires_at    TEXT,
    ts            TEXT,
    error         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, not_before) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_unsent ON outbox (team_id, updated_at) WHERE status != 'sent';
CREATE INDEX outbox_sent ON outbox (updated_at) WHERE status = 'sent';

-- Reveal steps already done before this migration become sent messages, so a reveal
-- that was under way resumes without repeating them.
INSERT INTO outbox (team_id, key, action, channel_id, thread_ts, body, status, attempts,
                    not_before, ts, created_at, updated_at)
SELECT r.team_id, 'reveal-summary:' || r.post_id, 'post', p.channel_id, p.message_ts, '{}',
       'sent', 1, r.updated_at, r.summary_ts, r.claimed_at, r.updated_at
FROM reveals AS r JOIN posts AS p ON p.id = r.post_id WHERE r.summary_ts IS NOT NULL;
INSERT INTO outbox (team_id, key, action, channel_id, target_ts, body, status, attempts,
                    not_before, created_at, updated_at)
SELECT r.team_id, 'reveal-close:' || r.post_id, 'update', p.channel_id, p.message_ts, '{}',
       'sent', 1, r.updated_at, r.claimed_at, r.updated_at
FROM reveals AS r JOIN posts AS p ON p.id = r.post_id WHERE r.original_closed = 1;
INSERT INTO outbox (team_id, key, action, user_id, body, status, attempts, not_before,
                    created_at, updated_at)
SELECT a.team_id, 'feedback:' || f.answer_id, 'dm', a.user_id, '{}', 'sent', 1, f.sent_at,
       f.sent_at, f.sent_at
FROM reveal_feedback AS f JOIN answers AS a ON a.id = f.answer_id;

DROP TABLE reveal_feedback;
DROP TABLE reveals;
DROP TABLE claims;

-- A reveal closes its post to answers before it grades: from then on nothing scores,
-- even while the reveal is still running (the status says 'open' until it is done).
ALTER TABLE posts ADD COLUMN closed_at TEXT;
UPDATE posts SET closed_at = revealed_at WHERE status != 'open';
