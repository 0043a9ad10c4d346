//! Records of the protection module: protection files for people at risk,
//! their threats, risk assessments, protective measures, check-ins, and the
//! alerts the scheduler raises when something is overdue.
//!
//! Every list, count and alert query takes a [`ProtectionScope`]
//! (`rightsdesk_domain::protection_scope`): a file outside it does not
//! exist for the caller, in the database as on the page.

mod records;

pub use records::*;

use crate::*;
use async_trait::async_trait;
use rightsdesk_domain::protection::{CheckinInput, FileStatus, ProtectionFileInput};
use rightsdesk_domain::ProtectionScope;

/// Protection files: create, read, list within a scope, change status, team and links.
#[async_trait]
pub trait ProtectionFileStore {
    /// Creates a file with the next reference of its office and year
    /// (`PR-PNH-2026-0007`); the creator and `team` are its team.
    async fn create_protection_file(&self, new: &NewProtectionFile, audit: &AuditEntry) -> StoreResult<ProtectionFile>;
    /// Writes whole files (team, check-ins, an assessment) in one
    /// transaction with one audit event: generated demo and benchmark data,
    /// and imports. The same rows as a file made through the forms.
    async fn insert_protection_bundles(&self, bundles: &[ProtectionBundle], audit: &AuditEntry) -> StoreResult<usize>;
    async fn protection_file(&self, id: i64) -> StoreResult<Option<ProtectionFile>>;
    async fn protection_file_by_reference(&self, reference: &str) -> StoreResult<Option<ProtectionFile>>;
    async fn update_protection_file(
        &self,
        id: i64,
        input: &ProtectionFileInput,
        audit: &AuditEntry,
    ) -> StoreResult<ProtectionFile>;
    /// Moves a file to `status` (the domain checked the transition and reason);
    /// closing it resolves its open alerts.
    async fn transition_protection_file(
        &self,
        id: i64,
        status: FileStatus,
        reason: &str,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Replaces the team (at least one user; `Constraint` for an unknown user).
    async fn set_protection_team(&self, id: i64, user_ids: &[i64], audit: &AuditEntry) -> StoreResult<()>;
    /// Links a monitoring person (`Constraint` if there is none).
    async fn link_protection_person(&self, id: i64, person_id: i64, audit: &AuditEntry) -> StoreResult<()>;
    /// Links a monitoring case (`Constraint` if there is none).
    async fn link_protection_case(&self, id: i64, case_id: i64, audit: &AuditEntry) -> StoreResult<()>;
    /// Files in the filter's scope, most urgent first (open alerts, level, latest change).
    async fn list_protection_files(&self, f: &ProtectionFileFilter) -> StoreResult<Vec<ProtectionFileSummary>>;
    async fn count_protection_files(&self, f: &ProtectionFileFilter) -> StoreResult<i64>;
    /// Everything the file page shows.
    async fn protection_records(&self, id: i64) -> StoreResult<ProtectionRecords>;
    /// Files a case is linked to (the ids only; the caller filters by scope).
    async fn protection_files_of_case(&self, case_id: i64) -> StoreResult<Vec<i64>>;
}

/// Threats, assessments, measures and check-ins of a file.
#[async_trait]
pub trait ProtectionRecordStore {
    /// `Constraint` for an unknown organisation or act.
    async fn add_threat(&self, file_id: i64, new: &NewThreat<'_>, audit: &AuditEntry) -> StoreResult<Threat>;
    /// Records an assessment; the file takes its level and reassessment
    /// date, and its open "reassessment overdue" alerts are resolved.
    async fn add_risk_assessment(
        &self,
        file_id: i64,
        new: &NewAssessment<'_>,
        audit: &AuditEntry,
    ) -> StoreResult<RiskAssessment>;
    /// Records a measure, and for an appeal or letter the monitoring
    /// intervention on the linked case, in one transaction.
    async fn add_measure(&self, file_id: i64, new: &NewMeasure<'_>, audit: &AuditEntry) -> StoreResult<Measure>;
    /// Changes a measure; a new review date or a closed measure resolves its open alert.
    async fn update_measure(
        &self,
        file_id: i64,
        measure_id: i64,
        new: &NewMeasure<'_>,
        audit: &AuditEntry,
    ) -> StoreResult<Measure>;
    /// Sets (or with `None` stops) the check-in schedule; the next check-in
    /// is due one interval after the later of the last one that reached the
    /// person and `plan.starts_at`.
    async fn set_checkin_plan(&self, file_id: i64, plan: Option<&CheckinPlan>, audit: &AuditEntry) -> StoreResult<()>;
    /// Records a check-in. One that reached the person moves the next due
    /// time and resolves the open missed-check-in alerts.
    async fn record_checkin(
        &self,
        file_id: i64,
        input: &CheckinInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<Checkin>;
}

/// The alerts: what the scheduler raises, who sees and acknowledges them, what was e-mailed.
#[async_trait]
pub trait AlertStore {
    /// One pass of the scheduler at `now` (Unix seconds): raises an alert
    /// for every missed check-in, escalation, overdue reassessment and
    /// measure past its review date that has none yet. Safe to run on every
    /// node at once: on PostgreSQL one pass at a time holds the scheduler
    /// lock and the others skip; the alerts' unique key does the rest.
    async fn scan_alerts(&self, now: i64) -> StoreResult<ScanOutcome>;
    async fn alerts(&self, f: &AlertFilter) -> StoreResult<Vec<Alert>>;
    async fn count_alerts(&self, f: &AlertFilter) -> StoreResult<i64>;
    async fn alert(&self, id: i64) -> StoreResult<Option<Alert>>;
    /// Acknowledges an open alert with a note (`NotFound` if it is not open).
    async fn acknowledge_alert(&self, id: i64, by: i64, note: &str, audit: &AuditEntry) -> StoreResult<()>;
    /// Takes up to `limit` open alerts nobody has e-mailed yet and marks
    /// them sent, so no other pass or node sends them again.
    async fn claim_unsent_alerts(&self, now: i64, limit: i64) -> StoreResult<Vec<Alert>>;
    /// Records how many people an alert went to.
    async fn set_alert_emailed(&self, id: i64, recipients: i64) -> StoreResult<()>;
    /// Gives a claimed alert back when nothing could be sent (the SMTP server
    /// was down): the next pass tries again.
    async fn release_alert_claim(&self, id: i64) -> StoreResult<()>;
    /// The team of the alert's file and, for an escalation, the heads of its office (active accounts).
    async fn alert_recipients(&self, id: i64) -> StoreResult<Vec<AlertRecipient>>;
}

/// Protection as a whole.
pub trait ProtectionStore: ProtectionFileStore + ProtectionRecordStore + AlertStore {}

impl<T: ProtectionFileStore + ProtectionRecordStore + AlertStore> ProtectionStore for T {}

/// The two values a scope binds in SQL: the user, and the office they head
/// (0, an id no office has, when they head none).
pub fn scope_params(scope: &ProtectionScope) -> (i64, i64) {
    (scope.user_id, scope.head_of_office.unwrap_or(0))
}
