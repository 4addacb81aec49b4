-- Sessions past their absolute lifetime go oldest first (services/auth/purge.py), read
-- through this index; idle ones through sessions_last_seen_idx. Without it the purge's
-- created_at condition read every live session.
CREATE INDEX IF NOT EXISTS sessions_created_idx ON auth.sessions (created_at);
-- IF NOT EXISTS: see shared/sql/0004_retention_indexes.sql (built first, CONCURRENTLY).
