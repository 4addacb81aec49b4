"""Random identifiers shaped like OCAPI's (customer ids, visit ids, uuids)."""
import secrets
import string
from collections.abc import Callable

_ALPHABET = string.ascii_letters + string.digits
# Random bytes map onto the 62 characters through one translation table: a byte below 248
# (4 x 62) picks character byte % 62, the 8 above are dropped, so every character stays
# equally likely. One urandom read per id instead of one per character (secrets.choice):
# new_id was 4 % of the auth service's busy samples on guest tokens (docs/performance.md).
_USABLE = 256 - 256 % len(_ALPHABET)
_TABLE = bytes(ord(_ALPHABET[b % len(_ALPHABET)]) for b in range(256))
_DROPPED = bytes(range(_USABLE, 256))


def random_ids(count: int, length: int = 26, random_bytes: Callable[[int], bytes] | None = None) -> bytes:
    """``count`` ids of ``length`` characters, end to end, from ``random_bytes`` (default: the
    OS's; a seeded generator's ``randbytes`` gives repeatable ids, as the bench fixture's)."""
    read = random_bytes or secrets.token_bytes  # looked up per call: the tests replace it
    need = count * length
    picked = b""
    while len(picked) < need:
        # A few spare bytes: at 8/256 dropped, a second read is rare.
        picked += read(need - len(picked) + need // 16 + 4).translate(_TABLE, _DROPPED)
    return picked[:need]


def new_id(length: int = 26) -> str:
    return random_ids(1, length).decode("ascii")
