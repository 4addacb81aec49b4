"""The customers and their registrations: what the service needs, and its SQL.

Bound to its unit of work's connection; the unit owns the transaction. The abstract
classes are what the unit tests fake.
"""
import abc
from dataclasses import fields
from typing import Any

import asyncpg

from services.customer.model import Customer, DuplicateKey, StaleRegistration
from shared.db import Connection

# Every column of the dataclass, in its field order: a row becomes a Customer by position.
_CUSTOMER = ", ".join(f.name for f in fields(Customer))


class Customers(abc.ABC):
    @abc.abstractmethod
    async def get(self, customer_id: str, *, for_update: bool = False) -> Customer | None:
        """``for_update`` locks the row until the unit ends (what serialises a customer's writes)."""

    @abc.abstractmethod
    async def by_number(self, list_id: str, customer_no: str, *,
                        for_update: bool = False) -> Customer | None: ...

    @abc.abstractmethod
    async def ids_by_email(self, customer_list_id: str, email: str, limit: int = 2) -> list[str]:
        """Up to ``limit`` customers with this email (two are enough to know it is ambiguous)."""

    @abc.abstractmethod
    async def all_ids(self) -> list[str]:
        """Every customer, oldest first."""

    @abc.abstractmethod
    async def next_number(self, customer_list_id: str) -> str:
        """The next number of the list; concurrent registrations are serialised until the unit ends."""

    @abc.abstractmethod
    async def add(self, customer_id: str, customer_list_id: str, customer_no: str, login: str,
                  profile: dict[str, Any], custom: dict[str, Any]) -> Customer:
        """Raises DuplicateKey when the number is taken in the list (the unit goes on)."""

    @abc.abstractmethod
    async def update(self, customer_id: str, set_profile: dict[str, Any], unset_profile: list[str],
                     set_custom: dict[str, Any], unset_custom: list[str], *,
                     customer_no: str | None = None, login: str | None = None,
                     enabled: bool | None = None, locked: bool | None = None,
                     password_question: str | None = None) -> Customer:
        """Every change in one write with a new version (None leaves a column as it is);
        raises DuplicateKey when the number is taken."""

    @abc.abstractmethod
    async def set_credentials_mirror(self, customer_id: str, enabled: bool, locked: bool,
                                     password_question: str | None) -> Customer: ...

    @abc.abstractmethod
    async def touch(self, customer_id: str) -> Customer:
        """A new version of the customer (an address changed): a new _resource_state and event."""

    @abc.abstractmethod
    async def record_login(self, customer_id: str) -> Customer | None: ...

    @abc.abstractmethod
    async def delete(self, customer_id: str) -> bool:
        """Whether the customer was there; their addresses go with them."""


class Registrations(abc.ABC):
    """The registration saga's own record: pending until the profile is written or undone."""

    @abc.abstractmethod
    async def start(self, customer_id: str, customer_list_id: str, login: str) -> None: ...

    @abc.abstractmethod
    async def finish(self, customer_id: str, state: str) -> None: ...

    @abc.abstractmethod
    async def stale(self, older_than_seconds: int, limit: int = 100) -> list[StaleRegistration]: ...


def _customer(row: asyncpg.Record | None) -> Customer | None:
    # By position (the columns are _CUSTOMER's): no dict of the record, no keywords.
    return None if row is None else Customer(*row)


def _found(row: asyncpg.Record | None) -> Customer:
    assert row is not None  # written in this unit under the row lock: the row is there
    return Customer(*row)


