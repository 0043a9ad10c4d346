//! The records of monitoring the store reads and writes.

use rightsdesk_domain::monitoring::{CaseInput, CaseStatus, DatePrecision, FuzzyDate, Sensitivity, Urgency};
use rightsdesk_domain::CaseScope;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Case {
    pub id: i64,
    /// `PNH-2026-0042`
    pub reference: String,
    pub office_id: i64,
    pub office_code: String,
    pub title: String,
    pub summary: String,
    pub status: CaseStatus,
    pub sensitivity: Sensitivity,
    pub urgency: Urgency,
    pub province_code: Option<String>,
    pub district_code: Option<String>,
    pub commune_code: Option<String>,
    pub location_text: String,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub themes: Vec<String>,
    /// Ids of the officers on the case's team.
    pub assigned: Vec<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A line of the case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    pub id: i64,
    pub reference: String,
    pub office_code: String,
    pub title: String,
    pub status: CaseStatus,
    pub sensitivity: Sensitivity,
    pub urgency: Urgency,
    pub province_code: Option<String>,
    pub start: Option<FuzzyDate>,
    pub updated_at: i64,
}

/// Filters of the case list. The scope is not optional: every list and
/// count is limited to what the asking user may see.
#[derive(Debug, Clone)]
pub struct CaseFilter {
    pub scope: CaseScope,
    pub office_id: Option<i64>,
    pub status: Option<CaseStatus>,
    pub province_code: Option<String>,
    pub sensitivity: Option<Sensitivity>,
    pub urgency: Option<Urgency>,
    pub assigned_to: Option<i64>,
    /// Cases with an act of this type.
    pub act_type: Option<String>,
    /// Cases with an act said to violate this article.
    pub right: Option<rightsdesk_domain::monitoring::ArticleRef>,
    /// Cases with an alleged perpetrator of this type.
    pub perpetrator_type: Option<String>,
    /// ISO dates compared with the start date's earliest day.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The order of the list.
    pub sort: CaseSort,
    /// Keyset paging: the cases that come after this one in `sort` order.
    pub after: Option<CaseCursor>,
    pub limit: i64,
    /// Count at most this many (then the count is `cap + 1`, shown as
    /// "more than cap"): an exact count of a million rows costs a full scan
    /// on every page view.
    pub count_cap: Option<i64>,
}

/// Orders of the case list. Each is a total order (ties broken by id) so
/// that keyset paging never skips or repeats a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseSort {
    /// Most recently opened first (by id).
    #[default]
    Newest,
    Oldest,
    /// Most recently changed first.
    Updated,
    /// Most recent incident (start date) first; cases without one last.
    Incident,
}

impl CaseSort {
    pub const ALL: [CaseSort; 4] = [CaseSort::Newest, CaseSort::Oldest, CaseSort::Updated, CaseSort::Incident];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseSort::Newest => "newest",
            CaseSort::Oldest => "oldest",
            CaseSort::Updated => "updated",
            CaseSort::Incident => "incident",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Where a page ends, to ask for the next one.
    pub fn cursor_of(self, c: &CaseSummary) -> CaseCursor {
        let key = match self {
            CaseSort::Newest | CaseSort::Oldest => String::new(),
            CaseSort::Updated => c.updated_at.to_string(),
            CaseSort::Incident => c.start.as_ref().map(|d| d.sort_key()).unwrap_or_default(),
        };
        CaseCursor { key, id: c.id }
    }
}

/// A position in the case list: the sort key of the last case shown and its
/// id. Written into links as `key.id` (or just `id` for the id orders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCursor {
    pub key: String,
    pub id: i64,
}

impl CaseCursor {
    pub fn encode(&self) -> String {
        if self.key.is_empty() {
            self.id.to_string()
        } else {
            format!("{}.{}", self.key, self.id)
        }
    }

    /// Reads a cursor written by `encode` for `sort`; None if it is not one.
    pub fn parse(sort: CaseSort, s: &str) -> Option<Self> {
        let (key, id) = match sort {
            CaseSort::Newest | CaseSort::Oldest => ("", s),
            CaseSort::Updated => s.rsplit_once('.')?,
            // A case without a start date has an empty key: `encode` wrote the id alone.
            CaseSort::Incident => s.rsplit_once('.').unwrap_or(("", s)),
        };
        let id = id.parse::<i64>().ok()?;
        let ok = match sort {
            CaseSort::Newest | CaseSort::Oldest => true,
            CaseSort::Updated => key.parse::<i64>().is_ok(),
            // An ISO day, or empty for cases without a start date.
            CaseSort::Incident => {
                key.is_empty() || (key.len() == 10 && key.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
            }
        };
        ok.then(|| CaseCursor { key: key.to_string(), id })
    }
}

impl CaseFilter {
    pub fn new(scope: CaseScope) -> Self {
        CaseFilter {
            scope,
            office_id: None,
            status: None,
            province_code: None,
            sensitivity: None,
            urgency: None,
            assigned_to: None,
            act_type: None,
            right: None,
            perpetrator_type: None,
            from: None,
            to: None,
            sort: CaseSort::Newest,
            after: None,
            limit: 50,
            count_cap: None,
        }
    }
}

/// A new case: the validated input, where it is opened, and its first team.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub input: CaseInput,
    pub office_id: i64,
    pub year: i32,
    pub created_by: i64,
    pub assigned: Vec<i64>,
}

