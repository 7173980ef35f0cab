-- 0003: a channel's post history (streaks, question rotation) read from the index alone.
DROP INDEX posts_channel_opened;
CREATE INDEX posts_channel_history
    ON posts (team_id, channel_id, opened_at, kind, status, question_id);
