"""Random identifiers shaped like OCAPI's (customer ids, visit ids, uuids)."""
import secrets
import string

_ALPHABET = string.ascii_letters + string.digits
# Random bytes map onto the 62 characters through one translation table: a byte below 248
# (4 x 62) picks character byte % 62, the 8 above are dropped, so every character stays
# equally likely. One urandom read per id instead of one per character (secrets.choice):
# new_id was 4 % of the auth service's busy samples on guest tokens (docs/performance.md).
_USABLE = 256 - 256 % len(_ALPHABET)
_TABLE = bytes(ord(_ALPHABET[b % len(_ALPHABET)]) for b in range(256))
_DROPPED = bytes(range(_USABLE, 256))


def new_id(length: int = 26) -> str:
    picked = b""
    while len(picked) < length:
        # A few spare bytes: at 8/256 dropped, a second read is rare.
        picked += secrets.token_bytes(length + 4).translate(_TABLE, _DROPPED)
    return picked[:length].decode("ascii")
