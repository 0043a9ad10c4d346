//! Records of the engagement module: the stakeholder directory
//! (organisations with their kind, parent, province and relations), the
//! office's contacts there (a civil society contact's name and details
//! sealed per field), and the dialogue log with its follow-up actions.

mod records;

pub use records::*;

use crate::*;
use async_trait::async_trait;
use rightsdesk_domain::engagement::{ContactInput, MeetingActionInput, OrganisationInput, RelationKind};

/// The directory: organisations and how they relate.
#[async_trait]
pub trait DirectoryStore {
    /// `Conflict` when the English name is taken; `Constraint` for an
    /// unknown parent or province.
    async fn create_stakeholder(&self, input: &OrganisationInput, audit: &AuditEntry) -> StoreResult<Stakeholder>;
    /// As `create_stakeholder`; `Constraint` too when the parent would make
    /// a loop (an organisation inside itself).
    async fn update_stakeholder(
        &self,
        id: i64,
        input: &OrganisationInput,
        audit: &AuditEntry,
    ) -> StoreResult<Stakeholder>;
    async fn stakeholder(&self, id: i64) -> StoreResult<Option<Stakeholder>>;
    /// By name (English, then Khmer).
    async fn list_stakeholders(&self, f: &StakeholderFilter) -> StoreResult<Vec<Stakeholder>>;
    async fn count_stakeholders(&self, f: &StakeholderFilter) -> StoreResult<i64>;
    /// How many organisations of the filter (its kind aside) are of each kind.
    async fn count_stakeholders_by_kind(
        &self,
        f: &StakeholderFilter,
    ) -> StoreResult<Vec<(rightsdesk_domain::engagement::StakeholderKind, i64)>>;
    /// `Constraint` for an unknown organisation; twice changes nothing.
    async fn relate(&self, from: i64, kind: RelationKind, to: i64, audit: &AuditEntry) -> StoreResult<()>;
    async fn unrelate(&self, from: i64, kind: RelationKind, to: i64, audit: &AuditEntry) -> StoreResult<()>;
    /// Interventions addressed to it, recommendations it is responsible
    /// for, the organisations inside it and its relations.
    async fn organisation_links(&self, id: i64) -> StoreResult<OrganisationLinks>;
}

/// The office's contacts at organisations.
#[async_trait]
pub trait ContactStore {
    /// Seals the identity when `identifying` (with `keys`, once the record
    /// has its id, in the same transaction). `Constraint` for an unknown
    /// organisation.
    async fn add_contact(
        &self,
        office_id: i64,
        input: &ContactInput,
        identifying: bool,
        keys: &rightsdesk_crypto::Keyring,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<ContactRecord>;
    async fn update_contact(
        &self,
        id: i64,
        input: &ContactInput,
        identifying: bool,
        keys: &rightsdesk_crypto::Keyring,
        audit: &AuditEntry,
    ) -> StoreResult<ContactRecord>;
    async fn contact(&self, id: i64) -> StoreResult<Option<ContactRecord>>;
    async fn contacts_of(&self, organisation_id: i64) -> StoreResult<Vec<ContactRecord>>;
    async fn contacts_by_id(&self, ids: &[i64]) -> StoreResult<Vec<ContactRecord>>;
    /// Other contacts with this name key (the same person recorded twice).
    async fn contacts_named(&self, name_bidx: &str, except: i64) -> StoreResult<Vec<ContactRecord>>;
    /// Merges contact `from` into `into` (its meetings follow, `from` is
    /// removed). `Conflict` when the two are kept by different offices.
    async fn merge_contact(&self, from: i64, into: i64, audit: &AuditEntry) -> StoreResult<()>;
}

/// The dialogue log.
#[async_trait]
pub trait MeetingStore {
    /// `Constraint` naming the first unknown linked record.
    async fn create_meeting(&self, new: &NewMeeting<'_>, audit: &AuditEntry) -> StoreResult<Meeting>;
    async fn update_meeting(&self, id: i64, new: &NewMeeting<'_>, audit: &AuditEntry) -> StoreResult<Meeting>;
    async fn meeting(&self, id: i64) -> StoreResult<Option<Meeting>>;
    async fn list_meetings(&self, f: &MeetingFilter) -> StoreResult<Vec<Meeting>>;
    async fn count_meetings(&self, f: &MeetingFilter) -> StoreResult<i64>;
    /// `Constraint` for an unknown owner.
    async fn add_meeting_action(
        &self,
        meeting_id: i64,
        input: &MeetingActionInput,
        audit: &AuditEntry,
    ) -> StoreResult<MeetingAction>;
    /// Marks an action done on `on` (or open again with `None`).
    async fn set_meeting_action_done(
        &self,
        meeting_id: i64,
        action_id: i64,
        on: Option<&str>,
        audit: &AuditEntry,
    ) -> StoreResult<()>;
    async fn meeting_actions(&self, meeting_id: i64) -> StoreResult<Vec<MeetingAction>>;
    /// Open actions of one owner, soonest due first.
    async fn open_actions_of(&self, owner_id: i64) -> StoreResult<Vec<MeetingAction>>;
    /// Every open action (the calendar feed).
    async fn open_meeting_actions(&self) -> StoreResult<Vec<MeetingAction>>;
}

/// Engagement as a whole.
pub trait EngagementStore: DirectoryStore + ContactStore + MeetingStore {}

impl<T: DirectoryStore + ContactStore + MeetingStore> EngagementStore for T {}
