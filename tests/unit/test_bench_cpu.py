"""scripts/bench/cpu.py: roles, /proc parsing and the per-request arithmetic."""
import time
from pathlib import Path

from scripts.bench import cpu

ROOT = Path("/work/checkout")


def test_platform_processes_of_this_checkout_are_named_by_module():
    python = "/work/checkout/.venv/bin/python"
    assert cpu.role_of([python, "-m", "gateway"], str(ROOT), ROOT) == "gateway"
    assert cpu.role_of([python, "-m", "services.order"], str(ROOT), ROOT) == "order"
    assert cpu.role_of([python, "-m", "services.customer_list"], str(ROOT), ROOT) == "customer_list"
    assert cpu.role_of([python, "-m", "scripts.bench.baseline", "forward", "--port", "1"],
                       str(ROOT), ROOT) == "baseline forward"


def test_another_checkouts_platform_is_other():
    assert cpu.role_of(["python", "-m", "gateway"], "/work/wt/elsewhere", ROOT) == "other"
    assert cpu.role_of(["python", "-m", "gateway"], None, ROOT) == "other"


def test_servers_and_load_generator_by_executable():
    assert cpu.role_of(["postgres: 15/main: postgres ocapi 127.0.0.1(50276)", ""], None, ROOT) == "postgres"
    assert cpu.role_of(["/usr/lib/postgresql/15/bin/postgres", "-D", "/x"], None, ROOT) == "postgres"
    assert cpu.role_of(["/usr/lib/erlang/erts-13.1.5/bin/beam.smp", "-W", "w"], None, ROOT) == "rabbitmq"
    assert cpu.role_of(["wrk", "-t2", "-c32"], str(ROOT), ROOT) == "wrk"
    assert cpu.role_of([""], None, ROOT) == "other"
    assert cpu.role_of([], None, ROOT) == "other"


def test_ticks_survive_a_command_name_with_spaces_and_parens():
    stat = "42 (my (odd) name) S 1 42 42 0 -1 4194560 100 0 0 0 700 55 0 0 20 0 1 0 5 0 0"
    assert cpu.ticks_of(stat) == 755


def test_machine_ticks_count_iowait_as_idle():
    busy, idle = cpu.machine_ticks("cpu  100 5 50 800 20 0 5 0 0 0\ncpu0 1 2 3 4\n")
    assert (busy, idle) == (160, 820)


def _snap(at, processes, busy, idle):
    return cpu.Snapshot(at, processes, busy, idle)


def test_spent_counts_new_processes_from_zero_and_splits_by_role():
    tick = cpu.TICK
    before = _snap(0.0, {1: ("gateway", 10 * tick), 2: ("postgres", 0)}, 0, 0)
    after = _snap(2.0, {1: ("gateway", 11 * tick), 2: ("postgres", tick // 2),
                        3: ("postgres", tick // 2)}, 3 * tick, tick)
    usage = cpu.spent(before, after)
    assert usage["cores"] == {"gateway": 0.5, "postgres": 0.5}
    assert usage["idle_share"] == 0.25
    per = cpu.per_unit(usage, 1000)  # 1,000 requests in the 2 s
    assert per == {"gateway": 1.0, "postgres": 1.0, "total": 2.0}
    text = cpu.line(usage, per)
    assert "gateway 1.00" in text and "= 2.00" in text and "idle 25 %" in text


def test_reaped_children_are_the_load_generator():
    before = _snap(0.0, {}, 0, 0)
    before.children = 1.0
    after = _snap(1.0, {}, cpu.TICK, 0)
    after.children = 1.25
    assert cpu.spent(before, after)["cores"] == {"wrk": 0.25}


def test_no_requests_no_per_request_figures():
    assert cpu.per_unit({"seconds": 1.0, "cores": {"gateway": 1.0}}, 0) == {}


def test_a_real_snapshot_sees_this_process_work():
    before = cpu.Snapshot.take()
    deadline = before.at + 0.3
    while time.monotonic() < deadline:
        sum(range(10_000))
    usage = cpu.spent(before, cpu.Snapshot.take())
    assert usage["cores"].get("other", 0) > 0.1  # pytest itself is neither platform nor server
