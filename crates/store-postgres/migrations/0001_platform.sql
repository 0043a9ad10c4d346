-- Platform: offices, staff accounts, sessions, API tokens, audit chain, change log.
-- Timestamps are microseconds since the Unix epoch (BIGINT), as on PostgreSQL.

CREATE TABLE offices (
    id         BIGSERIAL PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name_en    TEXT NOT NULL,
    name_km    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'head_of_office', 'officer', 'legal_officer',
                       'mechanisms_officer', 'programme_officer', 'analyst', 'viewer')),
    office_id      BIGINT NOT NULL REFERENCES offices (id),
    locale         TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'km')),
    khmer_digits   BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash  TEXT NOT NULL,
    totp_secret    BYTEA,            -- field-encrypted
    totp_last_step BIGINT,         -- last accepted time step: no code is accepted twice
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins  BIGINT NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    created_at     BIGINT NOT NULL,
    last_login_at  BIGINT
);

-- Need-to-know groups (restricted records are shared with a team).
CREATE TABLE teams (
    id        BIGSERIAL PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices (id),
    name      TEXT NOT NULL,
    UNIQUE (office_id, name)
);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE sessions (
    id_hash               TEXT PRIMARY KEY,   -- SHA-256 of the cookie value
    user_id               BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at            BIGINT NOT NULL,
    last_seen_at          BIGINT NOT NULL,
    expires_at            BIGINT NOT NULL,
    second_factor_pending BOOLEAN NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,   -- SHA-256 of the token
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_events (
    seq         BIGINT PRIMARY KEY,
    at_micros   BIGINT NOT NULL,
    actor_id    BIGINT,
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    summary     TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_action ON audit_events (action, seq);
CREATE INDEX audit_events_at ON audit_events (at_micros);

-- Feeds the search indexer: one row per write of an indexed record, in the
-- same transaction as the write.
CREATE TABLE change_log (
    seq        BIGSERIAL PRIMARY KEY,
    table_name TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    at_micros  BIGINT NOT NULL
);
