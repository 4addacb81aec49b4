"""The failed-login lockout, counted before a password is checked, for logins and OAuth clients.

Every attempt takes a ticket (``attempt_seq + 1``) in ONE statement that also decides
whether it may be verified at all; the attempts since ``cleared_through`` count as failures
until a success forgives them. ``locked_until`` is set by the statement that counts the Nth
attempt, before any of them is verified. Row locks order the statements, and that order is
the sequential history every outcome must match. The interleavings, worked through:

- N wrong guesses at once: they take tickets 1..N one after another; ticket N sets the lock,
  ticket N+1 onwards finds it and is never verified. The same as N sequential guesses.
- The right password after the Nth attempt is counted: refused until the lock ends (it is
  answered like a wrong password, after verifying against the dummy hash).
- A success forgives only tickets up to its own (``greatest``): failures counted after it
  stay counted, however their checks finish. One counted before it (its check still running)
  is forgiven, as in the sequential order, where it came before the success.
- A success lifts the lock only when fewer than N attempts were counted after its ticket:
  then the sequential history (attempts ordered by ticket) holds no lock either. Attempts
  refused meanwhile count too, because they were answered as failures.
- The first attempt after the lock ends forgives everything before it (a fresh count, so one
  more failure is not an instant re-lock); a late success of an older ticket changes nothing.
- A crash between counting and checking leaves the attempt counted as a failure: fail safe.
- A request shed because the hash queue is full is refused before it is counted.
"""
import abc
from dataclasses import dataclass

import asyncpg

from services.auth.model import Attempt
from shared.db import Connection


@dataclass(frozen=True)
class Policy:
    max_attempts: int   # 0: count attempts but never lock
    minutes: int


@dataclass(frozen=True)
class Target:
    """What is locked out. Fixed SQL fragments: nothing here comes from a request."""
    table: str
    key: str
    where: str          # finds the row from $3 (and $4)
    secret_hash: str    # the column holding the argon2id hash
    usable: str         # may log in at all, lockout aside

    @property
    def count_sql(self) -> str:
        return f"""
            WITH cur AS (
                SELECT {self.key}, attempt_seq,
                       CASE WHEN locked_until <= now() THEN attempt_seq ELSE cleared_through END
                           AS cleared,
                       coalesce(locked_until > now(), false) AS was_locked, locked_until
                FROM {self.table} WHERE {self.where} FOR UPDATE
            )
            UPDATE {self.table} AS t SET
                attempt_seq = cur.attempt_seq + 1,
                cleared_through = cur.cleared,
                locked_until = CASE
                    WHEN cur.was_locked THEN cur.locked_until
                    WHEN $1 > 0 AND cur.attempt_seq + 1 - cur.cleared >= $1
                        THEN now() + make_interval(mins => $2)
                    END,
                updated_at = now()
            FROM cur WHERE t.{self.key} = cur.{self.key}
            RETURNING t.{self.key} AS key, t.attempt_seq AS ticket,
                      NOT cur.was_locked AND {self.usable} AS allowed,
                      t.{self.secret_hash} AS secret_hash"""


CUSTOMERS = Target("auth.credentials", "customer_id",
                   "customer_list_id = $3 AND lower(login) = lower($4)", "password_hash",
                   "t.enabled AND NOT t.admin_locked")
CLIENTS = Target("auth.api_clients", "client_id", "client_id = $3", "secret_hash", "true")

# A customer's visit (auth.credentials): the last login becomes the previous one.
RECORD_VISIT = "previous_login_time = last_login_time, last_login_time = now()"


async def count_attempt(conn, target: Target, policy: Policy, *key: str) -> asyncpg.Record | None:
    """Count an attempt and decide whether it may be checked: (key, ticket, allowed,
    secret_hash), or None when nothing matches (the same single statement ran)."""
    return await conn.fetchrow(target.count_sql, policy.max_attempts, policy.minutes, *key)


def _forgive_sql(target: Target, also: str = "", returning: str = "") -> str:
    return (f"UPDATE {target.table} SET cleared_through = greatest(cleared_through, $2),"
            " locked_until = CASE WHEN $3 > 0 AND attempt_seq - greatest(cleared_through, $2) >= $3"
            f" THEN locked_until END, {also}updated_at = now()"
            f" WHERE {target.key} = $1{returning}")


async def forgive(conn, target: Target, key: str, ticket: int, policy: Policy) -> None:
    """A success with ``ticket``: forgive the attempts counted up to it, and no later ones."""
    await conn.execute(_forgive_sql(target), key, ticket, policy.max_attempts)


# A customer's whole successful login in one statement (one round trip, no transaction): the
# same forgiving, the visit times, and the customer's live revocation cut-off read back (what
# CustomerCutoffs.get reads), so the token issued next can wait past it.
_LOGIN_SUCCEEDED = _forgive_sql(
    CUSTOMERS, also=f"{RECORD_VISIT}, ",
    returning=" RETURNING (SELECT r.not_before FROM auth.customer_revocations r"
              " WHERE r.customer_id = $1 AND r.expires_at > now()) AS not_before")


async def login_succeeded(conn, key: str, ticket: int, policy: Policy) -> int | None:
    """``forgive`` a customer's login, record its visit; the cut-off's ``not_before``, if any."""
    return await conn.fetchval(_LOGIN_SUCCEEDED, key, ticket, policy.max_attempts)


class LoginAttempts(abc.ABC):
    """The lockout as a repository of the unit of work (``uow.attempts``); the unit tests fake
    its sequential rules, tests/integration/test_lockout.py races the SQL itself."""

    @abc.abstractmethod
    async def count(self, target: Target, policy: Policy, *key: str) -> Attempt | None:
        """Count an attempt and decide whether it may be checked (``count_attempt``)."""

    @abc.abstractmethod
    async def forgive(self, target: Target, attempt: Attempt, policy: Policy) -> None:
        """After a success: forgive the attempts counted up to its ticket (``forgive``)."""

    @abc.abstractmethod
    async def login_succeeded(self, attempt: Attempt, policy: Policy) -> int | None:
        """A customer's login succeeded: ``forgive`` it, record the visit and read the
        customer's live revocation cut-off (its ``not_before``), in ONE statement."""


class PostgresLoginAttempts(LoginAttempts):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def count(self, target: Target, policy: Policy, *key: str) -> Attempt | None:
        # ONE statement, whatever the unit around it: its atomicity is the lockout's bound.
        row = await count_attempt(self._conn, target, policy, *key)
        return None if row is None else Attempt(**dict(row))

    async def forgive(self, target: Target, attempt: Attempt, policy: Policy) -> None:
        await forgive(self._conn, target, attempt.key, attempt.ticket, policy)

    async def login_succeeded(self, attempt: Attempt, policy: Policy) -> int | None:
        return await login_succeeded(self._conn, attempt.key, attempt.ticket, policy)


# Forgives every attempt so far: a new password (or an administrator's unlock) starts afresh.
FORGIVE_ALL = "cleared_through = attempt_seq, locked_until = NULL"
