CREATE TABLE customer.customers (
    customer_id          text PRIMARY KEY,
    customer_list_id     text        NOT NULL,
    customer_no          text        NOT NULL,
    login                text        NOT NULL,
    profile              jsonb       NOT NULL DEFAULT '{}',   -- OCAPI profile fields
    custom               jsonb       NOT NULL DEFAULT '{}',   -- c_* custom attributes
    creation_date        timestamptz NOT NULL DEFAULT now(),
    last_modified        timestamptz NOT NULL DEFAULT now(),
    last_login_time      timestamptz,
    previous_login_time  timestamptz,
    last_visit_time      timestamptz,
    previous_visit_time  timestamptz,
    -- Row version: the ETag and _resource_state are derived from it.
    version              integer     NOT NULL DEFAULT 1,
    UNIQUE (customer_list_id, customer_no)
);
CREATE INDEX customers_email_idx ON customer.customers (customer_list_id, lower(profile->>'email'));

-- customer_no is allocated per customer list.
CREATE TABLE customer.customer_no_sequences (
    customer_list_id  text PRIMARY KEY,
    next_no           bigint NOT NULL
);

-- The registration saga: credentials live in auth, the profile here. A row stays
-- 'pending' until the profile is written; the reconciler undoes what a crash left.
CREATE TABLE customer.registrations (
    customer_id       text PRIMARY KEY,
    customer_list_id  text        NOT NULL,
    login             text        NOT NULL,
    state             text        NOT NULL DEFAULT 'pending'
                      CHECK (state IN ('pending', 'done', 'failed')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registrations_pending_idx ON customer.registrations (created_at) WHERE state = 'pending';
