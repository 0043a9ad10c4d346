//! The records of protection the store reads and writes. Scheduling times
//! (check-ins, due times, alerts) are Unix seconds, as the domain's rules
//! count them; `created_at`/`updated_at` are microseconds like everywhere.

use rightsdesk_domain::monitoring::DatePrecision;
use rightsdesk_domain::protection::{
    AlertKind, AlertState, CheckinChannel, CheckinOutcome, CheckinSchedule, FileStatus, FileSubject, MeasureInput,
    MeasureKind, MeasureStatus, ProfileCategory, ProtectionFileInput, RiskAssessmentInput, RiskLevel, ThreatInput,
    ThreatKind,
};
use rightsdesk_domain::ProtectionScope;
use serde::Serialize;

/// A file's agreed check-in schedule (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckinPlan {
    pub every: i64,
    pub channel: CheckinChannel,
    pub grace: i64,
    pub escalate_after: i64,
    /// When the schedule was set: the first check-in is due one interval later.
    pub starts_at: i64,
}

impl CheckinPlan {
    pub fn schedule(&self) -> CheckinSchedule {
        CheckinSchedule {
            starts_at: self.starts_at,
            every: self.every,
            grace: self.grace,
            escalate_after: self.escalate_after,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProtectionFile {
    pub id: i64,
    /// `PR-PNH-2026-0007`.
    pub reference: String,
    pub office_id: i64,
    pub subject: FileSubject,
    /// A description with codes, no names.
    pub label: String,
    pub profile: ProfileCategory,
    pub province_code: Option<String>,
    pub district_code: Option<String>,
    pub commune_code: Option<String>,
    pub status: FileStatus,
    pub status_reason: String,
    /// The level of the latest assessment, if any.
    pub level: Option<RiskLevel>,
    pub reassess_due_at: Option<i64>,
    pub checkins: Option<CheckinPlan>,
    /// The last check-in that reached the person.
    pub last_reached_at: Option<i64>,
    /// The next check-in's due time, and when it counts as missed.
    pub checkin_due_at: Option<i64>,
    pub checkin_missed_at: Option<i64>,
    /// The assigned protection officers (user ids).
    pub team: Vec<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a new file needs besides its fields.
#[derive(Debug, Clone)]
pub struct NewProtectionFile {
    pub office_id: i64,
    pub year: i32,
    pub input: ProtectionFileInput,
    /// The creator, who is on the team from the start.
    pub created_by: i64,
    pub team: Vec<i64>,
}

/// A whole file as a bulk write takes it.
#[derive(Debug, Clone)]
pub struct ProtectionBundle {
    pub file: NewProtectionFile,
    pub plan: Option<CheckinPlan>,
    pub checkins: Vec<rightsdesk_domain::protection::CheckinInput>,
    pub assessment: Option<BundleAssessment>,
}

/// The latest assessment of a bundled file.
#[derive(Debug, Clone)]
pub struct BundleAssessment {
    pub input: RiskAssessmentInput,
    pub at: i64,
    pub next_due_at: i64,
    pub by: i64,
}

/// A line of the files list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProtectionFileSummary {
    pub id: i64,
    pub reference: String,
    pub office_id: i64,
    pub label: String,
    pub profile: ProfileCategory,
    pub province_code: Option<String>,
    pub status: FileStatus,
    pub level: Option<RiskLevel>,
    pub checkin_due_at: Option<i64>,
    pub reassess_due_at: Option<i64>,
    /// Open alerts of the file.
    pub open_alerts: i64,
    pub updated_at: i64,
}

/// Which files a list or count shows: always inside the caller's scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionFileFilter {
    pub scope: ProtectionScope,
    pub status: Option<FileStatus>,
    pub level: Option<RiskLevel>,
    pub profile: Option<ProfileCategory>,
    pub province_code: Option<String>,
    /// Files this user is assigned to.
    pub officer: Option<i64>,
    /// Files with an open alert.
    pub overdue: bool,
    pub limit: i64,
    pub offset: i64,
}

impl ProtectionFileFilter {
    pub fn new(scope: ProtectionScope) -> Self {
        ProtectionFileFilter {
            scope,
            status: None,
            level: None,
            profile: None,
            province_code: None,
            officer: None,
            overdue: false,
            limit: 50,
            offset: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Threat {
    pub id: i64,
    pub file_id: i64,
    pub date: String,
    pub precision: DatePrecision,
    pub kind: ThreatKind,
    pub actor_organisation_id: Option<i64>,
    pub actor_organisation_en: Option<String>,
    pub actor_organisation_km: Option<String>,
    /// The suspected person: a person of a linked monitoring case.
    pub actor_person_id: Option<i64>,
    /// That person as the office knows them without their name: the case's
    /// reference and the person's code (`PNH-2026-0042 P1`).
    pub actor_person: Option<String>,
    pub actor_description: String,
    pub description: String,
    pub act_id: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RiskAssessment {
    pub id: i64,
    pub file_id: i64,
    pub likelihood: u8,
    pub impact: u8,
    pub vulnerabilities: Vec<String>,
    pub capacities: Vec<String>,
    pub computed: RiskLevel,
    pub level: RiskLevel,
    /// Why the officer set another level than the computed one (empty: none).
    pub override_reason: String,
    pub assessed_by: Option<i64>,
    /// Unix seconds.
    pub assessed_at: i64,
    pub next_due_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Measure {
    pub id: i64,
    pub file_id: i64,
    pub kind: MeasureKind,
    pub responsible_user_id: Option<i64>,
    pub responsible_organisation_id: Option<i64>,
    pub status: MeasureStatus,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub review_on: Option<String>,
    pub description: String,
    pub outcome: String,
    /// The monitoring intervention an appeal or letter created.
    pub intervention_id: Option<i64>,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Checkin {
    pub id: i64,
    pub file_id: i64,
    /// Unix seconds.
    pub at: i64,
    pub channel: CheckinChannel,
    pub outcome: CheckinOutcome,
    pub note: String,
    pub recorded_by: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Alert {
    pub id: i64,
    pub file_id: i64,
    pub file_reference: String,
    pub office_id: i64,
    pub kind: AlertKind,
    /// The measure it is about (0: the file itself).
    pub subject_id: i64,
    /// The due time that was missed (Unix seconds).
    pub due_at: i64,
    pub raised_at: i64,
    pub state: AlertState,
    pub acknowledged_by: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub note: String,
    pub resolved_at: Option<i64>,
    /// When it was sent by e-mail, and to how many people.
    pub emailed_at: Option<i64>,
    pub emailed_to: i64,
}

/// Which alerts a page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertFilter {
    pub scope: ProtectionScope,
    /// Only what needs this user: alerts of files they are assigned to and,
    /// for a head of office, escalations in their office.
    pub for_user: bool,
    /// Open alerts only (else open first, then the history).
    pub open_only: bool,
    pub limit: i64,
}

/// What one pass of the scheduler found and raised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanOutcome {
    /// Another node holds the scheduler (PostgreSQL advisory lock): nothing done.
    pub skipped: bool,
    pub raised: Vec<Alert>,
}

/// Who an alert goes to: its file's team and, for an escalation, the heads
/// of the file's office. Addresses only; e-mails name no person or place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRecipient {
    pub user_id: i64,
    pub email: String,
    pub locale: rightsdesk_domain::Locale,
}

/// Everything on a file's page, read in one go.
#[derive(Debug, Clone)]
pub struct ProtectionRecords {
    pub persons: Vec<crate::PersonRecord>,
    /// `(id, reference, title)` of the linked cases.
    pub cases: Vec<(i64, String, String)>,
    pub threats: Vec<Threat>,
    pub assessments: Vec<RiskAssessment>,
    pub measures: Vec<Measure>,
    /// The latest check-ins, newest first.
    pub checkins: Vec<Checkin>,
    pub alerts: Vec<Alert>,
}

/// What the store writes for a new assessment.
#[derive(Debug, Clone)]
pub struct NewAssessment<'a> {
    pub input: &'a RiskAssessmentInput,
    pub at: i64,
    pub next_due_at: i64,
    pub by: i64,
}

/// What the store writes for a new threat.
#[derive(Debug, Clone)]
pub struct NewThreat<'a> {
    pub input: &'a ThreatInput,
    pub by: i64,
}

/// A measure and, for an appeal or letter, the intervention it creates.
#[derive(Debug, Clone)]
pub struct NewMeasure<'a> {
    pub input: &'a MeasureInput,
    /// When its review date has passed (Unix seconds), if it has one.
    pub review_due_at: Option<i64>,
    pub intervention: Option<rightsdesk_domain::monitoring::intervention::InterventionInput>,
    pub by: i64,
}
