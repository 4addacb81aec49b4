"""Hostile Basic credentials are simply not credentials: never an exception."""
import base64

from shared.http.basic import parse_basic


def _basic(raw: bytes) -> str:
    return "Basic " + base64.b64encode(raw).decode()


def test_a_non_ascii_basic_value_is_no_credentials():
    assert parse_basic("Basic " + "\u00e9" * 10) is None


def test_credentials_holding_a_nul_are_no_credentials():
    assert parse_basic(_basic(b"\x00:secret")) is None
    assert parse_basic(_basic(b"login:se\x00cret")) is None


def test_non_utf8_and_non_base64_values_are_no_credentials():
    assert parse_basic(_basic(b"\xff\xfe:x")) is None
    assert parse_basic("Basic !!!") is None
    assert parse_basic(_basic(b"login:secret")) == ("login", "secret")
