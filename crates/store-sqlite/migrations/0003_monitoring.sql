-- Monitoring: cases, their teams and status history.

-- The last reference number given per office and year (PNH-2026-0042).
CREATE TABLE case_numbers (
    office_id   INTEGER NOT NULL REFERENCES offices (id),
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (office_id, year)
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    office_id       INTEGER NOT NULL REFERENCES offices (id),
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('received', 'under_verification', 'verified', 'not_verified',
                        'not_a_violation', 'under_intervention', 'closed')),
    sensitivity     TEXT NOT NULL CHECK (sensitivity IN ('normal', 'restricted')),
    province_code   TEXT REFERENCES provinces (code),
    district_code   TEXT REFERENCES districts (code),
    commune_code    TEXT REFERENCES communes (code),
    location_text   TEXT NOT NULL,
    start_date      TEXT,
    start_precision TEXT CHECK (start_precision IN ('day', 'month', 'year', 'approximate')),
    start_sort      TEXT,          -- earliest day the start date can mean, for ranges
    end_date        TEXT,
    end_precision   TEXT CHECK (end_precision IN ('day', 'month', 'year', 'approximate')),
    themes          TEXT NOT NULL, -- comma-separated
    created_by      INTEGER REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX cases_office_status ON cases (office_id, status, id);
CREATE INDEX cases_province ON cases (province_code, id);
CREATE INDEX cases_sensitivity ON cases (sensitivity, id);
CREATE INDEX cases_start ON cases (start_sort);

-- The case's team: with the head of office, the only people who see a restricted case.
CREATE TABLE case_assignments (
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_assignments_user ON case_assignments (user_id, case_id);

CREATE TABLE case_status_history (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    changed_by  INTEGER REFERENCES users (id),
    changed_at  INTEGER NOT NULL
);
CREATE INDEX case_status_history_case ON case_status_history (case_id, id);

-- People of a case. Identifying fields are encrypted per field (XChaCha20-
-- Poly1305, table/column/id bound in); name_bidx is a keyed hash of the
-- normalized name for duplicate warnings. The rest is for statistics.
CREATE TABLE persons (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    code             TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('victim', 'witness', 'source', 'perpetrator')),
    kind             TEXT NOT NULL CHECK (kind IN ('individual', 'group', 'institution')),
    name_enc         BLOB,
    aliases_enc      BLOB,
    contact_enc      BLOB,
    address_enc      BLOB,
    id_number_enc    BLOB,
    name_bidx        TEXT,
    sex              TEXT NOT NULL,
    age              INTEGER,
    age_group        TEXT NOT NULL,
    occupation       TEXT NOT NULL,
    disability       TEXT NOT NULL,
    ethnicity        TEXT NOT NULL,
    perpetrator_type TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    UNIQUE (case_id, code)
);
CREATE INDEX persons_bidx ON persons (name_bidx);

-- The last code number given per case and role (V1, V2, ...).
CREATE TABLE case_person_numbers (
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (case_id, role)
);

-- Acts: who did what to whom, and which rights it violated.
CREATE TABLE acts (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    act_type       TEXT NOT NULL,
    act_date       TEXT,
    date_precision TEXT CHECK (date_precision IN ('day', 'month', 'year', 'approximate')),
    location_text  TEXT NOT NULL,
    description    TEXT NOT NULL,
    created_by     INTEGER REFERENCES users (id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX acts_case ON acts (case_id);
CREATE INDEX acts_type ON acts (act_type, case_id);

CREATE TABLE act_victims (
    act_id    INTEGER NOT NULL REFERENCES acts (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (act_id, person_id)
);

CREATE TABLE act_perpetrators (
    act_id      INTEGER NOT NULL REFERENCES acts (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    involvement TEXT NOT NULL CHECK (involvement IN ('direct', 'ordered', 'complicit', 'failed_to_prevent')),
    PRIMARY KEY (act_id, person_id)
);

CREATE TABLE act_rights (
    act_id          INTEGER NOT NULL REFERENCES acts (id) ON DELETE CASCADE,
    instrument_code TEXT NOT NULL,
    article_number  INTEGER NOT NULL,
    PRIMARY KEY (act_id, instrument_code, article_number),
    FOREIGN KEY (instrument_code, article_number) REFERENCES articles (instrument_code, number)
);
CREATE INDEX act_rights_article ON act_rights (instrument_code, article_number);

-- Organisations the office deals with (ministries, courts, police, NGOs, ...),
-- shared by the lines of work; the engagement module extends them.
CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    name_en    TEXT NOT NULL,
    name_km    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (name_en)
);

-- Letters, meetings, calls, urgent appeals and trial observations, with the
-- response and the next follow-up.
CREATE TABLE interventions (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('letter', 'meeting', 'call', 'urgent_appeal', 'trial_observation')),
    sent_date       TEXT,
    request         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('planned', 'sent', 'awaiting_response', 'responded', 'resolved', 'no_response')),
    response_date   TEXT,
    response        TEXT NOT NULL,
    next_follow_up  TEXT,
    created_by      INTEGER REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX interventions_case ON interventions (case_id);
CREATE INDEX interventions_follow_up ON interventions (next_follow_up);

-- What a source gave, how far it can be trusted, and what the source
-- consented to. Withdrawn consent excludes the information from every
-- export, report and letter from that date on.
CREATE TABLE sources (
    id                   INTEGER PRIMARY KEY,
    case_id              INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id            INTEGER REFERENCES persons (id),
    received             TEXT,
    method               TEXT NOT NULL CHECK (method IN ('interview', 'document', 'media', 'observation', 'other')),
    reliability          TEXT NOT NULL CHECK (reliability IN ('reliable', 'usually_reliable', 'not_reliable', 'unknown')),
    validity             TEXT NOT NULL CHECK (validity IN ('confirmed', 'probably_true', 'possibly_true', 'doubtful', 'unknown')),
    consent              TEXT NOT NULL CHECK (consent IN ('internal_only', 'raise_with_authorities', 'publish_anonymously')),
    consent_withdrawn_on TEXT,
    withdrawal_note      TEXT NOT NULL DEFAULT '',
    information          TEXT NOT NULL,
    created_by           INTEGER REFERENCES users (id),
    created_at           INTEGER NOT NULL
);
CREATE INDEX sources_case ON sources (case_id);

-- Evidence files, stored once by their SHA-256 under the data directory; the
-- original file name can identify someone, so it is encrypted.
CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    sha256       TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    filename_enc BLOB,
    description  TEXT NOT NULL,
    uploaded_by  INTEGER REFERENCES users (id),
    uploaded_at  INTEGER NOT NULL
);
CREATE INDEX evidence_case ON evidence (case_id);
CREATE INDEX evidence_sha ON evidence (sha256);

-- Chain of custody: every hand that touched a piece of evidence.
CREATE TABLE custody (
    id          INTEGER PRIMARY KEY,
    evidence_id INTEGER NOT NULL REFERENCES evidence (id) ON DELETE CASCADE,
    at_micros   INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id),
    action      TEXT NOT NULL CHECK (action IN ('uploaded', 'downloaded', 'verified', 'verification_failed', 'transferred', 'note')),
    note        TEXT NOT NULL
);
CREATE INDEX custody_evidence ON custody (evidence_id, id);
