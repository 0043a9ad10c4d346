//! Storage of rightsdesk: the traits every backend implements, the records
//! they exchange, errors, the database URL that picks a backend, the embedded
//! reference data, and the conformance suite that every backend must pass.
//!
//! The traits are small and per area (offices, users, sessions, ...) and are
//! composed into [`Store`]; each line of work adds its own trait in its own
//! module as it lands.

pub mod audit;
pub mod conformance;
pub mod error;
pub mod mechanisms;
pub mod model;
pub mod monitoring;
pub mod reference;
pub mod settings;

pub use error::{StoreError, StoreResult};
pub use mechanisms::{
    Assessment, Cluster, FacetCount, ImplementationAction, ImportOutcome, Indicator, Mechanism, ProgressDimension,
    ProgressRow, ProgressUpdate, Recommendation, RecommendationFacets, RecommendationFilter, ReportingEvent,
    TreatyCommitment,
};
pub use model::*;
pub use monitoring::{
    Act, BundleAct, Case, CaseBundle, CaseCursor, CaseFilter, CaseRecords, CaseSort, CaseSummary, CustodyEntry,
    Evidence, FollowUp, Intervention, NewAct, NewCase, NewEvidence, NewOrganisation, Organisation, PersonMatch,
    PersonRecord, SealedIdentity, Source, StatusChange,
};
pub use reference::ReferenceData;
pub use settings::{Backend, DatabaseUrl};

use async_trait::async_trait;
use rightsdesk_domain::reference::{
    Article, Commune, District, Instrument, Province, Ratification, SdgGoal, SdgTarget,
};
use rightsdesk_domain::{Locale, Role};

/// Time in microseconds since the Unix epoch; every timestamp column uses it
/// so both backends store and return exactly the same value.
pub fn now_micros() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1000) as i64
}

#[async_trait]
pub trait OfficeStore {
    async fn list_offices(&self) -> StoreResult<Vec<Office>>;
    async fn office_by_code(&self, code: &str) -> StoreResult<Option<Office>>;
    async fn create_office(&self, new: &NewOffice, audit: &AuditEntry) -> StoreResult<Office>;
}

