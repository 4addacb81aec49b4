"""A token issued after a cut-off is never dead at birth (services/auth/revocation.py)."""
from types import SimpleNamespace

from services.auth import revocation


async def test_a_cut_off_is_waited_past_by_the_wall_clock_even_when_a_timer_fires_early(monkeypatch):
    """uvloop's timers can fire a little early by time.time(); a token issued then would
    carry the cut-off's own second (iat <= not_before) and be refused."""
    clock = [1000.2]
    sleeps: list[float] = []

    async def early_sleep(delay: float) -> None:
        sleeps.append(delay)
        clock[0] += delay - 0.003 if len(sleeps) == 1 else delay  # the first wakes 3 ms early

    monkeypatch.setattr(revocation, "time", SimpleNamespace(time=lambda: clock[0]))
    monkeypatch.setattr(revocation, "asyncio", SimpleNamespace(sleep=early_sleep))
    await revocation.wait_past(1000)
    assert int(clock[0]) == 1001 and len(sleeps) == 2


async def test_nothing_is_waited_for_once_the_second_is_past(monkeypatch):
    async def no_sleep(delay: float) -> None:
        raise AssertionError("slept")

    monkeypatch.setattr(revocation, "time", SimpleNamespace(time=lambda: 1001.0))
    monkeypatch.setattr(revocation, "asyncio", SimpleNamespace(sleep=no_sleep))
    await revocation.wait_past(1000)
