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


@dataclass(frozen=True)
class Credential:
    """A customer's login: ``locked`` is the administrator's lock or a live lockout."""
    customer_id: str
    customer_list_id: str
    login: str
    password_hash: str | None
    enabled: bool
    failed_attempts: int
    locked_until: datetime | None
    admin_locked: bool
    locked: bool
    last_login_time: datetime | None
    previous_login_time: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class CredentialState:
    """What the Data API answers after an administrator's change."""
    login: str
    enabled: bool
    locked: bool


class LoginTaken(Exception):
    """Another customer of the list has this login (compared case-insensitively)."""


@dataclass(frozen=True)
class Attempt:
    """One counted login or client-secret attempt (services/auth/lockout.py).

    ``secret_hash`` is what to check the secret against; ``allowed`` is False when the
    attempt found the key locked or unusable, and is then answered like a wrong secret."""
    key: str
    ticket: int
    allowed: bool
    secret_hash: str | None


@dataclass(frozen=True)
class RevokedToken:
    jti: str
    exp: int


@dataclass(frozen=True)
class ApiClient:
    """An OAuth client as listed (never its secret)."""
    client_id: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class StoredKey:
    """An unretired signing key: its private half sealed (key_cipher.py), its public JWK.

    ``private_sealed`` is None only for a key from before sealing, until start-up seals it."""
    kid: str
    private_sealed: bytes | None
    public_jwk: dict


@dataclass(frozen=True)
class PlaintextKey:
    """A key written before keys were sealed (migration 0004): its private JWK in clear."""
    kid: str
    private_jwk: dict
