"""Checking a password or client secret: in line for a hashing thread, counted by the lockout.

The order is what makes both bounds hold: a place in the hash line first (a full line is a
503 before anything is written), then the attempt is counted and decided in one statement
in a unit of its own, committed before the hash is checked (services/auth/lockout.py), then
the hash. Whether the login exists, is locked or the password is wrong, the same statement
runs and one hash is checked (the dummy one when there is nothing to check against), so
neither the answer nor its timing tells them apart.
"""
from services.auth import lockout
from services.auth.model import Attempt
from services.auth.passwords import Passwords
from services.auth.unit_of_work import AuthUnitOfWork
from shared.logging import get_logger

log = get_logger(__name__)


class SecretCheck:
    def __init__(self, passwords: Passwords, target: lockout.Target, policy: lockout.Policy):
        self.passwords, self.target, self.policy = passwords, target, policy

    async def attempt(self, uow: AuthUnitOfWork, secret: str, *key: str) -> Attempt | None:
        """The counted attempt if the secret is right, else None (``uow`` is entered here)."""
        with self.passwords.admitted() as slot:
            # Committed before the (slow) check: a crash in between leaves a failure counted.
            async with uow:
                attempt = await uow.attempts.count(self.target, self.policy, *key)
            allowed = attempt is not None and attempt.allowed
            ok = await slot.verify(attempt.secret_hash if attempt is not None and allowed else None,
                                   secret)
        if not ok:
            reason = "unknown" if attempt is None else "wrong" if allowed else "refused"
            log.info("secret_check_failed", target=self.target.table, reason=reason)
            return None
        return attempt

    async def succeeded(self, uow: AuthUnitOfWork, attempt: Attempt) -> None:
        """After the whole login succeeded, inside the open unit that records it: forgive
        what its ticket vouches for."""
        await uow.attempts.forgive(self.target, attempt, self.policy)

    async def login_succeeded(self, uow: AuthUnitOfWork, attempt: Attempt) -> int | None:
        """A customer's login: forgive, record the visit, read the cut-off (one statement)."""
        assert self.target is lockout.CUSTOMERS
        return await uow.attempts.login_succeeded(attempt, self.policy)
