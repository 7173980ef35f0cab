-- A user's DM questions (practice history, read on every /mlquiz ask): found by the user
-- instead of by scanning every post of the workspace (31 ms median for the largest one
-- in bench/storage.py at full scale).
CREATE INDEX posts_user_dm ON posts (team_id, user_id, question_id, opened_at) WHERE kind = 'dm';
