"""Signed request contexts for tests that call a service or the gateway's admin port directly."""
from shared.security.context import HEADER, ContextKeys, RequestContext, Target
from shared.settings import BaseServiceSettings

# The keys every process of the test platform uses (the settings' default secret).
PLATFORM_KEYS = ContextKeys.from_settings(BaseServiceSettings())


def context_header(audience: str, method: str, path: str, body: bytes = b"", *,
                   keys: ContextKeys = PLATFORM_KEYS, ctx: RequestContext | None = None,
                   now: float | None = None, headers: dict[str, str] | None = None
                   ) -> dict[str, str]:
    """The headers a trusted caller would send for exactly this request (``headers``: the
    other headers it sends, which the context binds too; returned with it)."""
    ctx = ctx or RequestContext(request_id="test", api="internal")
    headers = headers or {}
    return headers | {HEADER: keys.sign(ctx, Target(audience, method, path, body, headers), now=now)}
