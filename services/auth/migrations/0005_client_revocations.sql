-- Per OAuth client: every client or agent token of the client issued at or before
-- ``not_before`` (epoch seconds) is dead. Set when the client's secret is rotated
-- (``python -m services.auth clients rotate-secret``); see shared/revocation.py.
CREATE TABLE auth.client_revocations (
    client_id   text PRIMARY KEY,
    not_before  bigint      NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX client_revocations_expiry_idx ON auth.client_revocations (expires_at);
