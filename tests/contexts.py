"""Signed request contexts for tests that call a service or the gateway's admin port directly."""
from shared.context import HEADER, ContextKeys, RequestContext, Target
from shared.settings import BaseServiceSettings

# The keys every process of the test platform uses (the settings' default secret).
PLATFORM_KEYS = ContextKeys.from_settings(BaseServiceSettings())


def context_header(audience: str, method: str, path: str, body: bytes = b"", *,
                   keys: ContextKeys = PLATFORM_KEYS, ctx: RequestContext | None = None,
                   now: float | None = None) -> dict[str, str]:
    """The header a trusted caller would send for exactly this request."""
    ctx = ctx or RequestContext(request_id="test", api="internal")
    return {HEADER: keys.sign(ctx, Target(audience, method, path, body), now=now)}
