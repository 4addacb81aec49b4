"""Saved payment instruments through the gateway: masked, filtered, never the full number."""
from typing import Any

from tests.api.shop import Shop, bearer

CARD = "4111111111111111"
CARD_REQUEST: dict[str, Any] = {"payment_method_id": "CREDIT_CARD", "c_strValue": "custom value",
                              "payment_card": {"number": CARD, "holder": "John Doe", "card_type": "Visa",
                                               "expiration_month": 2, "expiration_year": 2099}}


async def _customer(shop: Shop) -> tuple[str, dict]:
    _, customer_id, token = await shop.registered()
    return customer_id, bearer(token)


async def test_a_card_is_saved_masked_with_its_custom_attributes(shop: Shop):
    customer_id, auth = await _customer(shop)
    added = await shop.call("POST", f"/customers/{customer_id}/payment_instruments",
                            json=CARD_REQUEST, headers=auth, expected=200)
    card = added.body["payment_card"]
    assert added.body["_type"] == "customer_payment_instrument"
    assert card["masked_number"] == "************1111" and card["number_last_digits"] == "1111"
    assert card["credit_card_expired"] is False and card["_type"] == "payment_card"
    assert "number" not in card and added.body["c_strValue"] == "custom value"
    assert CARD not in str(added.body)
    got = await shop.call("GET", f"/customers/{customer_id}/payment_instruments/"
                          f"{added.body['payment_instrument_id']}", headers=auth, expected=200)
    assert got.body["payment_card"] == card


async def test_an_expired_card_says_so(shop: Shop):
    customer_id, auth = await _customer(shop)
    old = CARD_REQUEST | {"payment_card": CARD_REQUEST["payment_card"] | {"expiration_year": 2001}}
    added = await shop.call("POST", f"/customers/{customer_id}/payment_instruments", json=old,
                            headers=auth, expected=200)
    assert added.body["payment_card"]["credit_card_expired"] is True


async def test_other_methods_mask_gift_codes_and_bank_accounts(shop: Shop):
    customer_id, auth = await _customer(shop)
    added = await shop.call("POST", f"/customers/{customer_id}/payment_instruments", headers=auth, json={
        "payment_method_id": "OCAPI_Payment_Simple", "gift_certificate_code": "gift_code7",
        "bank_routing_number": "bankrouting3776",
        "payment_bank_account": {"number": "accountt111", "drivers_license": "license111e111",
                                 "drivers_license_state_code": "MA", "holder": "Joe Doe"}}, expected=200)
    assert added.body["gift_certificate_code_masked"] == "******ode7"
    bank = added.body["payment_bank_account"]
    assert bank["masked_number"] == "*******t111" and bank["number_last_digits"] == "t111"
    assert bank["masked_drivers_license"] == "**********e111" and "drivers_license" not in bank
    assert "gift_code7" not in str(added.body)


async def test_the_list_filters_by_payment_method(shop: Shop):
    customer_id, auth = await _customer(shop)
    url = f"/customers/{customer_id}/payment_instruments"
    await shop.call("POST", url, json=CARD_REQUEST, headers=auth, expected=200)
    await shop.call("POST", url, json={"payment_method_id": "OTHER"}, headers=auth, expected=200)
    everything = await shop.call("GET", url, headers=auth, expected=200)
    assert everything.body["count"] == 2 and everything.body["total"] == 2
    assert everything.body["_type"] == "customer_payment_instrument_result"
    cards = await shop.call("GET", url, params={"payment_method_id": "CREDIT_CARD"}, headers=auth,
                            expected=200)
    assert [i["payment_method_id"] for i in cards.body["data"]] == ["CREDIT_CARD"]


async def test_delete_removes_the_instrument_and_unknown_ids_are_404(shop: Shop):
    customer_id, auth = await _customer(shop)
    url = f"/customers/{customer_id}/payment_instruments"
    added = await shop.call("POST", url, json=CARD_REQUEST, headers=auth, expected=200)
    one = f"{url}/{added.body['payment_instrument_id']}"
    await shop.call("DELETE", one, headers=auth, expected=204)
    for method in ("GET", "DELETE"):
        reply = await shop.call(method, one, headers=auth, expected=404)
        assert reply.fault_type == "PaymentInstrumentNotFoundException"


async def test_invalid_requests_are_refused_without_echoing_the_number(shop: Shop):
    customer_id, auth = await _customer(shop)
    url = f"/customers/{customer_id}/payment_instruments"
    cases = [({"payment_card": {"number": CARD}}, "PropertyConstraintViolationException"),
             (CARD_REQUEST | {"payment_card": {"number": CARD, "security_code": "123"}},
              "UnknownPropertyException"),
             (CARD_REQUEST | {"payment_card": {"number": CARD, "expiration_month": 13}},
              "PropertyConstraintViolationException")]
    for body, fault_type in cases:
        reply = await shop.call("POST", url, json=body, headers=auth, expected=400)
        assert reply.fault_type == fault_type and CARD not in str(reply.body)


async def test_a_guest_sees_an_empty_wallet_but_cannot_add_to_it(shop: Shop):
    guest = await shop.guest_token()
    me = await shop.refresh(guest)
    url = f"/customers/{me.body['customer_id']}/payment_instruments"
    listed = await shop.call("GET", url, headers=bearer(guest), expected=200)
    assert listed.body["data"] == [] and listed.body["total"] == 0
    reply = await shop.call("POST", url, json=CARD_REQUEST, headers=bearer(guest), expected=404)
    assert reply.fault_type == "CustomerNotFoundException"


async def test_payment_instruments_exist_in_15_6(shop: Shop):
    customer_id, auth = await _customer(shop)
    await shop.call("POST", f"/customers/{customer_id}/payment_instruments", json=CARD_REQUEST,
                    headers=auth, version="v15_6", expected=200)
    reply = await shop.call("GET", f"/customers/{customer_id}/payment_instruments", headers=auth,
                            version="v15_6", expected=200)
    assert reply.body["_v"] == "15.6" and reply.body["count"] == 1


async def test_15_6_names_the_wallets_unknown_customer_and_instrument_not_found(shop: Shop):
    """15.6 documents NotFoundException where 16.4 says CustomerNotFoundException /
    PaymentInstrumentNotFoundException: the fault follows the version asked for."""
    guest = await shop.guest_token()
    guest_wallet = f"/customers/{(await shop.refresh(guest)).body['customer_id']}/payment_instruments"
    customer_id, auth = await _customer(shop)
    unknown = f"/customers/{customer_id}/payment_instruments/no-such-instrument"
    for version, customer_fault, instrument_fault in (
            ("v15_6", "NotFoundException", "NotFoundException"),
            ("v16_4", "CustomerNotFoundException", "PaymentInstrumentNotFoundException")):
        added = await shop.call("POST", guest_wallet, json=CARD_REQUEST, headers=bearer(guest),
                                version=version, expected=404)
        assert added.fault_type == customer_fault and added.body["_v"] == version[1:].replace("_", ".")
        got = await shop.call("GET", unknown, headers=auth, version=version, expected=404)
        assert got.fault_type == instrument_fault
    # Faults that are not the wallet's 404s keep their names in 15.6.
    other = await shop.call("GET", "/customers/someone-else/payment_instruments/x", headers=auth,
                            version="v15_6", expected=400)
    assert other.fault_type == "InvalidCustomerException"
