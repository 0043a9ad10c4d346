-- Engagement (issue 19): organisations grow into a stakeholder directory
-- (kinds, a parent, a province, relations), the people the office deals
-- with there, and the dialogue log (meetings, calls and events with their
-- follow-up actions and links). A civil society contact's name and details
-- are sealed per field; an official's, in their public role, are not
-- (decision 0017).

-- The kinds become the directory's vocabulary (`StakeholderKind`).
UPDATE organisations SET kind = CASE kind
    WHEN 'government' THEN 'ministry'
    WHEN 'judiciary' THEN 'court'
    WHEN 'parliament' THEN 'national_assembly'
    WHEN 'security_forces' THEN 'police'
    WHEN 'local_authority' THEN 'provincial_authority'
    WHEN 'national_institution' THEN 'human_rights_body'
    WHEN 'united_nations' THEN 'un_agency'
    WHEN 'civil_society' THEN 'civil_society'
    WHEN 'company' THEN 'company'
    ELSE 'other' END;
ALTER TABLE organisations ADD COLUMN acronym TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN parent_id BIGINT REFERENCES organisations (id);
ALTER TABLE organisations ADD COLUMN province_code TEXT REFERENCES provinces (code);
ALTER TABLE organisations ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE organisations SET updated_at = created_at;
CREATE INDEX organisations_kind ON organisations (kind, province_code);
CREATE INDEX organisations_parent ON organisations (parent_id);

CREATE TABLE organisation_relations (
    from_id  BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    to_id    BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('oversees', 'reports_to', 'member_of', 'funds', 'partner_of')),
    PRIMARY KEY (from_id, to_id, kind),
    CHECK (from_id <> to_id)
);
CREATE INDEX organisation_relations_to ON organisation_relations (to_id);

-- A contact is kept by one office. Either the clear columns (an official)
-- or the sealed ones (anyone else) hold the name and details.
CREATE TABLE contacts (
    id               BIGSERIAL PRIMARY KEY,
    office_id        BIGINT NOT NULL REFERENCES offices (id),
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    identifying      BOOLEAN NOT NULL,
    position         TEXT NOT NULL,
    notes            TEXT NOT NULL,
    name             TEXT NOT NULL,
    phone            TEXT NOT NULL,
    email            TEXT NOT NULL,
    name_enc         BYTEA,
    phone_enc        BYTEA,
    email_enc        BYTEA,
    -- Keyed hash of the name's key: the same person recorded twice is found.
    name_bidx        TEXT NOT NULL,
    created_by       BIGINT REFERENCES users (id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CHECK (NOT identifying OR (name = '' AND phone = '' AND email = ''))
);
CREATE INDEX contacts_organisation ON contacts (organisation_id);
CREATE INDEX contacts_name ON contacts (name_bidx);

CREATE TABLE meetings (
    id             BIGSERIAL PRIMARY KEY,
    office_id      BIGINT NOT NULL REFERENCES offices (id),
    kind           TEXT NOT NULL CHECK (kind IN ('meeting', 'call', 'event')),
    held_on        TEXT NOT NULL,
    title          TEXT NOT NULL,
    place          TEXT NOT NULL,
    province_code  TEXT REFERENCES provinces (code),
    summary        TEXT NOT NULL,
    created_by     BIGINT REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX meetings_held ON meetings (held_on, id);

CREATE TABLE meeting_topics (
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, topic)
);
CREATE TABLE meeting_organisations (
    meeting_id       BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (meeting_id, organisation_id)
);
CREATE INDEX meeting_organisations_org ON meeting_organisations (organisation_id, meeting_id);
CREATE TABLE meeting_contacts (
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    contact_id  BIGINT NOT NULL REFERENCES contacts (id),
    PRIMARY KEY (meeting_id, contact_id)
);
CREATE INDEX meeting_contacts_contact ON meeting_contacts (contact_id, meeting_id);
CREATE TABLE meeting_staff (
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (meeting_id, user_id)
);
CREATE TABLE meeting_cases (
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    case_id     BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, case_id)
);
CREATE INDEX meeting_cases_case ON meeting_cases (case_id, meeting_id);
CREATE TABLE meeting_interventions (
    meeting_id       BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    intervention_id  BIGINT NOT NULL REFERENCES interventions (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, intervention_id)
);
CREATE TABLE meeting_recommendations (
    meeting_id         BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    recommendation_id  BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, recommendation_id)
);
CREATE INDEX meeting_recommendations_rec ON meeting_recommendations (recommendation_id, meeting_id);
CREATE TABLE meeting_laws (
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    law_id      BIGINT NOT NULL REFERENCES laws (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, law_id)
);
CREATE INDEX meeting_laws_law ON meeting_laws (law_id, meeting_id);

-- Follow-up actions agreed at a meeting: on the owner's "My follow-ups"
-- and the calendar feed until done.
CREATE TABLE meeting_actions (
    id          BIGSERIAL PRIMARY KEY,
    meeting_id  BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    action      TEXT NOT NULL,
    owner_id    BIGINT NOT NULL REFERENCES users (id),
    due_on      TEXT NOT NULL,
    done_on     TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX meeting_actions_owner ON meeting_actions (owner_id, done_on, due_on);
CREATE INDEX meeting_actions_meeting ON meeting_actions (meeting_id);
