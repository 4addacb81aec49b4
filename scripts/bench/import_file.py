"""An import file for `ocapi-admin customers import` at scale (docs/operations.md, "Admin CLI").

  python -m scripts.bench.import_file --count 1000000 bulk1m.jsonl

Every customer has a login and email derived from its number (``bulk00000042``), names that
repeat as real ones do, one bcrypt hash (password BULK_PASSWORD, cost 4: the import only
stores it) and two addresses, one preferred.
"""
import argparse

import bcrypt
import orjson

BULK_PASSWORD = "Bulk!pass1"


def document(number: int, password_hash: str) -> dict:
    login = f"bulk{number:08d}"
    return {"credentials": {"login": login, "password_hash": password_hash},
            "email": f"{login}@example.com", "first_name": f"First{number % 5000}",
            "last_name": f"Last{number % 1000}", "phone_home": f"617-555-{number % 10000:04d}",
            "addresses": [{"address_id": "home", "first_name": "F", "last_name": "L",
                           "address1": f"{number} Main St", "city": "Boston", "postal_code": "02110",
                           "country_code": "US", "preferred": True},
                          {"address_id": "work", "address1": "1 Office Rd", "city": "Cambridge",
                           "country_code": "US"}]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--count", type=int, default=1_000_000)
    args = parser.parse_args()
    password_hash = bcrypt.hashpw(BULK_PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    with open(args.path, "wb") as out:
        out.writelines(orjson.dumps(document(n, password_hash)) + b"\n" for n in range(args.count))


if __name__ == "__main__":
    main()
