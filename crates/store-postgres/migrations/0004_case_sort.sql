-- The case list: keyset paging walks these indexes from the top, for each order and the common province + status filter.
CREATE INDEX cases_updated ON cases (updated_at, id);
CREATE INDEX cases_incident ON cases ((COALESCE(start_sort, '')), id);
CREATE INDEX cases_province_status ON cases (province_code, status, id);
