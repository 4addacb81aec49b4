"""What the customer-list repositories return: frozen dataclasses, never asyncpg records."""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CustomerList:
    list_id: str
    description: str | None
    creation_date: datetime
    last_modified: datetime
    version: int


@dataclass(frozen=True)
class SearchEntry:
    """One customer in the search projection: its document and the searchable columns."""
    customer_id: str
    customer_list_id: str
    version: int
    document: dict[str, Any]
    # Projection column -> value, one per search_fields.FIELDS entry.
    columns: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Tombstone:
    """A deleted customer; it stays so a late, older change cannot resurrect it."""
    customer_id: str
    customer_list_id: str
    version: int


@dataclass(frozen=True)
class SearchCriteria:
    """A compiled search_request: SQL fragments from search_query, values as parameters.

    The parameters are numbered from $2; the repository binds $1 to the customer list.
    """
    where: str
    params: tuple[Any, ...]
    order_by: str
    relevance: str


@dataclass(frozen=True)
class SearchHit:
    customer_id: str
    customer_no: str | None
    document: dict[str, Any]
    relevance: float


@dataclass(frozen=True)
class SearchPage:
    total: int
    hits: tuple[SearchHit, ...]
