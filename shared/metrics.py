"""Every Prometheus metric the processes export, in the default registry of each process.

Served on each process's own metrics listener (shared/metrics_server.py), never on its
public port. Label values are bounded: a route is its resource pattern, never the raw path;
a queue, schema or extension point comes from configuration, never from a request.
docs/operations.md ("Metrics") lists them with their meaning.
"""
from collections.abc import Iterator

import asyncpg
from prometheus_client import REGISTRY, Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

# A `_created` sample per counter child doubles what every scrape carries and no panel reads it.
disable_created_metrics()

# Seconds: a request or a hook call is fast (ms) or has hit a budget (10 s, the hook's timeout).
LATENCY_BUCKETS = (.002, .005, .01, .025, .05, .1, .25, .5, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter(
    "ocapi_http_requests", "Requests answered, by process, route pattern, method and status.",
    ["service", "route", "method", "status"])
HTTP_LATENCY = Histogram(
    "ocapi_http_request_duration_seconds", "Time from request to response, by route pattern.",
    ["service", "route", "method"], buckets=LATENCY_BUCKETS)

OUTBOX_BACKLOG = Gauge(
    "ocapi_outbox_backlog", "Outbox rows not yet published (read at scrape time).", ["schema"])
OUTBOX_OLDEST_AGE = Gauge(
    "ocapi_outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox row; 0 when there is none.", ["schema"])
RELAY_PUBLISHED = Counter(
    "ocapi_relay_published", "Outbox events the relay published (confirmed and marked).", ["schema"])
RELAY_FAILURES = Counter(
    "ocapi_relay_failures", "Relay rounds that failed and backed off (broker or database away).",
    ["schema"])

CONSUMER_MESSAGES = Counter(
    "ocapi_consumer_messages", "Messages a consumer handled (applied or duplicate).", ["queue"])
CONSUMER_RETRIES = Counter(
    "ocapi_consumer_retries", "Failed messages sent to a delay queue for another try.", ["queue"])
CONSUMER_DEAD_LETTERS = Counter(
    "ocapi_consumer_dead_letters", "Messages parked in the queue's DLQ after their last try.",
    ["queue"])
CONSUMER_LAG = Histogram(
    "ocapi_consumer_lag_seconds", "From an event's occurred_at to its consumer applying it.",
    ["queue"], buckets=(.01, .05, .1, .25, .5, 1.0, 2.5, 5.0, 15.0, 60.0, 300.0, 1800.0))
DEAD_LETTERS_REDRIVEN = Counter(
    "ocapi_dead_letters_redriven", "Parked messages sent back to their queue.", ["queue"])

HOOK_LATENCY = Histogram(
    "ocapi_hook_duration_seconds", "Decision-hook calls, from publish to reply or give-up.",
    ["extension_point"], buckets=LATENCY_BUCKETS)
HOOK_TIMEOUTS = Counter(
    "ocapi_hook_timeouts", "Decision-hook calls that got no reply within their budget.",
    ["extension_point"])
HOOK_FAILURES = Counter(
    "ocapi_hook_failures", "Decision-hook calls without a usable answer, by reason.",
    ["extension_point", "reason"])
HOOK_BREAKER_STATE = Gauge(
    "ocapi_hook_breaker_state", "Circuit breaker per hook: 0 closed, 1 open, 2 half-open.",
    ["extension_point"])

ARGON2_QUEUE_DEPTH = Gauge(
    "ocapi_argon2_queue_depth", "Password hashing jobs running or waiting in auth's line.")
ARGON2_REJECTED = Counter(
    "ocapi_argon2_rejected", "Requests refused with a 503 because the hashing line was full.")

EVENT_LOOP_LAG = Gauge(
    "ocapi_event_loop_lag_seconds", "How late the event loop woke a periodic sleep, last measured.")
METRIC_PROBE_FAILURES = Counter(
    "ocapi_metrics_probe_failures", "Scrape-time measurements that failed or timed out.", ["probe"])

class HookMetrics:
    """One extension point's children, labelled once when the hook client is built."""

    def __init__(self, point: str):
        self.point = point
        self.latency = HOOK_LATENCY.labels(point)
        self.timeouts = HOOK_TIMEOUTS.labels(point)
        self.breaker = HOOK_BREAKER_STATE.labels(point)
        self.breaker.set(0)  # an alert on "open" needs the closed series to exist first

    def failed(self, reason: str) -> None:
        # reason is one of HookUnavailable's few fixed words, never caller input.
        HOOK_FAILURES.labels(self.point, reason).inc()
        if reason == "timeout":
            self.timeouts.inc()

    def breaker_is(self, breaker) -> None:
        """``breaker``: a shared.messaging.hook_config.CircuitBreaker (not imported: no cycle)."""
        self.breaker.set(0 if not breaker.is_open else 2 if breaker.trial_running else 1)


# Not weak (asyncpg's Pool takes no weak reference): a closed pool is dropped the next time
# one is watched or the pools are read, so the list holds the process's live pools only.
_pools: list[tuple[str, asyncpg.Pool]] = []


def watch_pool(name: str, pool: asyncpg.Pool) -> None:
    """Export ``pool``'s size, in-use and idle connections as ``ocapi_db_pool_*{pool=name}``
    for as long as it is open."""
    _pools[:] = [*_live_pools(), (name, pool)]


def _live_pools() -> list[tuple[str, asyncpg.Pool]]:
    return [(name, pool) for name, pool in _pools if not pool.is_closing()]


class PoolCollector(Collector):
    """Read at scrape time: the pools know their numbers, nothing is counted per acquire."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        size = GaugeMetricFamily("ocapi_db_pool_size", "Connections the asyncpg pool holds.",
                                 labels=["pool"])
        in_use = GaugeMetricFamily("ocapi_db_pool_in_use", "Connections acquired right now.",
                                   labels=["pool"])
        idle = GaugeMetricFamily("ocapi_db_pool_idle", "Connections open and free.",
                                 labels=["pool"])
        limit = GaugeMetricFamily("ocapi_db_pool_max", "The pool's maximum size.", labels=["pool"])
        totals: dict[str, list[int]] = {}
        _pools[:] = _live_pools()
        for name, pool in _pools:
            # Several pools of one name only in tests (several platforms in one process).
            total = totals.setdefault(name, [0, 0, 0])
            total[0] += pool.get_size()
            total[1] += pool.get_idle_size()
            total[2] += pool.get_max_size()
        for name, (pool_size, pool_idle, pool_max) in totals.items():
            size.add_metric([name], pool_size)
            in_use.add_metric([name], pool_size - pool_idle)
            idle.add_metric([name], pool_idle)
            limit.add_metric([name], pool_max)
        yield from (size, in_use, idle, limit)

    def describe(self) -> Iterator[GaugeMetricFamily]:
        return iter(())  # no fixed samples to check for clashes at registration


REGISTRY.register(PoolCollector())
