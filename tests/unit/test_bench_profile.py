"""The bench's summary of py-spy's raw stacks (scripts/bench/profile.py)."""
from scripts.bench.profile import frame_name, summarise

LOOP = ("_run_module_as_main (<frozen runpy>:198);main (gateway/__main__.py:15);"
        "BaseEventLoop.run_forever (asyncio/base_events.py:607);"
        "BaseEventLoop._run_once (asyncio/base_events.py:1884)")
RAW = "\n".join([
    f"{LOOP};EpollSelector.select (selectors.py:468) 50",
    (f"{LOOP};handle (gateway/dispatch.py:10);TokenVerifier.verify (shared/security/tokens.py:40);"
    "ECAlgorithm.verify (authlib/jose/rfc7518/jws_algs.py:90) 30"),
    f"{LOOP};handle (gateway/dispatch.py:12);TokenVerifier.verify (shared/security/tokens.py:41) 10",
    f"{LOOP};handle (gateway/dispatch.py:20);PrintLogger.msg (structlog/_output.py:5) 60",
    "Thread._bootstrap (threading.py:1002);_worker (concurrent/futures/thread.py:81) 40",
])


def test_a_functions_lines_are_one_name():
    assert frame_name("handle (gateway/dispatch.py:10)") == "handle (gateway/dispatch.py)"
    assert frame_name("<module> (<frozen runpy>)") == "<module> (<frozen runpy>)"


def test_waiting_samples_are_left_out_and_shares_are_of_busy_samples():
    s = summarise(RAW)
    assert (s["busy"], s["idle"]) == (100, 90)
    assert s["self"] == [("PrintLogger.msg (structlog/_output.py)", 60.0),
                         ("ECAlgorithm.verify (authlib/jose/rfc7518/jws_algs.py)", 30.0),
                         ("TokenVerifier.verify (shared/security/tokens.py)", 10.0)]
    total = dict(s["total"])
    assert total["handle (gateway/dispatch.py)"] == 100.0
    assert total["TokenVerifier.verify (shared/security/tokens.py)"] == 40.0
    assert not any("runpy" in name or "run_forever" in name for name in total)
    watch = dict(s["watch"])
    assert watch["JWT verification (TokenVerifier.verify)"] == 40.0
    assert watch["logging (structlog, logging)"] == 60.0


def test_a_profile_without_busy_samples_has_no_shares():
    assert summarise(f"{LOOP};EpollSelector.select (selectors.py:468) 5\n") == {
        "busy": 0, "idle": 5, "self": [], "total": [], "watch": []}
