//! The rows of a protection file's page: what each record shows, in the
//! reader's language, and the file's timeline.

use super::when;
use crate::choice_label;
use crate::i18n::Tr;
use rightsdesk_domain::protection::MeasureFields;
use rightsdesk_store::protection::{Checkin, ProtectionFile, ProtectionRecords, RiskAssessment};

pub struct ThreatRow {
    pub date: String,
    pub kind: String,
    pub actor: String,
    pub description: String,
    pub act: String,
}

pub struct AssessmentRow {
    pub when: String,
    pub likelihood: String,
    pub impact: String,
    pub vulnerabilities: Vec<String>,
    pub capacities: Vec<String>,
    pub computed: String,
    pub level: String,
    pub level_code: String,
    pub override_reason: String,
    pub next_due: String,
}

pub struct MeasureRow {
    pub id: i64,
    pub kind: String,
    pub responsible: String,
    pub status: String,
    pub status_code: String,
    pub period: String,
    pub review: String,
    pub description: String,
    pub outcome: String,
    /// The linked case holding the intervention an appeal or letter made.
    pub intervention_case: Option<i64>,
    pub fields: MeasureFields,
}

pub struct CheckinRow {
    pub when: String,
    pub channel: String,
    pub outcome: String,
    pub outcome_code: String,
    pub note: String,
    pub by: String,
}

pub struct TimelineEntry {
    pub at: i64,
    pub when: String,
    pub what: String,
}

pub fn assessment_row(tr: &Tr, a: &RiskAssessment) -> AssessmentRow {
    AssessmentRow {
        when: when(tr, a.assessed_at),
        likelihood: tr.num(a.likelihood as i64),
        impact: tr.num(a.impact as i64),
        vulnerabilities: a.vulnerabilities.clone(),
        capacities: a.capacities.clone(),
        computed: choice_label!(tr, a.computed),
        level: choice_label!(tr, a.level),
        level_code: a.level.as_str().into(),
        override_reason: a.override_reason.clone(),
        next_due: when(tr, a.next_due_at),
    }
}

pub fn checkin_row(tr: &Tr, c: &Checkin, by: String) -> CheckinRow {
    CheckinRow {
        when: when(tr, c.at),
        channel: choice_label!(tr, c.channel),
        outcome: choice_label!(tr, c.outcome),
        outcome_code: c.outcome.as_str().into(),
        note: c.note.clone(),
        by,
    }
}

/// Everything that happened to the file, newest first (at most 100).
pub fn timeline(tr: &Tr, f: &ProtectionFile, records: &ProtectionRecords) -> Vec<TimelineEntry> {
    let mut timeline: Vec<TimelineEntry> = vec![];
    let mut push = |at: i64, what: String| timeline.push(TimelineEntry { at, when: when(tr, at), what });
    push(f.created_at / 1_000_000, tr.t("protection-timeline-opened"));
    for a in &records.assessments {
        push(a.assessed_at, tr.t1("protection-timeline-assessed", "level", &choice_label!(tr, a.level)));
    }
    for m in &records.measures {
        push(m.updated_at / 1_000_000, tr.t1("protection-timeline-measure", "kind", &choice_label!(tr, m.kind)));
    }
    for c in &records.checkins {
        push(c.at, tr.t1("protection-timeline-checkin", "outcome", &choice_label!(tr, c.outcome)));
    }
    for t in &records.threats {
        push(t.created_at / 1_000_000, tr.t1("protection-timeline-threat", "kind", &choice_label!(tr, t.kind)));
    }
    for a in &records.alerts {
        push(a.raised_at, tr.t1("protection-timeline-alert", "kind", &choice_label!(tr, a.kind)));
    }
    timeline.sort_by_key(|t| std::cmp::Reverse(t.at));
    timeline.truncate(100);
    timeline
}
