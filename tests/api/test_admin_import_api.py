"""Customers imported by `ocapi-admin customers import` are customers like any other: they log in
through the gateway with the password behind their imported bcrypt or argon2 hash (which the
first login turns a bcrypt one into argon2id), and the Shop API, the Data API and customer_search serve them."""
import uuid

import bcrypt
import orjson
from argon2 import PasswordHasher

from admin.customers_import import ImportJob, run_import
from tests.api.search_helpers import search, tagged
from tests.api.shop import bearer

PASSWORD = "Imported!pass1"


def _customer(login: str, password_hash: str, tag: str, customer_no: str) -> dict:
    return {"customer_no": customer_no, "credentials": {"login": login, "password_hash": password_hash},
            "email": f"{login}@example.com", "last_name": "Imported", "company_name": tag,
            "addresses": [{"address_id": "home", "city": "Boston", "country_code": "US", "preferred": True}]}


async def test_imported_customers_log_in_with_their_old_passwords_and_are_served_and_found(
        shop, data, database_url, db, tmp_path):
    tag = f"import-{uuid.uuid4().hex[:8]}"
    hashes = {"bcrypt": bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode(),
              "argon2": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)}
    logins = {kind: f"{tag}-{kind}" for kind in hashes}
    path = tmp_path / "customers.jsonl"
    path.write_bytes(b"".join(orjson.dumps(_customer(logins[k], hashes[k], tag, f"{tag}-{k}")) + b"\n"
                              for k in hashes))
    summary = await run_import(database_url, ImportJob(path, "SiteGenesis"))
    assert (summary.imported, summary.rejects) == (2, [])

    for kind, login in logins.items():
        await shop.login(login, "Wrong!pass1", expected=401)
        reply = await shop.login(login, PASSWORD)
        customer_id = reply.body["customer_id"]
        stored = await db.fetchval("SELECT password_hash FROM auth.credentials WHERE customer_id = $1",
                                   customer_id)
        # bcrypt is replaced with argon2id at once; an argon2id hash is kept as it came.
        assert stored.startswith("$argon2id$") and (stored == hashes[kind]) is (kind == "argon2")
        await shop.login(login, PASSWORD)  # the stored hash logs in again
        profile = await shop.call("GET", f"/customers/{customer_id}", params={"expand": "addresses"},
                                  headers=bearer(reply.token), expected=200)
        assert profile.body["login"] == login and profile.body["email"] == f"{login}@example.com"
        assert [(a["address_id"], a["city"]) for a in profile.body["addresses"]] == [("home", "Boston")]
        listed = await data.call("GET", f"/customer_lists/SiteGenesis/customers/{tag}-{kind}", expected=200)
        assert listed.body["credentials"]["login"] == login and listed.body["customer_id"] == customer_id

    found = await search(data, {"query": tagged(tag, {"text_query": {
        "fields": ["last_name"], "search_phrase": "Imported"}}), "select": "(**)"})
    assert found.body["total"] == 2
    assert sorted(hit["data"]["credentials"]["login"] for hit in found.body["hits"]) == sorted(logins.values())
