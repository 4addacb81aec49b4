"""What the auth repositories return: frozen dataclasses, never asyncpg records."""
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class StoredSession:
    """A storefront session row, as read together with the database's clock.

    ``checked_at`` is the database's ``now()`` at the read: the lifetime rule compares
    against it (as the SQL before it did), never against this process's clock.
    """
    session_hash: str
    customer_list_id: str
    customer_id: str
    created_at: datetime
    last_seen: datetime
    checked_at: datetime


@dataclass(frozen=True)
class SessionLifetime:
    """A session ends when idle, and ``max_seconds`` after its login whatever the activity."""
    idle_seconds: int
    max_seconds: int

    def alive(self, session: StoredSession) -> bool:
        now = session.checked_at
        return (session.last_seen > now - timedelta(seconds=self.idle_seconds)
                and session.created_at > now - timedelta(seconds=self.max_seconds))
