-- Government focal points: accounts of people in an outside institution,
-- who see only the recommendations assigned to it and report progress.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'head_of_office', 'officer', 'legal_officer',
    'mechanisms_officer', 'programme_officer', 'analyst', 'viewer', 'focal_point'));
-- The institution of a focal point (and only of a focal point).
ALTER TABLE users ADD COLUMN organisation_id BIGINT REFERENCES organisations (id);
ALTER TABLE users ADD CONSTRAINT users_focal_point_institution CHECK ((role = 'focal_point') = (organisation_id IS NOT NULL));
CREATE INDEX users_organisation ON users (organisation_id);

-- What a focal point reports about a recommendation, until an office user
-- accepts it (it becomes an assessment) or sends it back with a comment.
CREATE TABLE progress_updates (
    id                BIGSERIAL PRIMARY KEY,
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    organisation_id   BIGINT NOT NULL REFERENCES organisations (id),
    submitted_by      BIGINT NOT NULL REFERENCES users (id),
    submitted_at      BIGINT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN
        ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'regressed', 'no_information')),
    text              TEXT NOT NULL,
    review            TEXT NOT NULL DEFAULT 'submitted' CHECK (review IN ('submitted', 'accepted', 'returned')),
    reviewed_by       BIGINT REFERENCES users (id),
    reviewed_at       BIGINT,
    review_comment    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX progress_updates_review ON progress_updates (review, id);
CREATE INDEX progress_updates_recommendation ON progress_updates (recommendation_id, id);
