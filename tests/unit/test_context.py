"""The signed request context: one request, one service, seconds, two keys during a roll."""
import base64
import time
from dataclasses import replace

import orjson
import pytest

from shared.security.context import ContextKeys, InvalidContext, RequestContext, Target
from shared.security.tokens import ShopperClaims

CTX = RequestContext(request_id="r1", client_id="c", customer_list_id="L")
TARGET = Target("customer", "PATCH", "/dw/shop/customers/1?expand=addresses", b'{"a":1}')
KEYS = ContextKeys(b"current-secret")


def test_a_signed_context_opens_the_request_it_was_signed_for():
    assert KEYS.verify(KEYS.sign(CTX, TARGET), TARGET) == CTX


@pytest.mark.parametrize("other", [
    Target("order", TARGET.method, TARGET.path, TARGET.body),
    Target(TARGET.audience, "DELETE", TARGET.path, TARGET.body),
    Target(TARGET.audience, TARGET.method, "/dw/shop/customers/2?expand=addresses", TARGET.body),
    Target(TARGET.audience, TARGET.method, "/dw/shop/customers/1", TARGET.body),
    Target(TARGET.audience, TARGET.method, "/dw/shop/customers/1%3F?expand=addresses", TARGET.body),
    Target(TARGET.audience, TARGET.method, TARGET.path, b'{"a":2}'),
    Target(TARGET.audience, TARGET.method, TARGET.path, b""),
])
def test_a_context_is_refused_for_any_other_request(other):
    with pytest.raises(InvalidContext, match="not signed for this request"):
        KEYS.verify(KEYS.sign(CTX, TARGET), other)


def test_a_tampered_or_foreign_context_is_refused():
    encoded = KEYS.sign(CTX, TARGET)
    with pytest.raises(InvalidContext, match="bad signature"):
        ContextKeys(b"other-secret").verify(encoded, TARGET)
    raw, mac = encoded.split(".")
    with pytest.raises(InvalidContext, match="bad signature"):
        KEYS.verify(raw[:-2] + "AA." + mac, TARGET)
    for garbage in ("", "no-dot", "é.é"):
        with pytest.raises(InvalidContext):
            KEYS.verify(garbage, TARGET)


def test_a_context_lives_seconds_only():
    keys = ContextKeys(b"s", max_age=10)
    now = time.time()
    assert keys.verify(keys.sign(CTX, TARGET, now=now - 9), TARGET, now=now) == CTX
    with pytest.raises(InvalidContext, match="expired"):
        keys.verify(keys.sign(CTX, TARGET, now=now - 11), TARGET, now=now)
    with pytest.raises(InvalidContext, match="expired"):  # from the future: a skewed or forged clock
        keys.verify(keys.sign(CTX, TARGET, now=now + 11), TARGET, now=now)


def test_during_a_roll_the_previous_secret_verifies_but_never_signs():
    old, rolled = ContextKeys(b"old"), ContextKeys(b"new", previous=b"old")
    assert rolled.verify(old.sign(CTX, TARGET), TARGET) == CTX
    with pytest.raises(InvalidContext, match="bad signature"):  # signed with the new one
        old.verify(rolled.sign(CTX, TARGET), TARGET)
    with pytest.raises(InvalidContext, match="bad signature"):  # the roll is over
        ContextKeys(b"new").verify(old.sign(CTX, TARGET), TARGET)


def test_the_verified_claims_travel_in_the_context_and_only_there():
    claims = ShopperClaims(client_id="c", jti="j", iat=1, exp=2, customer_id="ann", visit_id="v")
    ctx = replace(CTX, claims=claims)
    assert KEYS.verify(KEYS.sign(ctx, TARGET), TARGET) == ctx
    assert ctx.without_claims() == CTX and CTX.without_claims() is CTX


def test_claims_rewritten_without_the_secret_are_refused():
    ann = ShopperClaims(client_id="c", jti="j", iat=1, exp=2, customer_id="ann")
    raw, mac = KEYS.sign(replace(CTX, claims=ann), TARGET).split(".")
    payload = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    payload["claims"]["customer_id"] = "bob"
    forged = base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()
    with pytest.raises(InvalidContext, match="bad signature"):
        KEYS.verify(f"{forged}.{mac}", TARGET)


def test_aiohttp_headers_bind_as_a_dict_of_the_same_headers_does():
    """The verifier reads a request's headers (a case-insensitive multidict) without lowering
    them into a dict; what they bind is the same, a header sent twice by its last value."""
    from multidict import CIMultiDict, CIMultiDictProxy

    sent = {"Authorization": "Bearer a", "If-Match": '"1"', "X-Other": "x"}
    received = CIMultiDictProxy(CIMultiDict([("authorization", "Bearer a"), ("IF-MATCH", '"1"'),
                                             ("x-other", "y")]))
    signed = KEYS.sign(CTX, replace(TARGET, headers=sent))
    assert KEYS.verify(signed, replace(TARGET, headers=received)) == CTX
    twice = CIMultiDictProxy(CIMultiDict([("Authorization", "Bearer b"), ("Authorization", "Bearer a"),
                                          ("If-Match", '"1"')]))
    assert KEYS.verify(signed, replace(TARGET, headers=twice)) == CTX
    for other in ({"Authorization": "Bearer b", "If-Match": '"1"'}, {"Authorization": "Bearer a"},
                  {**sent, "Cookie": "c=1"}, {**sent, "Content-Type": "text/plain"}):
        with pytest.raises(InvalidContext, match=r"not signed for this request \(h\)"):
            KEYS.verify(signed, replace(TARGET, headers=CIMultiDictProxy(CIMultiDict(other))))


def test_the_wire_format_is_unchanged():
    """A context signed the way the first version signed it still opens (services and the
    gateway can roll one at a time)."""
    import hashlib
    import hmac

    def digest(data: bytes) -> str:
        return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    stamp = round(time.time(), 3)
    bound = "\n".join(f"{name}:" for name in ("authorization", "cookie", "content-type", "if-match",
                                              "if-none-match")).encode()
    payload = {"request_id": "r1", "site_id": "SiteGenesis", "api": "shop", "version": "16.4",
               "client_id": "c", "customer_list_id": "L", "external_base_url": None,
               "aud": TARGET.audience, "m": TARGET.method, "p": digest(TARGET.path.encode()),
               "b": digest(TARGET.body), "h": digest(bound), "ts": stamp}
    raw = base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=")
    old = f"{raw.decode()}.{hmac.new(b'current-secret', raw, 'sha256').hexdigest()}"
    assert KEYS.verify(old, TARGET) == CTX
    assert KEYS.sign(CTX, TARGET, now=stamp) == old
