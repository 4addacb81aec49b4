"""Password hashing cannot be queued to death: the line is bounded and sheds at once, and a
reset completion with a bad token never reaches the hasher.

The platform here hashes slowly (argon2id t=60, about half a second per hash on an idle
machine; slower under load) with one thread and one waiting place, so two requests fill the
line for about a second: long enough that the assertions compare orders, not clocks.
"""
import asyncio

import pytest

from tests.api.shop import Reply, Shop, unique_login
from tests.platform import SHOP_CLIENT, Platform

WRONG = "Wr0ng!password"


@pytest.fixture(scope="module")
async def slow(database_url, amqp_url, http):
    platform = Platform(database_url, amqp_url, argon2_time_cost=60, hash_workers=1,
                        hash_queue_max=1, hash_retry_after_seconds=3, db_pool_max=2)
    await platform.start()
    yield Shop(http, platform.gateway)
    await platform.stop()


async def _fill_the_line(shop: Shop, login: str) -> list[asyncio.Task]:
    """Two wrong logins: one hashing, one waiting; given time to reach auth."""
    held = [asyncio.create_task(shop.login(login, WRONG, expected=None)) for _ in range(2)]
    await asyncio.sleep(0.3)
    assert not any(t.done() for t in held), "hashing was faster than this test assumes"
    return held


async def test_a_full_hash_line_sheds_at_once_with_503_and_retry_after(slow: Shop):
    login = unique_login("shed")
    await slow.register(login)
    held = await _fill_the_line(slow, login)
    shed: list[Reply] = await asyncio.gather(*(slow.login(login, WRONG, expected=None)
                                               for _ in range(6)))
    # Answered while the line is still busy: they did not wait for a place in it.
    assert not all(t.done() for t in held)
    for reply in shed:
        assert reply.status == 503, reply.body
        assert reply.headers["Retry-After"] == "3"
        assert reply.fault_type == "ServiceUnavailableException"
    assert [r.status for r in await asyncio.gather(*held)] == [401, 401]


async def test_shed_requests_do_not_count_towards_the_lockout(slow: Shop):
    login = unique_login("uncounted")
    await slow.register(login)
    held = await _fill_the_line(slow, login)
    await asyncio.gather(*(slow.login(login, WRONG, expected=503) for _ in range(6)))
    await asyncio.gather(*held)
    for _ in range(3):
        await slow.login(login, WRONG, expected=401)
    # 2 + 3 = 5 counted failures: still open. Had the 6 shed ones counted, it would be locked.
    await slow.login(login, expected=200)


async def test_a_bad_reset_token_is_refused_without_waiting_for_the_hash_line(slow: Shop):
    login = unique_login("reset")
    await slow.register(login)
    held = await _fill_the_line(slow, login)
    reply = await slow.call("POST", "/customers/password/actions/reset",
                            params={"client_id": SHOP_CLIENT},
                            json={"login": login, "reset_token": "guessed-token",
                                  "new_password": "N3w!password"}, expected=400)
    assert reply.fault_type == "InvalidResetTokenException"
    assert not all(t.done() for t in held)  # it never stood in the hash line
    await asyncio.gather(*held)
