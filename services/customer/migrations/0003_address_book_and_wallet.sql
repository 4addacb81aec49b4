-- The Shop address book lives in customer.customer_addresses (0002), the same book the
-- Data API edits. Its primary key (customer, address id) makes two concurrent creations
-- of one id give one success and one AddressIdAlreadyInUse; here: the preferred flag,
-- at most one per customer.
ALTER TABLE customer.customer_addresses ADD COLUMN preferred boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX customer_addresses_one_preferred_idx
    ON customer.customer_addresses (customer_id) WHERE preferred;

-- Saved payment instruments. Only the masked form is ever stored: never the full
-- card or account number, never a CVN.
CREATE TABLE customer.payment_instruments (
    payment_instrument_id  text PRIMARY KEY,
    customer_id            text        NOT NULL REFERENCES customer.customers ON DELETE CASCADE,
    payment_method_id      text        NOT NULL,
    masked                 jsonb       NOT NULL,   -- the document, masked
    custom                 jsonb       NOT NULL DEFAULT '{}',
    creation_date          timestamptz NOT NULL DEFAULT now(),
    last_modified          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_instruments_customer_idx ON customer.payment_instruments (customer_id, creation_date);
