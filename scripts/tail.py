"""Show live hook traffic, for people developing a subscriber.

    python -m scripts.tail                                  # every notification
    python -m scripts.tail --point 'dw.ocapi.shop.customer.#' --aggregate customer:abc
    python -m scripts.tail --decisions --domain --full      # decision requests and domain events too

Binds a throw-away queue (exclusive, auto-delete: it vanishes when tail stops) to the
exchanges. Watching decisions adds a binding to ``ocapi.decisions``, so a decision hook
without a real subscriber then times out instead of failing at once. Uses AMQP_URL.
"""
import argparse
import asyncio
import sys
from collections.abc import Callable
from typing import Any

import aio_pika
import orjson

from shared.settings import BaseServiceSettings


def matches(envelope: dict[str, Any], args: argparse.Namespace) -> bool:
    if args.aggregate and envelope.get("aggregate_id") != args.aggregate:
        return False
    if args.site and envelope.get("site_id") != args.site:
        return False
    if args.actor and (envelope.get("actor") or {}).get("customer_id") != args.actor:
        return False
    return not args.grep or args.grep in orjson.dumps(envelope).decode()


def format_line(envelope: dict[str, Any], exchange: str, full: bool = False) -> str:
    head = (f"{envelope.get('occurred_at', '?')} {exchange:<15} {envelope.get('extension_point')}"
            f" {envelope.get('aggregate_id') or '-'}#{envelope.get('sequence') or '-'} id={envelope.get('id')}")
    if full:
        return head + "\n" + orjson.dumps(envelope, option=orjson.OPT_INDENT_2).decode()
    data = orjson.dumps(envelope.get("data", {})).decode()
    return f"{head} {data[:160] + '…' if len(data) > 160 else data}"


def parse(argv=None) -> argparse.Namespace:
    settings = BaseServiceSettings()
    parser = argparse.ArgumentParser(prog="python -m scripts.tail", description=__doc__.split("\n")[0])
    parser.add_argument("--point", action="append", help="binding key, wildcards allowed (default '#')")
    parser.add_argument("--aggregate", help="only this aggregate, e.g. customer:abc")
    parser.add_argument("--actor", help="only events by this customer id")
    parser.add_argument("--site", help="only this site id")
    parser.add_argument("--grep", help="only envelopes containing this text")
    parser.add_argument("--decisions", action="store_true", help="also decision requests")
    parser.add_argument("--domain", action="store_true", help="also domain events")
    parser.add_argument("--full", action="store_true", help="print whole envelopes")
    parser.add_argument("--hooks-exchange", default=settings.hooks_exchange)
    parser.add_argument("--decisions-exchange", default=settings.decisions_exchange)
    parser.add_argument("--domain-exchange", default=settings.domain_exchange)
    return parser.parse_args(argv)


async def start_tail(connection: aio_pika.abc.AbstractConnection, args: argparse.Namespace,
                     out: Callable[[str], None]) -> None:
    """Start printing matching messages through ``out``; runs until the connection closes."""
    channel = await connection.channel()
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    names = [args.hooks_exchange] + [args.decisions_exchange] * args.decisions + [args.domain_exchange] * args.domain
    for name in names:
        exchange = await channel.declare_exchange(name, aio_pika.ExchangeType.TOPIC, durable=True)
        for key in args.point or ["#"]:
            await queue.bind(exchange, key)

    async def show(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        try:
            envelope = orjson.loads(message.body)
        except orjson.JSONDecodeError:
            out(f"{message.exchange} {message.routing_key} <not JSON: {len(message.body)} bytes>")
            return
        if matches(envelope, args):
            out(format_line(envelope, message.exchange or "?", args.full))
    await queue.consume(show, no_ack=True)


async def main(argv=None) -> int:
    args = parse(argv)
    connection = await aio_pika.connect(BaseServiceSettings().amqp_url.get_secret_value())
    async with connection:
        await start_tail(connection, args, lambda line: print(line, flush=True))
        print(f"tailing {'+'.join(args.point or ['#'])} (Ctrl-C to stop)", file=sys.stderr)
        await asyncio.Event().wait()
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(asyncio.run(main()))
    except KeyboardInterrupt:
        pass
