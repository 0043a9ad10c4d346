-- How soon the office must act on a case (domain::monitoring::Urgency).
ALTER TABLE cases ADD COLUMN urgency TEXT NOT NULL DEFAULT 'routine'
    CHECK (urgency IN ('routine', 'urgent', 'emergency'));
CREATE INDEX cases_urgency ON cases (urgency) WHERE urgency <> 'routine';
