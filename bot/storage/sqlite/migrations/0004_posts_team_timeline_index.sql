-- 0004: a workspace's channel questions in posting order, read from the index alone.
-- Streaks ask "did any of this user's channels have a question between these two
-- instants?" once per gap between answered days (bot/services/stats.py); creating the
-- index fills it from the existing posts.
CREATE INDEX posts_team_timeline ON posts (team_id, opened_at, kind, status, channel_id);
