"""The signing keys repository (auth.signing_keys) and its SQL.

Bound to its unit of work's connection; it never opens a transaction, the unit does. The
abstract class is what the unit tests fake. Newest first is ``created_at DESC, kid DESC``
everywhere: the key a replica signs with is the first unretired one.
"""
import abc
from datetime import timedelta

from services.auth.model import PlaintextKey, StoredKey
from shared.db import Connection

_KEY_LOCK = 7_215_001  # advisory lock: one replica or command changes the keys at a time


class SigningKeys(abc.ABC):
    @abc.abstractmethod
    async def lock(self) -> None:
        """Hold the keys' lock until the unit ends (start-up and retire-keys take it)."""

    @abc.abstractmethod
    async def add(self, kid: str, private_sealed: bytes, public_jwk: dict) -> None: ...

    @abc.abstractmethod
    async def plaintext(self) -> list[PlaintextKey]:
        """The keys still in clear, locked for the unit."""

    @abc.abstractmethod
    async def seal(self, kid: str, private_sealed: bytes) -> None:
        """Store the sealed private half and drop the clear one."""

    @abc.abstractmethod
    async def unretired(self) -> list[StoredKey]:
        """Every unretired key, newest first."""

    @abc.abstractmethod
    async def public_jwks(self) -> list[dict]:
        """The unretired keys' public JWKs, newest first (never reads a private half)."""

    @abc.abstractmethod
    async def retire(self, keep: str | None, kid: str | None,
                     older_than: timedelta | None) -> list[str]:
        """Retire ``kid`` and every key created more than ``older_than`` ago, except ``keep``
        (no key at all when ``keep`` is None); their private halves are deleted. The kids."""


class PostgresSigningKeys(SigningKeys):
    def __init__(self, conn: Connection):
        self._conn = conn

    async def lock(self) -> None:
        await self._conn.execute("SELECT pg_advisory_xact_lock($1)", _KEY_LOCK)

    async def add(self, kid: str, private_sealed: bytes, public_jwk: dict) -> None:
        await self._conn.execute(
            "INSERT INTO auth.signing_keys (kid, private_sealed, public_jwk) VALUES ($1, $2, $3)",
            kid, private_sealed, public_jwk)

    async def plaintext(self) -> list[PlaintextKey]:
        rows = await self._conn.fetch("SELECT kid, private_jwk FROM auth.signing_keys"
                                      " WHERE private_jwk IS NOT NULL FOR UPDATE")
        return [PlaintextKey(row["kid"], row["private_jwk"]) for row in rows]

    async def seal(self, kid: str, private_sealed: bytes) -> None:
        await self._conn.execute("UPDATE auth.signing_keys SET private_sealed = $2, private_jwk = NULL"
                                 " WHERE kid = $1", kid, private_sealed)

    async def unretired(self) -> list[StoredKey]:
        rows = await self._conn.fetch("SELECT kid, private_sealed, public_jwk FROM auth.signing_keys"
                                      " WHERE retired_at IS NULL ORDER BY created_at DESC, kid DESC")
        return [StoredKey(row["kid"], row["private_sealed"], row["public_jwk"]) for row in rows]

    async def public_jwks(self) -> list[dict]:
        rows = await self._conn.fetch("SELECT public_jwk FROM auth.signing_keys"
                                      " WHERE retired_at IS NULL ORDER BY created_at DESC, kid DESC")
        return [row["public_jwk"] for row in rows]

    async def retire(self, keep: str | None, kid: str | None,
                     older_than: timedelta | None) -> list[str]:
        # ``kid <> NULL`` is never true: with nothing to keep, nothing is retired.
        rows = await self._conn.fetch(
            "UPDATE auth.signing_keys SET retired_at = now(), private_sealed = NULL,"
            " private_jwk = NULL"
            " WHERE retired_at IS NULL AND kid <> $1"
            " AND (kid = $2 OR created_at < now() - $3::interval) RETURNING kid",
            keep, kid, older_than)
        return sorted(row["kid"] for row in rows)
