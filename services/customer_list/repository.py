"""SQL for the customer-list schema. Functions take ``conn`` first and never open transactions."""
import asyncpg


async def customer_list(conn, list_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT list_id, description, creation_date, last_modified, version"
        " FROM customer_list.customer_lists WHERE list_id = $1", list_id)


async def site_list(conn, site_id: str) -> str | None:
    return await conn.fetchval(
        "SELECT customer_list_id FROM customer_list.site_assignments WHERE site_id = $1", site_id)
