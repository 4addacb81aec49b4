"""Client settings in the shape of OCAPI Settings: per client, per API, per site or global.

Nothing is allowed unless a resource entry grants it. ``resource_id`` may use ``*``
(one path segment) and a trailing ``/**`` (anything below). ``read_attributes`` and
``write_attributes`` are attribute selectors (see gateway/attributes.py). A client entry
may also carry ``permissions``: named grants beyond resources, such as
``Create_Order_On_Behalf_Of`` (see docs/permissions.md).
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from gateway.attributes import AttributeSelector

GLOBAL = "global"


@dataclass(frozen=True)
class Permission:
    resource_id: str
    methods: frozenset[str]
    read_attributes: str = "(**)"
    write_attributes: str = "(**)"
    pattern: re.Pattern = field(init=False, compare=False, repr=False)
    readable: AttributeSelector = field(init=False, compare=False, repr=False)
    writable: AttributeSelector = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        # A malformed selector fails the load, so a bad edit never replaces good settings.
        object.__setattr__(self, "readable", AttributeSelector.parse(self.read_attributes))
        object.__setattr__(self, "writable", AttributeSelector.parse(self.write_attributes))
        rid = self.resource_id.rstrip("/") or "/"
        if rid.endswith("/**"):
            regex = f"^{_segments(rid[:-3])}(/.*)?$"
        else:
            regex = f"^{_segments(rid)}$"
        object.__setattr__(self, "pattern", re.compile(regex))

    def covers(self, resource: str, method: str) -> bool:
        return method.lower() in self.methods and bool(self.pattern.match(resource))


def _segments(rid: str) -> str:
    # A run of stars is one wildcard: adjacent [^/]+[^/]+ would backtrack quadratically.
    return re.sub(r"(?:\\\*)+", "[^/]+", re.escape(rid))


@dataclass(frozen=True)
class Client:
    client_id: str
    allowed_origins: tuple[str, ...] = ()
    # (api, site id or "global") -> permissions
    grants: dict[tuple[str, str], tuple[Permission, ...]] = field(default_factory=dict)
    # (api, site id or "global") -> named permissions, e.g. "Create_Order_On_Behalf_Of"
    named: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)


class ClientSettings:
    def __init__(self, clients: dict[str, Client]):
        self.clients = clients

    @classmethod
    def parse(cls, raw: dict) -> "ClientSettings":
        builders: dict[str, dict] = {}
        for api, scopes in raw.get("apis", {}).items():
            for scope, block in scopes.items():
                for entry in block.get("clients", []):
                    b = builders.setdefault(entry["client_id"],
                                            {"origins": set(), "grants": {}, "named": {}})
                    b["origins"].update(entry.get("allowed_origins", []))
                    b["named"][(api, scope)] = frozenset(entry.get("permissions", []))
                    b["grants"][(api, scope)] = tuple(
                        Permission(r["resource_id"], frozenset(m.lower() for m in r["methods"]),
                                   r.get("read_attributes", "(**)"),
                                   r.get("write_attributes", "(**)"))
                        for r in entry.get("resources", []))
        return cls({cid: Client(cid, tuple(sorted(b["origins"])), b["grants"], b["named"])
                    for cid, b in builders.items()})

    @classmethod
    def load(cls, path: str | Path) -> "ClientSettings":
        return cls.parse(orjson.loads(Path(path).read_bytes()))

    def client(self, client_id: str) -> Client | None:
        return self.clients.get(client_id)

    def permission(self, client_id: str, api: str, site_id: str, resource: str,
                   method: str) -> Permission | None:
        """The first entry granting ``method`` on ``resource``: the site's before the global."""
        client = self.clients.get(client_id)
        if client is None:
            return None
        for scope in (site_id, GLOBAL):
            for p in client.grants.get((api, scope), ()):
                if p.covers(resource, method):
                    return p
        return None

    def allows(self, client_id: str, api: str, site_id: str, resource: str, method: str) -> bool:
        return self.permission(client_id, api, site_id, resource, method) is not None

    def has_permission(self, client_id: str, api: str, site_id: str, name: str) -> bool:
        """A named grant such as ``Create_Order_On_Behalf_Of``, for the site or global."""
        client = self.clients.get(client_id)
        if client is None:
            return False
        return any(name in client.named.get((api, scope), frozenset())
                   for scope in (site_id, GLOBAL))

    def origin_allowed(self, client_id: str | None, origin: str) -> bool:
        client = self.clients.get(client_id or "")
        return client is not None and (origin in client.allowed_origins
                                       or "*" in client.allowed_origins)
