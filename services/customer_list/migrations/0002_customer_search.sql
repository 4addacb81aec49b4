-- The customer search projection, built only from customer domain events
-- (customer.CustomerChanged / customer.CustomerDeleted). One row per customer; a
-- deleted customer stays as a tombstone so a late, older event can't resurrect it.
-- ``version`` is the customer's row version: older events are ignored.
CREATE TABLE customer_list.customer_search (
    customer_id       text PRIMARY KEY,
    customer_list_id  text        NOT NULL,
    version           integer     NOT NULL,
    deleted           boolean     NOT NULL DEFAULT false,
    customer_no       text,
    first_name        text,
    second_name       text,
    last_name         text,
    suffix            text,
    salutation        text,
    title             text,
    fax               text,
    phone_home        text,
    phone_business    text,
    phone_mobile      text,
    email             text,
    gender            integer,
    company_name      text,
    login             text,
    enabled           boolean,
    document          jsonb       NOT NULL DEFAULT '{}',
    projected_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX customer_search_list_idx ON customer_list.customer_search (customer_list_id, customer_no)
    WHERE NOT deleted;
