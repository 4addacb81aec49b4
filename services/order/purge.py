"""Order's purge: open baskets past their lifetime, with everything that is only theirs.

OCAPI baskets do not live for ever: B2C Commerce deletes one after its basket lifetime, and a
client then gets 404 ``BasketNotFoundException`` for it, which is what this service answers for
any basket it has no open row of (services/order/faults.py). Without this, open baskets never
went: anyone can mint guest tokens, and each guest may hold ``ORDER_MAX_OPEN_BASKETS_PER_GUEST``.

An open basket whose ``last_modified`` is ``ORDER_BASKET_LIFETIME_DAYS`` old goes. Every change
of a basket, its lines and payment instruments included, sets ``last_modified`` under the
basket's row lock (services/order/repository.py), so the lifetime runs from the last change.
What goes with it:

- its lines (``basket_items``), by the foreign key's ``ON DELETE CASCADE``; its shipments and
  payment instruments are columns of the basket row;
- its event counter (``outbox_sequences``, ``basket:<id>``), in the same statement: no event of
  the basket can be written any more (every writer takes the basket's row lock first and then
  finds no row), so nothing can need the next number. Its published events go with the
  outbox's own retention.

A submitted basket is never deleted (``state = 'open'``): it became an order, which is the
order history. An order inserts and submits its basket in one statement (order_repository.py),
and the ``NOT EXISTS`` keeps that true should an order ever reference an open basket. A
basket a request holds locked (a change, ``POST /orders``) is skipped (``SKIP LOCKED``), and
the next pass finds it changed. No hook event is written: B2C Commerce has no hook for a
basket's expiry, and docs/hooks.md lists none.

Every ``ORDER_BASKET_PURGE_INTERVAL_SECONDS`` in each replica, by ``baskets_open_age_idx``, at
most ``ORDER_BASKET_PURGE_BATCH_SIZE`` baskets a statement (shared/retention.py).
"""
import asyncpg
from aiohttp import web

from services.order.settings import ORDER_SETTINGS
from shared.http.web import POOL
from shared.retention import RetentionJob, batch_delete, job_context

_EXPIRED = ("state = 'open' AND last_modified < now() - make_interval(days => $1)"
            " AND NOT EXISTS (SELECT FROM orders.orders o WHERE o.basket_id = baskets.basket_id)")
_COUNTERS = ("DELETE FROM orders.outbox_sequences"
             " WHERE aggregate_id = ANY(ARRAY(SELECT 'basket:' || basket_id FROM due))")


def purge_statements(lifetime_days: int) -> list[tuple[str, tuple]]:
    """A pass's statements with their parameters but the batch size (``RetentionJob``)."""
    return [(batch_delete("orders.baskets", _EXPIRED, "last_modified", "$2", also=_COUNTERS,
                          due_columns="basket_id"), (lifetime_days,))]


class BasketPurge(RetentionJob):
    def __init__(self, pool: asyncpg.Pool, lifetime_days: int, *, batch_size: int = 1000,
                 interval_seconds: float = 60.0):
        super().__init__(pool, "basket_purge", purge_statements(lifetime_days), batch_size=batch_size,
                         interval_seconds=interval_seconds)


def _purge(app: web.Application) -> BasketPurge:
    settings = app[ORDER_SETTINGS]
    return BasketPurge(app[POOL], settings.basket_lifetime_days, batch_size=settings.basket_purge_batch_size,
                       interval_seconds=settings.basket_purge_interval_seconds)


# cleanup_ctx (after the pool): the purge, for the app's lifetime.
basket_purge = job_context(_purge, "basket-purge")
