"""Random identifiers shaped like OCAPI's (customer ids, visit ids, uuids)."""
import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def new_id(length: int = 26) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
