-- The order schema starts with the order number sequence; baskets and orders
-- arrive with the checkout issue.
CREATE TABLE orders.order_no_sequences (
    site_id  text PRIMARY KEY,
    next_no  bigint NOT NULL
);