/// One change of status, shown on the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub from_status: Option<CaseStatus>,
    pub to_status: CaseStatus,
    pub reason: String,
    pub changed_by: Option<i64>,
    pub changed_by_name: String,
    pub changed_at: i64,
}

pub fn precision_str_pub(d: &Option<FuzzyDate>) -> Option<&'static str> {
    d.as_ref().map(|d| d.precision.as_str())
}

/// Rebuilds a fuzzy date from its two columns.
pub fn fuzzy_from_columns(value: Option<String>, precision: Option<String>) -> Option<FuzzyDate> {
    let value = value?;
    let precision = precision.as_deref().and_then(DatePrecision::parse).unwrap_or(DatePrecision::Day);
    Some(FuzzyDate { value, precision })
}

/// A person of a case as stored: the profile in clear, identifying fields
/// sealed. Open them with [`PersonRecord::identity`] only for users the
/// policy allows (`Action::ViewIdentifying`).
#[derive(Clone)]
pub struct PersonRecord {
    pub id: i64,
    pub case_id: i64,
    pub code: String,
    pub profile: rightsdesk_domain::monitoring::PersonProfile,
    pub sealed: SealedIdentity,
}

impl std::fmt::Debug for PersonRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonRecord").field("id", &self.id).field("code", &self.code).finish_non_exhaustive()
    }
}

#[derive(Clone, Default)]
pub struct SealedIdentity {
    pub name: Option<Vec<u8>>,
    pub aliases: Option<Vec<u8>>,
    pub contact: Option<Vec<u8>>,
    pub address: Option<Vec<u8>>,
    pub id_number: Option<Vec<u8>>,
}

fn at(column: &'static str, id: i64) -> rightsdesk_crypto::FieldRef<'static> {
    rightsdesk_crypto::FieldRef { table: "persons", column, record_id: id }
}

impl SealedIdentity {
    /// Seals each identifying field of person `id`.
    pub fn seal(
        keys: &rightsdesk_crypto::Keyring,
        id: i64,
        who: &rightsdesk_domain::monitoring::PersonIdentity,
    ) -> Self {
        let opt = |column: &'static str, v: &str| (!v.is_empty()).then(|| keys.encrypt_str(at(column, id), v));
        let aliases = serde_json::to_string(&who.aliases).unwrap_or_default();
        SealedIdentity {
            name: opt("name_enc", &who.name),
            aliases: (!who.aliases.is_empty()).then(|| keys.encrypt_str(at("aliases_enc", id), &aliases)),
            contact: opt("contact_enc", &who.contact),
            address: opt("address_enc", &who.address),
            id_number: opt("id_number_enc", &who.id_number),
        }
    }
}

impl PersonRecord {
    /// The (code, name) pairs to look for in the case's free text: the name
    /// and each alias. A person is found part by part (a given name alone
    /// is still a name); a group or an institution by its whole name only.
    pub fn names_to_look_for(
        &self,
        keys: &rightsdesk_crypto::Keyring,
    ) -> Result<Vec<(String, String)>, rightsdesk_crypto::KeyringError> {
        Ok(self.names_in(&self.identity(keys)?))
    }

    /// `names_to_look_for` of an identity already opened (`identity`), so a
    /// page that shows the names does not decrypt them twice.
    pub fn names_in(&self, who: &rightsdesk_domain::monitoring::PersonIdentity) -> Vec<(String, String)> {
        let individual = self.profile.kind.is_empty() || self.profile.kind == "individual";
        let looked_for =
            |n: &str| if individual { n.to_string() } else { rightsdesk_domain::names::whole_name_only(n) };
        let mut names = vec![(self.code.clone(), looked_for(&who.name))];
        names.extend(who.aliases.iter().map(|a| (self.code.clone(), looked_for(a))));
        names
    }

    pub fn identity(
        &self,
        keys: &rightsdesk_crypto::Keyring,
    ) -> Result<rightsdesk_domain::monitoring::PersonIdentity, rightsdesk_crypto::KeyringError> {
        let open = |column: &'static str, v: &Option<Vec<u8>>| -> Result<String, rightsdesk_crypto::KeyringError> {
            match v {
                Some(c) => keys.decrypt_string(at(column, self.id), c),
                None => Ok(String::new()),
            }
        };
        let aliases_json = open("aliases_enc", &self.sealed.aliases)?;
        Ok(rightsdesk_domain::monitoring::PersonIdentity {
            name: open("name_enc", &self.sealed.name)?,
            aliases: if aliases_json.is_empty() {
                vec![]
            } else {
                serde_json::from_str(&aliases_json).unwrap_or_default()
            },
            contact: open("contact_enc", &self.sealed.contact)?,
            address: open("address_enc", &self.sealed.address)?,
            id_number: open("id_number_enc", &self.sealed.id_number)?,
        })
    }
}

