//! Records of the monitoring line of work.

mod records;

pub use records::*;

use crate::*;
use async_trait::async_trait;

/// Cases: opening, the list, status, team, and one case with its records.
#[async_trait]
pub trait CaseStore {
    /// A case's history, people, acts, interventions, sources and evidence,
    /// as the single reads give them, in one round trip. Ask only after the
    /// policy allowed the case (`case` first).
    async fn case_records(&self, case_id: i64) -> StoreResult<CaseRecords>;
    /// Opens a case with the next reference number of its office and year,
    /// its first team, and its first status, in one transaction.
    async fn create_case(&self, new: &NewCase, audit: &AuditEntry) -> StoreResult<Case>;
    /// Opens many cases in one transaction: all of them, or none.
    async fn import_cases(&self, cases: &[NewCase], audit: &AuditEntry) -> StoreResult<Vec<String>>;
    /// Writes whole cases (people, acts, status walk, interventions) in one
    /// transaction: all of them or none. Two audit events per case (opened;
    /// what else the bundle held). Returns
    /// the new case ids in order.
    async fn insert_case_bundles(
        &self,
        bundles: &[CaseBundle],
        keys: &rightsdesk_crypto::Keyring,
        audit: &AuditEntry,
    ) -> StoreResult<Vec<i64>>;
    async fn case(&self, id: i64) -> StoreResult<Option<Case>>;
    /// The case with this reference number (`PNH-2026-0001`).
    async fn case_by_reference(&self, reference: &str) -> StoreResult<Option<Case>>;
    async fn update_case(
        &self,
        id: i64,
        input: &rightsdesk_domain::monitoring::CaseInput,
        audit: &AuditEntry,
    ) -> StoreResult<Case>;
    /// Moves a case from `from` to `to` if it is still at `from` (two people
    /// acting at once cannot both move it); false when it was not.
    async fn transition_case(
        &self,
        id: i64,
        from: rightsdesk_domain::monitoring::CaseStatus,
        to: rightsdesk_domain::monitoring::CaseStatus,
        reason: &str,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<bool>;
    async fn set_case_team(&self, id: i64, user_ids: &[i64], audit: &AuditEntry) -> StoreResult<()>;
    async fn case_history(&self, id: i64) -> StoreResult<Vec<StatusChange>>;
    /// In the filter's order, only within the filter's scope.
    async fn list_cases(&self, filter: &CaseFilter) -> StoreResult<Vec<CaseSummary>>;
    /// How many cases match, within the filter's scope (paging ignored);
    /// at most `count_cap + 1` when the filter has a cap.
    async fn count_cases(&self, filter: &CaseFilter) -> StoreResult<i64>;
}

/// People of a case, their sealed identities and name matches.
#[async_trait]
pub trait PersonStore {
    /// Adds a person to a case with the next code of their role (V1, V2, ...);
    /// identifying fields are sealed with `keys` once the record has its id,
    /// in the same transaction.
    async fn add_person(
        &self,
        case_id: i64,
        profile: &rightsdesk_domain::monitoring::PersonProfile,
        identity: &rightsdesk_domain::monitoring::PersonIdentity,
        keys: &rightsdesk_crypto::Keyring,
        audit: &AuditEntry,
    ) -> StoreResult<PersonRecord>;
    async fn persons(&self, case_id: i64) -> StoreResult<Vec<PersonRecord>>;
    /// People with this name key in other cases the scope may see.
    async fn person_matches(
        &self,
        name_bidx: &str,
        scope: &rightsdesk_domain::CaseScope,
        except_case: i64,
    ) -> StoreResult<Vec<PersonMatch>>;
}

/// Acts (violations) of a case.
#[async_trait]
pub trait ActStore {
    /// Records an act; its victims and perpetrators must be people of the
    /// same case, and its articles must exist (else `Constraint`).
    async fn add_act(&self, new: &NewAct, audit: &AuditEntry) -> StoreResult<Act>;
    async fn acts(&self, case_id: i64) -> StoreResult<Vec<Act>>;
}

/// Organisations that interventions address.
#[async_trait]
pub trait OrganisationStore {
    async fn create_organisation(&self, new: &NewOrganisation, audit: &AuditEntry) -> StoreResult<Organisation>;
    async fn organisations(&self) -> StoreResult<Vec<Organisation>>;
}

/// Interventions with the authorities and the follow-ups they are due.
#[async_trait]
pub trait InterventionStore {
    /// Records an intervention on a case (the organisation must exist).
    async fn add_intervention(
        &self,
        case_id: i64,
        input: &rightsdesk_domain::monitoring::intervention::InterventionInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<Intervention>;
    async fn update_intervention(
        &self,
        id: i64,
        input: &rightsdesk_domain::monitoring::intervention::InterventionInput,
        audit: &AuditEntry,
    ) -> StoreResult<Intervention>;
    async fn intervention(&self, id: i64) -> StoreResult<Option<Intervention>>;
    async fn interventions(&self, case_id: i64) -> StoreResult<Vec<Intervention>>;
    /// Open interventions whose next follow-up is on or before `until`
    /// (ISO day), on cases the scope may see; `assigned_to` limits them to
    /// one user's cases. Earliest first.
    async fn follow_ups_due(
        &self,
        scope: &rightsdesk_domain::CaseScope,
        assigned_to: Option<i64>,
        until: &str,
        limit: i64,
    ) -> StoreResult<Vec<FollowUp>>;
}

/// Sources of a case and their informed consent.
#[async_trait]
pub trait SourceStore {
    /// Records what a source gave; `person_code` must be a source of the case.
    async fn add_source(
        &self,
        case_id: i64,
        input: &rightsdesk_domain::monitoring::source::SourceInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<Source>;
    async fn sources(&self, case_id: i64) -> StoreResult<Vec<Source>>;
    async fn source(&self, id: i64) -> StoreResult<Option<Source>>;
    /// Records that consent was withdrawn on `day`; false if it already was.
    async fn withdraw_consent(&self, id: i64, day: &str, note: &str, audit: &AuditEntry) -> StoreResult<bool>;
}

/// Evidence files and their chain of custody.
#[async_trait]
pub trait EvidenceStore {
    /// Records an uploaded file (already stored under its hash) with its
    /// first custody entry; the file name is sealed with `keys`.
    async fn add_evidence(
        &self,
        new: &NewEvidence,
        keys: &rightsdesk_crypto::Keyring,
        audit: &AuditEntry,
    ) -> StoreResult<Evidence>;
    async fn evidence(&self, id: i64) -> StoreResult<Option<Evidence>>;
    async fn case_evidence(&self, case_id: i64) -> StoreResult<Vec<Evidence>>;
    /// Whether any evidence record refers to this content (before a stored
    /// file may be removed).
    async fn evidence_hash_in_use(&self, sha256: &str) -> StoreResult<bool>;
    /// Every distinct file content the evidence records refer to (what a
    /// backup must carry besides the database).
    async fn evidence_hashes(&self) -> StoreResult<Vec<String>>;
    /// Appends to the chain of custody (and the audit chain).
    async fn add_custody(
        &self,
        evidence_id: i64,
        user_id: i64,
        action: &str,
        note: &str,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    async fn custody(&self, evidence_id: i64) -> StoreResult<Vec<CustodyEntry>>;
}

/// What a backend stores for this line of work: one small trait per resource.
pub trait MonitoringStore:
    CaseStore + PersonStore + ActStore + OrganisationStore + InterventionStore + SourceStore + EvidenceStore
{
}

impl<T: CaseStore + PersonStore + ActStore + OrganisationStore + InterventionStore + SourceStore + EvidenceStore>
    MonitoringStore for T
{
}