#[async_trait]
pub trait UserStore {
    async fn create_user(&self, new: &NewUser, audit: &AuditEntry) -> StoreResult<User>;
    async fn user_by_id(&self, id: i64) -> StoreResult<Option<User>>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>>;
    async fn list_users(&self) -> StoreResult<Vec<User>>;
    async fn count_users(&self) -> StoreResult<i64>;
    /// Changes role, office and name of an account.
    /// `organisation_id` is the institution of a focal point (required for
    /// that role, refused for the others by a CHECK constraint).
    async fn update_user(
        &self,
        id: i64,
        name: &str,
        role: Role,
        office_id: i64,
        organisation_id: Option<i64>,
        audit: &AuditEntry,
    ) -> StoreResult<User>;
    /// Disabling also ends the user's sessions and revokes their API tokens.
    async fn set_user_disabled(&self, id: i64, disabled: bool, audit: &AuditEntry) -> StoreResult<()>;
    async fn set_password_hash(&self, id: i64, hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    async fn set_preferences(&self, id: i64, locale: Locale, khmer_digits: bool, audit: &AuditEntry)
        -> StoreResult<()>;
    /// Stores (or clears) the encrypted TOTP secret.
    async fn set_totp_secret(&self, id: i64, secret: Option<&[u8]>, audit: &AuditEntry) -> StoreResult<()>;
    /// Takes one sign-in attempt (password or second-factor code) before it
    /// is checked: counts it, and locks the account until `now + lock_micros`
    /// once `threshold` attempts have not ended in a completed sign-in.
    /// `None` when the account is locked: the attempt must not be checked.
    /// Atomic, so parallel guesses cannot slip past the count.
    async fn claim_login_attempt(
        &self,
        id: i64,
        now: i64,
        threshold: i64,
        lock_micros: i64,
    ) -> StoreResult<Option<LoginThrottle>>;
    /// A completed sign-in: clears the attempt count and the lock.
    async fn record_successful_login(&self, id: i64, now: i64, audit: &AuditEntry) -> StoreResult<()>;
    /// Accepts a TOTP time step once: false when this step (or a later one)
    /// was already used, so a code cannot be replayed.
    async fn use_totp_step(&self, id: i64, step: i64) -> StoreResult<bool>;
}

#[async_trait]
pub trait SessionStore {
    async fn create_session(&self, new: &NewSession) -> StoreResult<()>;
    async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRecord>>;
    /// The session and its user in one round trip: every page asks for both.
    async fn session_user(&self, id_hash: &str) -> StoreResult<Option<(SessionRecord, User)>>;
    async fn touch_session(&self, id_hash: &str, now: i64) -> StoreResult<()>;
    /// Marks the session fully signed in and records the completed sign-in
    /// (attempt count cleared, last sign-in time, audit event) in one transaction.
    async fn complete_second_factor(
        &self,
        id_hash: &str,
        user_id: i64,
        now: i64,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    async fn delete_user_sessions(&self, user_id: i64) -> StoreResult<()>;
    /// Ends every session (after a restore).
    async fn delete_all_sessions(&self) -> StoreResult<u64>;
    /// Removes sessions past their absolute expiry or idle since before `idle_before`.
    async fn purge_sessions(&self, now: i64, idle_before: i64) -> StoreResult<u64>;
}

#[async_trait]
pub trait TokenStore {
    async fn create_api_token(
        &self,
        user_id: i64,
        label: &str,
        token_hash: &str,
        audit: &AuditEntry,
    ) -> StoreResult<ApiToken>;
    /// The live (not revoked) token with this hash and its user.
    async fn api_token_user(&self, token_hash: &str, now: i64) -> StoreResult<Option<(ApiToken, User)>>;
    async fn list_api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiToken>>;
    /// Revokes one of the user's own tokens; false when there is none such.
    async fn revoke_api_token(&self, user_id: i64, token_id: i64, audit: &AuditEntry) -> StoreResult<bool>;
    /// Revokes every live token of one user, or of everyone with `None`.
    async fn revoke_api_tokens(&self, user_id: Option<i64>, audit: &AuditEntry) -> StoreResult<u64>;
}

#[async_trait]
pub trait AuditStore {
    /// Appends one event to the hash chain (reads of restricted records,
    /// sign-ins). Writes append their own event in their own transaction.
    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<AuditEvent>;
    /// Newest first, filtered, keyset-paginated by `before_seq`.
    async fn list_audit(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEvent>>;
    /// Oldest first, after `after_seq`, for verification and export.
    async fn audit_events_after(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<AuditEvent>>;
}

#[async_trait]
pub trait ChangeLogStore {
    async fn changes_since(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<Change>>;
    /// The sequence number of the newest change of one table (0 when none):
    /// whatever is computed from that table and kept with this number is
    /// still right while it has not moved.
    async fn latest_change_seq(&self, table_name: &str) -> StoreResult<i64>;
}

#[async_trait]
pub trait ReferenceStore {
    async fn reference_loaded(&self) -> StoreResult<bool>;
    /// Loads (or refreshes) every reference table in one transaction.
    async fn load_reference(&self, data: &ReferenceData, audit: &AuditEntry) -> StoreResult<ReferenceCounts>;
    async fn reference_counts(&self) -> StoreResult<ReferenceCounts>;
    async fn provinces(&self) -> StoreResult<Vec<Province>>;
    async fn province(&self, code: &str) -> StoreResult<Option<Province>>;
    async fn districts(&self, province_code: &str) -> StoreResult<Vec<District>>;
    async fn district(&self, code: &str) -> StoreResult<Option<District>>;
    async fn communes(&self, district_code: &str) -> StoreResult<Vec<Commune>>;
    async fn instruments(&self) -> StoreResult<Vec<Instrument>>;
    async fn instrument(&self, code: &str) -> StoreResult<Option<Instrument>>;
    async fn articles(&self, instrument_code: &str) -> StoreResult<Vec<Article>>;
    async fn ratifications(&self, state: &str) -> StoreResult<Vec<Ratification>>;
    /// Adds or replaces the status of States under instruments (other
    /// States than Cambodia come from an import); the count written.
    async fn import_ratifications(&self, rows: &[Ratification], audit: &AuditEntry) -> StoreResult<usize>;
    /// The States with a known status, by name.
    async fn ratification_states(&self) -> StoreResult<Vec<String>>;
    async fn sdg_goals(&self) -> StoreResult<Vec<SdgGoal>>;
    async fn sdg_targets(&self, goal: i64) -> StoreResult<Vec<SdgTarget>>;
    /// Adds or refreshes vocabularies and their terms in one transaction
    /// (terms already used by acts stay); returns how many terms were written.
    async fn import_vocabularies(
        &self,
        vocabularies: &[rightsdesk_domain::vocabulary::Vocabulary],
        audit: &AuditEntry,
    ) -> StoreResult<i64>;
    async fn vocabularies(&self) -> StoreResult<Vec<VocabularySummary>>;
    /// The terms of a vocabulary in tree order (by sort order within level).
    async fn vocabulary_terms(&self, code: &str) -> StoreResult<Vec<rightsdesk_domain::vocabulary::VocabularyTerm>>;
}

#[async_trait]
pub trait MonitoringStore {
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
    /// Records an act; its victims and perpetrators must be people of the
    /// same case, and its articles must exist (else `Constraint`).
    async fn add_act(&self, new: &NewAct, audit: &AuditEntry) -> StoreResult<Act>;
    async fn acts(&self, case_id: i64) -> StoreResult<Vec<Act>>;
    async fn create_organisation(&self, new: &NewOrganisation, audit: &AuditEntry) -> StoreResult<Organisation>;
    async fn organisations(&self) -> StoreResult<Vec<Organisation>>;
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
    /// People with this name key in other cases the scope may see.
    async fn person_matches(
        &self,
        name_bidx: &str,
        scope: &rightsdesk_domain::CaseScope,
        except_case: i64,
    ) -> StoreResult<Vec<PersonMatch>>;
}

#[async_trait]
pub trait MechanismsStore {
    async fn mechanisms(&self) -> StoreResult<Vec<Mechanism>>;
    /// Adds a mechanism (a special procedure mandate, say); `Conflict` if the code is taken.
    async fn create_mechanism(
        &self,
        m: &rightsdesk_domain::mechanisms::MechanismFields,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Adds new recommendations and updates changed ones (same `source_key`)
    /// in one transaction, with one audit event for the whole import.
    /// `progress` is told how many rows are done as the writing goes on;
    /// with `dry_run` everything is checked and counted, then rolled back.
    async fn import_recommendations(
        &self,
        rows: &[rightsdesk_domain::mechanisms::RecommendationInput],
        audit: &AuditEntry,
        dry_run: bool,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<ImportOutcome>;
    async fn recommendations(&self, f: &RecommendationFilter) -> StoreResult<Vec<Recommendation>>;
    async fn recommendation_facets(&self, f: &RecommendationFilter) -> StoreResult<RecommendationFacets>;
    async fn recommendation(&self, id: i64) -> StoreResult<Option<Recommendation>>;
    /// Records an assessment; the recommendation's status becomes that of
    /// its latest assessment (by date assessed, then by entry).
    async fn add_assessment(
        &self,
        recommendation_id: i64,
        input: &rightsdesk_domain::mechanisms::AssessmentInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<Assessment>;
    async fn assessments(&self, recommendation_id: i64) -> StoreResult<Vec<Assessment>>;
    async fn link_case(&self, recommendation_id: i64, case_id: i64, by: i64, audit: &AuditEntry) -> StoreResult<()>;
    async fn unlink_case(&self, recommendation_id: i64, case_id: i64, audit: &AuditEntry) -> StoreResult<()>;
    /// The linked cases this scope may see; the others are not counted either.
    async fn linked_cases(
        &self,
        recommendation_id: i64,
        scope: &rightsdesk_domain::CaseScope,
    ) -> StoreResult<Vec<CaseSummary>>;
    async fn case_recommendations(&self, case_id: i64) -> StoreResult<Vec<Recommendation>>;
    async fn set_institutions(
        &self,
        recommendation_id: i64,
        organisation_ids: &[i64],
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    async fn institutions(&self, recommendation_id: i64) -> StoreResult<Vec<Organisation>>;
    /// Replaces what the office adds to a recommendation (themes, SDG
    /// targets, groups, cluster, institutions) in one transaction.
    async fn update_recommendation_details(
        &self,
        id: i64,
        details: &rightsdesk_domain::mechanisms::RecommendationDetails,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    async fn clusters(&self) -> StoreResult<Vec<Cluster>>;
    /// Counts by implementation status of the filtered recommendations,
    /// grouped by `dimension`, largest groups first (at most 60).
    async fn recommendation_progress(
        &self,
        dimension: ProgressDimension,
        f: &RecommendationFilter,
    ) -> StoreResult<Vec<ProgressRow>>;
    /// A focal point's report on a recommendation of their institution.
    async fn submit_progress_update(
        &self,
        recommendation_id: i64,
        organisation_id: i64,
        by: i64,
        status: rightsdesk_domain::mechanisms::ImplementationStatus,
        text: &str,
        audit: &AuditEntry,
    ) -> StoreResult<ProgressUpdate>;
    /// The updates on one recommendation, newest first; only those of one
    /// institution when `organisation_id` is set.
    async fn progress_updates(
        &self,
        recommendation_id: i64,
        organisation_id: Option<i64>,
    ) -> StoreResult<Vec<ProgressUpdate>>;
    /// Updates waiting for the office, oldest first.
    async fn pending_progress_updates(&self) -> StoreResult<Vec<ProgressUpdate>>;
    async fn progress_update(&self, id: i64) -> StoreResult<Option<ProgressUpdate>>;
    /// Accepts an update (it becomes an assessment dated `on`, and the
    /// recommendation's status follows) or sends it back with a comment.
    /// `Conflict` if it was already reviewed.
    async fn review_progress_update(
        &self,
        id: i64,
        accept: bool,
        comment: &str,
        on: &str,
        reviewer: i64,
        audit: &AuditEntry,
    ) -> StoreResult<ProgressUpdate>;
    /// Implementation actions, by due date (undated last).
    async fn actions(&self) -> StoreResult<Vec<ImplementationAction>>;
    async fn action(&self, id: i64) -> StoreResult<Option<ImplementationAction>>;
    async fn create_action(
        &self,
        input: &rightsdesk_domain::mechanisms::ActionInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<ImplementationAction>;
    async fn update_action(
        &self,
        id: i64,
        input: &rightsdesk_domain::mechanisms::ActionInput,
        audit: &AuditEntry,
    ) -> StoreResult<ImplementationAction>;
    async fn add_indicator(
        &self,
        action_id: i64,
        fields: &rightsdesk_domain::mechanisms::IndicatorFields,
        audit: &AuditEntry,
    ) -> StoreResult<Indicator>;
    /// Records where an indicator stands now.
    async fn update_indicator(
        &self,
        action_id: i64,
        indicator_id: i64,
        current: &str,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    async fn link_action(&self, action_id: i64, recommendation_id: i64, audit: &AuditEntry) -> StoreResult<()>;
    async fn recommendation_actions(&self, recommendation_id: i64) -> StoreResult<Vec<ImplementationAction>>;
    /// Links an intervention (a letter, a meeting, ...) to a recommendation it raises.
    async fn link_intervention(
        &self,
        recommendation_id: i64,
        intervention_id: i64,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// The interventions linked to a recommendation whose cases this scope may see.
    async fn recommendation_interventions(
        &self,
        recommendation_id: i64,
        scope: &rightsdesk_domain::CaseScope,
    ) -> StoreResult<Vec<Intervention>>;
    /// The recommendations each intervention of a case raises: (intervention id, recommendation).
    async fn case_intervention_recommendations(&self, case_id: i64) -> StoreResult<Vec<(i64, Recommendation)>>;
    async fn treaty_commitments(&self, state: &str) -> StoreResult<Vec<TreatyCommitment>>;
    async fn set_treaty_commitment(
        &self,
        instrument_code: &str,
        state: &str,
        fields: &rightsdesk_domain::reference::CommitmentFields,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    /// Every date of the reporting calendar, by due date.
    async fn reporting_events(&self) -> StoreResult<Vec<ReportingEvent>>;
    async fn add_reporting_event(
        &self,
        input: &rightsdesk_domain::mechanisms::ReportingEventInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<ReportingEvent>;
    /// Marks a date `open`, `done` (on `done_on`) or `lapsed`.
    async fn set_reporting_event_status(
        &self,
        id: i64,
        status: &str,
        done_on: Option<&str>,
        audit: &AuditEntry,
    ) -> StoreResult<ReportingEvent>;
    /// Starts a user's calendar feed under a new token (by its hash); an
    /// earlier feed of the user stops working.
    async fn create_calendar_feed(&self, user_id: i64, token_hash: &str, audit: &AuditEntry) -> StoreResult<()>;
    async fn revoke_calendar_feeds(&self, user_id: i64, audit: &AuditEntry) -> StoreResult<()>;
    /// The user of a live feed token.
    async fn calendar_feed_user(&self, token_hash: &str) -> StoreResult<Option<i64>>;
    async fn has_calendar_feed(&self, user_id: i64) -> StoreResult<bool>;
}

#[async_trait]
pub trait MaintenanceStore {
    fn backend(&self) -> Backend;
    /// Answers when the database is reachable (for `/healthz`).
    async fn ping(&self) -> StoreResult<()>;
    async fn migrate(&self) -> StoreResult<()>;
    /// Refreshes the planner's statistics (`ANALYZE`), after a bulk load:
    /// until then the planner guesses from an empty or much smaller table.
    async fn analyze(&self) -> StoreResult<()>;
    /// Every stored ciphertext of one encrypted column, for key rotation.
    async fn encrypted_values(&self, field: EncryptedField) -> StoreResult<Vec<(i64, Vec<u8>)>>;
    /// Replaces one ciphertext if it is still `old` (compare-and-swap).
    async fn replace_encrypted_value(
        &self,
        field: EncryptedField,
        id: i64,
        old: &[u8],
        new: &[u8],
    ) -> StoreResult<bool>;
    /// A consistent copy of the whole database while it is in use.
    async fn backup_to(&self, path: &std::path::Path) -> StoreResult<()>;
    async fn close(&self);
}

/// Everything a backend provides.
pub trait Store:
    OfficeStore
    + UserStore
    + SessionStore
    + TokenStore
    + AuditStore
    + ChangeLogStore
    + ReferenceStore
    + MonitoringStore
    + MechanismsStore
    + MaintenanceStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: OfficeStore
        + UserStore
        + SessionStore
        + TokenStore
        + AuditStore
        + ChangeLogStore
        + ReferenceStore
        + MonitoringStore
        + MechanismsStore
        + MaintenanceStore
        + Send
        + Sync
        + 'static
{
}

/// Seed offices present in every installation.
pub fn seed_offices() -> Vec<NewOffice> {
    vec![
        NewOffice {
            code: "PNH".into(),
            name_en: "Phnom Penh (head office)".into(),
            name_km: "ភ្នំពេញ (ការិយាល័យកណ្តាល)".into(),
        },
        NewOffice {
            code: "BTB".into(),
            name_en: "Battambang (regional office)".into(),
            name_km: "បាត់ដំបង (ការិយាល័យតំបន់)".into(),
        },
    ]
}
