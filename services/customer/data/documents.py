"""Data API documents: ``customer`` with ``credentials``, and ``customer_address``."""
import hashlib
from typing import Any, Literal, overload

from services.customer.model import Address, Customer
from services.customer.rendering import customer_document, etag
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.timefmt import iso

ADDRESS_FIELDS = {"address1", "address2", "city", "company_name", "country_code", "first_name",
                  "job_title", "last_name", "phone", "post_box", "postal_code", "salutation",
                  "second_name", "state_code", "suffix", "suite", "title"}
# Shown but never written by a client.
ADDRESS_READ_ONLY = {"_v", "_type", "_resource_state", "full_name", "creation_date",
                     "last_modified", "etag"}
CREDENTIAL_FIELDS = {"login", "password", "enabled", "locked", "password_question"}


def data_customer(customer: Customer, *, addresses: list[Address] | None = None) -> dict[str, Any]:
    """The Data API ``customer``: credentials instead of a top-level login, never a password."""
    doc = customer_document(customer)
    doc.pop("auth_type", None)
    login = doc.pop("login")
    credentials = {"login": login, "enabled": customer.enabled, "locked": customer.locked}
    if customer.password_question is not None:
        credentials["password_question"] = customer.password_question
    doc["credentials"] = credentials
    doc["_resource_state"] = etag(customer)
    if addresses is not None:
        doc["addresses"] = [address_document(a) for a in addresses]
    return doc


def address_document(address: Address) -> dict[str, Any]:
    fields = dict(address.fields)
    names = [fields.get(k) for k in ("first_name", "second_name", "last_name", "suffix")]
    doc = {"address_id": address.address_id, **fields,
           "creation_date": iso(address.creation_date), "last_modified": iso(address.last_modified),
           "_resource_state": address_state(address)}
    full_name = " ".join(n for n in names if n)
    if full_name:
        doc["full_name"] = full_name
    return doc


def address_state(address: Address) -> str:
    return hashlib.sha256(
        f"address:{address.customer_id}:{address.address_id}:{address.version}".encode()).hexdigest()


def _constraint(prop: str, message: str) -> OcapiFault:
    return OcapiFault(message, fault_type="PropertyConstraintViolationException",
                      arguments={"property": prop})


def parse_credentials(raw: Any, *, creating: bool) -> dict[str, Any]:
    """The ``credentials`` object of a create or patch; faults exactly as the text names them."""
    if raw is None:
        if creating:
            raise OcapiFault("The mandatory credentials are missing.",
                             fault_type="CredentialsMissingException")
        return {}
    if not isinstance(raw, dict):
        raise _constraint("credentials", "'credentials' must be an object.")
    for name in raw:
        if name not in CREDENTIAL_FIELDS and not name.startswith("_"):
            raise OcapiFault(f"The property 'credentials.{name}' is not defined.",
                             fault_type="UnknownPropertyException",
                             arguments={"property": f"credentials.{name}"})
    login = raw.get("login")
    if creating and (not isinstance(login, str) or not login.strip()):
        raise OcapiFault("The mandatory login is missing.", fault_type="LoginMissingException")
    if login is not None and not isinstance(login, str):
        raise OcapiFault("The login does not match the acceptance criteria.",
                         fault_type="InvalidLoginException")
    question = raw.get("password_question")
    if question is not None and (not isinstance(question, str) or len(question) > 256):
        raise _constraint("credentials.password_question", "Invalid password question.")
    for flag in ("enabled", "locked"):
        if raw.get(flag) is not None and not isinstance(raw[flag], bool):
            raise _constraint(f"credentials.{flag}", f"'credentials.{flag}' must be a boolean.")
    return {k: v for k, v in raw.items() if k in CREDENTIAL_FIELDS}


def parse_address(raw: dict[str, Any]) -> dict[str, Any]:
    """The writable address fields (None = delete); unknown properties are refused."""
    out = {}
    for name, value in raw.items():
        if name in ADDRESS_READ_ONLY or name in ("address_id", "_delete"):
            continue
        if not custom_attributes.known(name, ADDRESS_FIELDS):
            raise OcapiFault(f"The property '{name}' is not defined for customer_address.",
                             fault_type="UnknownPropertyException", arguments={"property": name})
        if name in ADDRESS_FIELDS and value is not None and (
                not isinstance(value, str) or len(value) > (32 if name == "phone" else 256)):
            raise _constraint(name, f"Invalid value for '{name}'.")
        out[name] = value
    return out


@overload
def address_id_of(raw: dict[str, Any], *, required: Literal[True]) -> str: ...
@overload
def address_id_of(raw: dict[str, Any], *, required: bool) -> str | None: ...
def address_id_of(raw: dict[str, Any], *, required: bool) -> str | None:
    value = raw.get("address_id")
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 256:
        raise OcapiFault("The address id must not be empty.", fault_type="InvalidAddressIdException")
    return value


def deleted_names(body: dict[str, Any]) -> list[str]:
    """The ``_delete`` list of a PATCH: property names whose values are removed."""
    names = body.get("_delete", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _constraint("_delete", "'_delete' must be a list of property names.")
    return names
