"""Auth's purge: revocations that outlived their tokens, and sessions that ended.

Nothing reads these rows once they are dead, so deleting them only stops the tables growing:

- ``revoked_tokens``: a token past its ``exp`` fails verification everywhere (the gateway,
  auth's refresh; shared/security/tokens.py checks it with no leeway) before its ``jti`` is
  looked up. The cut-offs (``customer_revocations``, ``client_revocations``) are read only
  while ``expires_at > now()``, and an upsert onto an expired one stores what an insert
  would. Each goes ``EXPIRY_GRACE_SECONDS`` after it expired: ``exp`` is checked by the
  processes' clocks, the rows age by Postgres's, and a row gone early could let a revoked
  token be refreshed in between.
- ``sessions``: one idle for ``AUTH_SESSION_IDLE_MINUTES`` or older than
  ``AUTH_SESSION_MAX_HOURS`` resolves to nobody (``SessionLifetime.alive``, judged by
  Postgres's ``now()`` like this purge), so it goes at once. This purge used to run inside
  every session's opening transaction, where concurrent logins queued on the same stale rows.

Every ``AUTH_PURGE_INTERVAL_SECONDS`` in each replica, each table by its expiry index, at most
``AUTH_PURGE_BATCH_SIZE`` rows a statement (shared/retention.py).
"""
import asyncpg
from aiohttp import web

from services.auth.model import SessionLifetime
from services.auth.sessions import SESSIONS
from services.auth.settings import AUTH_SETTINGS
from shared.http.web import POOL
from shared.retention import RetentionJob, batch_delete, job_context

EXPIRY_GRACE_SECONDS = 600


def _expired(table: str, column: str) -> str:
    return batch_delete(f"auth.{table}", f"{column} < now() - make_interval(secs => $1)", column, "$2")


def purge_statements(lifetime: SessionLifetime) -> list[tuple[str, tuple]]:
    """A pass's statements with their parameters but the batch size (``RetentionJob``)."""
    return [
        (_expired("revoked_tokens", "expires_at"), (EXPIRY_GRACE_SECONDS,)),
        (_expired("customer_revocations", "expires_at"), (EXPIRY_GRACE_SECONDS,)),
        (_expired("client_revocations", "expires_at"), (EXPIRY_GRACE_SECONDS,)),
        (_expired("sessions", "last_seen"), (lifetime.idle_seconds,)),
        (_expired("sessions", "created_at"), (lifetime.max_seconds,)),
    ]


class AuthPurge(RetentionJob):
    def __init__(self, pool: asyncpg.Pool, lifetime: SessionLifetime, *, batch_size: int = 5000,
                 interval_seconds: float = 60.0):
        super().__init__(pool, "auth_purge", purge_statements(lifetime), batch_size=batch_size,
                         interval_seconds=interval_seconds)


def _purge(app: web.Application) -> AuthPurge:
    settings = app[AUTH_SETTINGS]
    return AuthPurge(app[POOL], app[SESSIONS].lifetime, batch_size=settings.purge_batch_size,
                     interval_seconds=settings.purge_interval_seconds)


# cleanup_ctx (after the sessions' lifetime is known): the purge, for the app's lifetime.
auth_purge = job_context(_purge, "auth-purge")
