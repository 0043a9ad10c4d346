-- Government focal points: accounts of people in an outside institution,
-- who see only the recommendations assigned to it and report progress.
--
--
-- The new role and the accounts' institution (users.organisation_id) need a
-- new CHECK on users.role, which SQLite changes only by rebuilding the table
-- with foreign keys off, outside a transaction; sqlx runs every SQLite
-- migration inside one. That rebuild is `focal_point_accounts` in
-- store-sqlite/src/lib.rs, run right after the migrations.

-- What a focal point reports about a recommendation, until an office user
-- accepts it (it becomes an assessment) or sends it back with a comment.
CREATE TABLE progress_updates (
    id                INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    organisation_id   INTEGER NOT NULL REFERENCES organisations (id),
    submitted_by      INTEGER NOT NULL REFERENCES users (id),
    submitted_at      INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN
        ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'regressed', 'no_information')),
    text              TEXT NOT NULL,
    review            TEXT NOT NULL DEFAULT 'submitted' CHECK (review IN ('submitted', 'accepted', 'returned')),
    reviewed_by       INTEGER REFERENCES users (id),
    reviewed_at       INTEGER,
    review_comment    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX progress_updates_review ON progress_updates (review, id);
CREATE INDEX progress_updates_recommendation ON progress_updates (recommendation_id, id);
