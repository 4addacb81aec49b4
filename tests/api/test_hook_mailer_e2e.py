"""The password-reset mailer example end to end: reset requested through the Shop API, the
mail delivered to a local aiosmtpd server, the reset completed with the mailed token."""
import asyncio
import re

from tests.api.shop import Shop, unique_login
from tests.platform import SHOP_CLIENT

NEW_PASSWORD = "N3w!secret-pass"


async def test_the_mailer_delivers_the_reset_token_and_the_reset_completes_with_it(shop: Shop, mailer):
    login = unique_login("mailme")
    await shop.register(login)
    await shop.call("POST", "/customers/password_reset", params={"client_id": SHOP_CLIENT},
                    json={"identification": login, "type": "login"}, expected=204)
    mine = []
    for _ in range(100):
        mine = [m for m in mailer.messages if m[1] == [f"{login}@example.com"]]
        if mine:
            break
        await asyncio.sleep(0.05)
    assert len(mine) == 1
    found = re.search(r"reset token: (\S+)", mine[0][2])
    assert found is not None, mine[0][2]
    token = found.group(1)
    await shop.call("POST", "/customers/password/actions/reset", params={"client_id": SHOP_CLIENT},
                    json={"login": login, "reset_token": token, "new_password": NEW_PASSWORD}, expected=204)
    await shop.login(login, NEW_PASSWORD)
