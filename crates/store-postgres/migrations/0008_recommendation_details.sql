-- What a recommendation is about beyond its themes: SDG targets, the groups
-- it concerns, and the cluster the office files it under.

CREATE TABLE recommendation_sdg_targets (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    target_code       TEXT NOT NULL REFERENCES sdg_targets (code),
    -- The goal of the target, kept for counts by goal.
    goal              BIGINT NOT NULL,
    PRIMARY KEY (recommendation_id, target_code)
);
CREATE INDEX recommendation_sdg_goal ON recommendation_sdg_targets (goal, recommendation_id);

CREATE TABLE recommendation_groups (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    affected_group    TEXT NOT NULL,
    PRIMARY KEY (recommendation_id, affected_group)
);
CREATE INDEX recommendation_groups_group ON recommendation_groups (affected_group, recommendation_id);

CREATE TABLE recommendation_clusters (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

ALTER TABLE recommendations ADD COLUMN cluster_id BIGINT REFERENCES recommendation_clusters (id);
CREATE INDEX recommendations_cluster ON recommendations (cluster_id);
