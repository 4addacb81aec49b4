"""In-memory fakes of the unit of work, for fast tests of business rules.

These fake OUR abstractions (shared.unit_of_work and each service's repositories), never
Postgres: the integration and API tiers keep running against the real database.
"""
import copy

from shared.messaging.envelope import Envelope
from shared.unit_of_work import Outbox, UnitOfWork


class FakeOutbox(Outbox):
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def add(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)


class FakeUnitOfWork(UnitOfWork):
    """Commit keeps what the repositories hold; rollback restores it as it was at begin.

    A service's fake lists its fake repositories in ``repositories()``; their state is
    whatever their instance attributes hold.
    """

    def __init__(self) -> None:
        super().__init__()
        self.outbox = FakeOutbox()
        self.commits = self.rollbacks = 0
        self._saved: list[dict] = []

    def repositories(self) -> list[object]:
        return [self.outbox]

    async def _begin(self) -> None:
        self._saved = [copy.deepcopy(vars(repo)) for repo in self.repositories()]

    async def _commit(self) -> None:
        self.commits += 1

    async def _rollback(self) -> None:
        for repo, saved in zip(self.repositories(), self._saved, strict=True):
            vars(repo).clear()
            vars(repo).update(saved)
        self.rollbacks += 1


# -- auth (services/auth/unit_of_work.py) ------------------------------------------------
# Imported here, not at the top, so the section stays one block other services' fakes
# never touch.
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from services.auth.client_repository import ApiClients
from services.auth.lockout import CLIENTS, CUSTOMERS, LoginAttempts, Policy, Target
from services.auth.model import (
    ApiClient,
    Attempt,
    Credential,
    CredentialState,
    LoginTaken,
    RevokedToken,
    SessionLifetime,
    StoredSession,
)
from services.auth.password_repository import PasswordResets
from services.auth.repository import Credentials
from services.auth.revocation_repository import CustomerCutoffs, RevokedTokens
from services.auth.session_repository import StorefrontSessions
from services.auth.unit_of_work import AuthUnitOfWork
from shared.security.revocation import ClientCutoff, Cutoff


class FakeClock:
    """The database's ``now()``, moved by the tests; shared by the auth fakes (a rollback
    restores the rows, never the time)."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 1, tzinfo=UTC)

    def __deepcopy__(self, memo: dict) -> "FakeClock":
        return self


@dataclass
class FakeLock:
    """The lockout columns of a credentials or clients row (services/auth/lockout.py)."""
    attempt_seq: int = 0
    cleared_through: int = 0
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def forgive_all(self) -> None:
        self.cleared_through, self.locked_until = self.attempt_seq, None


@dataclass
class FakeCredentialRow:
    customer_id: str
    customer_list_id: str
    login: str
    password_hash: str | None
    created_at: datetime
    enabled: bool = True
    admin_locked: bool = False
    lock: FakeLock | None = None
    last_login_time: datetime | None = None
    previous_login_time: datetime | None = None


class FakeSessions(StorefrontSessions):
    """Rows keyed by session hash; the clock is the database's."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.rows: dict[str, tuple[str, StoredSession]] = {}  # hash -> (secure hash, row)

    @property
    def now(self) -> datetime:
        return self.clock.now

    async def create(self, session_hash: str, secure_hash: str, customer_list_id: str,
                     customer_id: str) -> None:
        self.rows[session_hash] = (secure_hash, StoredSession(
            session_hash, customer_list_id, customer_id, self.now, self.now, self.now))

    async def find(self, session_hash: str, secure_hash: str,
                   customer_list_id: str) -> StoredSession | None:
        secure, row = self.rows.get(session_hash, ("", None))
        if row is None or secure != secure_hash or row.customer_list_id != customer_list_id:
            return None
        return replace(row, checked_at=self.now)

    async def touch(self, session_hash: str) -> None:
        secure, row = self.rows[session_hash]
        self.rows[session_hash] = (secure, replace(row, last_seen=self.now))

    async def delete(self, session_hash: str) -> None:
        self.rows.pop(session_hash, None)

    async def delete_all_of(self, customer_id: str) -> None:
        self.rows = {key: value for key, value in self.rows.items()
                     if value[1].customer_id != customer_id}

    async def purge_stale(self, lifetime: SessionLifetime) -> None:
        self.rows = {key: (secure, row) for key, (secure, row) in self.rows.items()
                     if lifetime.alive(replace(row, checked_at=self.now))}


