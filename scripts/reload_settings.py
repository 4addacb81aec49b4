"""Admin command: make a running gateway reload its client settings file now.

    python -m scripts.reload_settings [http://127.0.0.1:8090]

Talks to the gateway's admin listener (GATEWAY_ADMIN_HOST:GATEWAY_ADMIN_PORT, loopback by
default: run it on the gateway's host or pod), never the public port. Signs the request with
INTERNAL_SECRET, as services sign their internal calls: the context is addressed to the
gateway and bound to this one POST, valid for seconds.
"""
import sys
import urllib.request

from yarl import URL

from gateway.settings import GatewaySettings
from shared.security.context import GATEWAY_AUDIENCE, HEADER, ContextKeys, RequestContext, Target


def signed_reload_request(base: str, keys: ContextKeys) -> urllib.request.Request:
    url = URL(base.rstrip("/") + "/internal/reload-settings")
    ctx = RequestContext(request_id="admin-reload", api="internal")
    # Said explicitly: urllib would add a form content type, and the context binds it.
    headers = {"Content-Type": "application/json"}
    context = keys.sign(ctx, Target(GATEWAY_AUDIENCE, "POST", url.raw_path_qs, b"", headers))
    return urllib.request.Request(str(url), method="POST", headers=headers | {HEADER: context},
                                  data=b"")


def main() -> None:
    settings = GatewaySettings()
    base = sys.argv[1] if len(sys.argv) > 1 else f"http://{settings.admin_host}:{settings.admin_port}"
    request = signed_reload_request(base, ContextKeys.from_settings(settings))
    with urllib.request.urlopen(request, timeout=10) as resp:
        print(resp.status, resp.read().decode())


if __name__ == "__main__":
    main()
