-- Chain-of-custody entries made by hand: an examination, where the original
-- is stored, and its return were offered by the forms but refused by the
-- CHECK (issue 14: a 500 that lost the entry). SQLite changes a CHECK only
-- by rebuilding the table; nothing refers to `custody`, so the rebuild runs
-- in the migration's transaction with foreign keys on.
CREATE TABLE custody_new (
    id          INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    at_micros   INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    action      TEXT NOT NULL CHECK (action IN ('uploaded', 'downloaded', 'verified', 'verification_failed',
                                                'transferred', 'examined', 'stored', 'returned', 'note')),
    note        TEXT NOT NULL
);
INSERT INTO custody_new (id, evidence_id, at_micros, user_id, action, note)
    SELECT id, evidence_id, at_micros, user_id, action, note FROM custody;
DROP TABLE custody;
ALTER TABLE custody_new RENAME TO custody;
CREATE INDEX custody_evidence ON custody (evidence_id, id);
