"""Per-shopper quotas: open guest baskets, addresses, payment instruments (issue 10.5).

A guest token is free, and each let its holder open baskets, and a customer add addresses
and payment instruments, without end. Racing creations cannot overshoot a quota.
"""
import asyncio

import pytest

from tests.api.shop import Shop, bearer
from tests.platform import Platform

CARD = {"payment_method_id": "CREDIT_CARD",
        "payment_card": {"card_type": "Visa", "number": "4111111111111111", "holder": "J. Doe",
                         "expiration_month": 1, "expiration_year": 2040}}


@pytest.fixture(scope="module")
async def limited(database_url, amqp_url, http):
    platform = Platform(database_url, amqp_url, max_open_baskets_per_guest=2,
                        max_addresses_per_customer=3, max_payment_instruments_per_customer=2)
    await platform.start()
    yield Shop(http, platform.gateway)
    await platform.stop()


async def test_racing_guest_baskets_stop_at_the_quota(limited: Shop):
    auth = bearer(await limited.guest_token())
    replies = await asyncio.gather(*(limited.call("POST", "/baskets", headers=auth, json={}, version="v23_2")
                                     for _ in range(8)))
    assert sorted(r.status for r in replies) == [200] * 2 + [400] * 6
    refused = next(r for r in replies if r.status == 400)
    assert refused.fault_type == "CustomerBasketsQuotaExceededException"
    # Another guest is not affected.
    await limited.call("POST", "/baskets", headers=bearer(await limited.guest_token()), json={}, version="v23_2",
                       expected=200)


async def test_racing_addresses_stop_at_the_quota(limited: Shop):
    _, customer_id, token = await limited.registered()
    replies = await asyncio.gather(*(limited.call(
        "POST", f"/customers/{customer_id}/addresses", headers=bearer(token),
        json={"address_id": f"a{i}", "last_name": "X"}) for i in range(7)))
    assert sorted(r.status for r in replies) == [200] * 3 + [400] * 4
    assert {r.fault_type for r in replies if r.status == 400} == {"CustomerAddressesQuotaExceededException"}
    listed = await limited.call("GET", f"/customers/{customer_id}/addresses", headers=bearer(token), expected=200)
    assert listed.body["total"] == 3


async def test_racing_payment_instruments_stop_at_the_quota(limited: Shop):
    _, customer_id, token = await limited.registered()
    replies = await asyncio.gather(*(limited.call(
        "POST", f"/customers/{customer_id}/payment_instruments", headers=bearer(token), json=CARD)
        for _ in range(6)))
    assert sorted(r.status for r in replies) == [200] * 2 + [400] * 4
    assert {r.fault_type for r in replies if r.status == 400} == {
        "CustomerPaymentInstrumentsQuotaExceededException"}
