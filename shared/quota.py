"""Per-shopper quotas (open baskets, addresses, payment instruments): count, then insert.

Two concurrent creations must not both see ``limit - 1``: the count runs under a
transaction-scoped advisory lock on the owner, so they queue for the moment it takes.
"""

from shared.db import Connection
from shared.http.faults import OcapiFault


async def lock_owner(conn: Connection, key: str) -> None:
    """Held until the caller's transaction ends."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", key)


def quota_exceeded(fault_type: str, what: str, limit: int) -> OcapiFault:
    return OcapiFault(f"The customer already has {limit} {what}, the most allowed.",
                      fault_type=fault_type, arguments={"limit": limit})
