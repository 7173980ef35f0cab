-- 0001: the initial schema. Shipped migrations are never edited; add 0002_*.sql instead.
-- Timestamps are ISO-8601 UTC text of fixed width (see bot/storage/clock.py), so text
-- order is time order. Local days ("day") are YYYY-MM-DD in the workspace's time zone.

CREATE TABLE workspaces (
    team_id     TEXT PRIMARY KEY,
    name        TEXT,
    tz          TEXT NOT NULL DEFAULT 'UTC',
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    team_id       TEXT NOT NULL REFERENCES workspaces(team_id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL,
    display_name  TEXT,
    tz            TEXT,
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
) WITHOUT ROWID;

CREATE TABLE schedules (
    id                  INTEGER PRIMARY KEY,
    team_id             TEXT NOT NULL REFERENCES workspaces(team_id) ON DELETE CASCADE,
    channel_id          TEXT NOT NULL,
    post_time           TEXT NOT NULL CHECK (post_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    tz                  TEXT NOT NULL,
    days_mask           INTEGER NOT NULL CHECK (days_mask BETWEEN 1 AND 127),
    reveal_time         TEXT CHECK (reveal_time IS NULL OR reveal_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    reveal_after_hours  REAL CHECK (reveal_after_hours IS NULL OR reveal_after_hours > 0),
    topics              TEXT NOT NULL DEFAULT '[]',
    difficulty          TEXT CHECK (difficulty IS NULL OR difficulty IN ('easy', 'medium', 'hard')),
    recap_day           INTEGER CHECK (recap_day IS NULL OR recap_day BETWEEN 0 AND 6),
    paused              INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    -- Exactly one reveal rule: a local time of day, or N hours after posting.
    CHECK ((reveal_time IS NULL) <> (reveal_after_hours IS NULL)),
    UNIQUE (team_id, channel_id)
);

CREATE TABLE posts (
    id            INTEGER PRIMARY KEY,
    team_id       TEXT NOT NULL REFERENCES workspaces(team_id) ON DELETE CASCADE,
    channel_id    TEXT NOT NULL,
    message_ts    TEXT,
    question_id   TEXT NOT NULL,
    topics        TEXT NOT NULL DEFAULT '[]',
    difficulty    TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
    kind          TEXT NOT NULL CHECK (kind IN ('channel', 'dm')),
    user_id       TEXT,
    schedule_id   INTEGER REFERENCES schedules(id) ON DELETE SET NULL,
    slot_date     TEXT,
    day           TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    deadline_at   TEXT,
    revealed_at   TEXT,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'revealed', 'failed')),
    error         TEXT,
    CHECK (kind = 'channel' OR user_id IS NOT NULL)
);
CREATE INDEX posts_channel_opened ON posts (team_id, channel_id, opened_at);
CREATE UNIQUE INDEX posts_message ON posts (team_id, channel_id, message_ts)
    WHERE message_ts IS NOT NULL;
CREATE UNIQUE INDEX posts_slot ON posts (schedule_id, slot_date)
    WHERE schedule_id IS NOT NULL;
CREATE INDEX posts_open_deadline ON posts (deadline_at) WHERE status = 'open';

-- One row per (post, user): an edit rewrites it, a deletion marks it withdrawn.
-- channel_id, day and ranked are copied from the post so leaderboard triggers need no join.
CREATE TABLE answers (
    id             INTEGER PRIMARY KEY,
    team_id        TEXT NOT NULL,
    post_id        INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL,
    channel_id     TEXT NOT NULL,
    day            TEXT NOT NULL,
    ranked         INTEGER NOT NULL CHECK (ranked IN (0, 1)),
    text           TEXT NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('thread', 'modal', 'dm')),
    message_ts     TEXT,
    event_id       TEXT UNIQUE,
    answered_at    TEXT NOT NULL,
    last_event_at  TEXT NOT NULL,
    revision       INTEGER NOT NULL DEFAULT 1,
    status         TEXT NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'withdrawn')),
    score          REAL CHECK (score IS NULL OR score BETWEEN 0 AND 1),
    points         INTEGER NOT NULL DEFAULT 0,
    grade          TEXT,
    graded_at      TEXT,
    UNIQUE (post_id, user_id)
);
CREATE INDEX answers_user ON answers (team_id, user_id);

-- Leaderboard rollups, kept by the triggers below in the same transaction as the answer
-- write. score_daily answers arbitrary seasons; score_totals holds one row per
-- (scope, period, user) with channel_id '' meaning the whole workspace.
CREATE TABLE score_daily (
    team_id     TEXT NOT NULL,
    day         TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    points      INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    score_sum   REAL NOT NULL,
    PRIMARY KEY (team_id, day, channel_id, user_id)
) WITHOUT ROWID;

CREATE TABLE score_totals (
    team_id     TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    period      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    points      INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    score_sum   REAL NOT NULL,
    PRIMARY KEY (team_id, channel_id, period, user_id)
) WITHOUT ROWID;
CREATE INDEX score_totals_board
    ON score_totals (team_id, channel_id, period, points DESC, user_id, answered, score_sum);

