"""What a request's token work costs in-process: one JWT verification, and signing plus
checking the request context with and without the token's claims.

Best of several rounds of process CPU time, so other processes on the machine weigh less;
no HTTP, no event loop beyond the one each verification awaits in. Run it on two trees to
compare them: ``python -m scripts.bench.token_cost``.
"""
import argparse
import asyncio
import time
import warnings
from collections.abc import Callable
from dataclasses import replace

from shared.security.context import ContextKeys, RequestContext, Target
from shared.security.tokens import ShopperClaims, TokenVerifier


def best_microseconds(work: Callable[[], object], n: int, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            work()
        samples.append((time.process_time() - started) * 1e6 / n)
    return min(samples)


def _token() -> tuple[str, dict]:
    """A customer token signed as auth signs it (authlib), and the JWKS that verifies it."""
    with warnings.catch_warnings():
        import authlib.deprecate  # noqa: F401 (it sets its notices to "always": ignore after it)
        warnings.simplefilter("ignore")
        from authlib.jose import JsonWebKey, JsonWebToken
    key = JsonWebKey.generate_key("EC", "P-256", is_private=True)
    now = int(time.time())
    payload = {"iss": "a" * 30, "jti": "j" * 22, "iat": now, "exp": now + 1800,
               "typ_ocapi": "customer",
               "sub": '{"customer_info":{"customer_id":"abcdefghijklmnopqrstuv","guest":false}}'}
    token = JsonWebToken(["ES256"]).encode({"alg": "ES256", "kid": "k1", "typ": "JWT"},
                                           payload, key).decode()
    return token, {"keys": [key.as_dict(is_private=False) | {"kid": "k1", "alg": "ES256"}]}


def measure(n: int, rounds: int) -> dict[str, float]:
    token, jwks = _token()
    verifier = TokenVerifier("http://127.0.0.1:9/unused", None)  # type: ignore[arg-type]
    verifier.load(jwks)  # as just fetched: no HTTP call
    loop = asyncio.new_event_loop()
    try:
        verify = best_microseconds(lambda: loop.run_until_complete(verifier.verify(token)),
                                   n, rounds)
    finally:
        loop.close()
    keys = ContextKeys(b"x" * 32)
    bare = RequestContext(request_id="a" * 32, client_id="c" * 30, customer_list_id="SiteGenesis")
    claimed = replace(bare, claims=ShopperClaims(client_id="c" * 30, jti="j" * 22, iat=1, exp=2,
                                                 customer_id="x" * 26))
    target = Target("customer", "GET", "/dw/shop/customers/" + "x" * 26, b"",
                    {"authorization": f"Bearer {token}"})
    return {
        "token verification": verify,
        "context sign + verify, no claims": best_microseconds(
            lambda: keys.verify(keys.sign(bare, target), target), n, rounds),
        "context sign + verify, with claims": best_microseconds(
            lambda: keys.verify(keys.sign(claimed, target), target), n, rounds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="calls per round")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    for name, micros in measure(args.n, args.rounds).items():
        print(f"{name}: {micros:.1f} µs")


if __name__ == "__main__":
    main()
