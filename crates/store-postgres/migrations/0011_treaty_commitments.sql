-- What the office records of a State's commitments under an instrument
-- beyond ratification: reservations, declarations, and whether it accepts
-- individual complaints (for the procedures that need a declaration).
CREATE TABLE treaty_commitments (
    instrument_code       TEXT NOT NULL REFERENCES instruments (code),
    state                 TEXT NOT NULL,
    reservations          TEXT NOT NULL,
    declarations          TEXT NOT NULL,
    individual_complaints TEXT NOT NULL CHECK (individual_complaints IN ('accepted', 'not_accepted', 'unknown')),
    updated_by            BIGINT REFERENCES users (id),
    updated_at            BIGINT NOT NULL,
    PRIMARY KEY (instrument_code, state)
);
