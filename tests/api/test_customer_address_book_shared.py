"""One address book: what the Shop writes the Data API reads, and the other way round."""
from tests.api.data import DataApi
from tests.api.shop import Shop, bearer


async def test_shop_and_data_api_share_the_address_book(shop: Shop, data: DataApi):
    _, customer_id, token = await shop.registered()
    me = await shop.call("GET", f"/customers/{customer_id}", headers=bearer(token), expected=200)
    data_url = f"/customer_lists/SiteGenesis/customers/{me.body['customer_no']}/addresses"
    await shop.call("POST", f"/customers/{customer_id}/addresses", headers=bearer(token),
                    json={"address_id": "from-shop", "city": "Boston"}, expected=200)
    seen = await data.call("GET", f"{data_url}/from-shop", expected=200)
    assert seen.body["city"] == "Boston"
    await data.call("POST", data_url, json={"address_id": "from-data", "city": "Salem"}, expected=200)
    listed = await shop.call("GET", f"/customers/{customer_id}/addresses", headers=bearer(token),
                             expected=200)
    assert [a["address_id"] for a in listed.body["data"]] == ["from-data", "from-shop"]
    assert listed.body["data"][0]["preferred"] is False
