"""Order status transitions: dw.order.Order.setStatus plus CREATED -> FAILED.

CREATED becomes NEW only by placing the order (a covering, authorized payment),
never by a PATCH. FAILED and REPLACED are final.
"""
from decimal import Decimal

from services.order import faults

STATUSES = ("created", "new", "open", "completed", "cancelled", "replaced", "failed")
ALLOWED = {
    "created": {"failed"},
    "new": {"completed", "cancelled", "replaced"},
    "open": {"completed", "cancelled", "replaced"},
    "cancelled": {"open", "new", "completed"},
    "completed": {"cancelled"},
    "replaced": set(),
    "failed": set(),
}


def check(status_from: str, status_to: str) -> None:
    if status_to not in STATUSES:
        raise faults.constraint("status", f"'{status_to}' is not an order status.")
    if status_to not in ALLOWED[status_from]:
        raise faults.transition(status_from, status_to)


def payment_status(authorized: Decimal, order_total: Decimal) -> str:
    if authorized >= order_total:
        return "paid"
    return "part_paid" if authorized > 0 else "not_paid"
