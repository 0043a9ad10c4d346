-- Platform: offices, staff accounts, sessions, API tokens, audit chain, change log.
-- Timestamps are microseconds since the Unix epoch (INTEGER), as on PostgreSQL.

CREATE TABLE offices (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name_en    TEXT NOT NULL,
    name_km    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'head_of_office', 'officer', 'legal_officer',
                       'mechanisms_officer', 'programme_officer', 'analyst', 'viewer')),
    office_id      INTEGER NOT NULL REFERENCES offices (id),
    locale         TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'km')),
    khmer_digits   INTEGER NOT NULL DEFAULT 0 CHECK (khmer_digits IN (0, 1)),
    password_hash  TEXT NOT NULL,
    totp_secret    BLOB,            -- field-encrypted
    totp_last_step INTEGER,         -- last accepted time step: no code is accepted twice
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   INTEGER,
    created_at     INTEGER NOT NULL,
    last_login_at  INTEGER
);

-- Need-to-know groups (restricted records are shared with a team).
CREATE TABLE teams (
    id        INTEGER PRIMARY KEY,
    office_id INTEGER NOT NULL REFERENCES offices (id),
    name      TEXT NOT NULL,
    UNIQUE (office_id, name)
);

CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE sessions (
    id_hash               TEXT PRIMARY KEY,   -- SHA-256 of the cookie value
    user_id               INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at            INTEGER NOT NULL,
    last_seen_at          INTEGER NOT NULL,
    expires_at            INTEGER NOT NULL,
    second_factor_pending INTEGER NOT NULL CHECK (second_factor_pending IN (0, 1))
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,   -- SHA-256 of the token
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY,
    at_micros   INTEGER NOT NULL,
    actor_id    INTEGER,
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
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    at_micros  INTEGER NOT NULL
);