/// A person in another visible case whose name has the same blind index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonMatch {
    pub case_id: i64,
    pub reference: String,
    pub code: String,
}

/// Purpose label of the person-name blind index (keeps it apart from others).
pub const PERSON_NAME_INDEX: &str = "person-name-v1";

/// The keyed hash that finds a person's name again without storing it.
pub fn person_name_bidx(keys: &rightsdesk_crypto::Keyring, name: &str) -> String {
    keys.blind_index(PERSON_NAME_INDEX, &rightsdesk_domain::monitoring::name_key(name))
}

/// One act of a case, with the codes of its victims and perpetrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Act {
    pub id: i64,
    pub case_id: i64,
    pub act_type: String,
    pub date: Option<FuzzyDate>,
    pub location_text: String,
    pub description: String,
    pub victims: Vec<String>,
    /// `(code, involvement)`
    pub perpetrators: Vec<(String, String)>,
    pub rights: Vec<rightsdesk_domain::monitoring::ArticleRef>,
    /// Terms of imported vocabularies (HURIDOCS types of acts, ...).
    pub terms: Vec<crate::ActTerm>,
    pub created_at: i64,
}

/// A new act: its fields and the people (ids of persons of the same case).
#[derive(Debug, Clone)]
pub struct NewAct {
    pub case_id: i64,
    pub input: rightsdesk_domain::monitoring::ActInput,
    pub victims: Vec<i64>,
    pub perpetrators: Vec<i64>,
    pub created_by: i64,
}

/// A whole case written in one go: the case, its people, its acts (victims
/// and perpetrators given as indexes into `persons`), the statuses it walks
/// through after "received", and its interventions. Used to load many cases
/// fast (demo and benchmark data), one transaction per batch.
#[derive(Debug, Clone)]
pub struct CaseBundle {
    pub case: NewCase,
    pub persons: Vec<(rightsdesk_domain::monitoring::PersonProfile, rightsdesk_domain::monitoring::PersonIdentity)>,
    pub acts: Vec<BundleAct>,
    pub status_path: Vec<rightsdesk_domain::monitoring::CaseStatus>,
    pub interventions: Vec<rightsdesk_domain::monitoring::intervention::InterventionInput>,
}

#[derive(Debug, Clone)]
pub struct BundleAct {
    pub input: rightsdesk_domain::monitoring::ActInput,
    pub victims: Vec<usize>,
    pub perpetrators: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: i64,
    pub name_en: String,
    pub name_km: String,
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub name_en: String,
    pub name_km: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Intervention {
    pub id: i64,
    pub case_id: i64,
    pub organisation_id: i64,
    pub organisation_en: String,
    pub organisation_km: String,
    pub kind: rightsdesk_domain::monitoring::intervention::InterventionKind,
    pub date: Option<String>,
    pub request: String,
    pub status: rightsdesk_domain::monitoring::intervention::InterventionStatus,
    pub response_date: Option<String>,
    pub response: String,
    pub next_follow_up: Option<String>,
    pub updated_at: i64,
}

/// A follow-up that is due, with the case it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FollowUp {
    pub intervention: Intervention,
    pub case_reference: String,
    pub case_title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Source {
    pub id: i64,
    pub case_id: i64,
    /// Code of the source person (S1), if the information came from one.
    pub person_code: Option<String>,
    pub received: Option<String>,
    pub method: rightsdesk_domain::monitoring::source::SourceMethod,
    pub reliability: rightsdesk_domain::monitoring::source::Reliability,
    pub validity: rightsdesk_domain::monitoring::source::Validity,
    pub consent: rightsdesk_domain::monitoring::source::Consent,
    pub consent_withdrawn_on: Option<String>,
    pub information: String,
}

impl Source {
    pub fn withdrawn(&self) -> bool {
        self.consent_withdrawn_on.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub id: i64,
    pub case_id: i64,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
    /// Encrypted original file name (`evidence.filename_enc`).
    #[serde(skip)]
    pub filename_enc: Option<Vec<u8>>,
    pub description: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub case_id: i64,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub filename: String,
    pub description: String,
    pub uploaded_by: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CustodyEntry {
    pub at_micros: i64,
    pub user_name: String,
    pub action: String,
    pub note: String,
}

pub fn evidence_filename_ref(id: i64) -> rightsdesk_crypto::FieldRef<'static> {
    rightsdesk_crypto::FieldRef { table: "evidence", column: "filename_enc", record_id: id }
}

/// The records of a case that its page shows, read in one round trip
/// (`CaseStore::case_records`): under load the page's cost was the
/// number of statements, not their work.
#[derive(Debug, Clone)]
pub struct CaseRecords {
    /// The case's team and the staff of its office, by e-mail address.
    pub staff: Vec<StaffMember>,
    pub history: Vec<StatusChange>,
    pub persons: Vec<PersonRecord>,
    pub acts: Vec<Act>,
    pub interventions: Vec<Intervention>,
    pub sources: Vec<Source>,
    pub evidence: Vec<Evidence>,
}

/// A member of staff as the case page names them: its team, and the
/// officers of its office who could join it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub office_id: i64,
    pub role: rightsdesk_domain::Role,
    pub disabled: bool,
}
