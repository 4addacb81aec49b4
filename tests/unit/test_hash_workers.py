"""How many argon2id threads auth runs when AUTH_HASH_WORKERS is unset (services/auth/passwords.py)."""
import os

import pytest

from services.auth.passwords import Passwords, usable_cores
from services.auth.settings import AuthSettings

AFFINITY = len(os.sched_getaffinity(0))


@pytest.mark.parametrize(("cpu_max", "expected"), [
    ("max 100000\n", AFFINITY),                   # no CPU limit: every core it may run on
    ("50000 100000\n", 1),                        # half a core still needs one thread
    ("100000 100000\n", 1),
    (f"{100000 * AFFINITY + 1} 100000\n", AFFINITY),  # a limit above the cores: the cores
    ("not a quota\n", AFFINITY),
])
def test_one_thread_per_core_it_may_use(tmp_path, cpu_max, expected):
    path = tmp_path / "cpu.max"
    path.write_text(cpu_max)
    assert usable_cores(path) == expected


def test_without_a_cgroup_limit_the_affinity_counts(tmp_path):
    assert usable_cores(tmp_path / "absent") == AFFINITY


def test_the_setting_wins_and_the_line_grows_with_the_workers():
    unset = Passwords(AuthSettings(argon2_time_cost=1, argon2_memory_kib=64, hash_queue_max=16))
    given = Passwords(AuthSettings(argon2_time_cost=1, argon2_memory_kib=64, hash_workers=3,
                                   hash_queue_max=16))
    try:
        assert (unset.workers, unset.capacity) == (usable_cores(), usable_cores() + 16)
        assert (given.workers, given.capacity, given.pool._max_workers) == (3, 19, 3)
    finally:
        unset.close()
        given.close()
