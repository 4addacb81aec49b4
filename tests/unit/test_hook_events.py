"""The hook events' contract (contracts/hook_events/): every extension point's ``data`` has one model.

A representative envelope per point is written as the outbox stores it and parsed back with
the function the project's consumers and the SDK use; the producers the services call publish
the exact wire format they published before the models existed; a producer's malformed
``data`` never reaches an outbox or a subscriber.
"""
from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from contracts.hook_events import (
    CATALOGUE,
    DOMAIN,
    InvalidHookData,
    UnknownHookEvent,
    check_data,
    data_of,
    parse_hook_event,
)
from contracts.hook_events.auth import AfterAuthData
from contracts.hook_events.order import AuthorizeData
from ocapi_hooks import parse_data, payloads
from services.auth import events as auth_events
from services.customer import events as customer_events
from services.customer.data import events as data_events
from services.order import events as order_events
from shared.messaging.emit import emit_to
from shared.messaging.envelope import Actor, Envelope, make_envelope
from shared.messaging.hook_catalogue import REGISTRY, load_all
from shared.messaging.hooks import unsubscribed
from shared.security.context import RequestContext
from shared.security.tokens import ShopperClaims
from tests.unit.fakes import FakeOutbox

CTX = RequestContext(request_id="r1", client_id="client-a", site_id="SiteGenesis", api="shop",
                     version="16.4")
SHOPPER = ShopperClaims(client_id="client-a", jti="j1", iat=100, exp=1900, customer_id="c1", guest=False)
CUSTOMER = {"auth_type": "registered", "customer_id": "c1", "customer_no": "00001", "login": "ann",
            "email": "ann@example.com", "birthday": "1990-02-03", "gender": 2, "c_tier": "gold"}
ORDER = {"order_no": "00001", "status": "created", "order_total": 21.5, "currency": "USD",
         "product_items": [{"product_id": "p1", "quantity": 1}]}
BASKET = {"basket_id": "b1", "currency": "USD", "order_total": 21.5, "product_items": []}
INSTRUMENT = {"payment_instrument_id": "pi1", "payment_method_id": "CREDIT_CARD",
              "payment_card": {"card_type": "Visa", "masked_number": "************1111"}}

# One representative value per data key, as the services publish it.
SAMPLES: dict[str, Any] = {
    "authRequestType": "credentials", "customer": CUSTOMER, "sealedResetToken": "v1.c2VhbGVk",
    "registration": {"customer": {"login": "ann", "email": "ann@example.com"}},
    "customerInput": {"first_name": "Ann", "c_tier": "gold"}, "addressName": "home",
    "customerAddress": {"address_id": "home", "city": "Berlin", "preferred": True},
    "paymentInstrument": INSTRUMENT, "paymentInstrumentId": "pi1",
    "profile": {"email": "ann@example.com", "gender": "f"}, "update": {"first_name": "Ann"},
    "create": {"address_id": "home"}, "address": {"address_id": "home"}, "customerListId": "Main",
    "basketResponse": BASKET, "duringSubmit": True, "basket": BASKET, "order": ORDER,
    "orderResponse": ORDER, "orderNo": "00001", "orderInput": {"status": "cancelled"},
    "note": {"subject": "s", "text": "t"}, "notesResultResponse": {"notes": []}, "noteId": "n1",
    "newPaymentInstrument": INSTRUMENT, "successfullyAuthorized": True,
    "paymentDetails": {"amount": "21.50"}, "status": {"status": 0, "code": "OK", "message": "Authorized."}, "orderNumber": "00001",
    "paymentMethodResultResponse": {"applicable_payment_methods": []},
    "billingAddress": {"last_name": "Lee", "city": "Boston"}, "customerInfo": {"email": "ann@example.com"},
    "shipment": {"shipment_id": "gift", "shipping_method": {"id": "BaseShippingMethod"}}, "shipmentId": "gift",
    "shippingAddress": {"last_name": "Lee", "city": "Salem"}, "shippingMethod": {"id": "BaseShippingMethod"},
    "basketId": "b1", "shippingMethodResultResponse": {"applicable_shipping_methods": []},
}
HOOK_POINTS = sorted(name for name, point in CATALOGUE.items() if point.kind != DOMAIN)


def _on_the_wire(envelope: Envelope) -> dict[str, Any]:
    """The envelope as a subscriber receives it: its JSON, as the outbox stores it."""
    return orjson.loads(envelope.model_dump_json())


def _sample(point: str) -> dict[str, Any]:
    return {key: SAMPLES[key] for key in CATALOGUE[point].data}


@pytest.mark.parametrize("point", HOOK_POINTS)
def test_a_representative_envelope_of_every_point_round_trips(point):
    envelope = make_envelope(point, CTX, Actor(type="customer", customer_id="c1"), _sample(point))
    wire = _on_the_wire(envelope)
    assert wire["data"] == _sample(point) and list(wire["data"]) == list(CATALOGUE[point].data)
    parsed = parse_hook_event(point, wire["data"])
    assert type(parsed) is CATALOGUE[point].model
    assert data_of(parsed) == wire["data"]                         # nothing lost, nothing added
    # The producer may hand over the model itself: the same data on the wire.
    assert _on_the_wire(make_envelope(point, CTX, Actor(type="system"), parsed))["data"] == wire["data"]
    # The SDK reads the same wire into its generated payload, typed.
    sdk = parse_data(point, wire["data"])
    assert type(sdk) is payloads.PAYLOADS[point]
    assert sdk.model_dump(mode="json", exclude_unset=True) == wire["data"]


