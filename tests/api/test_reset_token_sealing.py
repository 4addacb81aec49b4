"""Reset tokens are readable only by the mailer (issue 9.6), attacked as a reader of the
database and as a plain subscriber of ``ocapi.hooks``; and a password change voids them."""
import asyncio
import base64
import re

import orjson
import pytest

from ocapi_hooks import UnsealError, generate_keypair, load_private_key, unseal, unseal_reset_token
from services.auth.reset_sealing import (
    DEMO_PUBLIC_KEY_FILE,
    ROOT,
    RecipientKeyError,
    load_recipient_key,
    parse_public_key,
    seal,
    sealed_reset_token,
)
from tests.api.recorder import recording
from tests.api.sealed import reset_token
from tests.api.shop import PASSWORD, Shop, bearer, unique_login
from tests.platform import SHOP_CLIENT

BY_LOGIN = "dw.ocapi.shop.customers.password_reset.afterPOST"
BY_ID = "dw.ocapi.shop.customer.password_reset.afterPOST"
NEW_PASSWORD = "N3w!sealed-pass"
Q = {"client_id": SHOP_CLIENT}


def _spellings(token: str) -> list[bytes]:
    """The token as raw bytes, and as JSON or base64 would carry it."""
    raw = token.encode()
    return [raw, orjson.dumps(token), base64.b64encode(raw), base64.urlsafe_b64encode(raw)]


async def _mailed_token(inbox, login: str) -> str:
    for _ in range(200):
        mine = [m for m in inbox.messages if m[1] == [f"{login}@example.com"]]
        if mine:
            found = re.search(r"reset token: (\S+)", mine[0][2])
            assert found is not None, mine[0][2]
            return found.group(1)
        await asyncio.sleep(0.05)
    raise AssertionError("the mailer sent nothing")


async def test_only_the_mailer_reads_the_reset_token(shop: Shop, mailer, amqp_url, db):
    login = unique_login("sealed")
    await shop.register(login)
    async with recording(amqp_url, "#") as eavesdropper:  # a plain subscriber: sees everything
        await shop.call("POST", "/customers/password_reset", params=Q, expected=204,
                        json={"identification": login, "type": "login"})
        token = await _mailed_token(mailer, login)
        events = await eavesdropper.wait_for(lambda b: b["extension_point"] == BY_LOGIN
                                             and b["data"]["customer"].get("login") == login, 1)
    assert len(events) == 1 and events[0]["data"]["sealedResetToken"].startswith("sealed-v1.")
    assert "resetToken" not in events[0]["data"]
    published = b"".join(m.body for m in eavesdropper.messages)
    stored = b"".join(orjson.dumps([str(v) for v in row.values()]) for row in
                      await db.fetch("SELECT * FROM auth.outbox") + await db.fetch("SELECT * FROM auth.password_resets"))
    for spelling in _spellings(token):
        assert spelling not in published and spelling not in stored
    await shop.call("POST", "/customers/password/actions/reset", params=Q, expected=204,
                    json={"login": login, "reset_token": token, "new_password": NEW_PASSWORD})
    await shop.login(login, NEW_PASSWORD)


async def test_a_reset_token_issued_before_a_password_change_is_refused(shop: Shop, hooks):
    login, customer_id, token = await shop.registered()
    await shop.call("POST", f"/customers/{customer_id}/password_reset", headers=bearer(token), expected=204)
    events = await hooks.wait_for(lambda b: b["extension_point"] == BY_ID
                                  and b["data"]["customer"]["customer_id"] == customer_id, 1)
    pending = reset_token(events[-1]["data"])
    await shop.call("PUT", f"/customers/{customer_id}/password", headers=bearer(token), expected=204,
                    json={"current_password": PASSWORD, "password": NEW_PASSWORD})
    reply = await shop.call("POST", "/customers/password/actions/reset", params=Q, expected=400,
                            json={"login": login, "reset_token": pending, "new_password": "An0ther!pass"})
    assert reply.fault_type == "InvalidResetTokenException"
    await shop.login(login, NEW_PASSWORD)


async def test_a_reset_token_dies_when_the_data_api_locks_the_customer(shop: Shop, data, hooks):
    """Locking (or disabling) is a cut-off like a password change: unlocking later must not
    bring a link mailed before it back to life."""
    login, customer_id, token = await shop.registered()
    customer_no = (await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token),
                                   expected=200)).body["customer_no"]
    await shop.call("POST", f"/customers/{customer_id}/password_reset", headers=bearer(token), expected=204)
    events = await hooks.wait_for(lambda b: b["extension_point"] == BY_ID
                                  and b["data"]["customer"]["customer_id"] == customer_id, 1)
    pending = reset_token(events[-1]["data"])
    url = f"/customer_lists/SiteGenesis/customers/{customer_no}"
    await data.call("PATCH", url, json={"credentials": {"locked": True}}, expected=200)
    await data.call("PATCH", url, json={"credentials": {"locked": False}}, expected=200)
    reply = await shop.call("POST", "/customers/password/actions/reset", params=Q, expected=400,
                            json={"login": login, "reset_token": pending, "new_password": "An0ther!pass"})
    assert reply.fault_type == "InvalidResetTokenException"
    await shop.login(login, PASSWORD)


def test_a_sealed_token_opens_only_with_its_key_and_in_its_own_event():
    private, public = generate_keypair()
    key = load_private_key(private)
    customer = {"customer_id": "c1", "email": "ann@example.com"}
    data = {"customer": customer, **sealed_reset_token(parse_public_key(public), customer, "tok-1")}
    assert unseal_reset_token(data, key) == "tok-1"
    with pytest.raises(UnsealError):  # another subscriber's key
        unseal_reset_token(data, load_private_key(generate_keypair()[0]))
    with pytest.raises(UnsealError):  # moved into an event that mails it elsewhere
        unseal_reset_token(data | {"customer": customer | {"email": "thief@example.com"}}, key)
    with pytest.raises(UnsealError):
        unseal_reset_token({"customer": customer, "resetToken": "tok-1"}, key)
    sealed = seal("x", parse_public_key(public), b"ctx")
    tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(UnsealError):
        unseal(tampered, key, b"ctx")


def test_production_refuses_the_demo_key_or_no_key():
    demo = (ROOT / DEMO_PUBLIC_KEY_FILE).read_text()
    for value in ("", DEMO_PUBLIC_KEY_FILE, demo):
        with pytest.raises(RecipientKeyError, match="AUTH_RESET_TOKEN_RECIPIENT_KEY"):
            load_recipient_key(value, "production")
    with pytest.raises(RecipientKeyError):
        load_recipient_key("not a key", "development")
    load_recipient_key(DEMO_PUBLIC_KEY_FILE, "development")
    own = generate_keypair()[1]
    assert load_recipient_key(own, "production") == parse_public_key(own)
