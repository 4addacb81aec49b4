"""The password reset request answers in the same time whether or not the account exists,
because the answer does not wait for any work on the account.

Proved by order, not by clock: while this test holds a row lock that the account's reset
work must wait for, the answer still arrives; the work completes once the lock is released.
The old flow stored the token before answering, so its answer waited for the lock.
"""
import asyncio

from tests.api.shop import Shop, unique_login
from tests.platform import SHOP_CLIENT

STORED = ("SELECT count(*) FROM auth.password_resets r JOIN auth.credentials c USING (customer_id)"
          " WHERE lower(c.login) = lower($1)")


async def _request_reset(shop: Shop, login: str):
    return await shop.call("POST", "/customers/password_reset", params={"client_id": SHOP_CLIENT},
                           json={"identification": login, "type": "login"}, expected=204)


async def test_a_reset_request_answers_before_any_work_on_the_account(shop: Shop, db, database_url):
    login = unique_login("held")
    await shop.register(login)
    async with db.transaction():
        # Storing the token checks its foreign key against this row, so it waits for us.
        await db.execute("SELECT 1 FROM auth.credentials WHERE lower(login) = lower($1)"
                         " FOR UPDATE", login)
        reply = await asyncio.wait_for(_request_reset(shop, login), timeout=8)
        assert reply.body is None
        assert await db.fetchval(STORED, login) == 0  # the account's work is still waiting
    for _ in range(200):  # released: the work finishes after the answer
        if await db.fetchval(STORED, login) == 1:
            break
        await asyncio.sleep(0.05)
    assert await db.fetchval(STORED, login) == 1


async def test_known_and_unknown_logins_get_the_same_answer(shop: Shop):
    login = unique_login("known")
    await shop.register(login)
    known = await _request_reset(shop, login)
    unknown = await _request_reset(shop, unique_login("unknown"))
    assert (known.status, known.body) == (unknown.status, unknown.body) == (204, None)
