"""The customer search projection: applying customer domain events, idempotently.

``shared.messaging.consumer`` records each message id with the effect, so a redelivery does
nothing; the version guard makes out-of-order delivery harmless too.
"""
from typing import Any

from services.customer_list.search_fields import FIELDS

# Logins change these without a new customer version (and without an event), so hits
# leave them out rather than show stale values; the customer resource has them.
NOT_PROJECTED = ("addresses", "_resource_state", "last_login_time", "previous_login_time",
                 "last_visit_time", "previous_visit_time")
CHANGED = "customer.CustomerChanged"
DELETED = "customer.CustomerDeleted"
COLUMNS = [column for column, _ in FIELDS.values()]


def _row_values(customer: dict[str, Any]) -> list[Any]:
    credentials = customer.get("credentials") or {}
    values = []
    for name in FIELDS:
        value = credentials.get(name.split(".", 1)[1]) if name.startswith("credentials.") \
            else customer.get(name)
        values.append(value)
    return values


async def apply_event(conn, envelope: dict[str, Any]) -> None:
    point, data = envelope["extension_point"], envelope["data"]
    if point == CHANGED:
        await _upsert(conn, data)
    elif point == DELETED:
        await _tombstone(conn, data)


async def _upsert(conn, data: dict[str, Any]) -> None:
    customer = {k: v for k, v in data["customer"].items() if k not in NOT_PROJECTED}
    placeholders = ", ".join(f"${i}" for i in range(5, 5 + len(COLUMNS)))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS)
    await conn.execute(
        f"INSERT INTO customer_list.customer_search (customer_id, customer_list_id, version,"
        f" document, {', '.join(COLUMNS)}) VALUES ($1, $2, $3, $4, {placeholders})"
        " ON CONFLICT (customer_id) DO UPDATE SET customer_list_id = EXCLUDED.customer_list_id,"
        f" version = EXCLUDED.version, document = EXCLUDED.document, deleted = false, {updates},"
        " projected_at = clock_timestamp()"
        " WHERE customer_search.version < EXCLUDED.version",
        data["customer_id"], data["customer_list_id"], data["version"], customer,
        *_row_values(customer))


async def _tombstone(conn, data: dict[str, Any]) -> None:
    nulls = ", ".join(f"{c} = NULL" for c in COLUMNS)
    await conn.execute(
        "INSERT INTO customer_list.customer_search (customer_id, customer_list_id, version, deleted)"
        " VALUES ($1, $2, $3, true) ON CONFLICT (customer_id) DO UPDATE SET deleted = true,"
        f" version = EXCLUDED.version, document = '{{}}', {nulls}, projected_at = clock_timestamp()"
        " WHERE customer_search.version < EXCLUDED.version",
        data["customer_id"], data["customer_list_id"], data["version"])


async def clear(conn) -> None:
    """Forget the projection (for a rebuild from the customer service's snapshot events)."""
    await conn.execute("DELETE FROM customer_list.customer_search")
