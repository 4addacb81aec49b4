"""argon2id hashing off the event loop, and the configurable password policy."""
import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.auth.settings import AuthSettings


class Passwords:
    def __init__(self, settings: AuthSettings):
        self.settings = settings
        self.hasher = PasswordHasher(time_cost=settings.argon2_time_cost,
                                     memory_cost=settings.argon2_memory_kib,
                                     parallelism=settings.argon2_parallelism)
        self.pool = ThreadPoolExecutor(settings.hash_workers, thread_name_prefix="argon2")
        # Verified against when the login is unknown, so timing doesn't reveal accounts.
        self.dummy_hash = self.hasher.hash("not-a-real-password")

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self.pool, self.hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        def check() -> bool:
            try:
                return self.hasher.verify(password_hash or self.dummy_hash, password) and \
                    password_hash is not None
            except (VerificationError, InvalidHashError):
                return False
        return await asyncio.get_running_loop().run_in_executor(self.pool, check)

    def meets_policy(self, password: str) -> bool:
        s = self.settings
        # The length first: nothing scans a password longer than any policy allows.
        if not s.password_min_length <= len(password) <= 4096:
            return False
        checks = [
            not s.password_require_upper or re.search(r"[A-Z]", password),
            not s.password_require_lower or re.search(r"[a-z]", password),
            not s.password_require_digit or re.search(r"[0-9]", password),
            not s.password_require_special or re.search(r"[^A-Za-z0-9]", password),
        ]
        return all(checks)

    def close(self) -> None:
        self.pool.shutdown(wait=False)


_LOGIN = re.compile(r"^\S(?:[^\x00-\x1f\x7f]{0,254}\S)?$")


def valid_login(login: str) -> bool:
    """1-256 characters, no control characters, no leading or trailing blanks."""
    return len(login) <= 256 and bool(_LOGIN.match(login))
