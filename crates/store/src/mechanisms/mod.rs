//! Records of the mechanisms module: UN mechanisms, their recommendations,
//! assessments of implementation, and links to cases and institutions.

mod records;

pub use records::*;

use crate::*;
use async_trait::async_trait;

/// Mechanisms: treaty bodies, the UPR, special procedures.
#[async_trait]
pub trait MechanismStore {
    async fn mechanisms(&self) -> StoreResult<Vec<Mechanism>>;
    /// Adds a mechanism (a special procedure mandate, say); `Conflict` if the code is taken.
    async fn create_mechanism(
        &self,
        m: &rightsdesk_domain::mechanisms::MechanismFields,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
}

/// Recommendations: import, list, facets, details, progress counts.
#[async_trait]
pub trait RecommendationStore {
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
}

/// Assessments of how a recommendation is implemented.
#[async_trait]
pub trait AssessmentStore {
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
}

/// What a recommendation is linked to: cases, institutions, interventions.
#[async_trait]
pub trait RecommendationLinkStore {
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
}

/// Progress updates from focal points and their review.
#[async_trait]
pub trait ProgressUpdateStore {
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
}

/// Implementation actions and their indicators.
#[async_trait]
pub trait ActionStore {
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
}

/// The state's treaty commitments.
#[async_trait]
pub trait TreatyStore {
    async fn treaty_commitments(&self, state: &str) -> StoreResult<Vec<TreatyCommitment>>;
    async fn set_treaty_commitment(
        &self,
        instrument_code: &str,
        state: &str,
        fields: &rightsdesk_domain::reference::CommitmentFields,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
}

/// The reporting calendar and its feeds.
#[async_trait]
pub trait CalendarStore {
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

/// What a backend stores for this line of work: one small trait per resource.
pub trait MechanismsStore:
    MechanismStore
    + RecommendationStore
    + AssessmentStore
    + RecommendationLinkStore
    + ProgressUpdateStore
    + ActionStore
    + TreatyStore
    + CalendarStore
{
}

impl<
        T: MechanismStore
            + RecommendationStore
            + AssessmentStore
            + RecommendationLinkStore
            + ProgressUpdateStore
            + ActionStore
            + TreatyStore
            + CalendarStore,
    > MechanismsStore for T
{
}
