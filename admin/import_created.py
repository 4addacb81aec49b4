"""What a batch created, read back in the file's order (each customer with its address book and
its create document), and the search projection's rows computed from their CustomerChanged
events, as the projection's consumer would write them (admin/import_writer.py)."""
import asyncpg

from contracts.events import CustomerChanged
from services.customer.address_repository import _ADDRESS as ADDRESS_COLUMNS
from services.customer.model import Address, Customer
from services.customer.repository import _CUSTOMER
from services.customer_list.projection import entry_of
from services.customer_list.repository import COLUMNS as SEARCH_COLUMNS

SEARCH_TABLE_COLUMNS = ["customer_id", "customer_list_id", "version", "document", *SEARCH_COLUMNS]


Created = list[tuple[Customer, list[Address], dict]]


async def load_created(conn: asyncpg.Connection) -> Created:
    """The staged customers as now stored, each with its address book and its create document,
    in the file's order."""
    customers = [(Customer(**{k: v for k, v in r.items() if k not in ("create_doc", "line")}), r["create_doc"])
                 for r in await conn.fetch(
        f"SELECT {', '.join('c.' + c.strip() for c in _CUSTOMER.split(','))}, s.create_doc, s.line"
        " FROM customer.customers c JOIN import_stage s USING (customer_id) ORDER BY s.line")]
    books: dict[str, list[Address]] = {}
    for r in await conn.fetch(
            f"SELECT {', '.join('a.' + c.strip() for c in ADDRESS_COLUMNS.split(','))}"
            " FROM customer.customer_addresses a JOIN import_stage s USING (customer_id)"
            " ORDER BY a.creation_date, a.address_id"):
        books.setdefault(r["customer_id"], []).append(Address(**dict(r)))
    return [(customer, books.get(customer.customer_id, []), create) for customer, create in customers]


async def project(conn: asyncpg.Connection, changes: list[CustomerChanged]) -> None:
    """The projection's rows for the staged customers, as its consumer would write them."""
    records = []
    for changed in changes:
        entry = entry_of(changed)
        records.append((entry.customer_id, entry.customer_list_id, entry.version, entry.document,
                        *(entry.columns.get(c) for c in SEARCH_COLUMNS)))
    await conn.copy_records_to_table("customer_search", schema_name="customer_list",
                                     columns=SEARCH_TABLE_COLUMNS, records=records)
