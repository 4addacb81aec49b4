-- IF NOT EXISTS: on a large outbox an operator may build these first, CONCURRENTLY, under
-- these names (docs/operations.md, "Bounded growth and retention"); a migration runs in a
-- transaction and its CREATE INDEX holds off the table's writers until it is built.
-- Retention passes that read what they delete (shared/messaging/outbox_cleanup.py): each
-- statement walks an index from its oldest entry and stops at the first row still kept.
-- The long retention uses outbox_published_idx (published_at). A short-retention key
-- (OUTBOX_SHORT_RETENTION_KEYS) needs its own rows in published_at order: without this
-- index the planner read the whole outbox at every pass (docs/performance.md). Partial, like
-- outbox_published_idx: a row enters it when the relay marks it published (an update that is
-- never HOT, published_at being indexed): one more index entry per event.
CREATE INDEX IF NOT EXISTS outbox_expiry_idx ON {schema}.outbox (routing_key, published_at)
    WHERE published_at IS NOT NULL;
-- The consumers' message ids go after PROCESSED_MESSAGES_RETENTION_DAYS, oldest first.
-- processed_at has been NOT NULL DEFAULT now() since 0001, so every existing row has one.
CREATE INDEX IF NOT EXISTS processed_messages_age_idx ON {schema}.processed_messages (processed_at);
