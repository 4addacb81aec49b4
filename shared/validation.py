"""Checks of untrusted text that must stay linear in its length.

The email rule used to be a regular expression, ``^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$``, whose
overlapping ``[^@\\s]+`` and ``\\.`` backtrack quadratically: 25,000 dots froze a service
for five seconds. Plain string logic accepts exactly the same addresses in one pass, and
the length is checked before anything else looks at the text.
"""
from typing import Any

MAX_EMAIL_LENGTH = 256


def valid_email(value: Any) -> bool:
    """``local@domain`` with one ``@``, no whitespace and a dot inside the domain."""
    if not isinstance(value, str) or len(value) > MAX_EMAIL_LENGTH:
        return False
    local, at, domain = value.partition("@")
    if not at or not local or "@" in domain or any(c.isspace() for c in value):
        return False
    # A dot with at least one character on each side of it.
    return domain.find(".", 1, len(domain) - 1) != -1
