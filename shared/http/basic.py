"""HTTP Basic credentials per RFC 7617: the user id ends at the first colon only."""
import base64


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """``(user, password)`` from an Authorization header, or None when it is not Basic."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except ValueError:  # not base64, not ASCII (b64decode raises ValueError), or not UTF-8
        return None
    user, sep, password = decoded.partition(":")
    if not sep or "\x00" in decoded:  # no stored login or secret holds a NUL (Postgres cannot)
        return None
    return user, password


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
