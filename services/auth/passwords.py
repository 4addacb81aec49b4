"""argon2id hashing off the event loop behind a bounded line, and the password policy.

Hashing is the one costly thing an anonymous client can ask for (logins, OAuth secrets,
reset completion, registration). At most ``hash_workers`` jobs run and ``hash_queue_max``
more requests wait; the next one is refused at once with a 503 and ``Retry-After`` instead
of queueing without bound, so a storm of bad logins cannot push a good one past its budget.
"""
import asyncio
import math
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.auth.settings import AuthSettings
from shared.http.faults import OcapiFault
from shared.metrics import ARGON2_QUEUE_DEPTH, ARGON2_REJECTED


class HashQueueFull(OcapiFault):
    status = 503
    fault_type = "ServiceUnavailableException"
    message = "Too many password checks are waiting. Try again shortly."


class HashSlot:
    """One request's place in the line; its jobs run one after another in it."""

    def __init__(self, passwords: "Passwords"):
        self.passwords = passwords
        self.job: Future | None = None

    async def hash(self, password: str) -> str:
        return await self._run(self.passwords.hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """False for no hash, after checking the dummy one so timing reveals nothing."""
        return await self._run(self.passwords.check, password_hash, password)

    async def _run(self, fn: Callable, *args):
        self.job = self.passwords.pool.submit(fn, *args)
        return await asyncio.wrap_future(self.job)

    def release(self) -> None:
        # A cancelled request leaves its running job behind: the place frees when it ends,
        # so the bound counts the threads' real work.
        job = self.job
        if job is None or job.done():
            self.passwords.leave()
            return
        loop = asyncio.get_running_loop()
        job.add_done_callback(lambda _: _soon(loop, self.passwords.leave))


def _soon(loop: asyncio.AbstractEventLoop, fn: Callable[[], None]) -> None:
    try:
        loop.call_soon_threadsafe(fn)
    except RuntimeError:
        pass  # the loop is gone: so is the count


class Passwords:
    def __init__(self, settings: AuthSettings):
        self.settings = settings
        self.hasher = PasswordHasher(time_cost=settings.argon2_time_cost,
                                     memory_cost=settings.argon2_memory_kib,
                                     parallelism=settings.argon2_parallelism)
        self.workers = settings.hash_workers or usable_cores()
        self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="argon2")
        self.capacity = self.workers + settings.hash_queue_max
        self.in_line = 0
        # Verified against when the login is unknown, so timing doesn't reveal accounts.
        self.dummy_hash = self.hasher.hash("not-a-real-password")

    @contextmanager
    def admitted(self) -> Iterator[HashSlot]:
        """A place in line, or HashQueueFull at once: callers take it before any other work
        (counting a login attempt), so a refused request leaves nothing behind."""
        if self.in_line >= self.capacity:
            ARGON2_REJECTED.inc()
            raise HashQueueFull(headers={"Retry-After": str(self.settings.hash_retry_after_seconds)})
        self.in_line += 1
        ARGON2_QUEUE_DEPTH.inc()
        slot = HashSlot(self)
        try:
            yield slot
        finally:
            slot.release()

    def leave(self) -> None:
        self.in_line -= 1
        ARGON2_QUEUE_DEPTH.dec()

    async def hash(self, password: str) -> str:
        with self.admitted() as slot:
            return await slot.hash(password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        with self.admitted() as slot:
            return await slot.verify(password_hash, password)

    def check(self, password_hash: str | None, password: str) -> bool:
        """In a hashing thread."""
        try:
            return self.hasher.verify(password_hash or self.dummy_hash, password) and \
                password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

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


CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def usable_cores(cpu_max: Path = CPU_MAX) -> int:
    """The cores this process can keep busy: those it may run on, capped by its container's
    CPU limit (cgroup v2 quota). argon2id is all CPU, so a hashing thread per core is the
    most that adds throughput; more threads than the limit only take CPU time from the event
    loop and get the container throttled."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            cores = min(cores, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass  # no cgroup v2 limit to read: the affinity stands
    return max(1, cores)


_LOGIN = re.compile(r"^\S(?:[^\x00-\x1f\x7f]{0,254}\S)?$")


def valid_login(login: str) -> bool:
    """1-256 characters, no control characters, no leading or trailing blanks."""
    return len(login) <= 256 and bool(_LOGIN.match(login))
