-- What is being done to implement recommendations: actions with a
-- responsible institution, a due date and indicators, each linked to the
-- recommendations it serves.

CREATE TABLE implementation_actions (
    id              BIGSERIAL PRIMARY KEY,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    due_on          TEXT,
    status          TEXT NOT NULL CHECK (status IN ('planned', 'ongoing', 'completed', 'cancelled')),
    created_by      BIGINT REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX implementation_actions_due ON implementation_actions (due_on);

CREATE TABLE action_indicators (
    id          BIGSERIAL PRIMARY KEY,
    action_id   BIGINT NOT NULL REFERENCES implementation_actions (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    baseline    TEXT NOT NULL,
    target      TEXT NOT NULL,
    current     TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX action_indicators_action ON action_indicators (action_id);

CREATE TABLE action_recommendations (
    action_id         BIGINT NOT NULL REFERENCES implementation_actions (id) ON DELETE CASCADE,
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, recommendation_id)
);
CREATE INDEX action_recommendations_rec ON action_recommendations (recommendation_id);

-- Interventions (letters, meetings, ...) that raise a recommendation with the authorities.
CREATE TABLE recommendation_interventions (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    intervention_id   BIGINT NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    PRIMARY KEY (recommendation_id, intervention_id)
);
CREATE INDEX recommendation_interventions_iv ON recommendation_interventions (intervention_id);
