-- The case list's orders: keyset paging walks these indexes from the top.
CREATE INDEX cases_updated ON cases (updated_at, id);
CREATE INDEX cases_incident ON cases ((COALESCE(start_sort, '')), id);
