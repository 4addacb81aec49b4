"""Rows of a customer import file, read and validated exactly as the Data API validates a create.

A row is the Data API ``customer`` create document (credentials, profile fields, c_* custom
attributes, an optional ``customer_no``) plus ``addresses`` (Data API ``customer_address``
documents, with an optional ``preferred`` flag) and ``credentials.password_hash`` (an argon2
or bcrypt hash: plain passwords are refused, a million argon2id hashes would take hours).
A CSV row is the same document flattened (admin/import_files.py). A bad row becomes a ``Reject``
with its line number and the API's fault type and message; the file goes on.
"""
from dataclasses import dataclass, field
from typing import Any

from services.auth.passwords import importable_hash, valid_login
from services.customer.data.documents import address_id_of, parse_address
from services.customer.data.service import _parsed_create
from shared import custom_attributes
from shared.http.faults import OcapiFault

MAX_ADDRESSES = 100


class RowError(Exception):
    """A row the import refuses, with the reason reported for its line."""


@dataclass(frozen=True)
class Reject:
    line: int
    reason: str


@dataclass
class ImportRow:
    line: int
    login: str
    customer_no: str | None
    password_hash: str | None
    enabled: bool
    locked: bool
    password_question: str | None
    profile: dict[str, Any]
    custom: dict[str, Any]
    # (address_id, fields, preferred), in the file's order.
    addresses: list[tuple[str, dict[str, Any], bool]] = field(default_factory=list)
    # The row as given, less its password hash: the ``create`` document of its events.
    create: dict[str, Any] = field(default_factory=dict)


def validate(line: int, doc: Any) -> ImportRow:
    """The row, or RowError/OcapiFault with the API's reason."""
    if not isinstance(doc, dict):
        raise RowError("MalformedDocumentException: a row must be a JSON object")
    body = dict(doc)
    raw_addresses = body.pop("addresses", None) or []
    create = dict(doc)
    credentials = body.get("credentials")
    password_hash = None
    if isinstance(credentials, dict):
        credentials = dict(credentials)
        if "password" in credentials:
            raise RowError("InvalidPasswordException: plain passwords are not imported;"
                           " give credentials.password_hash (argon2 or bcrypt)")
        password_hash = credentials.pop("password_hash", None)
        body["credentials"] = create["credentials"] = credentials
    customer_no = body.get("customer_no")
    if customer_no is not None and (not isinstance(customer_no, str) or not customer_no.strip()):
        raise RowError("PropertyConstraintViolationException: Invalid customer number.")
    creds, fields, _ = _parsed_create(body, customer_no)
    login = creds["login"]
    if not valid_login(login):
        raise RowError("InvalidLoginException: The login does not match the acceptance criteria.")
    if password_hash is not None and (not isinstance(password_hash, str)
                                      or not importable_hash(password_hash)):
        raise RowError("InvalidPasswordHashException: credentials.password_hash is not an argon2"
                       " or bcrypt hash")
    profile, custom = custom_attributes.split({k: v for k, v in fields.items() if v is not None})
    return ImportRow(line=line, login=login, customer_no=customer_no, password_hash=password_hash,
                     enabled=creds.get("enabled", True), locked=creds.get("locked", False),
                     password_question=creds.get("password_question"), profile=profile,
                     custom=custom, addresses=addresses_of(raw_addresses), create=create)


def addresses_of(raw: Any) -> list[tuple[str, dict[str, Any], bool]]:
    if not isinstance(raw, list) or len(raw) > MAX_ADDRESSES:
        raise RowError(f"PropertyConstraintViolationException: 'addresses' must be a list of at"
                       f" most {MAX_ADDRESSES} customer_address documents")
    out: list[tuple[str, dict[str, Any], bool]] = []
    for item in raw:
        if not isinstance(item, dict):
            raise RowError("PropertyConstraintViolationException: an address must be an object")
        item = dict(item)
        preferred = item.pop("preferred", False)
        if not isinstance(preferred, bool):
            raise RowError("PropertyConstraintViolationException: 'preferred' must be a boolean")
        address_id = address_id_of(item, required=True)
        fields = {k: v for k, v in parse_address(item).items() if v is not None}
        if any(address_id == seen for seen, _, _ in out):
            raise RowError(f"AddressIdAlreadyInUseException: address id '{address_id}' appears twice")
        out.append((address_id, fields, preferred))
    if sum(preferred for _, _, preferred in out) > 1:
        raise RowError("PropertyConstraintViolationException: at most one address is preferred")
    return out


def checked(line: int, doc: Any) -> ImportRow | Reject:
    if isinstance(doc, RowError):
        return Reject(line, str(doc))
    try:
        return validate(line, doc)
    except RowError as exc:
        return Reject(line, str(exc))
    except OcapiFault as fault:
        return Reject(line, f"{fault.fault_type}: {fault.message}")
