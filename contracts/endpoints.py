"""One public endpoint, declared once: the gateway routes it, the OpenAPI describes it,
and its service binds a handler to it by ``operation``."""
import re
from dataclasses import dataclass, field

from pydantic import BaseModel

Version = tuple[int, int]


@dataclass(frozen=True)
class Endpoint:
    api: str                       # "shop" or "data"
    method: str
    path: str                      # the OCAPI resource id, e.g. "/customers/{customer_id}"
    service: str                   # which service answers it
    since: Version                 # the version it was documented in
    summary: str
    operation: str = field(kw_only=True)  # the operation id, unique across the APIs
    auth: str = "bearer"           # "bearer" (token required) or "none"
    request: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    # A named client permission the caller's OAuth client token must carry
    # (e.g. "Create_Order_On_Behalf_Of"); checked by the gateway.
    permission: str | None = None
    # Query parameters the operation reads (name, JSON schema type), for the OpenAPI.
    query: tuple[tuple[str, str], ...] = ()
    pattern: re.Pattern = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        # A NUL byte names no resource (Postgres text cannot even hold one): no match, a 404.
        # The rest is literal: "/products/({ids})" has parentheses, not a group.
        parts = re.split(r"\{(\w+)\}", self.path)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/\\x00]+)"
                        for i, part in enumerate(parts))
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$"))

    @property
    def service_path(self) -> str:
        """Where the service answers it: the gateway forwards to ``/dw/{api}{path}``."""
        return f"/dw/{self.api}{self.path}"
