-- Applied to every service schema ({schema} is replaced by the runner).
-- The outbox: events written in the same transaction as the change they describe,
-- published afterwards by the relay. Published rows are kept for replay.
CREATE TABLE {schema}.outbox (
    id            uuid PRIMARY KEY,
    exchange      text        NOT NULL,
    routing_key   text        NOT NULL,
    body          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at  timestamptz
);
CREATE INDEX outbox_unpublished_idx ON {schema}.outbox (created_at, id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_idx ON {schema}.outbox (published_at) WHERE published_at IS NOT NULL;

-- Idempotent consumers record each message id in the transaction of its effect.
CREATE TABLE {schema}.processed_messages (
    consumer      text        NOT NULL,
    message_id    uuid        NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
