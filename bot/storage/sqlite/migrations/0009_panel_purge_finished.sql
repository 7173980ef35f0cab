-- 0009: when a purge has finished its work in Slack (its deletions settled, the room
-- archived), so it is looked at no more.
ALTER TABLE panels ADD COLUMN purge_finished_at TEXT;
CREATE INDEX panels_unfinished_purges ON panels (id)
    WHERE status = 'purged' AND purge_finished_at IS NULL;
