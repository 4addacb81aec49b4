"""The Products resource through the gateway: public (a client id is enough), read-only over
the catalog seed, one id or up to 24 in ``(a,b)``."""
from services.order.product_handlers import MAX_IDS
from tests.api.shop import Shop, bearer
from tests.platform import SHOP_CLIENT

V = "v19_8"
CLIENT = {"client_id": SHOP_CLIENT}


async def get(shop: Shop, resource: str, expected: int, **params):
    return await shop.call("GET", resource, params={**CLIENT, **params}, version=V, expected=expected)


async def test_a_product_answers_with_its_id_and_name_only(shop: Shop):
    reply = await get(shop, "/products/CoffeeMug", 200)
    assert reply.body == {"_v": "19.8", "_type": "product", "id": "CoffeeMug", "name": "Coffee Mug"}


async def test_expand_prices_adds_the_price_and_currency(shop: Shop):
    body = (await get(shop, "/products/Sticker", 200, expand="prices")).body
    assert (body["price"], body["currency"]) == (0.35, "USD")
    assert "inventory" not in body


async def test_expand_availability_reports_stock_and_an_unavailable_product(shop: Shop):
    body = (await get(shop, "/products/Blender", 200, expand="availability,prices")).body
    assert body["price"] == 129.0
    assert body["inventory"] == {"_type": "inventory", "id": "inventory", "ats": 999999,
                                 "orderable": True, "stock_level": 999999}
    gone = (await get(shop, "/products/DiscontinuedProduct", 200, expand="availability")).body
    assert gone["inventory"]["orderable"] is False
    assert (gone["inventory"]["ats"], gone["inventory"]["stock_level"]) == (0, 0)


async def test_an_unknown_expand_is_a_400(shop: Shop):
    reply = await get(shop, "/products/CoffeeMug", 400, expand="variations")
    assert reply.fault_type == "InvalidExpandValueException"


async def test_an_unknown_product_is_a_404(shop: Shop):
    reply = await get(shop, "/products/NoSuchThing", 404)
    assert reply.fault_type == "ProductNotFoundException"
    assert reply.body["fault"]["arguments"] == {"productId": "NoSuchThing"}


async def test_several_products_answer_a_result_without_the_unknown_ones(shop: Shop):
    body = (await get(shop, "/products/(Sticker,NoSuchThing,CoffeeMug,Sticker)", 200, expand="prices")).body
    assert (body["_type"], body["count"], body["total"]) == ("product_result", 2, 2)
    assert [(p["id"], p["price"]) for p in body["data"]] == [("Sticker", 0.35), ("CoffeeMug", 7.95)]


async def test_several_unknown_products_are_an_empty_result(shop: Shop):
    body = (await get(shop, "/products/(Nope,Neither)", 200)).body
    assert (body["count"], body["data"], body["total"]) == (0, [], 0)


async def test_more_than_24_ids_is_a_400(shop: Shop):
    ids = ",".join(["Sticker"] * MAX_IDS)
    await get(shop, f"/products/({ids})", 200)
    reply = await get(shop, f"/products/({ids},CoffeeMug)", 400)
    assert reply.fault_type == "QueryParameterValueOutOfRangeException"


async def test_products_need_a_client_id_but_no_token(shop: Shop):
    reply = await shop.call("GET", "/products/CoffeeMug", version=V, expected=400)
    assert reply.fault_type == "MissingClientIdException"
    reply = await shop.call("GET", "/products/(CoffeeMug)", version=V, expected=400,
                            headers={"x-dw-client-id": ""})
    assert reply.fault_type == "MissingClientIdException"
    await shop.call("GET", "/products/CoffeeMug", version=V, headers={"x-dw-client-id": SHOP_CLIENT},
                    expected=200)


async def test_a_shopper_token_reads_products_too(shop: Shop):
    token = await shop.guest_token()
    reply = await shop.call("GET", "/products/(CoffeeMug)", version=V, headers=bearer(token), expected=200)
    assert reply.body["count"] == 1


async def test_products_are_read_only_and_new_in_19_8(shop: Shop):
    reply = await shop.call("POST", "/products/CoffeeMug", params=CLIENT, version=V, json={}, expected=405)
    assert reply.fault_type == "MethodNotAllowedException"
    reply = await shop.call("GET", "/products/CoffeeMug", params=CLIENT, version="v19_5", expected=404)
    assert reply.fault_type == "NotFoundException"
