"""SQL for the customer schema. Functions take ``conn`` first and never open transactions.

``Customers`` is the unit-of-work face of the same table (see unit_of_work.py); the functions
stay for the parts of the service that do not run in a unit yet.
"""
import abc

import asyncpg

from services.customer.model import Customer
from shared.db import Connection

_CUSTOMER = ("customer_id, customer_list_id, customer_no, login, profile, custom, creation_date,"
             " last_modified, last_login_time, previous_login_time, last_visit_time,"
             " previous_visit_time, version, enabled, locked, password_question")


async def next_customer_no(conn, customer_list_id: str) -> str:
    """The next number of the list; the row lock serialises concurrent registrations."""
    number = await conn.fetchval(
        "INSERT INTO customer.customer_no_sequences AS s (customer_list_id, next_no) VALUES ($1, 2)"
        " ON CONFLICT (customer_list_id) DO UPDATE SET next_no = s.next_no + 1"
        " RETURNING next_no - 1", customer_list_id)
    return f"{number:08d}"


async def insert_customer(conn, customer_id: str, customer_list_id: str, customer_no: str,
                          login: str, profile: dict, custom: dict) -> asyncpg.Record:
    return await conn.fetchrow(
        "INSERT INTO customer.customers (customer_id, customer_list_id, customer_no, login,"
        f" profile, custom) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {_CUSTOMER}",
        customer_id, customer_list_id, customer_no, login, profile, custom)


async def customer(conn, customer_id: str, *, for_update: bool = False) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {_CUSTOMER} FROM customer.customers WHERE customer_id = $1{lock}", customer_id)


async def customer_list_of(conn, customer_id: str) -> str | None:
    return await conn.fetchval(
        "SELECT customer_list_id FROM customer.customers WHERE customer_id = $1", customer_id)


async def update_customer(conn, customer_id: str, set_profile: dict, unset_profile: list[str],
                          set_custom: dict, unset_custom: list[str], *, customer_no: str | None = None,
                          login: str | None = None, enabled: bool | None = None,
                          locked: bool | None = None,
                          password_question: str | None = None) -> asyncpg.Record:
    """One UPDATE for every change (None leaves a column as it is); raises
    UniqueViolationError when the number is taken."""
    return await conn.fetchrow(
        "UPDATE customer.customers SET profile = (profile || $2) - $3::text[],"
        " custom = (custom || $4) - $5::text[], customer_no = coalesce($6, customer_no),"
        " login = coalesce($7, login), enabled = coalesce($8, enabled),"
        " locked = coalesce($9, locked), password_question = coalesce($10, password_question),"
        " version = version + 1, last_modified = now()"
        f" WHERE customer_id = $1 RETURNING {_CUSTOMER}",
        customer_id, set_profile, unset_profile, set_custom, unset_custom, customer_no, login,
        enabled, locked, password_question)


async def record_login(conn, customer_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "UPDATE customer.customers SET previous_login_time = last_login_time,"
        " last_login_time = now(), previous_visit_time = last_visit_time, last_visit_time = now()"
        f" WHERE customer_id = $1 RETURNING {_CUSTOMER}", customer_id)


async def start_registration(conn, customer_id: str, customer_list_id: str, login: str) -> None:
    await conn.execute(
        "INSERT INTO customer.registrations (customer_id, customer_list_id, login)"
        " VALUES ($1, $2, $3)", customer_id, customer_list_id, login)


async def finish_registration(conn, customer_id: str, state: str) -> None:
    await conn.execute(
        "UPDATE customer.registrations SET state = $2, updated_at = now()"
        " WHERE customer_id = $1", customer_id, state)


async def stale_registrations(conn, older_than_seconds: int, limit: int = 100) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT r.customer_id, c.customer_id IS NOT NULL AS has_profile"
        " FROM customer.registrations r LEFT JOIN customer.customers c USING (customer_id)"
        " WHERE r.state = 'pending' AND r.created_at < now() - make_interval(secs => $1)"
        " ORDER BY r.created_at LIMIT $2", older_than_seconds, limit)


async def ids_by_email(conn, customer_list_id: str, email: str, limit: int = 2) -> list[str]:
    """Up to ``limit`` customers with this email (two are enough to know it is ambiguous)."""
    rows = await conn.fetch(
        "SELECT customer_id FROM customer.customers"
        " WHERE customer_list_id = $1 AND lower(profile->>'email') = lower($2) LIMIT $3",
        customer_list_id, email, limit)
    return [r["customer_id"] for r in rows]


class Customers(abc.ABC):
    @abc.abstractmethod
    async def get(self, customer_id: str) -> Customer | None: ...


class PostgresCustomers(Customers):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def get(self, customer_id: str) -> Customer | None:
        row = await customer(self._conn, customer_id)
        return None if row is None else Customer(**dict(row))
