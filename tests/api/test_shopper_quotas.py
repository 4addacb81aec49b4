"""Per-shopper quotas: open guest baskets, addresses, payment instruments (issue 10.5).

A guest token is free, and each let its holder open baskets, and a customer add addresses
and payment instruments, without end. Racing creations cannot overshoot a quota.
"""
import asyncio

from services.customer.settings import CustomerSettings
from services.order.settings import OrderSettings
from tests.api.shop import Shop, bearer

# The defaults the session's platform runs with.
BASKETS = OrderSettings().max_open_baskets_per_guest
ADDRESSES = CustomerSettings().max_addresses_per_customer
INSTRUMENTS = CustomerSettings().max_payment_instruments_per_customer

CARD = {"payment_method_id": "CREDIT_CARD",
        "payment_card": {"card_type": "Visa", "number": "4111111111111111", "holder": "J. Doe",
                         "expiration_month": 1, "expiration_year": 2040}}


async def test_racing_guest_baskets_stop_at_the_quota(shop: Shop):
    auth = bearer(await shop.guest_token())
    replies = await asyncio.gather(*(shop.call("POST", "/baskets", headers=auth, json={}, version="v23_2")
                                     for _ in range(BASKETS + 4)))
    assert sorted(r.status for r in replies) == [200] * BASKETS + [400] * 4
    refused = next(r for r in replies if r.status == 400)
    assert refused.fault_type == "CustomerBasketsQuotaExceededException"
    # Another guest is not affected.
    await shop.call("POST", "/baskets", headers=bearer(await shop.guest_token()), json={}, version="v23_2",
                       expected=200)


async def test_racing_addresses_stop_at_the_quota(shop: Shop):
    _, customer_id, token = await shop.registered()
    for i in range(ADDRESSES - 2):
        await shop.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(token),
                        json={"address_id": f"a{i}", "last_name": "X"}, expected=200)
    replies = await asyncio.gather(*(shop.call(
        "POST", f"/customers/{customer_id}/addresses", headers=bearer(token),
        json={"address_id": f"b{i}", "last_name": "X"}) for i in range(6)))
    assert sorted(r.status for r in replies) == [200] * 2 + [400] * 4
    assert {r.fault_type for r in replies if r.status == 400} == {"CustomerAddressesQuotaExceededException"}
    listed = await shop.call("GET", f"/customers/{customer_id}/addresses", headers=bearer(token), expected=200)
    assert listed.body["total"] == ADDRESSES


async def test_racing_payment_instruments_stop_at_the_quota(shop: Shop):
    _, customer_id, token = await shop.registered()
    replies = await asyncio.gather(*(shop.call(
        "POST", f"/customers/{customer_id}/payment_instruments", headers=bearer(token), json=CARD)
        for _ in range(INSTRUMENTS + 4)))
    assert sorted(r.status for r in replies) == [200] * INSTRUMENTS + [400] * 4
    assert {r.fault_type for r in replies if r.status == 400} == {
        "CustomerPaymentInstrumentsQuotaExceededException"}
