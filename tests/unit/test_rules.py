"""Business rules of auth and customer, checked with plain values and fakes."""
import pytest

from services.auth.passwords import Passwords, valid_login
from services.auth.settings import AuthSettings
from services.customer.documents import parse_profile
from services.customer.events import after_post
from services.customer.service import _validate_registration
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.security.context import RequestContext
from shared.security.tokens import ClientClaims, ShopperClaims

GUEST = ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id="g", guest=True)
REGISTERED = ShopperClaims(client_id="c", jti="j", iat=0, exp=1, customer_id="r")
CLIENT = ClientClaims(client_id="c", jti="j", iat=0, exp=1)


@pytest.fixture(scope="module")
def passwords():
    p = Passwords(AuthSettings())
    yield p
    p.close()


@pytest.mark.parametrize("password, ok", [("Sup3r!secret", True), ("short1!A", True), ("Sh0rt!", False),
                                          ("nouppercase1!", False), ("NOLOWERCASE1!", False),
                                          ("NoDigits!!", False), ("NoSpecial123", False)])
def test_the_default_password_policy(passwords, password, ok):
    assert passwords.meets_policy(password) is ok


def test_the_policy_is_configurable():
    relaxed = Passwords(AuthSettings(password_require_special=False, password_min_length=4))
    try:
        assert relaxed.meets_policy("Ab1c")
    finally:
        relaxed.close()


async def test_hashes_are_argon2id_and_verify(passwords):
    hashed = await passwords.hash("Sup3r!secret")
    assert hashed.startswith("$argon2id$")
    assert await passwords.verify(hashed, "Sup3r!secret")
    assert not await passwords.verify(hashed, "wrong")
    assert not await passwords.verify(None, "anything")


@pytest.mark.parametrize("login, ok", [("jsmith", True), ("j smith@x", True), ("x", True),
                                       (" lead", False), ("trail ", False), ("", False),
                                       ("a\x00b", False), ("x" * 256, True), ("x" * 257, False)])
def test_login_acceptance(login, ok):
    assert valid_login(login) is ok


def test_registration_faults_come_in_ocapi_order():
    with pytest.raises(OcapiFault) as err:
        _validate_registration(REGISTERED, {"customer": {}})
    assert err.value.fault_type == "CustomerAlreadyRegisteredException"
    with pytest.raises(OcapiFault) as err:
        _validate_registration(GUEST, {"customer": {"login": "x", "email": "a@b.c", "last_name": "S"}})
    assert err.value.fault_type == "MissingPasswordException"
    with pytest.raises(OcapiFault) as err:
        _validate_registration(CLIENT, {"customer": {"login": "x", "email": "a@b.c", "last_name": "S"},
                                        "password": "Sup3r!secret"})
    assert err.value.fault_type == "InvalidPasswordException"
    customer, password = _validate_registration(
        CLIENT, {"customer": {"login": "x", "email": "a@b.c", "last_name": "S"}})
    assert password is None and customer["login"] == "x"


def test_profiles_keep_custom_attributes_apart():
    fields = parse_profile({"first_name": "A", "c_x": {"deep": [1]}, "_v": "16.4", "customer_id": "z"})
    assert fields == {"first_name": "A", "c_x": {"deep": [1]}}
    assert custom_attributes.split(fields) == ({"first_name": "A"}, {"c_x": {"deep": [1]}})


def test_events_never_carry_the_password():
    envelope = after_post(RequestContext(request_id="r"), GUEST, {"customer_id": "x"},
                          {"customer": {"login": "l"}, "password": "Sup3r!secret"})
    assert "Sup3r!secret" not in envelope.model_dump_json()
