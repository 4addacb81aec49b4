"""The scheme and host the client addressed (gateway/origin.py): X-Forwarded-Proto and
X-Forwarded-Host count only from a trusted proxy, and the Data API's TLS rule follows from it."""
from unittest import mock

import pytest
from aiohttp.test_utils import make_mocked_request

from gateway.client_ip import parse_networks
from gateway.origin import Origin, origin, require_secure
from shared.http.faults import OcapiFault

PROXIES = parse_networks(["10.0.0.0/8"])
PROXY, STRANGER = "10.1.2.3", "203.0.113.9"


def request(peer: str, headers: dict[str, str], *, tls: bool = False):
    transport = mock.Mock()
    extra = {"peername": (peer, 40000), "sockname": ("192.0.2.1", 8080)}
    transport.get_extra_info.side_effect = lambda key, default=None: extra.get(key, default)
    return make_mocked_request("GET", "/dw/data/v23_2/x", headers=headers, transport=transport,
                               sslcontext=mock.Mock() if tls else None)


FORWARDED = {"Host": "gateway.internal:8080", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "shop.example.com"}


def test_a_trusted_proxy_names_the_clients_scheme_and_host():
    assert origin(request(PROXY, FORWARDED), PROXIES) == Origin("https", "shop.example.com")


@pytest.mark.parametrize("peer, trusted", [(STRANGER, PROXIES), (PROXY, ())])
def test_anyone_else_forwarding_is_ignored(peer, trusted):
    """A client writing X-Forwarded-Proto: https gets neither https links nor the Data API."""
    seen = origin(request(peer, FORWARDED), trusted)
    assert seen == Origin("http", "gateway.internal:8080") and not seen.secure


def test_the_nearest_proxys_value_counts_in_a_chain():
    headers = {"Host": "h", "X-Forwarded-Proto": "http, https",
               "X-Forwarded-Host": "evil.example, shop.example.com"}
    assert origin(request(PROXY, headers), PROXIES) == Origin("https", "shop.example.com")


@pytest.mark.parametrize("proto, host", [("gopher", "a/b"), ("https://x", "x\"><script>"), ("", "")])
def test_unusable_forwarded_values_fall_back_to_what_the_gateway_saw(proto, host):
    headers = {"Host": "shop.example.com", "X-Forwarded-Proto": proto, "X-Forwarded-Host": host}
    assert origin(request(PROXY, headers), PROXIES) == Origin("http", "shop.example.com")


@pytest.mark.parametrize("host", ["shop.example.com", "127.0.0.1:8080", "[::1]:8443", "a-b.c"])
def test_host_names_addresses_and_ports_are_kept(host):
    assert origin(request(STRANGER, {"Host": host}), ()).host == host


@pytest.mark.parametrize("host", ["evil.example/path?x=", "a b", "x\"><script>", "@evil", "h:99999999"])
def test_a_host_header_that_is_no_host_is_replaced_by_the_gateways_own_address(host):
    assert origin(request(STRANGER, {"Host": host}), ()).host == "192.0.2.1:8080"


def test_tls_at_the_gateway_itself_is_https():
    assert origin(request(STRANGER, {"Host": "h"}, tls=True), ()).secure


def test_the_data_api_needs_https_outside_development():
    with pytest.raises(OcapiFault) as refused:
        require_secure(Origin("http", "h"), development=False)
    assert refused.value.status == 403
    assert refused.value.fault_type == "SecureCommunicationRequiredException"
    require_secure(Origin("https", "h"), development=False)
    require_secure(Origin("http", "h"), development=True)
