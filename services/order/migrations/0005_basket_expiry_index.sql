-- Open baskets past ORDER_BASKET_LIFETIME_DAYS go oldest change first (services/order/purge.py),
-- read through this index: a pass reads the baskets it deletes, not the open ones kept.
-- Partial: a submitted basket is never purged, so it leaves the index when it is submitted.
-- last_modified is set by every basket change, which is then never a HOT update (a new entry
-- in each of the table's indexes; docs/performance.md has what that costs).
CREATE INDEX IF NOT EXISTS baskets_open_age_idx ON orders.baskets (last_modified)
    WHERE state = 'open';
-- IF NOT EXISTS: on a large table an operator may build it first, CONCURRENTLY, under this
-- name (docs/operations.md, "Bounded growth and retention"); a migration runs in a
-- transaction and its CREATE INDEX holds off the table's writers until it is built.
