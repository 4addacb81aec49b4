"""Token buckets and client addresses: the rules, with a fake clock and no I/O."""
import ipaddress

import pytest
from pydantic import ValidationError

from gateway.client_ip import bucket_key, client_address, parse_networks
from gateway.ratelimit import Buckets, Rate, RateLimits
from gateway.settings import GatewaySettings


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_says_how_long_to_wait():
    clock = Clock()
    buckets = Buckets(Rate(per_minute=60, burst=3), max_buckets=10, clock=clock)
    assert [buckets.take("ip") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("ip") == pytest.approx(1.0)
    clock.now += 0.5
    assert buckets.take("ip") == pytest.approx(0.5)


def test_a_bucket_refills_at_its_rate_and_never_past_its_burst():
    clock = Clock()
    buckets = Buckets(Rate(per_minute=60, burst=2), max_buckets=10, clock=clock)
    buckets.take("ip"), buckets.take("ip")
    clock.now += 1.0
    assert buckets.take("ip") == 0.0
    assert buckets.take("ip") > 0.0
    clock.now += 3600
    assert [buckets.take("ip") for _ in range(3)][:2] == [0.0, 0.0]
    assert buckets.take("ip") > 0.0


def test_keys_have_their_own_buckets():
    buckets = Buckets(Rate(per_minute=1, burst=1), max_buckets=10, clock=Clock())
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0.0
    assert buckets.take("b") == 0.0


def test_rotating_keys_cannot_grow_the_map_past_its_bound():
    clock = Clock()
    buckets = Buckets(Rate(per_minute=1, burst=5), max_buckets=1000, clock=clock)
    for n in range(50_000):
        buckets.take(f"10.{n // 65536}.{n // 256 % 256}.{n % 256}")
        clock.now += 0.001
    assert len(buckets) == 1000


def test_buckets_that_refilled_are_dropped():
    clock = Clock()
    buckets = Buckets(Rate(per_minute=60, burst=2), max_buckets=1000, clock=clock)
    for n in range(500):
        buckets.take(f"login-{n}")
    clock.now += 2.0  # every bucket is full again
    buckets.take("someone-else")
    assert len(buckets) == 1


def test_the_least_recently_used_bucket_goes_first():
    clock = Clock()
    buckets = Buckets(Rate(per_minute=1, burst=1), max_buckets=2, clock=clock)
    buckets.take("old"), buckets.take("busy")
    buckets.take("busy")  # used again: now the most recent
    buckets.take("new")
    assert buckets.take("busy") > 0.0  # kept, still empty
    assert buckets.take("old") == 0.0  # forgotten, so it starts full


def test_replicas_share_the_configured_limit():
    assert Rate(600, 30).share(3) == Rate(200, 10)
    assert Rate(10, 2).share(6).burst == 1.0  # never below one request


def test_settings_divide_every_limit_by_the_replicas():
    limits = RateLimits(GatewaySettings(replicas=4, rate_login_per_minute=40, rate_login_burst=8))
    assert limits.login.capacity == 2.0
    assert limits.login.refill == pytest.approx(10 / 60)


def test_trusted_proxies_come_as_a_list_or_comma_separated(monkeypatch):
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7")
    assert GatewaySettings().trusted_proxies == ["10.0.0.0/8", "192.168.1.7"]
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", '["fd00::/8"]')
    assert GatewaySettings().trusted_proxies == ["fd00::/8"]
    monkeypatch.delenv("GATEWAY_TRUSTED_PROXIES")
    assert GatewaySettings().trusted_proxies == []


def test_a_bad_trusted_proxy_stops_the_start():
    with pytest.raises(ValidationError):
        GatewaySettings(trusted_proxies=["10.0.0.0/33"])
    with pytest.raises(ValidationError):
        GatewaySettings(rate_login_per_minute=0)


PROXIES = parse_networks(["10.0.0.0/8", "fd00::/8"])


def addr(text: str):
    return ipaddress.ip_address(text)


def test_without_trusted_proxies_the_peer_is_the_client():
    assert client_address("203.0.113.9", ["198.51.100.1"], ()) == addr("203.0.113.9")


def test_forwarded_for_from_an_untrusted_peer_is_ignored():
    assert client_address("203.0.113.9", ["198.51.100.1"], PROXIES) == addr("203.0.113.9")


def test_the_right_most_untrusted_address_is_the_client():
    # The client forged the first entry; our two proxies appended what they saw.
    chain = ["6.6.6.6, 198.51.100.1", "10.1.1.1"]
    assert client_address("10.2.2.2", chain, PROXIES) == addr("198.51.100.1")


def test_when_every_hop_is_trusted_the_left_most_is_the_client():
    assert client_address("10.2.2.2", ["10.9.9.9, 10.1.1.1"], PROXIES) == addr("10.9.9.9")


def test_garbage_in_forwarded_for_falls_back_to_the_last_trusted_hop():
    assert client_address("10.2.2.2", ["nonsense, 10.1.1.1"], PROXIES) == addr("10.1.1.1")
    assert client_address("10.2.2.2", [], PROXIES) == addr("10.2.2.2")


def test_an_endless_forwarded_for_is_cut_to_the_right_most_hops():
    chain = [", ".join(["10.0.0.1"] * 100_000 + ["198.51.100.1"])]
    assert client_address("10.2.2.2", chain, PROXIES) == addr("198.51.100.1")


def test_ipv6_clients_share_a_bucket_per_slash_64_and_mapped_ipv4_is_ipv4():
    assert bucket_key(addr("2001:db8:1:2:aaaa::1")) == bucket_key(addr("2001:db8:1:2:bbbb::2"))
    assert bucket_key(addr("2001:db8:1:2::1")) != bucket_key(addr("2001:db8:1:3::1"))
    assert client_address("::ffff:203.0.113.9", [], ()) == addr("203.0.113.9")
    assert bucket_key(None) == "unknown"
