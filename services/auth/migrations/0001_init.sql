CREATE TABLE auth.signing_keys (
    kid          text PRIMARY KEY,
    private_jwk  jsonb       NOT NULL,
    public_jwk   jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    retired_at   timestamptz
);

CREATE TABLE auth.credentials (
    customer_id          text PRIMARY KEY,
    customer_list_id     text        NOT NULL,
    login                text        NOT NULL,
    password_hash        text,
    enabled              boolean     NOT NULL DEFAULT true,
    failed_attempts      integer     NOT NULL DEFAULT 0,
    locked_until         timestamptz,
    last_login_time      timestamptz,
    previous_login_time  timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
-- Auth is the authority on login uniqueness: per customer list, case-insensitive.
CREATE UNIQUE INDEX credentials_login_idx ON auth.credentials (customer_list_id, lower(login));

CREATE TABLE auth.revoked_tokens (
    jti          text PRIMARY KEY,
    customer_id  text,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revoked_tokens_expiry_idx ON auth.revoked_tokens (expires_at);
