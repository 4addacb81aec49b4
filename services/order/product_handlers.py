"""The Products resource: the catalog seed, read-only, as OCAPI's ``product`` documents.

Public (a client id is enough), and no database: the seed is loaded once at start-up.
"""
from aiohttp import web

from services.order import faults
from services.order.app_keys import CATALOG
from services.order.product_catalog import Catalog, Product
from shared.http.expand import expands
from shared.http.web import document

EXPANDS = ("prices", "availability")
# As OCAPI: more ids in one request is a 400.
MAX_IDS = 24
# The seed keeps no stock count: an available product has unbounded stock, which OCAPI
# reports as 999999.
UNBOUNDED = 999999
INVENTORY_ID = "inventory"


def product_document(catalog: Catalog, product: Product, wanted: list[str]) -> dict:
    doc: dict = {"_type": "product", "id": product.id, "name": product.name}
    if "prices" in wanted:
        doc["price"] = float(catalog.round(product.price))
        doc["currency"] = catalog.currency
    if "availability" in wanted:
        level = UNBOUNDED if product.available else 0
        doc["inventory"] = {"_type": "inventory", "id": INVENTORY_ID, "ats": level,
                            "orderable": product.available, "stock_level": level}
    return doc


async def get(request: web.Request) -> web.Response:
    catalog = request.app[CATALOG]
    wanted = expands(request.query, EXPANDS)
    product_id = request.match_info["id"]
    product = catalog.products.get(product_id)
    if product is None:
        raise faults.product_not_found(product_id)
    return document(request, product_document(catalog, product, wanted))


async def get_many(request: web.Request) -> web.Response:
    catalog = request.app[CATALOG]
    wanted = expands(request.query, EXPANDS)
    ids = [i for i in request.match_info["ids"].split(",") if i]
    if len(ids) > MAX_IDS:
        raise faults.too_many_ids(len(ids), MAX_IDS)
    found = [catalog.products[i] for i in dict.fromkeys(ids) if i in catalog.products]
    data = [product_document(catalog, product, wanted) for product in found]
    return document(request, {"count": len(data), "data": data, "total": len(data)},
                    doc_type="product_result")
