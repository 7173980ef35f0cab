-- 0008: find a subject's messages quickly (a panel purge deletes every message the
-- app sent about the panel).
CREATE INDEX outbox_subject ON outbox (subject) WHERE subject IS NOT NULL;
