"""What the customer repositories return: frozen dataclasses, never asyncpg records."""
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Customer:
    customer_id: str
    customer_list_id: str
    customer_no: str
    login: str
    profile: dict[str, Any]
    custom: dict[str, Any]
    creation_date: datetime
    last_modified: datetime
    last_login_time: datetime | None
    previous_login_time: datetime | None
    last_visit_time: datetime | None
    previous_visit_time: datetime | None
    version: int
    enabled: bool
    locked: bool
    password_question: str | None


@dataclass(frozen=True)
class PaymentInstrument:
    """A saved instrument: ``masked`` is the request document with every number masked."""
    payment_instrument_id: str
    customer_id: str
    payment_method_id: str
    masked: dict[str, Any]
    custom: dict[str, Any]
    creation_date: datetime
    last_modified: datetime


@dataclass(frozen=True)
class Address:
    """An address of a customer's book: ``fields`` hold every property but the id and the flag."""
    customer_id: str
    address_id: str
    fields: dict[str, Any]
    preferred: bool
    creation_date: datetime
    last_modified: datetime
    version: int


@dataclass(frozen=True)
class BookPage:
    """One page of a customer's address book, with the list the customer belongs to."""
    customer_list_id: str
    addresses: list[Address]
    total: int


@dataclass(frozen=True)
class StaleRegistration:
    """A registration a crash left pending: its profile was written, or it was not."""
    customer_id: str
    has_profile: bool


class DuplicateKey(Exception):
    """A write hit a unique key (a customer number, an address id): the caller names the fault."""
