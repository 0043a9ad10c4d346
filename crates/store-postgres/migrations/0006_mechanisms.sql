-- UN mechanisms, their recommendations to the State, the cases and
-- institutions they concern, and assessments of their implementation.

CREATE TABLE mechanisms (
    code            TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('upr', 'treaty_body', 'special_procedure')),
    name_en         TEXT NOT NULL,
    name_km         TEXT NOT NULL,
    -- The treaty a treaty body oversees (instruments.code), for its page.
    instrument_code TEXT
);

INSERT INTO mechanisms (code, kind, name_en, name_km, instrument_code) VALUES
    ('UPR', 'upr', 'Universal Periodic Review', 'ការត្រួតពិនិត្យតាមកាលកំណត់ជាសកល', NULL),
    ('CCPR', 'treaty_body', 'Human Rights Committee', 'គណៈកម្មាធិការសិទ្ធិមនុស្ស', 'ICCPR'),
    ('CESCR', 'treaty_body', 'Committee on Economic, Social and Cultural Rights', 'គណៈកម្មាធិការសិទ្ធិសេដ្ឋកិច្ច សង្គមកិច្ច និងវប្បធម៌', 'ICESCR'),
    ('CERD', 'treaty_body', 'Committee on the Elimination of Racial Discrimination', 'គណៈកម្មាធិការលុបបំបាត់ការរើសអើងជាតិសាសន៍', 'ICERD'),
    ('CEDAW', 'treaty_body', 'Committee on the Elimination of Discrimination against Women', 'គណៈកម្មាធិការលុបបំបាត់ការរើសអើងប្រឆាំងនឹងស្ត្រី', 'CEDAW'),
    ('CAT', 'treaty_body', 'Committee against Torture', 'គណៈកម្មាធិការប្រឆាំងទារុណកម្ម', 'CAT'),
    ('SPT', 'treaty_body', 'Subcommittee on Prevention of Torture', 'អនុគណៈកម្មាធិការបង្ការទារុណកម្ម', 'OPCAT'),
    ('CRC', 'treaty_body', 'Committee on the Rights of the Child', 'គណៈកម្មាធិការសិទ្ធិកុមារ', 'CRC'),
    ('CRPD', 'treaty_body', 'Committee on the Rights of Persons with Disabilities', 'គណៈកម្មាធិការសិទ្ធិជនពិការ', 'CRPD'),
    ('CED', 'treaty_body', 'Committee on Enforced Disappearances', 'គណៈកម្មាធិការប្រឆាំងការបាត់ខ្លួនដោយបង្ខំ', 'ICPPED'),
    ('CMW', 'treaty_body', 'Committee on Migrant Workers', 'គណៈកម្មាធិការការពារសិទ្ធិពលករចំណាកស្រុក', 'ICMW'),
    ('SR-CAMBODIA', 'special_procedure', 'Special Rapporteur on the situation of human rights in Cambodia', 'អ្នករាយការណ៍ពិសេសស្តីពីស្ថានភាពសិទ្ធិមនុស្សនៅកម្ពុជា', NULL);

CREATE TABLE recommendations (
    id                 BIGSERIAL PRIMARY KEY,
    -- Re-importing the same recommendation updates it: 'upr-info:7443'.
    source_key         TEXT NOT NULL UNIQUE,
    -- A digest of the imported fields: an unchanged row is left alone.
    fingerprint        TEXT NOT NULL,
    mechanism_code     TEXT NOT NULL REFERENCES mechanisms (code),
    state_under_review TEXT NOT NULL,
    session            TEXT NOT NULL,
    cycle              BIGINT,
    document_symbol    TEXT NOT NULL,
    paragraph          TEXT NOT NULL,
    issued_on          TEXT,
    recommending_state TEXT NOT NULL,
    text               TEXT NOT NULL,
    response           TEXT CHECK (response IN ('supported', 'noted', 'other')),
    response_raw       TEXT NOT NULL,
    action_category    BIGINT,
    -- The latest assessment's status, kept here for filters and counts.
    status             TEXT NOT NULL DEFAULT 'no_information' CHECK (status IN
        ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'regressed', 'no_information')),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX recommendations_state ON recommendations (state_under_review, id);
CREATE INDEX recommendations_mechanism ON recommendations (mechanism_code, cycle);

CREATE TABLE recommendation_themes (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    theme             TEXT NOT NULL,
    PRIMARY KEY (recommendation_id, theme)
);
CREATE INDEX recommendation_themes_theme ON recommendation_themes (theme, recommendation_id);

CREATE TABLE recommendation_assessments (
    id                BIGSERIAL PRIMARY KEY,
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    status            TEXT NOT NULL CHECK (status IN
        ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'regressed', 'no_information')),
    assessed_on       TEXT NOT NULL,
    evidence          TEXT NOT NULL,
    source            TEXT NOT NULL,
    assessor_id       BIGINT REFERENCES users (id),
    created_at        BIGINT NOT NULL
);
CREATE INDEX recommendation_assessments_rec ON recommendation_assessments (recommendation_id, id);

-- Cases that show whether a recommendation is implemented.
CREATE TABLE recommendation_cases (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    case_id           BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    linked_by         BIGINT REFERENCES users (id),
    linked_at         BIGINT NOT NULL,
    PRIMARY KEY (recommendation_id, case_id)
);
CREATE INDEX recommendation_cases_case ON recommendation_cases (case_id);

-- Institutions responsible for implementing a recommendation.
CREATE TABLE recommendation_institutions (
    recommendation_id BIGINT NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
    organisation_id   BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (recommendation_id, organisation_id)
);
CREATE INDEX recommendation_institutions_org ON recommendation_institutions (organisation_id);
