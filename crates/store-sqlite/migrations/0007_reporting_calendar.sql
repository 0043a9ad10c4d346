-- The reporting calendar: deadlines and milestones of the UPR, the treaty
-- bodies and the special procedures, and per-user iCalendar feeds.

CREATE TABLE reporting_events (
    id             INTEGER PRIMARY KEY,
    mechanism_code TEXT NOT NULL REFERENCES mechanisms (code),
    kind           TEXT NOT NULL CHECK (kind IN ('state_report_due', 'report_submitted', 'list_of_issues', 'dialogue',
        'concluding_observations', 'follow_up_due', 'upr_review', 'mid_term_report', 'visit', 'communication', 'other')),
    -- Groups the steps of one reporting cycle: 'CCPR, third periodic report', 'UPR, fourth cycle'.
    cycle          TEXT NOT NULL,
    title          TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    -- open: still to come or overdue; done: happened (on done_on); lapsed:
    -- passed without being recorded, no longer something to act on.
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'lapsed')),
    done_on        TEXT,
    notes          TEXT NOT NULL,
    created_by     INTEGER REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX reporting_events_due ON reporting_events (due_on);

-- Cambodia's Universal Periodic Review. Review days: OHCHR's timetables as
-- reported in the press (2019: 30 January); the 2024 row carries the opening
-- day of the Working Group session. Mid-term reports are encouraged by the
-- Human Rights Council about two and a half years after a review: those dates
-- are computed here, not official deadlines.
INSERT INTO reporting_events (mechanism_code, kind, cycle, title, due_on, status, done_on, notes, created_by, created_at, updated_at) VALUES
    ('UPR', 'upr_review', 'UPR, first cycle', 'Cambodia''s first review (Working Group session 6)', '2009-12-01', 'done', '2009-12-01', 'Session 6, 30 November to 11 December 2009.', NULL, 0, 0),
    ('UPR', 'mid_term_report', 'UPR, first cycle', 'Mid-term report on the first cycle (encouraged)', '2012-06-01', 'lapsed', NULL, 'Date computed: about two and a half years after the review.', NULL, 0, 0),
    ('UPR', 'upr_review', 'UPR, second cycle', 'Cambodia''s second review (Working Group session 18)', '2014-01-28', 'done', '2014-01-28', '205 recommendations: 163 accepted, 42 noted.', NULL, 0, 0),
    ('UPR', 'mid_term_report', 'UPR, second cycle', 'Mid-term report on the second cycle (encouraged)', '2016-07-28', 'lapsed', NULL, 'Date computed: about two and a half years after the review.', NULL, 0, 0),
    ('UPR', 'upr_review', 'UPR, third cycle', 'Cambodia''s third review (Working Group session 32)', '2019-01-30', 'done', '2019-01-30', '198 recommendations.', NULL, 0, 0),
    ('UPR', 'mid_term_report', 'UPR, third cycle', 'Mid-term report on the third cycle (encouraged)', '2021-07-30', 'lapsed', NULL, 'Date computed: about two and a half years after the review.', NULL, 0, 0),
    ('UPR', 'upr_review', 'UPR, fourth cycle', 'Cambodia''s fourth review (Working Group session 46)', '2024-04-29', 'done', '2024-04-29', 'Session 46, 29 April to 10 May 2024; the date is the opening of the session.', NULL, 0, 0),
    ('UPR', 'mid_term_report', 'UPR, fourth cycle', 'Mid-term report on the fourth cycle (encouraged)', '2026-11-02', 'open', NULL, 'Date computed: about two and a half years after the review.', NULL, 0, 0);

CREATE TABLE calendar_feeds (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id);
