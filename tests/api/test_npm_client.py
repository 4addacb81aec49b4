"""The optional npm tier: a storefront checkout with the payment on the basket, driven by the
mobify ``commercecloud-ocapi-client`` npm package (tests/npm/checkout.js) against the API tier's
platform (the session's ``platform`` fixture: nothing new is started).

Selected with OCAPI_NPM_TIER=1 (``make test-npm``, which installs the pinned package first);
otherwise tests/api/conftest.py deselects it, so ``make test`` never needs node or the npm
registry. Selected, a missing node or package is a failure that says how to get them, never a skip.
"""
import asyncio
import shutil
from pathlib import Path

import orjson
import pytest

from tests.api.shop import Shop
from tests.platform import SHOP_CLIENT

pytestmark = pytest.mark.npm

NPM_DIR = Path(__file__).resolve().parents[1] / "npm"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("the npm tier needs node on PATH: `make node` installs Debian's nodejs and npm")
    if not (NPM_DIR / "node_modules" / "commercecloud-ocapi-client").is_dir():
        pytest.fail("commercecloud-ocapi-client is not installed in tests/npm: run `make test-npm` "
                    "(or `npm ci` in tests/npm)")
    return node


async def _run(node: str, base: str) -> tuple[int, str, str]:
    # A subprocess of the event loop: the platform serves from this loop, so it must keep running.
    proc = await asyncio.create_subprocess_exec(
        node, "checkout.js", cwd=NPM_DIR, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={"PATH": str(Path(node).parent), "OCAPI_BASE": base, "OCAPI_CLIENT_ID": SHOP_CLIENT})
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        pytest.fail("tests/npm/checkout.js ran for more than 60 s")
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_the_mobify_client_checks_out_with_the_payment_on_the_basket(shop: Shop, db):
    code, out, err = await _run(_node(), shop.url("", "v19_8"))
    assert code == 0, f"tests/npm/checkout.js failed ({code}):\n{err}{out}"
    summary = orjson.loads(out.strip().splitlines()[-1])
    assert summary["status"] == "new" and summary["payment_status"] == "paid"
    assert summary["shipments"] == ["me", "gift"]
    # What the script saw is what was stored: the order placed, its card payment authorized.
    row = await db.fetchrow("SELECT status, payment_status FROM orders.orders WHERE order_no = $1",
                            summary["order_no"])
    assert (row["status"], row["payment_status"]) == ("new", "paid")
    authorized = await db.fetch("SELECT authorized, payment_card->>'number_last_digits' AS last"
                                " FROM orders.payment_instruments WHERE order_no = $1", summary["order_no"])
    assert [(r["authorized"], r["last"]) for r in authorized] == [(True, "1111")]
