"""`make soak`'s pure parts (scripts/bench/soak.py): reading RSS from /proc, the flat-memory
verdict, the pass rule and the pacing."""
import os

import pytest

from scripts.bench.soak import Memory, passed, period_ms, read_rss, rss_kib

STATUS = "Name:\tpython\nVmPeak:\t  812340 kB\nVmRSS:\t   98765 kB\nRssAnon:\t   80000 kB\nThreads:\t3\n"


def test_rss_is_the_vmrss_line_in_kib():
    assert rss_kib(STATUS) == 98765


def test_a_process_without_vmrss_has_none():
    # Kernel threads and zombies have no VmRSS line.
    assert rss_kib("Name:\tkworker/0:1\nState:\tI (idle)\n") is None


def test_an_unknown_unit_is_refused_not_misread():
    with pytest.raises(ValueError, match="unit"):
        rss_kib("VmRSS:\t 12 MB\n")


def test_this_process_has_a_resident_set_and_a_gone_one_none():
    assert (read_rss(os.getpid()) or 0) > 1000
    assert read_rss(2 ** 22 + 1) is None  # above pid_max's default: never a live pid


def test_memory_within_the_tolerance_of_the_first_sample_is_flat():
    v = Memory("gateway", [100_000, 104_000, 109_000, 107_000]).verdict(0.10)
    assert v["flat"] and (v["first_kib"], v["last_kib"], v["max_kib"]) == (100_000, 107_000, 109_000)
    assert v["growth"] == 0.07 and v["max_over_first"] == 0.09


def test_a_peak_more_than_the_tolerance_above_the_first_sample_is_not_flat():
    v = Memory("order", [100_000, 105_000, 111_000, 108_000]).verdict(0.10)
    assert not v["flat"] and "11.0% above" in v["why"]


def test_a_steady_climb_fails_even_if_each_step_is_small():
    v = Memory("customer", [100_000 + 2_000 * n for n in range(10)]).verdict(0.10)
    assert not v["flat"] and v["last_kib"] == 118_000


def test_shrinking_memory_is_flat():
    assert Memory("auth", [120_000, 90_000, 95_000]).verdict(0.10)["flat"]


def test_a_process_that_went_away_or_was_never_sampled_fails():
    gone = Memory("order", [100_000, None]).verdict(0.10)
    assert not gone["flat"] and "went away" in gone["why"]
    assert not Memory("order", []).verdict(0.10)["flat"]


def test_the_run_passes_only_flat_and_without_errors():
    flat, grown = {"flat": True}, {"flat": False}
    assert passed({"gateway": flat, "auth": flat}, errors=0)
    assert not passed({"gateway": flat, "auth": flat}, errors=1)
    assert not passed({"gateway": flat, "auth": grown}, errors=0)
    assert not passed({}, errors=0)


def test_pacing_spreads_the_share_of_the_rate_over_the_threads():
    # 2 threads holding 80 % of 1,000 req/s: each starts one request every 2.5 ms.
    assert period_ms(1000, 2, 0.8) == pytest.approx(2.5)
    assert period_ms(10, 4, 0.5) == pytest.approx(800)
    with pytest.raises(ValueError):
        period_ms(0, 2, 0.8)
