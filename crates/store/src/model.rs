//! Records exchanged with the storage backends.

use rightsdesk_domain::{Locale, Role};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Office {
    pub id: i64,
    pub code: String,
    pub name_en: String,
    pub name_km: String,
}

#[derive(Debug, Clone)]
pub struct NewOffice {
    pub code: String,
    pub name_en: String,
    pub name_km: String,
}

#[derive(Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub office_id: i64,
    pub office_code: String,
    pub locale: Locale,
    pub khmer_digits: bool,
    pub disabled: bool,
    pub password_hash: String,
    /// Encrypted with the field keyring (`users.totp_secret`).
    pub totp_secret: Option<Vec<u8>>,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
    /// The institution of a government focal point.
    pub organisation_id: Option<i64>,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets stay out of logs and panic messages.
        f.debug_struct("User").field("id", &self.id).field("role", &self.role).finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub office_id: i64,
    /// Required for a focal point, absent for everyone else.
    pub organisation_id: Option<i64>,
    pub locale: Locale,
    pub password_hash: String,
}

/// The state of an account's sign-in attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id_hash: String,
    pub user_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub second_factor_pending: bool,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub id_hash: String,
    pub user_id: i64,
    pub now: i64,
    pub expires_at: i64,
    pub second_factor_pending: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// What a write records in the audit chain. `record_id` may be left empty on
/// creation; the backend fills in the new record's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    /// What changed, without identifying data.
    pub summary: String,
}

impl AuditEntry {
    pub fn new(actor_id: Option<i64>, actor_label: impl Into<String>, action: impl Into<String>) -> Self {
        AuditEntry {
            actor_id,
            actor_label: actor_label.into(),
            action: action.into(),
            record_type: String::new(),
            record_id: String::new(),
            summary: String::new(),
        }
    }
    /// An entry for the system itself (start-up, seeding, the command line).
    pub fn system(action: impl Into<String>) -> Self {
        Self::new(None, "system", action)
    }
    pub fn record(mut self, record_type: impl Into<String>, record_id: impl ToString) -> Self {
        self.record_type = record_type.into();
        self.record_id = record_id.to_string();
        self
    }
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = summary.into();
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEvent {
    pub seq: i64,
    pub at_micros: i64,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    pub fn link(&self) -> rightsdesk_crypto::AuditLink<'_> {
        rightsdesk_crypto::AuditLink {
            seq: self.seq,
            at_micros: self.at_micros,
            actor_id: self.actor_id,
            actor_label: &self.actor_label,
            action: &self.action,
            record_type: &self.record_type,
            record_id: &self.record_id,
            summary: &self.summary,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    /// `user.` matches `user.create`, `user.disable`, ...
    pub action_prefix: Option<String>,
    pub record_type: Option<String>,
    pub from_micros: Option<i64>,
    pub to_micros: Option<i64>,
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// One entry of the change log that feeds the search indexer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub seq: i64,
    pub table_name: String,
    pub record_id: String,
    pub op: String,
    pub at_micros: i64,
}

/// An encrypted column. Only these may be read or rewritten by key rotation,
/// so the names can be put into SQL safely.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncryptedField {
    pub table: &'static str,
    pub column: &'static str,
}

/// Every encrypted column of the schema; each line of work adds its own.
pub const ENCRYPTED_FIELDS: &[EncryptedField] = &[
    EncryptedField { table: "users", column: "totp_secret" },
    EncryptedField { table: "persons", column: "name_enc" },
    EncryptedField { table: "persons", column: "aliases_enc" },
    EncryptedField { table: "persons", column: "contact_enc" },
    EncryptedField { table: "persons", column: "address_enc" },
    EncryptedField { table: "persons", column: "id_number_enc" },
    EncryptedField { table: "evidence", column: "filename_enc" },
    EncryptedField { table: "contacts", column: "name_enc" },
    EncryptedField { table: "contacts", column: "phone_enc" },
    EncryptedField { table: "contacts", column: "email_enc" },
];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReferenceCounts {
    pub provinces: i64,
    pub districts: i64,
    pub communes: i64,
    pub instruments: i64,
    pub articles: i64,
    pub ratifications: i64,
    pub sdg_goals: i64,
    pub sdg_targets: i64,
}

/// An imported vocabulary, with how many terms it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VocabularySummary {
    pub code: String,
    pub name: String,
    pub source: String,
    pub terms: i64,
    pub imported_at: i64,
}

/// A term an act is classified with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ActTerm {
    pub vocabulary: String,
    pub code: String,
    pub label_en: String,
    pub label_km: String,
}
