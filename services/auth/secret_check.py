"""Checking a password or client secret: in line for a hashing thread, counted by the lockout.

The order is what makes both bounds hold: a place in the hash line first (a full line is a
503 before anything is written), then the attempt is counted and decided in one statement
(services/auth/lockout.py), then the hash is checked. Whether the login exists, is locked or
the password is wrong, the same statement runs and one hash is checked (the dummy one when
there is nothing to check against), so neither the answer nor its timing tells them apart.
"""
import asyncpg

from services.auth import lockout
from services.auth.passwords import Passwords
from shared.logging import get_logger

log = get_logger(__name__)


class SecretCheck:
    def __init__(self, pool: asyncpg.Pool, passwords: Passwords, target: lockout.Target,
                 policy: lockout.Policy):
        self.pool, self.passwords, self.target, self.policy = pool, passwords, target, policy

    async def attempt(self, secret: str, *key: str) -> asyncpg.Record | None:
        """The counted attempt (``key``, ``ticket``) if the secret is right, else None."""
        with self.passwords.admitted() as slot:
            async with self.pool.acquire() as conn:
                row = await lockout.count_attempt(conn, self.target, self.policy, *key)
            allowed = row is not None and row["allowed"]
            ok = await slot.verify(row["secret_hash"] if row is not None and allowed else None, secret)
        if not ok:
            reason = "unknown" if row is None else "wrong" if allowed else "refused"
            log.info("secret_check_failed", target=self.target.table, reason=reason)
            return None
        return row

    async def succeeded(self, conn, row: asyncpg.Record) -> None:
        """After the whole login succeeded: forgive what its ticket vouches for."""
        await lockout.forgive(conn, self.target, row["key"], row["ticket"], self.policy)
