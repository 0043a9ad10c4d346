-- Protection of people at risk (issue 17). A protection file concerns one
-- person or a group; it is seen only by its assigned team and the head of
-- its office (the policy; every list and count filters on the team in the
-- database). What the scheduler scans is kept on the file row itself (the
-- next check-in's due and missed times, the reassessment due time), so one
-- indexed range read per kind finds what is due among 100k files.
CREATE TABLE protection_files (
    id                 BIGSERIAL PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE,
    office_id          BIGINT NOT NULL REFERENCES offices (id),
    year               BIGINT NOT NULL,
    number             BIGINT NOT NULL,
    subject            TEXT NOT NULL CHECK (subject IN ('individual', 'group')),
    -- How the file is known: a description with codes, never a name.
    label              TEXT NOT NULL,
    profile            TEXT NOT NULL CHECK (profile IN ('defender', 'journalist', 'land_activist', 'environmental_activist', 'unionist', 'lawyer', 'community', 'other')),
    province_code      TEXT,
    district_code      TEXT,
    commune_code       TEXT,
    status             TEXT NOT NULL CHECK (status IN ('open', 'monitoring', 'closed', 'reopened')),
    status_reason      TEXT NOT NULL DEFAULT '',
    -- The current risk level (of the latest assessment) and when the next is due.
    level              TEXT CHECK (level IN ('low', 'medium', 'high', 'critical')),
    reassess_due_at    BIGINT,
    -- The check-in schedule (seconds), and where its next check-in stands.
    checkin_every      BIGINT,
    checkin_channel    TEXT CHECK (checkin_channel IN ('call', 'message', 'visit', 'contact_person')),
    checkin_grace      BIGINT,
    checkin_escalate   BIGINT,
    checkin_starts_at  BIGINT,
    last_reached_at    BIGINT,
    checkin_due_at     BIGINT,
    checkin_missed_at  BIGINT,
    created_by         BIGINT REFERENCES users (id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (office_id, year, number)
);
-- The scheduler's scans: active files whose next check-in is missed, or
-- whose reassessment is due.
CREATE INDEX protection_files_missed ON protection_files (checkin_missed_at) WHERE status <> 'closed';
CREATE INDEX protection_files_reassess ON protection_files (reassess_due_at) WHERE status <> 'closed';
CREATE INDEX protection_files_office ON protection_files (office_id, status);

-- The last number given to a file of an office in a year.
CREATE TABLE protection_numbers (
    office_id    BIGINT NOT NULL REFERENCES offices (id),
    year         BIGINT NOT NULL,
    last_number  BIGINT NOT NULL,
    PRIMARY KEY (office_id, year)
);

CREATE TABLE protection_file_team (
    file_id  BIGINT NOT NULL REFERENCES protection_files (id) ON DELETE CASCADE,
    user_id  BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (file_id, user_id)
);
CREATE INDEX protection_file_team_user ON protection_file_team (user_id, file_id);

-- The people of monitoring cases the file protects (identities stay sealed
-- in persons), and the cases that concern them.
CREATE TABLE protection_file_persons (
    file_id    BIGINT NOT NULL REFERENCES protection_files (id) ON DELETE CASCADE,
    person_id  BIGINT NOT NULL REFERENCES persons (id),
    PRIMARY KEY (file_id, person_id)
);
CREATE TABLE protection_file_cases (
    file_id  BIGINT NOT NULL REFERENCES protection_files (id) ON DELETE CASCADE,
    case_id  BIGINT NOT NULL REFERENCES cases (id),
    PRIMARY KEY (file_id, case_id)
);

CREATE TABLE protection_threats (
    id                     BIGSERIAL PRIMARY KEY,
    file_id                BIGINT NOT NULL REFERENCES protection_files (id) ON DELETE CASCADE,
    occurred_on            TEXT NOT NULL,
    date_precision         TEXT NOT NULL CHECK (date_precision IN ('day', 'month', 'year', 'approximate')),
    kind                   TEXT NOT NULL CHECK (kind IN ('surveillance', 'summons', 'physical_attack', 'legal_harassment', 'online_harassment', 'threat_to_family', 'intimidation', 'property_damage', 'other')),
    actor_organisation_id  BIGINT REFERENCES organisations (id),
    actor_description      TEXT NOT NULL DEFAULT '',
    description            TEXT NOT NULL,
    act_id                 BIGINT REFERENCES acts (id),
    created_by             BIGINT REFERENCES users (id),
    created_at             BIGINT NOT NULL
);
CREATE INDEX protection_threats_file ON protection_threats (file_id);

CREATE TABLE protection_assessments (
    id               BIGSERIAL PRIMARY KEY,
    file_id          BIGINT NOT NULL REFERENCES protection_files (id) ON DELETE CASCADE,
    likelihood       BIGINT NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact           BIGINT NOT NULL CHECK (impact BETWEEN 1 AND 5),
    -- One item per line.
    vulnerabilities  TEXT NOT NULL,
    capacities       TEXT NOT NULL,
    computed         TEXT NOT NULL CHECK (computed IN ('low', 'medium', 'high', 'critical')),
    level            TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high', 'critical')),
    override_reason  TEXT NOT NULL DEFAULT '',
    assessed_by      BIGINT REFERENCES users (id),
    assessed_at      BIGINT NOT NULL,
    next_due_at      BIGINT NOT NULL,
    CHECK (level = computed OR override_reason <> '')
);
CREATE INDEX protection_assessments_file ON protection_assessments (file_id, assessed_at);

CREATE TABLE protection_measures (
    id                           BIGSERIAL PRIMARY KEY,
    file_id                      BIGINT NOT NULL REFERENCES protection_files (id) ON DELETE CASCADE,
    kind                         TEXT NOT NULL CHECK (kind IN ('accompaniment', 'urgent_appeal', 'letter_to_authorities', 'temporary_relocation', 'legal_support', 'referral', 'security_training', 'emergency_support')),
    responsible_user_id          BIGINT REFERENCES users (id),
    responsible_organisation_id  BIGINT REFERENCES organisations (id),
    status                       TEXT NOT NULL CHECK (status IN ('planned', 'active', 'completed', 'cancelled')),
    starts_on                    TEXT,
    ends_on                      TEXT,
    review_on                    TEXT,
    -- The moment the review date has passed (the office's midnight after it), while the measure is open.
    review_due_at                BIGINT,
    description                  TEXT NOT NULL DEFAULT '',
    outcome                      TEXT NOT NULL DEFAULT '',
    -- The monitoring intervention an appeal or letter created.
    intervention_id              BIGINT REFERENCES interventions (id),
    created_by                   BIGINT REFERENCES users (id),
    created_at                   BIGINT NOT NULL,
    updated_at                   BIGINT NOT NULL,
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX protection_measures_file ON protection_measures (file_id);
CREATE INDEX protection_measures_review ON protection_measures (review_due_at) WHERE review_due_at IS NOT NULL;

CREATE TABLE protection_checkins (
    id           BIGSERIAL PRIMARY KEY,
    file_id      BIGINT NOT NULL REFERENCES protection_files (id) ON DELETE CASCADE,
    checked_at   BIGINT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('call', 'message', 'visit', 'contact_person')),
    outcome      TEXT NOT NULL CHECK (outcome IN ('safe', 'concern', 'no_answer')),
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  BIGINT REFERENCES users (id),
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX protection_checkins_file ON protection_checkins (file_id, checked_at);

-- What needs attention. One row per file, kind, subject (a measure's id, or
-- 0 for the file itself) and due time: the scheduler inserts with ON
-- CONFLICT DO NOTHING, so a restart or a second node raises nothing twice,
-- and the row records what was sent by e-mail and to how many.
CREATE TABLE protection_alerts (
    id                BIGSERIAL PRIMARY KEY,
    file_id           BIGINT NOT NULL REFERENCES protection_files (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('missed_checkin', 'escalated_checkin', 'reassessment_overdue', 'measure_review_overdue')),
    subject_id        BIGINT NOT NULL DEFAULT 0,
    due_at            BIGINT NOT NULL,
    raised_at         BIGINT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    acknowledged_by   BIGINT REFERENCES users (id),
    acknowledged_at   BIGINT,
    note              TEXT NOT NULL DEFAULT '',
    resolved_at       BIGINT,
    emailed_at        BIGINT,
    emailed_to        BIGINT NOT NULL DEFAULT 0,
    UNIQUE (file_id, kind, subject_id, due_at),
    CHECK (state <> 'acknowledged' OR note <> '')
);
CREATE INDEX protection_alerts_open ON protection_alerts (state, raised_at);
CREATE INDEX protection_alerts_unsent ON protection_alerts (raised_at) WHERE emailed_at IS NULL;
