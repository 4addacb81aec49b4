"""The domain events' contract (contracts/events.py): producers and consumers agree on one model.

Every payload is built with the producer function the service calls, checked against the
wire format docs/events.md names (the exact keys published before the models existed), and
parsed back through the registry the consumers use, over the JSON the outbox stores.
"""
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from contracts.events import (
    DOMAIN_EVENTS,
    ClientTokensRevoked,
    CustomerChanged,
    CustomerDeleted,
    CustomerTokensRevoked,
    DomainEvent,
    TokenRevoked,
    UnknownDomainEvent,
    parse_domain_event,
)
from gateway.revocations import APPLIED, RevocationSet, apply_event
from services.auth import events as auth_events
from services.customer import changes
from services.customer.model import Address, Customer
from services.customer_list import projection
from shared.messaging.envelope import Actor, Envelope, domain_envelope
from shared.messaging.hook_catalogue import REGISTRY
from shared.security.context import RequestContext
from shared.security.revocation import ClientCutoff, Cutoff
from shared.security.tokens import ClientClaims, ShopperClaims

CTX = RequestContext(request_id="r1", client_id="client-a")
WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _customer_row(**changed: Any) -> Customer:
    row = {"customer_id": "c1", "customer_no": "00001", "login": "ann@example.com",
           "customer_list_id": "Main", "version": 3, "creation_date": WHEN, "last_modified": WHEN,
           "last_login_time": WHEN, "previous_login_time": None, "last_visit_time": None,
           "previous_visit_time": None, "profile": {"first_name": "Ann", "email": "ann@example.com"},
           "custom": {"c_tier": "gold"}, "enabled": True, "locked": False, "password_question": None}
    return Customer(**{**row, **changed})


def _address_row() -> Address:
    return Address(address_id="home", customer_id="c1", version=1, creation_date=WHEN,
                   last_modified=WHEN, fields={"first_name": "Ann", "city": "Berlin"}, preferred=False)


def _on_the_wire(envelope: Envelope) -> dict[str, Any]:
    """``data`` as a consumer receives it: the envelope's JSON, as the outbox stores it."""
    return orjson.loads(envelope.model_dump_json())["data"]


def _produced() -> list[tuple[Envelope, dict[str, Any]]]:
    """(what each producer publishes, the exact ``data`` keys and values published today)."""
    shopper = ShopperClaims(client_id="client-a", jti="j1", iat=100, exp=1900, customer_id="c1")
    client = ClientClaims(client_id="client-a", jti="j2", iat=100, exp=1900)
    changed_env = domain_envelope(changes.changed_event(_customer_row(), [_address_row()]),
                                          CTX, Actor(type="system"))
    deleted_env = domain_envelope(changes.deleted_event(_customer_row()), CTX,
                                          Actor(type="system"))
    return [
        (auth_events.token_revoked(CTX, shopper), {"jti": "j1", "exp": 1900, "customer_id": "c1"}),
        (auth_events.token_revoked(CTX, client), {"jti": "j2", "exp": 1900, "customer_id": None}),
        (auth_events.customer_tokens_revoked(CTX, Cutoff("c1", 150, "j1")),
         {"customer_id": "c1", "not_before": 150, "keep_jti": "j1"}),
        (auth_events.customer_tokens_revoked(CTX, Cutoff("c1", 150)),
         {"customer_id": "c1", "not_before": 150, "keep_jti": None}),
        (auth_events.client_tokens_revoked(CTX, ClientCutoff("client-a", 150)),
         {"client_id": "client-a", "not_before": 150}),
        (changed_env, {"customer": changed_env.data["customer"], "customer_id": "c1",
                       "customer_list_id": "Main", "version": 3}),
        (deleted_env, {"customer_id": "c1", "customer_list_id": "Main", "customer_no": "00001",
                       "version": 4}),
    ]


@pytest.mark.parametrize(("envelope", "published"), _produced(),
                         ids=lambda v: v.extension_point if isinstance(v, Envelope) else "")
def test_every_producer_publishes_the_wire_format_and_it_round_trips(envelope, published):
    wire = _on_the_wire(envelope)
    assert wire == published and list(wire) == list(published)       # keys and their order
    event = parse_domain_event(envelope.extension_point, wire)
    assert type(event) is DOMAIN_EVENTS[envelope.extension_point]
    assert event.model_dump(mode="json") == wire


