-- The newest change of one table in one index lookup: the web layer keeps
-- counts computed from a table (the recommendation list's facets) until the
-- table changes, whatever else is written meanwhile.
CREATE INDEX change_log_table_seq ON change_log (table_name, seq);
