"""Reading and validating import rows (admin/import_rows.py, admin/customers_import.py): the
API's rules and fault types, CSV flattening, duplicates within a file."""
import io

import bcrypt
import pytest

from admin.clients import grants_of
from admin.customers_import import batches, first_seen
from admin.import_files import FIELD_LIMIT, TOO_LARGE, UnreadableFile, csv_document, read_documents
from admin.import_rows import ImportRow, Reject, checked

HASH = bcrypt.hashpw(b"Imported!pass1", bcrypt.gensalt(4)).decode()


def _reason(doc) -> str:
    row = checked(7, doc)
    assert isinstance(row, Reject) and row.line == 7
    return row.reason


def test_a_good_row_splits_profile_custom_attributes_credentials_and_addresses():
    row = checked(3, {"customer_no": "C-1", "credentials": {"login": "ann", "password_hash": HASH,
                                                            "locked": True},
                      "email": "ann@example.com", "gender": 2, "c_tier": "gold",
                      "addresses": [{"address_id": "home", "city": "Boston", "preferred": True},
                                    {"address_id": "work", "city": "Cambridge"}]})
    assert isinstance(row, ImportRow)
    assert (row.line, row.login, row.customer_no, row.password_hash) == (3, "ann", "C-1", HASH)
    assert (row.enabled, row.locked) == (True, True)
    assert row.profile == {"email": "ann@example.com", "gender": 2} and row.custom == {"c_tier": "gold"}
    assert row.addresses == [("home", {"city": "Boston"}, True), ("work", {"city": "Cambridge"}, False)]


@pytest.mark.parametrize("doc, reason", [
    ({"credentials": {"login": "a"}, "email": "nope"}, "InvalidEmailException: The email address is not valid."),
    ({"email": "a@example.com"}, "CredentialsMissingException: The mandatory credentials are missing."),
    ({"credentials": {"login": " "}}, "LoginMissingException: The mandatory login is missing."),
    ({"credentials": {"login": "a"}, "last_name": "x" * 257},
     ("PropertyConstraintViolationException: Invalid value for 'last_name': String should have at most"
     " 256 characters.")),
    ({"credentials": {"login": "a", "password_hash": "$2b$nope"}},
     "InvalidPasswordHashException: credentials.password_hash is not an argon2 or bcrypt hash"),
    ({"credentials": {"login": "a", "password": "Plain!pass1"}},
     ("InvalidPasswordException: plain passwords are not imported; give credentials.password_hash"
     " (argon2 or bcrypt)")),
    ({"credentials": {"login": "a"}, "shoe_size": 9},
     "UnknownPropertyException: The property 'shoe_size' is not defined for customer."),
    ({"credentials": {"login": "a"}, "addresses": [{"address_id": "h"}, {"address_id": "h"}]},
     "AddressIdAlreadyInUseException: address id 'h' appears twice"),
    ({"credentials": {"login": "a"}, "addresses": [{"address_id": "h", "preferred": True},
                                                   {"address_id": "w", "preferred": True}]},
     "PropertyConstraintViolationException: at most one address is preferred"),
    ({"credentials": {"login": "a"}, "addresses": [{"city": "Boston"}]},
     "InvalidAddressIdException: The address id must not be empty."),
    ([1, 2], "MalformedDocumentException: a row must be a JSON object"),
])
def test_a_bad_row_is_rejected_with_the_apis_fault_type_and_message(doc, reason):
    assert _reason(doc) == reason


def test_a_csv_row_is_the_same_document_flattened():
    doc = csv_document({"login": "ann", "enabled": "false", "email": "ann@example.com", "gender": "1",
                        "phone_home": "", "c_tier": "gold",
                        "addresses": '[{"address_id":"home","city":"Boston"}]'})
    assert doc == {"credentials": {"login": "ann", "enabled": False}, "email": "ann@example.com",
                   "gender": 1, "c_tier": "gold", "addresses": [{"address_id": "home", "city": "Boston"}]}


def test_csv_line_numbers_count_the_header_and_multi_line_cells():
    text = 'login,note\nann,"two\nlines"\n,missing login\nbob,"x"\n'
    rows = [checked(line, doc) for line, doc in read_documents(io.StringIO(text), "csv")]
    assert [r.line for r in rows] == [2, 4, 5]
    assert isinstance(rows[1], Reject) and "LoginMissingException" in rows[1].reason


