"""The search projection applies customer events idempotently and in version order."""
import uuid

from services.customer_list.projection import apply_event


def _changed(customer_id: str, version: int, first_name: str) -> dict:
    return {"extension_point": "customer.CustomerChanged", "data": {
        "customer_id": customer_id, "customer_list_id": "L", "version": version,
        "customer": {"customer_no": "1", "first_name": first_name, "_resource_state": "s",
                     "last_login_time": "t", "addresses": [{"address_id": "a"}],
                     "credentials": {"login": "l", "enabled": True, "locked": False}}}}


def _deleted(customer_id: str, version: int) -> dict:
    return {"extension_point": "customer.CustomerDeleted", "data": {
        "customer_id": customer_id, "customer_list_id": "L", "customer_no": "1", "version": version}}


async def _row(pool, customer_id):
    async with pool.acquire() as conn:
        return await conn.fetchrow(
            "SELECT version, deleted, first_name, login, enabled, document"
            " FROM customer_list.customer_search WHERE customer_id = $1", customer_id)


async def _apply(pool, envelope):
    async with pool.acquire() as conn:
        await apply_event(conn, envelope)


async def test_the_newest_version_wins_whatever_the_order(pool):
    cid = uuid.uuid4().hex
    await _apply(pool, _changed(cid, 2, "Two"))
    await _apply(pool, _changed(cid, 1, "One"))  # late and older: ignored
    await _apply(pool, _changed(cid, 2, "Two again"))  # same version: ignored
    row = await _row(pool, cid)
    assert (row["version"], row["first_name"], row["login"], row["enabled"]) == (2, "Two", "l", True)
    assert set(row["document"]) == {"customer_no", "first_name", "credentials"}


async def test_a_delete_leaves_a_tombstone_older_changes_cannot_resurrect(pool):
    cid = uuid.uuid4().hex
    await _apply(pool, _changed(cid, 1, "Alive"))
    await _apply(pool, _deleted(cid, 2))
    await _apply(pool, _changed(cid, 1, "Zombie"))
    row = await _row(pool, cid)
    assert row["deleted"] and row["first_name"] is None and row["document"] == {}
