-- OAuth clients (client_credentials grant). The secret is kept only as an argon2id hash;
-- the demo client is seeded from configuration at start-up.
CREATE TABLE auth.api_clients (
    client_id    text PRIMARY KEY,
    secret_hash  text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Every token of a customer issued at or before ``not_before`` (epoch seconds) is dead,
-- except ``keep_jti``: set when a customer is disabled, locked or deleted through the
-- Data API. The same shape as the Shop side's password-change cut-off (IF NOT EXISTS: one
-- table, whichever migration creates it first).
CREATE TABLE IF NOT EXISTS auth.customer_revocations (
    customer_id     text PRIMARY KEY,
    not_before      bigint      NOT NULL,
    keep_jti        text,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS customer_revocations_expiry_idx ON auth.customer_revocations (expires_at);

-- Administrative lock (Data API credentials.locked), apart from the failed-login lockout.
ALTER TABLE auth.credentials ADD COLUMN admin_locked boolean NOT NULL DEFAULT false;
