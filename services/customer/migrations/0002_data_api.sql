-- Data API: the credentials flags mirrored from auth (auth enforces them; they are
-- kept here so documents and the search projection need no call to auth), the
-- password question, and the customer's addresses.
ALTER TABLE customer.customers ADD COLUMN enabled boolean NOT NULL DEFAULT true;
ALTER TABLE customer.customers ADD COLUMN locked boolean NOT NULL DEFAULT false;
ALTER TABLE customer.customers ADD COLUMN password_question text;

CREATE TABLE customer.customer_addresses (
    customer_id    text        NOT NULL REFERENCES customer.customers (customer_id) ON DELETE CASCADE,
    address_id     text        NOT NULL,
    fields         jsonb       NOT NULL DEFAULT '{}',   -- OCAPI address fields and c_* attributes
    creation_date  timestamptz NOT NULL DEFAULT now(),
    last_modified  timestamptz NOT NULL DEFAULT now(),
    version        integer     NOT NULL DEFAULT 1,
    PRIMARY KEY (customer_id, address_id)
);
