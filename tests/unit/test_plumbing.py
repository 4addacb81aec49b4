"""Rules in shared/ and gateway/ that need no I/O."""
import base64
from datetime import UTC

import pytest
from pydantic import SecretStr

from contracts.endpoints import Endpoint
from gateway.permissions import ClientSettings, Permission
from gateway.route_table import match
from gateway.target import parse_target
from gateway.versions import parse_version
from shared.http.basic import bearer_token, parse_basic
from shared.http.faults import OcapiFault
from shared.settings import masked_dsn
from shared.timefmt import iso


def _basic(raw: str) -> str:
    return "Basic " + base64.b64encode(raw.encode()).decode()


def test_basic_credentials_split_at_the_first_colon_only():
    assert parse_basic(_basic("jsmith:pa:ss:word")) == ("jsmith", "pa:ss:word")
    assert parse_basic(_basic("jsmith:")) == ("jsmith", "")


@pytest.mark.parametrize("header", [None, "", "Bearer abc", "Basic", "Basic !!!",
                                    _basic("no-colon-here")])
def test_anything_but_valid_basic_credentials_is_none(header):
    assert parse_basic(header) is None


def test_bearer_tokens_are_read_case_insensitively():
    assert bearer_token("bearer abc.def") == "abc.def"
    assert bearer_token("Basic abc") is None


@pytest.mark.parametrize("segment, expected", [("v15_1", (15, 1)), ("v23_2", (23, 2)), ("v19_10", (19, 10))])
def test_supported_versions_parse(segment, expected):
    assert parse_version(segment) == expected


@pytest.mark.parametrize("segment", ["v15_0", "v23_3", "v14_9", "v16_11", "16_4", "v16.4"])
def test_unsupported_versions_are_faults(segment):
    with pytest.raises(OcapiFault) as err:
        parse_version(segment)
    assert err.value.fault_type == "UnsupportedVersionException"


def test_targets_are_read_with_and_without_a_site():
    t = parse_target("/s/SiteGenesis/dw/shop/v16_4/customers/abc")
    assert (t.site_id, t.api, t.version, t.resource) == ("SiteGenesis", "shop", (16, 4), "/customers/abc")
    assert parse_target("/dw/shop/v16_4/customers/").site_id is None
    assert parse_target("/s/-/dw/data/v23_2/customer_lists/x").api == "data"
    assert parse_target("/s/Sites-Site/dw/data/v23_2/customer_lists/x").site_id is None


def test_routes_match_by_version_and_method():
    route, params = match("shop", "GET", "/customers/abc", (16, 4))
    assert route.path == "/customers/{customer_id}" and params == {"customer_id": "abc"}
    assert match("shop", "POST", "/customers/auth", (15, 1))[0].service == "auth"
    with pytest.raises(OcapiFault) as err:
        match("shop", "GET", "/customers/abc", (15, 6))
    assert err.value.status == 404
    with pytest.raises(OcapiFault) as err:
        match("shop", "PUT", "/customers/auth", (16, 4))
    assert err.value.status == 405



def test_the_literal_parts_of_a_route_are_literal():
    route, params = match("shop", "GET", "/products/(a,b)", (19, 8))
    assert route.path == "/products/({ids})" and params == {"ids": "a,b"}
    route, params = match("shop", "GET", "/products/a", (19, 8))
    assert route.path == "/products/{id}" and params == {"id": "a"}
    # Parentheses are no regex group: without them the path is the single product's.
    assert not Endpoint("shop", "GET", "/x/({ids})", "order", (19, 8), "", operation="x").pattern.match("/x/a")

def test_permission_wildcards():
    assert Permission("/**", frozenset({"get"})).covers("/customers/{customer_id}", "GET")
    assert Permission("/customers/*", frozenset({"get"})).covers("/customers/auth", "get")
    assert not Permission("/customers/*", frozenset({"get"})).covers("/customers/{c}/addresses", "get")
    assert Permission("/customers/**", frozenset({"get"})).covers("/customers/{c}/addresses", "get")
    assert Permission("/customers/**", frozenset({"get"})).covers("/customers", "get")
    assert not Permission("/customers/auth", frozenset({"post"})).covers("/customers/auth", "delete")


def test_nothing_is_allowed_by_default_and_site_grants_stay_on_their_site():
    settings = ClientSettings.parse({"apis": {"shop": {"SiteA": {"clients": [
        {"client_id": "c1", "allowed_origins": ["https://a.example"],
         "resources": [{"resource_id": "/customers/auth", "methods": ["post"]}]}]}}}})
    assert settings.allows("c1", "shop", "SiteA", "/customers/auth", "POST")
    assert not settings.allows("c1", "shop", "SiteB", "/customers/auth", "POST")
    assert not settings.allows("c1", "data", "SiteA", "/customers/auth", "POST")
    assert not settings.allows("c2", "shop", "SiteA", "/customers/auth", "POST")
    assert settings.origin_allowed("c1", "https://a.example")
    assert not settings.origin_allowed("c1", "https://b.example")


def test_dsns_are_logged_without_their_password():
    assert masked_dsn(SecretStr("postgresql://u:s3cret@h:5432/db")) == "postgresql://u:***@h:5432/db"
    assert masked_dsn(SecretStr("postgresql://u@h/db")) == "postgresql://u@h/db"


def test_timestamps_are_utc_with_milliseconds():
    from datetime import datetime
    assert iso(datetime(2015, 9, 9, 15, 50, 53, 142999, tzinfo=UTC)) == "2015-09-09T15:50:53.142Z"


def test_docs_hooks_md_matches_the_catalogue():
    from scripts.gen_hooks_doc import DOC, render
    assert DOC.read_text() == render(), "run: python -m scripts.gen_hooks_doc"


def test_every_catalogued_name_is_unique_and_shaped_like_ocapi():
    from shared.messaging.hook_catalogue import DOMAIN, load_all
    for name, point in load_all().items():
        assert name == point.name
        assert point.kind == DOMAIN or name.startswith("dw."), name


def test_a_customer_cut_off_revokes_tokens_issued_up_to_it_only():
    from gateway.revocations import RevocationSet
    from shared.security.revocation import Cutoff
    from shared.security.tokens import Claims, ClientClaims, ShopperClaims

    def token(customer_id: str | None, iat: int, jti: str = "j1") -> Claims:
        if customer_id is None:  # an OAuth client's own token
            return ClientClaims(client_id="c", jti=jti, iat=iat, exp=iat + 60)
        return ShopperClaims(client_id="c", jti=jti, iat=iat, exp=iat + 60, customer_id=customer_id)
    revoked = RevocationSet()
    revoked.add_cutoff(Cutoff("c1", 1000, keep_jti="kept"))
    assert revoked.rejects(token("c1", 999)) and revoked.rejects(token("c1", 1000))
    assert not revoked.rejects(token("c1", 1001))
    assert not revoked.rejects(token("c1", 999, jti="kept"))  # the token that asked survives
    assert not revoked.rejects(token("c2", 10)) and not revoked.rejects(token(None, 10))
    revoked.add_cutoff(Cutoff("c1", 500))  # an older event arriving late never moves the cut-off back
    assert revoked.rejects(token("c1", 900))