-- Indexes for customer_search at scale (issue 12: text and term queries at 1,000,000
-- customers). Each one is on exactly the expression services/customer_list/search_query.py
-- generates, so the planner can use it:
--  * text_query: to_tsvector('simple', coalesce(<column>, '')) @@ plainto_tsquery(...), a GIN
--    index per string field (exact word matches, as the spec says; gender and
--    credentials.enabled are not worth one: a word query on them matches a third or all).
--    Not partial: the planner reads the word frequencies ANALYZE keeps for an expression
--    index only when the index is whole (names then estimate right; tombstones have no words,
--    so they cost nothing);
--  * term_query, term_filter, range_filter and sorts: <column> COLLATE "C" (code point order,
--    whatever the database's collation), a b-tree per string field after the list, partial
--    on NOT deleted as every search is;
--  * the default order (customer_no, customer_id by code point) of a page.
-- No parallel workers for this table: a word no statistics know (a login, an email) is
-- guessed at 0.5 % of the table, and the planner then starts two workers to sort the one row
-- it finds (10-30 ms of the answer); a search is one request's work, on one backend.
ALTER TABLE customer_list.customer_search SET (parallel_workers = 0);

CREATE INDEX customer_search_customer_no_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(customer_no, '')));
CREATE INDEX customer_search_first_name_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(first_name, '')));
CREATE INDEX customer_search_second_name_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(second_name, '')));
CREATE INDEX customer_search_last_name_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(last_name, '')));
CREATE INDEX customer_search_suffix_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(suffix, '')));
CREATE INDEX customer_search_salutation_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(salutation, '')));
CREATE INDEX customer_search_title_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(title, '')));
CREATE INDEX customer_search_fax_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(fax, '')));
CREATE INDEX customer_search_phone_home_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(phone_home, '')));
CREATE INDEX customer_search_phone_business_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(phone_business, '')));
CREATE INDEX customer_search_phone_mobile_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(phone_mobile, '')));
CREATE INDEX customer_search_email_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(email, '')));
CREATE INDEX customer_search_company_name_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(company_name, '')));
CREATE INDEX customer_search_login_words_idx ON customer_list.customer_search
    USING gin (to_tsvector('simple', coalesce(login, '')));
CREATE INDEX customer_search_customer_no_order_idx ON customer_list.customer_search
    (customer_list_id, customer_no COLLATE "C", customer_id COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_first_name_term_idx ON customer_list.customer_search
    (customer_list_id, first_name COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_second_name_term_idx ON customer_list.customer_search
    (customer_list_id, second_name COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_last_name_term_idx ON customer_list.customer_search
    (customer_list_id, last_name COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_suffix_term_idx ON customer_list.customer_search
    (customer_list_id, suffix COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_salutation_term_idx ON customer_list.customer_search
    (customer_list_id, salutation COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_title_term_idx ON customer_list.customer_search
    (customer_list_id, title COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_fax_term_idx ON customer_list.customer_search
    (customer_list_id, fax COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_phone_home_term_idx ON customer_list.customer_search
    (customer_list_id, phone_home COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_phone_business_term_idx ON customer_list.customer_search
    (customer_list_id, phone_business COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_phone_mobile_term_idx ON customer_list.customer_search
    (customer_list_id, phone_mobile COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_email_term_idx ON customer_list.customer_search
    (customer_list_id, email COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_company_name_term_idx ON customer_list.customer_search
    (customer_list_id, company_name COLLATE "C") WHERE NOT deleted;
CREATE INDEX customer_search_login_term_idx ON customer_list.customer_search
    (customer_list_id, login COLLATE "C") WHERE NOT deleted;