def test_the_catalogue_is_one_explicit_table_the_plumbing_reads():
    assert REGISTRY is CATALOGUE and load_all() == CATALOGUE
    assert list(CATALOGUE) == sorted(CATALOGUE)
    assert set(SAMPLES) == {key for point in HOOK_POINTS for key in CATALOGUE[point].data}
    assert set(payloads.PAYLOADS) == set(CATALOGUE)


def test_the_producers_publish_the_wire_format_byte_for_byte():
    guest = ShopperClaims(client_id="client-a", jti="j2", iat=100, exp=1900, customer_id="g1", guest=True)
    produced = [
        (auth_events.after_auth(CTX, guest, "guest", {"auth_type": "guest", "customer_id": "g1",
                                                      "preferred_locale": "default"}),
         (b'{"authRequestType":"guest","customer":{"auth_type":"guest","customer_id":"g1",'
         b'"preferred_locale":"default"}}')),
        (customer_events.before_post(CTX, SHOPPER, {"customer": {"login": "ann", "email": "a@b.c"},
                                                    "password": "Secret1!"}),
         b'{"registration":{"customer":{"login":"ann","email":"a@b.c"}}}'),
        (customer_events.after_patch(CTX, SHOPPER, CUSTOMER, {"c_tier": "gold"}),
         b'{"customer":' + orjson.dumps(CUSTOMER) + b',"customerInput":{"c_tier":"gold"}}'),
        (data_events.hook(data_events.AFTER_DELETE, CTX, "Main"), b'{"customerListId":"Main"}'),
        (order_events.hook(order_events.AUTHORIZE, CTX, SHOPPER, order=ORDER,
                           paymentDetails={"amount": "21.50"}, status=None),
         b'{"order":' + orjson.dumps(ORDER) + b',"paymentDetails":{"amount":"21.50"},"status":null}'),
    ]
    for envelope, published in produced:
        assert orjson.dumps(_on_the_wire(envelope)["data"]) == published
        check_data(envelope.extension_point, envelope.data)


def test_readers_ignore_unknown_keys_and_refuse_missing_or_wrong_typed_ones():
    data = {"authRequestType": "guest", "customer": {"auth_type": "guest", "customer_id": "g1"},
            "addedLater": {"x": 1}}
    parsed = parse_hook_event("dw.ocapi.shop.auth.afterAuth", data)
    assert isinstance(parsed, AfterAuthData) and parsed.customer.customer_id == "g1"
    with pytest.raises(ValidationError):
        parse_hook_event("dw.ocapi.shop.auth.afterAuth", {"authRequestType": "guest"})
    with pytest.raises(ValidationError):
        parse_hook_event("dw.ocapi.shop.auth.afterAuth", {"authRequestType": 1, "customer": data["customer"]})
    with pytest.raises(ValidationError):
        parse_hook_event(order_events.AUTHORIZE, {"order": ORDER, "paymentDetails": {}})   # status missing
    assert isinstance(parse_hook_event(order_events.AUTHORIZE, {"order": ORDER, "paymentDetails": {},
                                                                "status": None}), AuthorizeData)
    with pytest.raises(ValidationError):
        parse_hook_event(order_events.AUTHORIZE, {"order": ORDER, "paymentDetails": {}, "status": "OK"})
    with pytest.raises(UnknownHookEvent):
        parse_hook_event("dw.ocapi.shop.customer.afterNothing", {})
    # The SDK: the same leniency and the same refusals.
    assert parse_data("dw.ocapi.shop.auth.afterAuth", data).model_extra == {"addedLater": {"x": 1}}
    with pytest.raises(ValidationError):
        parse_data("dw.ocapi.shop.auth.afterAuth", {"authRequestType": "guest"})


@pytest.mark.parametrize(("point", "data"), [
    ("dw.ocapi.shop.auth.afterAuth", {"authRequestType": "guest"}),                          # missing
    ("dw.ocapi.shop.auth.afterAuth", {"authRequestType": "guest", "customer": {"customer_id": "g1"}}),
    ("dw.ocapi.shop.auth.afterAuth", {"authRequestType": "guest", "customer": CUSTOMER, "password": "x"}),
    ("dw.ocapi.shop.basket.validateBasket", {"basketResponse": BASKET, "duringSubmit": "yes"}),
    ("dw.ocapi.shop.customer.afterPatchCustomer", {"customer": CUSTOMER, "customerInput": {"gender": 3}}),
    ("dw.ocapi.data.customer_list.customer.afterDELETE", {"customerListId": 7}),
])
def test_a_producer_cannot_publish_malformed_data(point, data):
    with pytest.raises(InvalidHookData):
        check_data(point, data)


async def test_emit_checks_the_data_before_the_outbox_gets_it():
    outbox = FakeOutbox()
    bad = make_envelope("dw.ocapi.shop.order.afterPOST", CTX, Actor(type="system"), {"order": {"order_no": "1"}})
    with pytest.raises(InvalidHookData):
        await emit_to(outbox, unsubscribed(), bad)
    assert outbox.envelopes == []
    good = make_envelope("dw.ocapi.shop.order.afterPOST", CTX, Actor(type="system"), {"order": ORDER})
    await emit_to(outbox, unsubscribed(), good)
    assert [e.extension_point for e in outbox.envelopes] == ["dw.ocapi.shop.order.afterPOST"]