class PostgresCustomers(Customers):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def get(self, customer_id: str, *, for_update: bool = False) -> Customer | None:
        lock = " FOR UPDATE" if for_update else ""
        return _customer(await self._conn.fetchrow(
            f"SELECT {_CUSTOMER} FROM customer.customers WHERE customer_id = $1{lock}", customer_id))

    async def by_number(self, list_id: str, customer_no: str, *,
                        for_update: bool = False) -> Customer | None:
        lock = " FOR UPDATE" if for_update else ""
        return _customer(await self._conn.fetchrow(
            f"SELECT {_CUSTOMER} FROM customer.customers"
            f" WHERE customer_list_id = $1 AND customer_no = $2{lock}", list_id, customer_no))

    async def ids_by_email(self, customer_list_id: str, email: str, limit: int = 2) -> list[str]:
        rows = await self._conn.fetch(
            "SELECT customer_id FROM customer.customers"
            " WHERE customer_list_id = $1 AND lower(profile->>'email') = lower($2) LIMIT $3",
            customer_list_id, email, limit)
        return [r["customer_id"] for r in rows]

    async def all_ids(self) -> list[str]:
        return [r["customer_id"] for r in await self._conn.fetch(
            "SELECT customer_id FROM customer.customers ORDER BY creation_date, customer_id")]

    async def next_number(self, customer_list_id: str) -> str:
        # The counter row's lock serialises concurrent registrations of the list.
        number = await self._conn.fetchval(
            "INSERT INTO customer.customer_no_sequences AS s (customer_list_id, next_no) VALUES ($1, 2)"
            " ON CONFLICT (customer_list_id) DO UPDATE SET next_no = s.next_no + 1"
            " RETURNING next_no - 1", customer_list_id)
        return f"{number:08d}"

    async def add(self, customer_id: str, customer_list_id: str, customer_no: str, login: str,
                  profile: dict[str, Any], custom: dict[str, Any]) -> Customer:
        try:
            async with self._conn.transaction():  # a savepoint: the unit survives a taken number
                row = await self._conn.fetchrow(
                    "INSERT INTO customer.customers (customer_id, customer_list_id, customer_no, login,"
                    f" profile, custom) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {_CUSTOMER}",
                    customer_id, customer_list_id, customer_no, login, profile, custom)
        except asyncpg.UniqueViolationError as taken:
            raise DuplicateKey(customer_no) from taken
        return _found(row)

    async def update(self, customer_id: str, set_profile: dict[str, Any], unset_profile: list[str],
                     set_custom: dict[str, Any], unset_custom: list[str], *,
                     customer_no: str | None = None, login: str | None = None,
                     enabled: bool | None = None, locked: bool | None = None,
                     password_question: str | None = None) -> Customer:
        try:
            row = await self._conn.fetchrow(
                "UPDATE customer.customers SET profile = (profile || $2) - $3::text[],"
                " custom = (custom || $4) - $5::text[], customer_no = coalesce($6, customer_no),"
                " login = coalesce($7, login), enabled = coalesce($8, enabled),"
                " locked = coalesce($9, locked), password_question = coalesce($10, password_question),"
                " version = version + 1, last_modified = now()"
                f" WHERE customer_id = $1 RETURNING {_CUSTOMER}",
                customer_id, set_profile, unset_profile, set_custom, unset_custom, customer_no, login,
                enabled, locked, password_question)
        except asyncpg.UniqueViolationError as taken:  # (list, number) is the only unique key it may hit
            raise DuplicateKey(customer_no) from taken
        return _found(row)

    async def set_credentials_mirror(self, customer_id: str, enabled: bool, locked: bool,
                                     password_question: str | None) -> Customer:
        return _found(await self._conn.fetchrow(
            "UPDATE customer.customers SET enabled = $2, locked = $3, password_question = $4"
            f" WHERE customer_id = $1 RETURNING {_CUSTOMER}",
            customer_id, enabled, locked, password_question))

    async def touch(self, customer_id: str) -> Customer:
        return _found(await self._conn.fetchrow(
            "UPDATE customer.customers SET version = version + 1, last_modified = now()"
            f" WHERE customer_id = $1 RETURNING {_CUSTOMER}", customer_id))

    async def record_login(self, customer_id: str) -> Customer | None:
        return _customer(await self._conn.fetchrow(
            "UPDATE customer.customers SET previous_login_time = last_login_time,"
            " last_login_time = now(), previous_visit_time = last_visit_time, last_visit_time = now()"
            f" WHERE customer_id = $1 RETURNING {_CUSTOMER}", customer_id))

    async def delete(self, customer_id: str) -> bool:
        # Addresses go with it (ON DELETE CASCADE).
        return bool(await self._conn.fetchval(
            "WITH d AS (DELETE FROM customer.customers WHERE customer_id = $1 RETURNING 1)"
            " SELECT count(*) > 0 FROM d", customer_id))


class PostgresRegistrations(Registrations):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def start(self, customer_id: str, customer_list_id: str, login: str) -> None:
        await self._conn.execute(
            "INSERT INTO customer.registrations (customer_id, customer_list_id, login)"
            " VALUES ($1, $2, $3)", customer_id, customer_list_id, login)

    async def finish(self, customer_id: str, state: str) -> None:
        await self._conn.execute(
            "UPDATE customer.registrations SET state = $2, updated_at = now()"
            " WHERE customer_id = $1", customer_id, state)

    async def stale(self, older_than_seconds: int, limit: int = 100) -> list[StaleRegistration]:
        rows = await self._conn.fetch(
            "SELECT r.customer_id, c.customer_id IS NOT NULL AS has_profile"
            " FROM customer.registrations r LEFT JOIN customer.customers c USING (customer_id)"
            " WHERE r.state = 'pending' AND r.created_at < now() - make_interval(secs => $1)"
            " ORDER BY r.created_at LIMIT $2", older_than_seconds, limit)
        return [StaleRegistration(**dict(row)) for row in rows]
