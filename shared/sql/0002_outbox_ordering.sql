-- Per-aggregate ordering: each event about an aggregate (a customer, an order, ...)
-- carries the aggregate id and a sequence number, 1, 2, 3, ... in commit order, so a
-- consumer can reorder and spot gaps. The counter row is locked by the writing
-- transaction until it commits, so two writers of one aggregate take turns.
ALTER TABLE {schema}.outbox ADD COLUMN aggregate_id text, ADD COLUMN sequence bigint;
CREATE INDEX outbox_aggregate_idx ON {schema}.outbox (aggregate_id, sequence) WHERE aggregate_id IS NOT NULL;
CREATE INDEX outbox_replay_idx ON {schema}.outbox (routing_key, created_at);

CREATE TABLE {schema}.outbox_sequences (
    aggregate_id  text   PRIMARY KEY,
    last_sequence bigint NOT NULL
);
