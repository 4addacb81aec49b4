"""The product documents of the Shop API, with OCAPI's field names (the part the catalog seed holds)."""
from pydantic import BaseModel, ConfigDict


class Inventory(BaseModel):
    id: str
    ats: float
    orderable: bool
    stock_level: float


class Product(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    price: float | None = None          # with expand=prices
    currency: str | None = None         # with expand=prices
    inventory: Inventory | None = None  # with expand=availability


class ProductResult(BaseModel):
    count: int
    data: list[Product]
    total: int
