//! The storage traits of the platform: offices, users, sessions, tokens, the
//! audit log, the change log, reference data and maintenance.

use crate::*;
use async_trait::async_trait;
use rightsdesk_domain::reference::{
    Article, Commune, District, Instrument, Province, Ratification, SdgGoal, SdgTarget,
};
use rightsdesk_domain::{Locale, Role};

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
