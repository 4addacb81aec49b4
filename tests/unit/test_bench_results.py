"""The bench's reading of a wrk run (scripts/bench/results.py): what counts as the rate, an
error and a throttled run."""
import pytest

from scripts.bench.results import Measurement, compare, from_wrk, parse_wrk, percentile, table


def summary(statuses: dict, *, socket: dict | None = None, samples: list | None = None,
            seconds: float = 2.0) -> dict:
    return {"duration_us": int(seconds * 1e6), "requests": sum(statuses.values()),
            "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0} | (socket or {}),
            "non_2xx_3xx": 0, "statuses": statuses, "samples": samples or [],
            "latency_us": {"p50": 1500, "p90": 3000, "p99": 12000, "max": 20000, "mean": 2000.0}}


def test_the_summary_line_is_found_among_wrks_own_output():
    out = "Running 10s test @ http://x\n  2 threads\nBENCH-JSON {\"requests\": 3}\nRequests/sec: 1\n"
    assert parse_wrk(out) == {"requests": 3}


def test_a_run_without_a_summary_line_is_an_error_that_shows_the_output():
    with pytest.raises(ValueError, match="lua: script.lua:3: boom"):
        parse_wrk("lua: script.lua:3: boom\n")


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(100, 0, -1)]
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (50, 99, 100)
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 99) == 0.0


def test_only_2xx_answers_count_towards_the_rate_and_everything_else_is_an_error():
    m = from_wrk("get", summary({"200": 900, "404": 60, "301": 20, "503": 20}, socket={"timeout": 3}))
    assert m.rate == 450.0
    assert m.errors == 60 + 20 + 20 + 3
    assert (m.p50, m.p99) == (1.5, 12.0)
    assert m.throttled == 0


def test_429s_are_errors_and_mark_the_run_as_throttled():
    m = from_wrk("guest", summary({"200": 100, "429": 5}))
    assert (m.errors, m.throttled) == (5, 5)
    assert "5 x 429: throttled" in table([m])


def test_a_per_sample_scenario_reports_its_samples_not_its_requests():
    m = from_wrk("checkout", summary({"200": 90, "500": 1, "abandoned": 1},
                                     samples=[400.0, 100.0, 200.0, 300.0]), per_sample="orders/s")
    assert (m.rate, m.unit) == (2.0, "orders/s")
    assert (m.p50, m.p99) == (200.0, 400.0)
    assert m.errors == 1                       # the 500; "abandoned" counts passes, not answers
    assert m.extra["abandoned"] == 1
    assert m.extra["requests_per_s"] == 46.0


def test_the_ratio_is_to_the_named_baseline():
    base = Measurement("baseline 2-hop", 4000.0, 5.0, 20.0)
    m = compare(Measurement("get", 1000.0, 20.0, 60.0), base)
    assert (m.baseline, m.ratio) == ("baseline 2-hop", 0.25)
    assert "0.25 of baseline 2-hop" in table([base, m])
    assert compare(Measurement("x", 1.0, 1.0, 1.0), Measurement("idle", 0.0, 0, 0)).ratio is None
