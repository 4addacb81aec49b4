-- Baskets: prepared by a storefront, consumed when an order is submitted.
CREATE TABLE orders.baskets (
    basket_id           text PRIMARY KEY,
    site_id             text        NOT NULL,
    customer_id         text        NOT NULL,
    registered          boolean     NOT NULL,
    currency            text        NOT NULL,
    state               text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'submitted')),
    customer_info       jsonb       NOT NULL DEFAULT '{}',
    billing_address     jsonb,
    shipping_address    jsonb,
    shipping_method_id  text,
    custom              jsonb       NOT NULL DEFAULT '{}',
    -- Row version: _resource_state is derived from it.
    version             integer     NOT NULL DEFAULT 1,
    creation_date       timestamptz NOT NULL DEFAULT now(),
    last_modified       timestamptz NOT NULL DEFAULT now()
);
-- A registered customer has at most one open basket; the index settles races.
CREATE UNIQUE INDEX baskets_one_open_idx ON orders.baskets (site_id, customer_id)
    WHERE state = 'open' AND registered;
CREATE INDEX baskets_customer_idx ON orders.baskets (customer_id, state);

CREATE TABLE orders.basket_items (
    item_id     text PRIMARY KEY,
    basket_id   text    NOT NULL REFERENCES orders.baskets ON DELETE CASCADE,
    product_id  text    NOT NULL,
    quantity    numeric NOT NULL CHECK (quantity > 0),
    position    bigserial
);
CREATE INDEX basket_items_basket_idx ON orders.basket_items (basket_id, position);

-- Orders keep a frozen snapshot of the basket (lines with their prices and tax rates),
-- so the figures never change when the catalog does.
CREATE TABLE orders.orders (
    order_no             text PRIMARY KEY CHECK (length(order_no) BETWEEN 1 AND 50),
    basket_id            text        NOT NULL UNIQUE,
    site_id              text        NOT NULL,
    customer_id          text,
    order_token          text        NOT NULL,
    status               text        NOT NULL DEFAULT 'created',
    payment_status       text        NOT NULL DEFAULT 'not_paid',
    export_status        text        NOT NULL DEFAULT 'not_exported',
    confirmation_status  text        NOT NULL DEFAULT 'not_confirmed',
    shipping_status      text        NOT NULL DEFAULT 'not_shipped',
    channel_type         text        NOT NULL DEFAULT 'storefront',
    created_by           text        NOT NULL,
    snapshot             jsonb       NOT NULL,
    custom               jsonb       NOT NULL DEFAULT '{}',
    version              integer     NOT NULL DEFAULT 1,
    creation_date        timestamptz NOT NULL DEFAULT now(),
    last_modified        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON orders.orders (customer_id, creation_date DESC, order_no DESC);

CREATE TABLE orders.notes (
    note_id        text PRIMARY KEY,
    order_no       text        NOT NULL REFERENCES orders.orders ON DELETE CASCADE,
    subject        text        NOT NULL,
    text           text        NOT NULL,
    created_by     text        NOT NULL,
    creation_date  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX notes_order_idx ON orders.notes (order_no, creation_date);

-- Only the masked card is kept: never the full number, never the security code.
CREATE TABLE orders.payment_instruments (
    payment_instrument_id  text PRIMARY KEY,
    order_no               text        NOT NULL REFERENCES orders.orders ON DELETE CASCADE,
    payment_method_id      text        NOT NULL,
    amount                 numeric     NOT NULL,
    payment_card           jsonb,
    payment_bank_account   jsonb,
    authorization_status   jsonb,
    authorized             boolean     NOT NULL DEFAULT false,
    creation_date          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX payment_instruments_order_idx ON orders.payment_instruments (order_no, creation_date);
