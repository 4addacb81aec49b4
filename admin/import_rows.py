"""Rows of a customer import file, read and validated exactly as the Data API validates a create.

A row is the Data API ``customer`` create document (credentials, profile fields, c_* custom
attributes, an optional ``customer_no``) plus ``addresses`` (Data API ``customer_address``
documents, with an optional ``preferred`` flag) and ``credentials.password_hash`` (an argon2
or bcrypt hash: plain passwords are refused, a million argon2id hashes would take hours).
A CSV row is the same document flattened (``csv_document``). A bad row becomes a ``Reject``
with its line number and the API's fault type and message; the file goes on.
"""
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import orjson

from services.auth.passwords import importable_hash, valid_login
from services.customer.data.documents import address_id_of, parse_address
from services.customer.data.service import _parsed_create
from shared import custom_attributes
from shared.http.faults import OcapiFault
from shared.http.web import _holds_nul  # the API's own check of a JSON body

# CSV columns that belong in ``credentials``; the rest are profile fields or c_* attributes.
CREDENTIAL_COLUMNS = ("login", "password_hash", "enabled", "locked", "password_question")
# Profile fields that are not text in the document (contracts/documents/customers.py).
NUMBER_COLUMNS = ("gender",)
MAX_ADDRESSES = 100


class RowError(Exception):
    """A row the import refuses, with the reason reported for its line."""


class UnreadableFile(Exception):
    """The file itself can't be read on (not UTF-8, broken CSV quoting): nothing after it is."""


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


def format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    return "csv" if path.suffix.lower() == ".csv" else "jsonl"


def read_documents(stream: TextIO, fmt: str) -> Iterator[tuple[int, Any]]:
    """(line number, document or a RowError) per row; a line number is where the row starts."""
    try:
        if fmt == "csv":
            yield from _csv_rows(stream)
        else:
            yield from _json_lines(stream)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"the file is not UTF-8 ({exc.reason} at byte {exc.start} of a read)") from None


def _csv_rows(stream: TextIO) -> Iterator[tuple[int, Any]]:
    reader = csv.DictReader(stream)
    start = 2  # the header is line 1
    try:
        for cells in reader:
            yield start, _csv_or_error(cells)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(f"line {start}: {exc}") from None


def _json_lines(stream: TextIO) -> Iterator[tuple[int, Any]]:
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            doc = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield number, RowError(f"MalformedDocumentException: not a JSON document ({exc})")
            continue
        # Postgres text can't hold a NUL; the API refuses one with the same fault.
        yield number, (RowError(NUL_FAULT) if "\\u0000" in text and _holds_nul(doc) else doc)


NUL_FAULT = "MalformedDocumentException: the document holds a NUL character"


def _csv_or_error(cells: dict[str | None, Any]) -> Any:
    try:
        return csv_document(cells)
    except RowError as exc:
        return exc


def csv_document(cells: dict[str | None, Any]) -> dict[str, Any]:
    """The document of a CSV row: empty cells are absent, ``addresses`` holds a JSON array."""
    if None in cells:
        raise RowError("MalformedDocumentException: the row has more cells than the header")
    if any(isinstance(v, str) and "\x00" in v for v in cells.values()):
        raise RowError(NUL_FAULT)
    doc: dict[str, Any] = {}
    credentials: dict[str, Any] = {}
    for name, value in cells.items():
        if name is None or value is None or value == "":
            continue
        if name in CREDENTIAL_COLUMNS:
            credentials[name] = _flag(value) if name in ("enabled", "locked") else value
        elif name == "addresses" or name in NUMBER_COLUMNS:
            try:
                doc[name] = orjson.loads(value)
            except orjson.JSONDecodeError:
                raise RowError(f"MalformedDocumentException: '{name}' is not JSON") from None
        else:
            doc[name] = value
    doc["credentials"] = credentials  # its columns are the credentials: none is a missing login
    return doc


def _flag(value: str) -> Any:
    # Anything but true/false stays text, and the API's validation names the property.
    return {"true": True, "false": False}.get(value.strip().lower(), value)


def validate(line: int, doc: Any) -> ImportRow:
    """The row, or RowError/OcapiFault with the API's reason."""
    if not isinstance(doc, dict):
        raise RowError("MalformedDocumentException: a row must be a JSON object")
    body = dict(doc)
    raw_addresses = body.pop("addresses", None) or []
    credentials = body.get("credentials")
    password_hash = None
    if isinstance(credentials, dict):
        credentials = dict(credentials)
        if "password" in credentials:
            raise RowError("InvalidPasswordException: plain passwords are not imported;"
                           " give credentials.password_hash (argon2 or bcrypt)")
        password_hash = credentials.pop("password_hash", None)
        body["credentials"] = credentials
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
                     custom=custom, addresses=addresses_of(raw_addresses))


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
