-- The scheduler reads only what newly fell due (issue 17's benchmark: a pass
-- re-read every file whose check-in was ever missed, 0.5 s a pass on
-- PostgreSQL at 100k files). Each file and measure records the due time
-- whose alert was raised; a partial index holds only the rows where that
-- differs from the current due time, so once an alert is raised its row
-- leaves the index, and a write that moves the due time brings it back
-- without the write knowing about alerts. A closed file stays out of the
-- index and comes back, still pending, when it reopens.
ALTER TABLE protection_files ADD COLUMN checkin_raised_due BIGINT;
ALTER TABLE protection_files ADD COLUMN escalation_raised_due BIGINT;
ALTER TABLE protection_files ADD COLUMN reassess_raised_due BIGINT;
ALTER TABLE protection_measures ADD COLUMN review_raised_due BIGINT;

-- What has been raised already.
UPDATE protection_files SET checkin_raised_due = checkin_due_at WHERE EXISTS (SELECT 1 FROM protection_alerts a
    WHERE a.file_id = protection_files.id AND a.kind = 'missed_checkin' AND a.subject_id = 0 AND a.due_at = protection_files.checkin_due_at);
UPDATE protection_files SET escalation_raised_due = checkin_due_at WHERE EXISTS (SELECT 1 FROM protection_alerts a
    WHERE a.file_id = protection_files.id AND a.kind = 'escalated_checkin' AND a.subject_id = 0 AND a.due_at = protection_files.checkin_due_at);
UPDATE protection_files SET reassess_raised_due = reassess_due_at WHERE EXISTS (SELECT 1 FROM protection_alerts a
    WHERE a.file_id = protection_files.id AND a.kind = 'reassessment_overdue' AND a.subject_id = 0 AND a.due_at = protection_files.reassess_due_at);
UPDATE protection_measures SET review_raised_due = review_due_at WHERE EXISTS (SELECT 1 FROM protection_alerts a
    WHERE a.file_id = protection_measures.file_id AND a.kind = 'measure_review_overdue' AND a.subject_id = protection_measures.id
      AND a.due_at = protection_measures.review_due_at);

-- The scans' predicates, word for word (the planners match them to these).
DROP INDEX protection_files_missed;
DROP INDEX protection_files_reassess;
DROP INDEX protection_measures_review;
CREATE INDEX protection_files_checkin_pending ON protection_files (checkin_missed_at)
    WHERE status <> 'closed' AND checkin_raised_due IS DISTINCT FROM checkin_due_at;
CREATE INDEX protection_files_escalation_pending ON protection_files (checkin_missed_at)
    WHERE status <> 'closed' AND escalation_raised_due IS DISTINCT FROM checkin_due_at;
CREATE INDEX protection_files_reassess_pending ON protection_files (reassess_due_at)
    WHERE status <> 'closed' AND reassess_raised_due IS DISTINCT FROM reassess_due_at;
CREATE INDEX protection_measures_review_pending ON protection_measures (review_due_at)
    WHERE review_raised_due IS DISTINCT FROM review_due_at;

-- The alerts page walks open alerts newest first and stops at its limit; a
-- pass raises many alerts at one instant, so the id must be in the index
-- too or every alert of that instant is read and sorted (93 ms to 6 ms for
-- 500 of 13,656 open alerts on PostgreSQL).
DROP INDEX protection_alerts_open;
CREATE INDEX protection_alerts_open ON protection_alerts (state, raised_at, id);

-- A file's open alerts (the file list counts them per row): without it
-- SQLite read every open alert for each file through the index above (the
-- file list of 100k files took 70 s; 80 ms with it).
CREATE INDEX protection_alerts_file ON protection_alerts (file_id, state);

-- A threat's suspected actor can also be a person: an alleged perpetrator
-- recorded in a monitoring case linked to the file (known by their code;
-- the identity stays sealed in the case).
ALTER TABLE protection_threats ADD COLUMN actor_person_id BIGINT REFERENCES persons (id);
