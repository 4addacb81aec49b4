"""Shop API: the Products resource, read-only, over the catalog seed, so a storefront can show
what it sells. Served with the baskets (19.8). Public as OCAPI's: a client id is enough."""
from contracts.documents.products import Product, ProductResult
from contracts.endpoints import Endpoint

V = (19, 8)
_EXPAND = (("expand", "string"),)

ROUTES = [
    # First: "/products/{id}" would also match "(a,b)".
    Endpoint("shop", "GET", "/products/({ids})", "order", V,
             "Gets up to 24 products by id; unknown ids are left out. expand=prices,availability.",
             auth="none", response=ProductResult, operation="getProductsByIDs", query=_EXPAND),
    Endpoint("shop", "GET", "/products/{id}", "order", V,
             "Gets a product. expand=prices adds price and currency, expand=availability its inventory.",
             auth="none", response=Product, operation="getProductsByID", query=_EXPAND),
]
