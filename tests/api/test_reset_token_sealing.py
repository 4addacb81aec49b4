"""Reset tokens are readable only by the mailer (issue 9.6), attacked as a reader of the
database and as a plain subscriber of ``ocapi.hooks``. What voids a token, and the sealing
itself, are rules: tests/unit/test_auth_password_rules.py."""
import asyncio
import base64
import re

import orjson

from tests.api.recorder import recording
from tests.api.shop import Shop, unique_login
from tests.platform import SHOP_CLIENT

BY_LOGIN = "dw.ocapi.shop.customers.password_reset.afterPOST"
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
