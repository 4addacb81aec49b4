-- The lockout counts every attempt before the password is checked (services/auth/lockout.py):
-- attempt_seq numbers the attempts, those after cleared_through count as failures until a
-- success forgives them. It replaces failed_attempts, which was counted after the check.
ALTER TABLE auth.credentials
    ADD COLUMN attempt_seq bigint NOT NULL DEFAULT 0,
    ADD COLUMN cleared_through bigint NOT NULL DEFAULT 0;
UPDATE auth.credentials SET attempt_seq = failed_attempts;
ALTER TABLE auth.credentials DROP COLUMN failed_attempts;

-- OAuth client secrets get the same lockout, per client id.
ALTER TABLE auth.api_clients
    ADD COLUMN attempt_seq bigint NOT NULL DEFAULT 0,
    ADD COLUMN cleared_through bigint NOT NULL DEFAULT 0,
    ADD COLUMN locked_until timestamptz;