def test_the_changed_customer_is_the_data_api_document_with_credentials_and_addresses():
    event = changes.changed_event(_customer_row(), [_address_row()])
    parsed = parse_domain_event(CustomerChanged.routing_key, _on_the_wire(
        domain_envelope(event, CTX, Actor(type="system"))))
    assert isinstance(parsed, CustomerChanged)
    customer = parsed.customer
    assert customer["credentials"] == {"login": "ann@example.com", "enabled": True, "locked": False}
    assert customer["c_tier"] == "gold" and customer["last_login_time"].startswith("2024-05-01")
    assert [a["address_id"] for a in customer["addresses"]] == ["home"]
    assert "login" not in customer and "password" not in customer


def test_every_domain_event_is_declared_once_with_the_catalogue_s_fields():
    produced = {envelope.extension_point for envelope, _ in _produced()}
    assert produced == set(DOMAIN_EVENTS)
    for routing_key, model in DOMAIN_EVENTS.items():
        assert REGISTRY[routing_key].data == tuple(model.model_fields)


@pytest.mark.parametrize("routing_key", ["auth.TokenMinted", "customer.CustomerLoggedIn",
                                         "dw.ocapi.shop.auth.afterAuth", ""])
def test_an_undeclared_routing_key_is_refused(routing_key):
    with pytest.raises(UnknownDomainEvent):
        parse_domain_event(routing_key, {"jti": "j1", "exp": 1, "customer_id": None})


@pytest.mark.parametrize(("model", "data"), [
    (TokenRevoked, {"jti": "j1", "customer_id": None}),                       # exp missing
    (TokenRevoked, {"jti": "j1", "exp": "1900", "customer_id": None}),        # a string, not a number
    (TokenRevoked, {"jti": 7, "exp": 1900, "customer_id": None}),
    (CustomerTokensRevoked, {"customer_id": "c1"}),
    (CustomerTokensRevoked, {"customer_id": "c1", "not_before": 1.5, "keep_jti": None}),
    (CustomerTokensRevoked, {"customer_id": None, "not_before": 150}),
    (ClientTokensRevoked, {"client_id": "a", "not_before": True}),
    (CustomerChanged, {"customer": [], "customer_id": "c1", "customer_list_id": "Main", "version": 1}),
    (CustomerChanged, {"customer_id": "c1", "customer_list_id": "Main", "version": 1}),
    (CustomerDeleted, {"customer_id": "c1", "customer_list_id": "Main", "version": 1}),
    (CustomerDeleted, [1, 2]),
    (CustomerDeleted, None),
])
def test_a_malformed_payload_is_refused(model: type[DomainEvent], data):
    with pytest.raises(ValidationError):
        parse_domain_event(model.routing_key, data)
    assert issubclass(ValidationError, ValueError)  # what the consumers' unreadable path catches


def test_a_field_a_newer_producer_adds_is_ignored_not_refused():
    event = parse_domain_event(ClientTokensRevoked.routing_key,
                               {"client_id": "a", "not_before": 5, "reason": "rotation"})
    assert event == ClientTokensRevoked(client_id="a", not_before=5)


def test_the_gateway_applies_each_revocation_event_by_its_attributes():
    revoked = RevocationSet()
    for envelope, _ in _produced():
        if envelope.extension_point in APPLIED:
            apply_event(revoked, parse_domain_event(envelope.extension_point, _on_the_wire(envelope)))
    assert revoked.is_revoked("j1") and revoked.is_revoked("j2")
    # the later cut-off of the same second without keep_jti wins: j1 is no longer kept
    assert revoked.rejects(ShopperClaims(client_id="x", jti="j1", iat=150, exp=9999, customer_id="c1"))
    assert revoked.rejects(ClientClaims(client_id="client-a", jti="j9", iat=150, exp=9999))
    assert not revoked.rejects(ClientClaims(client_id="client-a", jti="j9", iat=151, exp=9999))


def test_the_gateway_refuses_a_domain_event_that_is_not_a_revocation():
    event = changes.deleted_event(_customer_row())
    with pytest.raises(UnknownDomainEvent):
        apply_event(RevocationSet(), event)


async def test_the_projection_refuses_a_malformed_customer_event():
    class Untouched:  # a malformed event must fail before the unit of work is opened
        async def __aenter__(self):
            raise AssertionError("opened")

    with pytest.raises(ValidationError):
        await projection.apply(Untouched(), {"extension_point": CustomerChanged.routing_key,  # type: ignore[arg-type]
                                             "data": {"customer_id": "c1"}})