CREATE TRIGGER answers_rollup_insert AFTER INSERT ON answers
WHEN NEW.status = 'live' AND NEW.ranked = 1 AND NEW.score IS NOT NULL
BEGIN
    INSERT INTO score_daily VALUES
        (NEW.team_id, NEW.day, NEW.channel_id, NEW.user_id, NEW.points, 1, NEW.score)
    ON CONFLICT DO UPDATE SET points = points + excluded.points,
        answered = answered + 1, score_sum = score_sum + excluded.score_sum;
    INSERT INTO score_totals
    SELECT NEW.team_id, scope.channel_id, period.key, NEW.user_id, NEW.points, 1, NEW.score
    FROM (SELECT NEW.channel_id AS channel_id UNION ALL SELECT '') AS scope,
         (SELECT 'all' AS key
          UNION ALL SELECT 'week:' || date(NEW.day, '-6 days', 'weekday 1')
          UNION ALL SELECT 'month:' || substr(NEW.day, 1, 8) || '01') AS period
    WHERE true
    ON CONFLICT DO UPDATE SET points = points + excluded.points,
        answered = answered + 1, score_sum = score_sum + excluded.score_sum;
END;

CREATE TRIGGER answers_rollup_remove_old AFTER UPDATE OF status, ranked, score, points ON answers
WHEN OLD.status = 'live' AND OLD.ranked = 1 AND OLD.score IS NOT NULL
BEGIN
    UPDATE score_daily SET points = points - OLD.points, answered = answered - 1,
        score_sum = score_sum - OLD.score
    WHERE team_id = OLD.team_id AND day = OLD.day AND channel_id = OLD.channel_id
      AND user_id = OLD.user_id;
    UPDATE score_totals SET points = points - OLD.points, answered = answered - 1,
        score_sum = score_sum - OLD.score
    WHERE team_id = OLD.team_id AND channel_id IN (OLD.channel_id, '')
      AND period IN ('all', 'week:' || date(OLD.day, '-6 days', 'weekday 1'),
                     'month:' || substr(OLD.day, 1, 8) || '01')
      AND user_id = OLD.user_id;
END;

CREATE TRIGGER answers_rollup_add_new AFTER UPDATE OF status, ranked, score, points ON answers
WHEN NEW.status = 'live' AND NEW.ranked = 1 AND NEW.score IS NOT NULL
BEGIN
    INSERT INTO score_daily VALUES
        (NEW.team_id, NEW.day, NEW.channel_id, NEW.user_id, NEW.points, 1, NEW.score)
    ON CONFLICT DO UPDATE SET points = points + excluded.points,
        answered = answered + 1, score_sum = score_sum + excluded.score_sum;
    INSERT INTO score_totals
    SELECT NEW.team_id, scope.channel_id, period.key, NEW.user_id, NEW.points, 1, NEW.score
    FROM (SELECT NEW.channel_id AS channel_id UNION ALL SELECT '') AS scope,
         (SELECT 'all' AS key
          UNION ALL SELECT 'week:' || date(NEW.day, '-6 days', 'weekday 1')
          UNION ALL SELECT 'month:' || substr(NEW.day, 1, 8) || '01') AS period
    WHERE true
    ON CONFLICT DO UPDATE SET points = points + excluded.points,
        answered = answered + 1, score_sum = score_sum + excluded.score_sum;
END;

CREATE TRIGGER answers_rollup_delete AFTER DELETE ON answers
WHEN OLD.status = 'live' AND OLD.ranked = 1 AND OLD.score IS NOT NULL
BEGIN
    UPDATE score_daily SET points = points - OLD.points, answered = answered - 1,
        score_sum = score_sum - OLD.score
    WHERE team_id = OLD.team_id AND day = OLD.day AND channel_id = OLD.channel_id
      AND user_id = OLD.user_id;
    UPDATE score_totals SET points = points - OLD.points, answered = answered - 1,
        score_sum = score_sum - OLD.score
    WHERE team_id = OLD.team_id AND channel_id IN (OLD.channel_id, '')
      AND period IN ('all', 'week:' || date(OLD.day, '-6 days', 'weekday 1'),
                     'month:' || substr(OLD.day, 1, 8) || '01')
      AND user_id = OLD.user_id;
END;

CREATE TABLE processed_events (
    event_id    TEXT PRIMARY KEY,
    seen_at     TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX processed_events_expiry ON processed_events (expires_at);

-- Scheduled work is claimed here before it is done: one row per slot and kind.
CREATE TABLE claims (
    id           INTEGER PRIMARY KEY,
    team_id      TEXT NOT NULL,
    schedule_id  INTEGER NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    slot_date    TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('post', 'reveal', 'recap')),
    owner        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('claimed', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 1,
    last_error   TEXT,
    claimed_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (schedule_id, slot_date, kind)
);
CREATE INDEX claims_failed ON claims (team_id, status) WHERE status = 'failed';

CREATE TABLE overrides (
    id          INTEGER PRIMARY KEY,
    team_id     TEXT NOT NULL,
    answer_id   INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
    by_user_id  TEXT NOT NULL,
    old_score   REAL,
    score       REAL NOT NULL CHECK (score BETWEEN 0 AND 1),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX overrides_answer ON overrides (answer_id);

CREATE TABLE appeals (
    id               INTEGER PRIMARY KEY,
    team_id          TEXT NOT NULL,
    answer_id        INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
    user_id          TEXT NOT NULL,
    note             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'open'
                     CHECK (status IN ('open', 'accepted', 'rejected')),
    created_at       TEXT NOT NULL,
    resolved_by      TEXT,
    resolved_at      TEXT,
    resolution_note  TEXT,
    UNIQUE (answer_id, user_id)
);
CREATE INDEX appeals_open ON appeals (team_id, status);

-- Spaced repetition: one FSRS card per (user, question); card holds Card.to_dict() JSON.
CREATE TABLE review_cards (
    team_id      TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    question_id  TEXT NOT NULL,
    card         TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    reviews      INTEGER NOT NULL,
    last_score   REAL NOT NULL,
    last_review  TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id, question_id)
) WITHOUT ROWID;
CREATE INDEX review_cards_due ON review_cards (team_id, user_id, due_at);
