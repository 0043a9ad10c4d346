-- Reference data: gazetteer, instruments and articles, ratifications, SDGs.

CREATE TABLE provinces (
    code    TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_km TEXT NOT NULL
);

CREATE TABLE districts (
    code          TEXT PRIMARY KEY,
    province_code TEXT NOT NULL REFERENCES provinces (code),
    name_en       TEXT NOT NULL,
    name_km       TEXT NOT NULL
);
CREATE INDEX districts_province ON districts (province_code);

CREATE TABLE communes (
    code          TEXT PRIMARY KEY,
    district_code TEXT NOT NULL REFERENCES districts (code),
    name_en       TEXT NOT NULL,
    name_km       TEXT NOT NULL
);
CREATE INDEX communes_district ON communes (district_code);

CREATE TABLE instruments (
    code    TEXT PRIMARY KEY,
    untc_id TEXT NOT NULL,
    title   TEXT NOT NULL,
    is_core BOOLEAN NOT NULL
);

CREATE TABLE articles (
    instrument_code TEXT NOT NULL REFERENCES instruments (code),
    number          BIGINT NOT NULL,
    part            TEXT NOT NULL,
    caption         TEXT NOT NULL,
    text            TEXT NOT NULL,
    PRIMARY KEY (instrument_code, number)
);

CREATE TABLE ratifications (
    instrument_code TEXT NOT NULL REFERENCES instruments (code),
    state           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('signed', 'ratified', 'acceded', 'succeeded', 'no_action')),
    signature_date  TEXT,
    consent_date    TEXT,
    source          TEXT NOT NULL,
    PRIMARY KEY (instrument_code, state)
);

CREATE TABLE sdg_goals (
    number   BIGINT PRIMARY KEY,
    short_en TEXT NOT NULL,
    title_en TEXT NOT NULL,
    short_km TEXT NOT NULL,
    title_km TEXT NOT NULL
);

CREATE TABLE sdg_targets (
    code     TEXT PRIMARY KEY,
    goal     BIGINT NOT NULL REFERENCES sdg_goals (number),
    title_en TEXT NOT NULL,
    title_km TEXT NOT NULL
);

CREATE TABLE reference_meta (
    name      TEXT PRIMARY KEY,
    loaded_at BIGINT NOT NULL
);
