"""``python -m ocapi_hooks run module:app``: run a subscriber until SIGTERM or Ctrl-C."""
import argparse
import asyncio
import importlib
import signal
import sys

from ocapi_hooks.app import Hooks
from ocapi_hooks.logs import configure
from ocapi_hooks.sealing import generate_keypair
from ocapi_hooks.signing import new_keypair


def load(target: str) -> Hooks:
    module_name, _, attribute = target.partition(":")
    app = getattr(importlib.import_module(module_name), attribute or "hooks")
    if not isinstance(app, Hooks):
        raise SystemExit(f"{target} is not an ocapi_hooks.Hooks instance")
    return app


async def serve(app: Hooks) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(app.stop()))
    await app.run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ocapi_hooks")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a subscriber app")
    run.add_argument("target", help="module:attribute of an ocapi_hooks.Hooks (attribute defaults to 'hooks')")
    run.add_argument("--amqp-url", help="default: $AMQP_URL")
    run.add_argument("--log-level", default="INFO")
    keygen = sub.add_parser("keygen", help="print new keypairs: Ed25519 for signing decision replies, "
                                          "X25519 for opening sealed values (the mailer)")
    keygen.add_argument("--kind", choices=("signing", "sealing", "both"), default="both")
    args = parser.parse_args(argv)
    if args.command == "keygen":
        if args.kind in ("signing", "both"):
            private, public = new_keypair()
            print(f"HOOKS_SIGNING_KEY={private}   # the subscriber's secret: its environment only")
            print(f"public_key: {public}   # register it in the platform's hooks.json \"subscribers\"")
        if args.kind in ("sealing", "both"):
            private, public = generate_keypair()
            print(f"MAILER_PRIVATE_KEY={private}   # the mailer's secret: its environment only")
            print(f"AUTH_RESET_TOKEN_RECIPIENT_KEY={public}   # auth's setting: reset tokens are sealed to it")
        return 0
    configure(args.log_level)
    sys.path.insert(0, "")
    app = load(args.target)
    if args.amqp_url:
        app.amqp_url = args.amqp_url
    asyncio.run(serve(app))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
