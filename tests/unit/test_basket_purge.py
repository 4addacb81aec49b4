"""The basket lifetime setting and the purge's statement (services/order/purge.py)."""
import pytest
from pydantic import ValidationError

from services.order.purge import purge_statements
from services.order.settings import OrderSettings


def test_the_lifetime_defaults_to_30_days_and_below_a_day_is_refused_at_start(monkeypatch):
    assert OrderSettings().basket_lifetime_days == 30
    monkeypatch.setenv("ORDER_BASKET_LIFETIME_DAYS", "7")
    assert OrderSettings().basket_lifetime_days == 7
    for value in ("0", "-1"):
        monkeypatch.setenv("ORDER_BASKET_LIFETIME_DAYS", value)
        with pytest.raises(ValidationError, match="basket_lifetime_days"):
            OrderSettings()


def test_the_statement_deletes_only_open_baskets_no_order_has_and_their_counters():
    [(statement, args)] = purge_statements(12)
    assert args == (12,)
    assert "state = 'open'" in statement and "NOT EXISTS (SELECT FROM orders.orders" in statement
    assert "FOR UPDATE SKIP LOCKED" in statement and "ORDER BY last_modified LIMIT $2" in statement
    assert "DELETE FROM orders.outbox_sequences" in statement
    assert statement.rstrip().endswith("DELETE FROM orders.baskets WHERE ctid = ANY(ARRAY(SELECT ctid FROM due))")
