"""Hook events of the address book, the wallet and the Account resource."""
import orjson

from tests.api.account import account_round_trip
from tests.api.shop import PASSWORD, Shop, bearer, unique_login

CARD = "4012888888881881"


def _for(customer_id: str):
    return lambda b: orjson.dumps(b).decode().find(customer_id) >= 0


async def test_address_changes_publish_before_and_after_pairs(shop: Shop, hooks):
    _, customer_id, token = await shop.registered()
    url = f"/customers/{customer_id}/addresses"
    await shop.call("POST", url, json={"address_id": "home", "city": "X"}, headers=bearer(token), expected=200)
    await shop.call("PATCH", f"{url}/home", json={"city": "Y"}, headers=bearer(token), expected=200)
    await shop.call("DELETE", f"{url}/home", headers=bearer(token), expected=204)
    events = await hooks.wait_for(lambda b: _for(customer_id)(b) and ".address" in b["extension_point"], 6)
    points = [e["extension_point"] for e in events]
    assert sorted(points) == sorted([
        "dw.ocapi.shop.customer.addresses.beforePOST", "dw.ocapi.shop.customer.addresses.afterPOST",
        "dw.ocapi.shop.customer.address.beforePATCH", "dw.ocapi.shop.customer.address.afterPATCH",
        "dw.ocapi.shop.customer.address.beforeDELETE", "dw.ocapi.shop.customer.address.afterDELETE"])
    after_post = next(e for e in events if e["extension_point"].endswith("afterPOST"))
    assert after_post["data"]["addressName"] == "home"
    assert after_post["data"]["customerAddress"]["city"] == "X"
    assert after_post["data"]["customer"]["customer_id"] == customer_id


async def test_payment_instrument_events_carry_the_masked_instrument(shop: Shop, hooks):
    _, customer_id, token = await shop.registered()
    url = f"/customers/{customer_id}/payment_instruments"
    added = await shop.call("POST", url, headers=bearer(token), expected=200, json={
        "payment_method_id": "CREDIT_CARD", "payment_card": {"number": CARD}})
    await shop.call("DELETE", f"{url}/{added.body['payment_instrument_id']}", headers=bearer(token),
                    expected=204)
    events = await hooks.wait_for(lambda b: _for(customer_id)(b) and "PaymentInstrument" in b["extension_point"], 4)
    by_point = {e["extension_point"]: e for e in events}
    posted = by_point["dw.ocapi.shop.customer.afterPostPaymentInstrument"]["data"]["paymentInstrument"]
    assert posted["payment_card"]["number_last_digits"] == "1881"
    deleted = by_point["dw.ocapi.shop.customer.afterDeletePaymentInstrument"]["data"]
    assert deleted["paymentInstrumentId"] == added.body["payment_instrument_id"]
    assert "dw.ocapi.shop.customer.beforePostPaymentInstrument" in by_point
    assert "dw.ocapi.shop.customer.beforeDeletePaymentInstrument" in by_point
    assert all(CARD not in orjson.dumps(e).decode() for e in events)


async def test_account_register_and_address_events(shop: Shop, hooks):
    login = unique_login("hooked")
    await account_round_trip(shop, login)
    events = await hooks.wait_for(_for(f"{login}@x.org"), 10)
    points = {e["extension_point"] for e in events}
    stems = ["beforeRegister", "afterRegister", "beforeUpdate", "afterUpdate", "address.beforeCreate",
             "address.afterCreate", "address.beforeUpdate", "address.afterUpdate",
             "address.beforeDelete", "address.afterDelete"]
    assert points == {f"dw.ocapi.shop.account.{s}" for s in stems}
    for event in events:
        assert PASSWORD not in orjson.dumps(event).decode()
    created = next(e for e in events if e["extension_point"].endswith("address.afterCreate"))
    assert created["data"]["customerAddress"]["address_name"] == "home"
    assert created["data"]["profile"]["email"] == f"{login}@x.org"