def test_jsonl_reports_a_line_that_is_not_json_and_skips_blank_lines():
    text = '{"credentials":{"login":"a"}}\n\n{broken\n'
    rows = [checked(line, doc) for line, doc in read_documents(io.StringIO(text), "jsonl")]
    assert isinstance(rows[0], ImportRow) and rows[0].line == 1
    assert isinstance(rows[1], Reject) and rows[1].line == 3
    assert rows[1].reason.startswith("MalformedDocumentException: not a JSON document")


def test_the_second_row_of_a_login_or_customer_no_in_a_file_is_rejected():
    docs = [{"credentials": {"login": "Ann"}}, {"credentials": {"login": "ANN"}},
            {"customer_no": "7", "credentials": {"login": "bob"}},
            {"customer_no": "7", "credentials": {"login": "cid"}}]
    rows = list(first_seen(checked(n, d) for n, d in enumerate(docs, start=1)))
    assert [(r.line, type(r).__name__) for r in rows] == [
        (1, "ImportRow"), (2, "Reject"), (3, "ImportRow"), (4, "Reject")]
    assert rows[1].reason == "DuplicateException: login or customer_no already on line 1"  # type: ignore[union-attr]


def test_batches_count_the_rows_read_rejects_included():
    rows = [checked(n, {"credentials": {"login": f"u{n}"}}) for n in range(1, 6)]
    rows.insert(2, Reject(99, "bad"))
    rejected: list[Reject] = []
    sizes = [(len(batch), read) for batch, read in batches(rows, 2, rejected.append)]
    assert sizes == [(2, 2), (2, 3), (1, 1)] and rejected == [Reject(99, "bad")]


def test_a_clients_grants_are_listed_per_api_site_and_resource():
    settings = {"apis": {"shop": {"global": {"clients": [
        {"client_id": "x", "permissions": ["Create_Order_On_Behalf_Of"],
         "resources": [{"resource_id": "/customers/**", "methods": ["get", "post"]}]},
        {"client_id": "y", "resources": [{"resource_id": "/**", "methods": ["get"]}]}]}},
        "data": {"SiteGenesis": {"clients": [{"client_id": "x", "resources": [
            {"resource_id": "/customer_lists/**", "methods": ["get"]}]}]}}}}
    assert grants_of(settings, "x") == [
        "shop\tglobal\t/customers/**\tget,post\tCreate_Order_On_Behalf_Of",
        "data\tSiteGenesis\t/customer_lists/**\tget"]
    assert grants_of(settings, "z") == []


def test_a_nul_character_is_refused_as_the_api_refuses_it():
    text = '{"credentials":{"login":"a\\u0000b"}}\n{"credentials":{"login":"a"},"note":"\\\\u0000"}\n'
    rows = [checked(line, doc) for line, doc in read_documents(io.StringIO(text), "jsonl")]
    assert rows[0] == Reject(1, "MalformedDocumentException: the document holds a NUL character")
    assert isinstance(rows[1], ImportRow) and rows[1].profile == {"note": "\\u0000"}  # the text, escaped
    csv_rows = [checked(line, doc) for line, doc in read_documents(io.StringIO("login\na\x00b\n"), "csv")]
    assert csv_rows == [Reject(2, "MalformedDocumentException: the document holds a NUL character")]


def test_a_file_that_is_not_utf8_stops_the_import_with_its_reason():
    with pytest.raises(UnreadableFile, match="not UTF-8"):
        list(read_documents(io.TextIOWrapper(io.BytesIO(b'{"a": "\xff"}\n'), encoding="utf-8"), "jsonl"))


def test_a_csv_cell_over_the_field_limit_rejects_its_row_and_the_file_goes_on():
    big = "x" * (FIELD_LIMIT + 10)
    text = (f'login,note\nann,"{"y" * 200_000}"\n'  # over Python's default limit, legal here
            f'bob,"{big[:100]}\n{big}\n""quoted"" and, more"\ncid,plain\n'  # a quoted cell of 3 lines
            f'dan,{big}\neve,"last"\n')  # an unquoted one
    rows = [checked(line, doc) for line, doc in read_documents(io.StringIO(text), "csv")]
    assert [(r.line, type(r).__name__) for r in rows] == [
        (2, "ImportRow"), (3, "Reject"), (6, "ImportRow"), (7, "Reject"), (8, "ImportRow")]
    assert rows[1] == Reject(3, TOO_LARGE) and TOO_LARGE.startswith("RequestEntityTooLargeException: ")
    assert [r.login for r in rows if isinstance(r, ImportRow)] == ["ann", "cid", "eve"]