class FakeClients(ApiClients):
    """Secret hashes, lockouts and cut-offs by client id; a cut-off never moves back (as the
    SQL's greatest)."""

    def __init__(self, clock: FakeClock | None = None, **secret_hashes: str) -> None:
        self.clock = clock or FakeClock()
        self.secret_hashes = dict(secret_hashes)
        self.locks = {client_id: FakeLock() for client_id in secret_hashes}
        self.created: dict[str, datetime] = dict.fromkeys(secret_hashes, self.clock.now)
        self.cutoffs: dict[str, int] = {}

    async def secret_hash(self, client_id: str) -> str | None:
        return self.secret_hashes.get(client_id)

    async def insert(self, client_id: str, secret_hash: str) -> bool:
        if client_id in self.secret_hashes:
            return False
        await self.upsert(client_id, secret_hash)
        return True

    async def upsert(self, client_id: str, secret_hash: str) -> None:
        self.secret_hashes[client_id] = secret_hash
        self.locks.setdefault(client_id, FakeLock()).forgive_all()
        self.created.setdefault(client_id, self.clock.now)

    async def set_secret(self, client_id: str, secret_hash: str) -> bool:
        if client_id not in self.secret_hashes:
            return False
        await self.upsert(client_id, secret_hash)
        return True

    async def list_all(self) -> list[ApiClient]:
        return [ApiClient(client_id, self.created[client_id], self.clock.now)
                for client_id in sorted(self.secret_hashes)]

    async def delete(self, client_id: str) -> bool:
        self.locks.pop(client_id, None)
        return self.secret_hashes.pop(client_id, None) is not None

    async def revoke(self, client_id: str, not_before: int, ttl_seconds: int) -> ClientCutoff:
        self.cutoffs[client_id] = max(self.cutoffs.get(client_id, not_before), not_before)
        return ClientCutoff(client_id, self.cutoffs[client_id])

    async def cutoff(self, client_id: str) -> ClientCutoff | None:
        found = self.cutoffs.get(client_id)
        return None if found is None else ClientCutoff(client_id, found)

    async def live_cutoffs(self) -> list[ClientCutoff]:
        return [ClientCutoff(client_id, not_before) for client_id, not_before in self.cutoffs.items()]


