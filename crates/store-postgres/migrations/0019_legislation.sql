-- Legal analysis of draft laws (issue 18): the register, each law's stages,
-- its versions (the original file and the text split into articles), the
-- office's comments on articles with the Government's response, and the
-- links that make case → recommendation → law walkable both ways. Draft
-- laws are public documents: nothing here is sealed; who reads and writes
-- is the policy's (decision 0016).
CREATE TABLE laws (
    id                   BIGSERIAL PRIMARY KEY,
    title_en             TEXT NOT NULL,
    title_km             TEXT NOT NULL,
    short_name           TEXT NOT NULL,
    ministry_id          BIGINT REFERENCES organisations (id),
    lead_user_id         BIGINT REFERENCES users (id),
    priority             TEXT NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    stage                TEXT NOT NULL CHECK (stage IN ('drafting', 'inter_ministerial', 'council_of_ministers',
        'assembly_committee', 'assembly_plenary', 'senate', 'constitutional_council', 'promulgated', 'withdrawn', 'shelved')),
    -- The day the law reached its current stage.
    stage_on             TEXT NOT NULL,
    -- A public-consultation window (both or neither), on the reporting calendar.
    consultation_opens   TEXT,
    consultation_closes  TEXT,
    created_by           BIGINT REFERENCES users (id),
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    CHECK ((consultation_opens IS NULL) = (consultation_closes IS NULL)),
    CHECK (consultation_closes IS NULL OR consultation_closes >= consultation_opens)
);
CREATE INDEX laws_stage ON laws (stage, updated_at);
CREATE INDEX laws_consultation ON laws (consultation_closes) WHERE consultation_closes IS NOT NULL;

CREATE TABLE law_themes (
    law_id  BIGINT NOT NULL REFERENCES laws (id) ON DELETE CASCADE,
    theme   TEXT NOT NULL,
    PRIMARY KEY (law_id, theme)
);
CREATE INDEX law_themes_theme ON law_themes (theme, law_id);

-- Every stage the law went through, dated (the first is where it entered the register).
CREATE TABLE law_stages (
    id           BIGSERIAL PRIMARY KEY,
    law_id       BIGINT NOT NULL REFERENCES laws (id) ON DELETE CASCADE,
    stage        TEXT NOT NULL,
    stage_on     TEXT NOT NULL,
    note         TEXT NOT NULL,
    recorded_by  BIGINT REFERENCES users (id),
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX law_stages_law ON law_stages (law_id, id);

-- A version of the text: dated, where it came from, its extracted text.
-- has_text = 0 is a scanned PDF kept for the record until the text is pasted.
CREATE TABLE law_versions (
    id           BIGSERIAL PRIMARY KEY,
    law_id       BIGINT NOT NULL REFERENCES laws (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    dated        TEXT NOT NULL,
    source       TEXT NOT NULL,
    format       TEXT NOT NULL CHECK (format IN ('docx', 'pdf', 'text', 'pasted')),
    has_text     BOOLEAN NOT NULL,
    text         TEXT NOT NULL,
    preamble     TEXT NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX law_versions_law ON law_versions (law_id, dated, id);

-- The uploaded file itself, apart so that lists of versions never read it.
CREATE TABLE law_version_files (
    version_id    BIGINT PRIMARY KEY REFERENCES law_versions (id) ON DELETE CASCADE,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    content       BYTEA NOT NULL
);

-- A version's articles in order, each with its chapter.
CREATE TABLE law_articles (
    id               BIGSERIAL PRIMARY KEY,
    version_id       BIGINT NOT NULL REFERENCES law_versions (id) ON DELETE CASCADE,
    position         BIGINT NOT NULL,
    number           TEXT NOT NULL,
    heading          TEXT NOT NULL,
    chapter_number   TEXT,
    chapter_heading  TEXT,
    chapter_title    TEXT,
    text             TEXT NOT NULL,
    UNIQUE (version_id, position)
);

-- A comment of the office on an article (no article: on the law as a
-- whole). It moves to the matching article of each new version;
-- article_change says what happened to its article in the last move.
CREATE TABLE law_comments (
    id                  BIGSERIAL PRIMARY KEY,
    law_id              BIGINT NOT NULL REFERENCES laws (id) ON DELETE CASCADE,
    version_id          BIGINT NOT NULL REFERENCES law_versions (id),
    article_number      TEXT,
    article_change      TEXT NOT NULL DEFAULT 'none' CHECK (article_change IN ('none', 'unchanged', 'changed', 'renumbered', 'removed')),
    previous_number     TEXT,
    concern             TEXT NOT NULL,
    standard            TEXT NOT NULL,
    recommended_change  TEXT NOT NULL,
    severity            TEXT NOT NULL CHECK (severity IN ('critical', 'major', 'minor', 'drafting')),
    status              TEXT NOT NULL CHECK (status IN ('draft', 'shared', 'addressed', 'closed')),
    response            TEXT CHECK (response IN ('accepted', 'partly_accepted', 'rejected', 'no_response')),
    response_on         TEXT,
    response_text       TEXT NOT NULL DEFAULT '',
    created_by          BIGINT REFERENCES users (id),
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX law_comments_law ON law_comments (law_id, version_id);

-- The instrument articles a comment invokes (ICCPR art. 19).
CREATE TABLE law_comment_standards (
    comment_id       BIGINT NOT NULL REFERENCES law_comments (id) ON DELETE CASCADE,
    instrument_code  TEXT NOT NULL,
    article_number   BIGINT NOT NULL,
    PRIMARY KEY (comment_id, instrument_code, article_number),
    FOREIGN KEY (instrument_code, article_number) REFERENCES articles (instrument_code, number)
);

-- UN recommendations a comment invokes.
CREATE TABLE law_comment_recommendations (
    comment_id         BIGINT NOT NULL REFERENCES law_comments (id) ON DELETE CASCADE,
    recommendation_id  BIGINT NOT NULL REFERENCES recommendations (id),
    PRIMARY KEY (comment_id, recommendation_id)
);

-- Recommendations the law would implement; cases and interventions that concern it.
CREATE TABLE law_recommendations (
    law_id             BIGINT NOT NULL REFERENCES laws (id) ON DELETE CASCADE,
    recommendation_id  BIGINT NOT NULL REFERENCES recommendations (id),
    PRIMARY KEY (law_id, recommendation_id)
);
CREATE INDEX law_recommendations_rec ON law_recommendations (recommendation_id, law_id);
CREATE TABLE law_cases (
    law_id   BIGINT NOT NULL REFERENCES laws (id) ON DELETE CASCADE,
    case_id  BIGINT NOT NULL REFERENCES cases (id),
    PRIMARY KEY (law_id, case_id)
);
CREATE INDEX law_cases_case ON law_cases (case_id, law_id);
CREATE TABLE law_interventions (
    law_id           BIGINT NOT NULL REFERENCES laws (id) ON DELETE CASCADE,
    intervention_id  BIGINT NOT NULL REFERENCES interventions (id),
    PRIMARY KEY (law_id, intervention_id)
);
