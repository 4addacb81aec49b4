"""Every extension point the spec texts name is in the catalogue."""
import os
import re
from pathlib import Path

from shared.messaging.hook_catalogue import load_all

# The contract lives next to the repo (../shared/spec); OCAPI_SPEC_DIR points elsewhere.
SPEC = Path(os.environ.get("OCAPI_SPEC_DIR")
            or Path(__file__).resolve().parents[3] / "shared" / "spec")
NAME = re.compile(r"dw\.(?:ocapi|order)\.[A-Za-z0-9_.]*[A-Za-z0-9_]")
# Script API types the texts mention next to the hooks; not extension points.
NOT_HOOKS = re.compile(r"OrderPaymentInstrument|PaymentHooks|OrderMgr|Order\.setStatus")


def spec_extension_points() -> set[str]:
    assert SPEC.is_dir(), f"the spec texts are not at {SPEC}: set OCAPI_SPEC_DIR"
    names = set()
    for text in SPEC.glob("*.txt"):
        names |= {n for n in NAME.findall(text.read_text()) if not NOT_HOOKS.search(n)}
    return names


def test_the_spec_texts_name_extension_points():
    names = spec_extension_points()
    assert "dw.ocapi.shop.customer.beforePost" in names and "dw.order.payment.authorizeCreditCard" in names


def test_every_extension_point_in_the_spec_is_in_the_catalogue():
    missing = sorted(spec_extension_points() - set(load_all()))
    assert missing == [], f"extension points named by the spec but not in the catalogue: {missing}"