class FakeCredentials(Credentials):
    """Credentials by customer id; logins compare case-insensitively within a list."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.rows: dict[str, FakeCredentialRow] = {}

    def _by_login(self, customer_list_id: str, login: str) -> FakeCredentialRow | None:
        return next((row for row in self.rows.values() if row.customer_list_id == customer_list_id
                     and row.login.lower() == login.lower()), None)

    def _credential(self, row: FakeCredentialRow) -> Credential:
        lock = row.lock or FakeLock()
        return Credential(row.customer_id, row.customer_list_id, row.login, row.password_hash,
                          row.enabled, lock.attempt_seq - lock.cleared_through, lock.locked_until,
                          row.admin_locked, row.admin_locked or lock.locked(self.clock.now),
                          row.last_login_time, row.previous_login_time, row.created_at)

    async def by_login(self, customer_list_id: str, login: str) -> Credential | None:
        row = self._by_login(customer_list_id, login)
        return None if row is None else self._credential(row)

    async def by_id(self, customer_id: str) -> Credential | None:
        row = self.rows.get(customer_id)
        return None if row is None else self._credential(row)

    async def insert(self, customer_id: str, customer_list_id: str, login: str,
                     password_hash: str | None) -> bool:
        if customer_id in self.rows or self._by_login(customer_list_id, login) is not None:
            return False
        self.rows[customer_id] = FakeCredentialRow(customer_id, customer_list_id, login,
                                                   password_hash, self.clock.now, lock=FakeLock())
        return True

    async def delete(self, customer_id: str) -> bool:
        return self.rows.pop(customer_id, None) is not None

    async def record_login(self, customer_id: str) -> None:
        row = self.rows[customer_id]
        row.previous_login_time, row.last_login_time = row.last_login_time, self.clock.now

    async def set_password(self, customer_id: str, password_hash: str) -> None:
        row = self.rows[customer_id]
        row.password_hash = password_hash
        assert row.lock is not None
        row.lock.forgive_all()

    async def update(self, customer_id: str, login: str | None, enabled: bool | None,
                     locked: bool | None) -> CredentialState | None:
        row = self.rows.get(customer_id)
        if row is None:
            return None
        if login is not None:
            other = self._by_login(row.customer_list_id, login)
            if other is not None and other is not row:
                raise LoginTaken(login)
            row.login = login
        row.enabled = row.enabled if enabled is None else enabled
        row.admin_locked = row.admin_locked if locked is None else locked
        if locked is False:
            assert row.lock is not None
            row.lock.forgive_all()
        state = self._credential(row)
        return CredentialState(state.login, state.enabled, state.locked)


class FakeLoginAttempts(LoginAttempts):
    """The lockout's statements in their sequential order (the SQL, raced, is
    tests/integration/test_lockout.py). It keeps no rows of its own: the counts live on the
    credentials' and clients' fakes, which the unit restores on a rollback."""

    def __init__(self, credentials: FakeCredentials, clients: FakeClients, clock: FakeClock) -> None:
        self.credentials, self.clients, self.clock = credentials, clients, clock

    def _find(self, target: Target, key: tuple[str, ...]) -> tuple[str, FakeLock, bool, str | None] | None:
        """(key, lock, usable, secret hash) of the row the target's WHERE finds."""
        if target is CUSTOMERS:
            row = self.credentials._by_login(*key)
            if row is None or row.lock is None:
                return None
            return row.customer_id, row.lock, row.enabled and not row.admin_locked, row.password_hash
        assert target is CLIENTS
        [client_id] = key
        if client_id not in self.clients.secret_hashes:
            return None
        return client_id, self.clients.locks[client_id], True, self.clients.secret_hashes[client_id]

    def _lock(self, target: Target, key: str) -> FakeLock:
        if target is CUSTOMERS:
            lock = self.credentials.rows[key].lock
            assert lock is not None
            return lock
        return self.clients.locks[key]

    async def count(self, target: Target, policy: Policy, *key: str) -> Attempt | None:
        found = self._find(target, key)
        if found is None:
            return None
        found_key, lock, usable, secret_hash = found
        now = self.clock.now
        was_locked = lock.locked(now)
        if lock.locked_until is not None and lock.locked_until <= now:
            lock.cleared_through = lock.attempt_seq  # an ended lock: a fresh count
        lock.attempt_seq += 1
        if not was_locked:
            lock.locked_until = (now + timedelta(minutes=policy.minutes) if policy.max_attempts > 0
                                 and lock.attempt_seq - lock.cleared_through >= policy.max_attempts
                                 else None)
        return Attempt(found_key, lock.attempt_seq, not was_locked and usable, secret_hash)

    async def forgive(self, target: Target, attempt: Attempt, policy: Policy) -> None:
        lock = self._lock(target, attempt.key)
        lock.cleared_through = max(lock.cleared_through, attempt.ticket)
        if not (policy.max_attempts > 0
                and lock.attempt_seq - lock.cleared_through >= policy.max_attempts):
            lock.locked_until = None


