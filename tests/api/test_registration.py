"""POST /customers (16.4): registration, its faults, races and clean failure."""
import asyncio

import asyncpg
import pytest

from tests.api.shop import PASSWORD, Shop, bearer, unique_login


async def _count(database_url: str, login: str) -> tuple[int, int]:
    conn = await asyncpg.connect(database_url)
    try:
        creds = await conn.fetchval(
            "SELECT count(*) FROM auth.credentials WHERE lower(login) = lower($1)", login)
        profiles = await conn.fetchval(
            "SELECT count(*) FROM customer.customers WHERE lower(login) = lower($1)", login)
    finally:
        await conn.close()
    return creds, profiles


async def test_registration_returns_the_customer_with_number_and_etag(shop: Shop):
    login = unique_login()
    reply = await shop.register(login, first_name="Jane", c_origin="webshop")
    body = reply.body
    assert body["_v"] == "16.4" and body["_type"] == "customer"
    assert body["auth_type"] == "registered"
    assert body["login"] == login and body["last_name"] == "Smith"
    assert body["first_name"] == "Jane" and body["c_origin"] == "webshop"
    assert len(body["customer_no"]) == 8 and body["customer_no"].isdigit()
    assert body["creation_date"].endswith("Z")
    assert len(reply.headers["ETag"]) == 64
    assert "password" not in body


async def test_customer_numbers_are_unique_and_increasing(shop: Shop):
    first = (await shop.register()).body["customer_no"]
    second = (await shop.register()).body["customer_no"]
    assert int(second) > int(first)


async def test_an_invalid_email_names_the_email(shop: Shop):
    reply = await shop.register(email="not-an-email", expected=400)
    assert reply.fault_type == "InvalidEmailException"
    assert reply.body["fault"]["arguments"] == {"email": "not-an-email"}


@pytest.mark.parametrize("password", ["short1!", "alllowercase1!", "NoDigits!!", "NoSpecial123"])
async def test_a_password_outside_the_policy_is_invalid_password(shop: Shop, database_url, password):
    login = unique_login()
    reply = await shop.register(login, password=password, expected=400)
    assert reply.fault_type == "InvalidPasswordException"
    assert await _count(database_url, login) == (0, 0)


@pytest.mark.parametrize("login", [" leading", "trailing ", "tab\tinside", "x" * 257])
async def test_a_login_outside_the_rules_is_invalid_login(shop: Shop, login):
    reply = await shop.register(login, email="ok@example.com", expected=400)
    assert reply.fault_type == "InvalidLoginException"


async def test_a_taken_login_is_login_already_in_use_whatever_its_case(shop: Shop, database_url):
    login = unique_login("Taken")
    await shop.register(login)
    reply = await shop.register(login.lower(), expected=400)
    assert reply.fault_type == "LoginAlreadyInUseException"
    assert reply.body["fault"]["message"] == "Login is already in use."
    assert await _count(database_url, login) == (1, 1)


async def test_registration_needs_a_token(shop: Shop):
    reply = await shop.call("POST", "/customers", json={"customer": {}},
                            params={"client_id": "a" * 30}, expected=401)
    assert reply.fault_type == "AuthorizationHeaderMissingException"


async def test_a_body_that_is_not_json_is_malformed(shop: Shop):
    reply = await shop.call("POST", "/customers", data=b"{nope",
                            headers=bearer(await shop.guest_token()) | {"content-type": "application/json"},
                            expected=400)
    assert reply.fault_type == "MalformedDocumentException"


async def test_an_unknown_profile_property_is_refused(shop: Shop, database_url):
    login = unique_login()
    reply = await shop.register(login, shoe_size=42, expected=400)
    assert reply.fault_type == "UnknownPropertyException"
    assert await _count(database_url, login) == (0, 0)


async def test_twenty_concurrent_registrations_of_one_login_make_one_customer(shop: Shop, database_url):
    login = unique_login("race")
    tokens = [await shop.guest_token() for _ in range(20)]
    customer = {"login": login, "email": f"{login}@example.com", "last_name": "Smith"}
    replies = await asyncio.gather(*(
        shop.call("POST", "/customers", json={"customer": customer, "password": PASSWORD},
                  headers=bearer(t)) for t in tokens))
    statuses = sorted(r.status for r in replies)
    # More than the hash line holds (AUTH_HASH_QUEUE_MAX): the excess is shed with a 503.
    assert statuses.count(200) == 1 and set(statuses) <= {200, 400, 503}
    assert {r.fault_type for r in replies if r.status == 400} == {"LoginAlreadyInUseException"}
    assert {r.fault_type for r in replies if r.status == 503} <= {"ServiceUnavailableException"}
    assert await _count(database_url, login) == (1, 1)


async def test_a_failed_profile_write_leaves_no_credentials_behind(shop: Shop, database_url):
    login = unique_login("doomed")
    conn = await asyncpg.connect(database_url)
    try:
        # Make the profile insert fail for this one login, after auth stored the credentials.
        await conn.execute(f"""
            CREATE FUNCTION customer.fail_{login.replace('-', '_')}() RETURNS trigger AS $$
            BEGIN
                IF NEW.login = '{login}' THEN RAISE EXCEPTION 'simulated failure'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER fail_{login.replace('-', '_')} BEFORE INSERT ON customer.customers
            FOR EACH ROW EXECUTE FUNCTION customer.fail_{login.replace('-', '_')}();""")
        reply = await shop.register(login, expected=500)
        assert reply.fault_type == "InternalServerErrorException"
        assert "simulated" not in str(reply.body)
        assert await _count(database_url, login) == (0, 0)
        state = await conn.fetchval("SELECT state FROM customer.registrations WHERE login = $1", login)
        assert state == "failed"
    finally:
        await conn.execute(f"DROP TRIGGER IF EXISTS fail_{login.replace('-', '_')} ON customer.customers")
        await conn.close()


async def test_the_reconciler_removes_credentials_a_crash_left_behind(platform, database_url):
    from services.customer.shop.handlers import SERVICE
    from services.customer.unit_of_work import unit_of_work
    from shared.security.context import RequestContext

    customer_app = next(r.app for r in platform.runners if SERVICE in r.app)
    login = unique_login("crashed")
    conn = await asyncpg.connect(database_url)
    try:
        # What a crash between "credentials created" and "profile written" leaves.
        await conn.execute("INSERT INTO customer.registrations (customer_id, customer_list_id, login,"
                           " created_at) VALUES ($1, 'SiteGenesis', $2, now() - interval '5 minutes')",
                           f"crash-{login}", login)
        await conn.execute("INSERT INTO auth.credentials (customer_id, customer_list_id, login)"
                           " VALUES ($1, 'SiteGenesis', $2)", f"crash-{login}", login)
        settled = await customer_app[SERVICE].reconcile(unit_of_work(customer_app),
                                                        RequestContext(request_id="test"), 60)
        assert settled >= 1
        assert await _count(database_url, login) == (0, 0)
        assert await conn.fetchval("SELECT state FROM customer.registrations WHERE login = $1",
                                   login) == "failed"
    finally:
        await conn.close()
