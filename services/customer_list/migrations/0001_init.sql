CREATE TABLE customer_list.customer_lists (
    list_id        text PRIMARY KEY,
    description    text,
    creation_date  timestamptz NOT NULL DEFAULT now(),
    last_modified  timestamptz NOT NULL DEFAULT now(),
    version        integer     NOT NULL DEFAULT 1
);

CREATE TABLE customer_list.site_assignments (
    site_id           text PRIMARY KEY,
    customer_list_id  text NOT NULL REFERENCES customer_list.customer_lists (list_id)
);

-- The demo seed: site SiteGenesis uses customer list SiteGenesis.
INSERT INTO customer_list.customer_lists (list_id, description)
VALUES ('SiteGenesis', 'SiteGenesis customers');
INSERT INTO customer_list.site_assignments (site_id, customer_list_id)
VALUES ('SiteGenesis', 'SiteGenesis');
