-- (auth.customer_revocations, the customer-wide cut-off with keep_jti, is created by 0002.)

-- Password reset tokens: only a hash is stored, one per customer (a newer one voids
-- the older), single use (the row is deleted when it is used).
CREATE TABLE auth.password_resets (
    customer_id  text PRIMARY KEY REFERENCES auth.credentials ON DELETE CASCADE,
    token_hash   text        NOT NULL,
    expires_at   timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Storefront sessions (the dwsid and dwsecuretoken_* cookies). Only hashes of the
-- cookie values are stored; customer_id is null for an anonymous session.
CREATE TABLE auth.sessions (
    session_hash      text PRIMARY KEY,
    secure_hash       text        NOT NULL,
    customer_list_id  text        NOT NULL,
    customer_id       text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    last_seen         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_customer_idx ON auth.sessions (customer_id);
CREATE INDEX sessions_last_seen_idx ON auth.sessions (last_seen);
