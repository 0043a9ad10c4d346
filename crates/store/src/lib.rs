//! Storage of rightsdesk: the traits every backend implements, the records
//! they exchange, errors, the database URL that picks a backend, the embedded
//! reference data, and (feature `conformance`) the suite every backend must pass.
//!
//! The traits are small and per area (offices, users, sessions, ... in
//! `platform.rs`) and are composed into [`Store`]; each line of work has its
//! trait in its own module (`monitoring::MonitoringStore`, ...).

pub mod audit;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod engagement;
pub mod error;
pub mod legislation;
pub mod mechanisms;
pub mod model;
pub mod monitoring;
pub mod platform;
pub mod protection;
pub mod reference;
pub mod settings;

pub use engagement::{ContactStore, DirectoryStore, EngagementStore, MeetingStore};
pub use error::{StoreError, StoreResult};
pub use legislation::{LawCommentStore, LawStore, LawVersionStore, LegislationStore};
pub use mechanisms::{
    ActionStore, AssessmentStore, CalendarStore, MechanismStore, MechanismsStore, ProgressUpdateStore,
    RecommendationLinkStore, RecommendationStore, TreatyStore,
};
pub use mechanisms::{
    Assessment, Cluster, FacetCount, ImplementationAction, ImportOutcome, Indicator, Mechanism, ProgressDimension,
    ProgressRow, ProgressUpdate, Recommendation, RecommendationFacets, RecommendationFilter, ReportingEvent,
    TreatyCommitment,
};
pub use model::*;
pub use monitoring::{
    Act, BundleAct, Case, CaseBundle, CaseCursor, CaseFilter, CaseRecords, CaseSort, CaseSummary, CustodyEntry,
    Evidence, FollowUp, Intervention, NewAct, NewCase, NewEvidence, NewOrganisation, Organisation, PersonMatch,
    PersonRecord, SealedIdentity, Source, StaffMember, StatusChange,
};
pub use monitoring::{
    ActStore, CaseStore, EvidenceStore, InterventionStore, MonitoringStore, OrganisationStore, PersonStore, SourceStore,
};
pub use platform::{
    AuditStore, ChangeLogStore, MaintenanceStore, OfficeStore, ReferenceStore, SessionStore, TokenStore, UserStore,
};
pub use protection::{AlertStore, ProtectionFileStore, ProtectionRecordStore, ProtectionStore};
pub use reference::ReferenceData;
pub use settings::{Backend, DatabaseUrl};

/// Time in microseconds since the Unix epoch; every timestamp column uses it
/// so both backends store and return exactly the same value.
pub fn now_micros() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1000) as i64
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
    + ProtectionStore
    + LegislationStore
    + EngagementStore
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
        + ProtectionStore
        + LegislationStore
        + EngagementStore
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
