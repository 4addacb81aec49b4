"""Client settings in the shape of OCAPI Settings: per client, per API, per site or global.

Nothing is allowed unless a resource entry grants it. ``resource_id`` may use ``*``
(one path segment) and a trailing ``/**`` (anything below).
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import orjson

GLOBAL = "global"


@dataclass(frozen=True)
class Permission:
    resource_id: str
    methods: frozenset[str]
    read_attributes: str = "(**)"
    write_attributes: str = "(**)"
    pattern: re.Pattern = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        rid = self.resource_id.rstrip("/") or "/"
        if rid.endswith("/**"):
            base = re.escape(rid[:-3]).replace(r"\*", "[^/]+")
            regex = f"^{base}(/.*)?$"
        else:
            regex = "^" + re.escape(rid).replace(r"\*", "[^/]+") + "$"
        object.__setattr__(self, "pattern", re.compile(regex))

    def covers(self, resource: str, method: str) -> bool:
        return method.lower() in self.methods and bool(self.pattern.match(resource))


@dataclass(frozen=True)
class Client:
    client_id: str
    allowed_origins: tuple[str, ...] = ()
    # (api, site id or "global") -> permissions
    grants: dict[tuple[str, str], tuple[Permission, ...]] = field(default_factory=dict)


class ClientSettings:
    def __init__(self, clients: dict[str, Client]):
        self.clients = clients

    @classmethod
    def parse(cls, raw: dict) -> "ClientSettings":
        builders: dict[str, dict] = {}
        for api, scopes in raw.get("apis", {}).items():
            for scope, block in scopes.items():
                for entry in block.get("clients", []):
                    b = builders.setdefault(entry["client_id"], {"origins": set(), "grants": {}})
                    b["origins"].update(entry.get("allowed_origins", []))
                    b["grants"][(api, scope)] = tuple(
                        Permission(r["resource_id"], frozenset(m.lower() for m in r["methods"]),
                                   r.get("read_attributes", "(**)"),
                                   r.get("write_attributes", "(**)"))
                        for r in entry.get("resources", []))
        return cls({cid: Client(cid, tuple(sorted(b["origins"])), b["grants"])
                    for cid, b in builders.items()})

    @classmethod
    def load(cls, path: str | Path) -> "ClientSettings":
        return cls.parse(orjson.loads(Path(path).read_bytes()))

    def client(self, client_id: str) -> Client | None:
        return self.clients.get(client_id)

    def allows(self, client_id: str, api: str, site_id: str, resource: str, method: str) -> bool:
        client = self.clients.get(client_id)
        if client is None:
            return False
        for scope in (site_id, GLOBAL):
            if any(p.covers(resource, method) for p in client.grants.get((api, scope), ())):
                return True
        return False

    def origin_allowed(self, client_id: str | None, origin: str) -> bool:
        client = self.clients.get(client_id or "")
        return client is not None and (origin in client.allowed_origins
                                       or "*" in client.allowed_origins)
