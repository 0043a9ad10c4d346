-- Vocabularies an office imports (HURIDOCS micro-thesauri), and acts classified with their terms.
CREATE TABLE vocabularies (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    source      TEXT NOT NULL,
    imported_at INTEGER NOT NULL
);

CREATE TABLE vocabulary_terms (
    vocabulary_code TEXT NOT NULL REFERENCES vocabularies (code),
    code            TEXT NOT NULL,
    parent_code     TEXT,
    level           INTEGER NOT NULL,
    sort_order      INTEGER NOT NULL,
    visible         BOOLEAN NOT NULL,
    label_en        TEXT NOT NULL,
    label_fr        TEXT NOT NULL,
    label_es        TEXT NOT NULL,
    label_km        TEXT NOT NULL,
    PRIMARY KEY (vocabulary_code, code)
);

CREATE TABLE act_terms (
    act_id          INTEGER NOT NULL REFERENCES acts (id) ON DELETE CASCADE,
    vocabulary_code TEXT NOT NULL,
    term_code       TEXT NOT NULL,
    PRIMARY KEY (act_id, vocabulary_code, term_code),
    FOREIGN KEY (vocabulary_code, term_code) REFERENCES vocabulary_terms (vocabulary_code, code)
);
