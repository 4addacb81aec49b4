-- Private signing keys are kept sealed (AES-256-GCM, services/auth/key_cipher.py).
-- The secret is not in the database, so auth seals the rows still in plaintext at
-- start-up (services/auth/keys.py) and private_jwk stays NULL from then on. A retired
-- key keeps only its public half.
ALTER TABLE auth.signing_keys ADD COLUMN private_sealed bytea;
ALTER TABLE auth.signing_keys ALTER COLUMN private_jwk DROP NOT NULL;
ALTER TABLE auth.signing_keys ADD CONSTRAINT signing_keys_private_once
    CHECK (private_jwk IS NULL OR private_sealed IS NULL);
