"""What argon2id verification alone allows on this machine: the ceiling for credential logins.

One process per core, each verifying a hash made with the auth service's parameters
(services/auth/settings.py) in a loop, so no GIL, event loop or HTTP stands in the way."""
import multiprocessing
import os
import time

from argon2 import PasswordHasher

from services.auth.settings import AuthSettings


def _verify_for(args: tuple[str, float]) -> tuple[int, list[float]]:
    encoded, seconds = args
    # The hash carries its parameters: verify uses them, whatever the hasher's own.
    hasher, durations = PasswordHasher(), []
    deadline = time.perf_counter() + seconds
    while (started := time.perf_counter()) < deadline:
        hasher.verify(encoded, "Bench!pass1")
        durations.append((time.perf_counter() - started) * 1000)
    return len(durations), durations


def verify_limit(seconds: float, processes: int | None = None) -> tuple[float, list[float], dict]:
    """(verifications/s on all cores, each verification's ms, the parameters used)."""
    processes = processes or os.cpu_count() or 1
    # The auth service's settings, from the same environment variables (AUTH_ARGON2_*).
    s = AuthSettings()
    hasher = PasswordHasher(time_cost=s.argon2_time_cost, memory_cost=s.argon2_memory_kib,
                            parallelism=s.argon2_parallelism)
    encoded = hasher.hash("Bench!pass1")
    ctx = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with ctx.Pool(processes) as pool:
        runs = pool.map(_verify_for, [(encoded, seconds)] * processes)
    elapsed = time.perf_counter() - started
    total = sum(n for n, _ in runs)
    durations = [d for _, ds in runs for d in ds]
    params = {"time_cost": hasher.time_cost, "memory_kib": hasher.memory_cost,
              "parallelism": hasher.parallelism, "processes": processes}
    # The pool's start-up is not verification time: rate over the loops' own seconds.
    return total / min(seconds, elapsed), durations, params