class FakePasswordResets(PasswordResets):
    """One (token hash, expiry) per customer."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.tokens: dict[str, tuple[str, datetime]] = {}

    async def store(self, customer_id: str, token_hash: str, ttl_seconds: int) -> None:
        self.tokens[customer_id] = (token_hash, self.clock.now + timedelta(seconds=ttl_seconds))

    async def take(self, customer_id: str, token_hash: str) -> bool:
        stored = self.tokens.get(customer_id)
        if stored is None or stored[0] != token_hash or stored[1] <= self.clock.now:
            return False
        del self.tokens[customer_id]
        return True

    async def void(self, customer_id: str) -> None:
        self.tokens.pop(customer_id, None)


class FakeRevokedTokens(RevokedTokens):
    def __init__(self) -> None:
        self.tokens: dict[str, tuple[str | None, datetime]] = {}

    async def add(self, jti: str, customer_id: str | None, expires_at: datetime) -> bool:
        if jti in self.tokens:
            return False
        self.tokens[jti] = (customer_id, expires_at)
        return True

    async def is_revoked(self, jti: str) -> bool:
        return jti in self.tokens

    async def live(self) -> list[RevokedToken]:
        return [RevokedToken(jti, int(expires.timestamp())) for jti, (_, expires) in self.tokens.items()]


class FakeCustomerCutoffs(CustomerCutoffs):
    """A cut-off never moves back; the newer one's kept token wins (as the SQL)."""

    def __init__(self) -> None:
        self.cutoffs: dict[str, Cutoff] = {}

    async def revoke(self, customer_id: str, not_before: int, keep_jti: str | None,
                     ttl_seconds: int) -> Cutoff:
        old = self.cutoffs.get(customer_id)
        if old is None or not_before >= old.not_before:
            self.cutoffs[customer_id] = Cutoff(customer_id, not_before, keep_jti)
        return self.cutoffs[customer_id]

    async def get(self, customer_id: str) -> Cutoff | None:
        return self.cutoffs.get(customer_id)

    async def live(self) -> list[Cutoff]:
        return list(self.cutoffs.values())


class FakeAuthUnitOfWork(FakeUnitOfWork, AuthUnitOfWork):
    """Every auth repository in memory; ``outbox`` holds the domain events, ``hook_outbox``
    the hook events. One instance may be entered again and again (each time a new unit)."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.hook_outbox: FakeOutbox = FakeOutbox()
        self.credentials: FakeCredentials = FakeCredentials(self.clock)
        self.sessions: FakeSessions = FakeSessions(self.clock)
        self.clients: FakeClients = FakeClients(self.clock, agent="old-hash")
        self.attempts: FakeLoginAttempts = FakeLoginAttempts(self.credentials, self.clients, self.clock)
        self.resets: FakePasswordResets = FakePasswordResets(self.clock)
        self.revoked_tokens: FakeRevokedTokens = FakeRevokedTokens()
        self.customer_cutoffs: FakeCustomerCutoffs = FakeCustomerCutoffs()

    def repositories(self) -> list[object]:
        # Not ``attempts``: it holds no rows, only references to the fakes below.
        return [*super().repositories(), self.hook_outbox, self.credentials, self.sessions,
                self.clients, self.resets, self.revoked_tokens, self.customer_cutoffs]

    def wait(self, seconds: float) -> None:
        self.clock.now += timedelta(seconds=seconds)


class FakeCustomerPeer:
    """The customer service as auth calls it (``InternalClient.call``): profiles by id."""

    def __init__(self) -> None:
        self.profiles: dict[str, dict] = {}

    async def call(self, method: str, path: str, ctx: object, **_: object) -> tuple[int, dict, dict]:
        customer_id = path.split("/")[3] if path.startswith("/internal/customers/") else ""
        profile = self.profiles.get(customer_id)
        if profile is None:
            return 404, {"fault": {"type": "CustomerNotFoundException", "message": "no customer"}}, {}
        return 200, profile, {}
