"""Admin command: make a running gateway reload its client settings file now.

    python -m scripts.reload_settings [http://127.0.0.1:8090]

Talks to the gateway's admin listener (GATEWAY_ADMIN_HOST:GATEWAY_ADMIN_PORT, loopback by
default: run it on the gateway's host or pod), never the public port. Signs the request with
INTERNAL_SECRET, as services sign their internal calls.
"""
import sys
import urllib.request

from gateway.settings import GatewaySettings
from shared.context import HEADER, RequestContext


def main() -> None:
    settings = GatewaySettings()
    base = sys.argv[1] if len(sys.argv) > 1 else f"http://{settings.admin_host}:{settings.admin_port}"
    secret = settings.internal_secret.get_secret_value().encode()
    ctx = RequestContext(request_id="admin-reload", api="internal")
    request = urllib.request.Request(base.rstrip("/") + "/internal/reload-settings", method="POST",
                                     headers={HEADER: ctx.encode(secret)}, data=b"")
    with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310 (operator-given URL)
        print(resp.status, resp.read().decode())


if __name__ == "__main__":
    main()
