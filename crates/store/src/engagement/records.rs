//! Records of the engagement module.

use crate::legislation::{LinkedIntervention, LinkedRecommendation};
use rightsdesk_domain::engagement::{ContactIdentity, MeetingKind, MeetingLinks, RelationKind, StakeholderKind};
use serde::Serialize;

/// An organisation of the stakeholder directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Stakeholder {
    pub id: i64,
    pub name_en: String,
    pub name_km: String,
    pub acronym: String,
    pub kind: StakeholderKind,
    pub parent_id: Option<i64>,
    pub parent_en: Option<String>,
    pub parent_km: Option<String>,
    pub province_code: Option<String>,
    pub province_en: Option<String>,
    pub province_km: Option<String>,
    pub notes: String,
    pub contacts: i64,
    pub meetings: i64,
    pub updated_at: i64,
}

/// What the directory lists.
#[derive(Debug, Clone, Default)]
pub struct StakeholderFilter {
    pub kind: Option<StakeholderKind>,
    pub province_code: Option<String>,
    /// Part of the English or Khmer name or the acronym.
    pub text: Option<String>,
    pub parent_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// A relation seen from one organisation: `outgoing` when it reads "this
/// organisation <kind> the other".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Relation {
    pub kind: RelationKind,
    pub outgoing: bool,
    pub other_id: i64,
    pub other_en: String,
    pub other_km: String,
}

/// An intervention addressed to an organisation, with its answer (the
/// caller filters by the case's visibility).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AddressedIntervention {
    pub intervention: LinkedIntervention,
    pub status: String,
    pub response_date: Option<String>,
}

/// A recommendation an organisation is responsible for, with its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ResponsibleFor {
    pub recommendation: LinkedRecommendation,
    pub status: String,
}

/// An organisation named in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrgRef {
    pub id: i64,
    pub name_en: String,
    pub name_km: String,
}

/// A member of the office's staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StaffRef {
    pub id: i64,
    pub name: String,
}

/// Everything linked to an organisation, for its page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrganisationLinks {
    pub interventions: Vec<AddressedIntervention>,
    pub recommendations: Vec<ResponsibleFor>,
    pub children: Vec<OrgRef>,
    pub relations: Vec<Relation>,
}

/// A contact as stored: in clear for an official, sealed otherwise. Open
/// a sealed identity with [`ContactRecord::identity`] only for whom the
/// policy allows (`Action::ViewIdentifying` on `Resource::Contact`).
#[derive(Clone)]
pub struct ContactRecord {
    pub id: i64,
    pub office_id: i64,
    pub organisation_id: i64,
    pub organisation_en: String,
    pub organisation_km: String,
    pub identifying: bool,
    pub position: String,
    pub notes: String,
    pub clear: ContactIdentity,
    pub sealed: SealedContact,
    pub updated_at: i64,
}

impl std::fmt::Debug for ContactRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactRecord")
            .field("id", &self.id)
            .field("identifying", &self.identifying)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Default)]
pub struct SealedContact {
    pub name: Option<Vec<u8>>,
    pub phone: Option<Vec<u8>>,
    pub email: Option<Vec<u8>>,
}

fn at(column: &'static str, id: i64) -> rightsdesk_crypto::FieldRef<'static> {
    rightsdesk_crypto::FieldRef { table: "contacts", column, record_id: id }
}

/// The blind-index purpose of contact names.
pub const CONTACT_NAME_INDEX: &str = "contact-name";

/// The keyed hash that recognises a contact's name in any spelling
/// `contact_name_key` folds (spaces, zero-width characters, lookalike letters).
pub fn contact_name_bidx(keys: &rightsdesk_crypto::Keyring, name: &str) -> String {
    keys.blind_index(CONTACT_NAME_INDEX, &rightsdesk_domain::engagement::contact_name_key(name))
}

impl SealedContact {
    /// Seals each identifying field of contact `id`.
    pub fn seal(keys: &rightsdesk_crypto::Keyring, id: i64, who: &ContactIdentity) -> Self {
        let opt = |column: &'static str, v: &str| (!v.is_empty()).then(|| keys.encrypt_str(at(column, id), v));
        SealedContact {
            name: opt("name_enc", &who.name),
            phone: opt("phone_enc", &who.phone),
            email: opt("email_enc", &who.email),
        }
    }
}

impl ContactRecord {
    /// Who the contact is: the clear columns, or the sealed ones opened.
    pub fn identity(
        &self,
        keys: &rightsdesk_crypto::Keyring,
    ) -> Result<ContactIdentity, rightsdesk_crypto::KeyringError> {
        if !self.identifying {
            return Ok(self.clear.clone());
        }
        let open = |column: &'static str, v: &Option<Vec<u8>>| match v {
            Some(c) => keys.decrypt_string(at(column, self.id), c),
            None => Ok(String::new()),
        };
        Ok(ContactIdentity {
            name: open("name_enc", &self.sealed.name)?,
            phone: open("phone_enc", &self.sealed.phone)?,
            email: open("email_enc", &self.sealed.email)?,
        })
    }

    /// How the contact is shown to someone who may not see who they are.
    pub fn code(&self) -> String {
        format!("C-{}", self.id)
    }
}

/// A meeting of the dialogue log with its links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Meeting {
    pub id: i64,
    pub office_id: i64,
    pub kind: MeetingKind,
    pub held_on: String,
    pub title: String,
    pub place: String,
    pub province_code: Option<String>,
    pub summary: String,
    pub topics: Vec<String>,
    /// The organisations present.
    pub organisations: Vec<OrgRef>,
    /// The office staff who took part.
    pub staff: Vec<StaffRef>,
    #[serde(skip)]
    pub links: MeetingLinks,
    pub created_by: Option<i64>,
    pub updated_at: i64,
}

/// What the dialogue log lists (newest first).
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    pub organisation_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub case_id: Option<i64>,
    pub recommendation_id: Option<i64>,
    pub law_id: Option<i64>,
    pub kind: Option<MeetingKind>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// A follow-up action agreed at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MeetingAction {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    pub action: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due_on: String,
    pub done_on: Option<String>,
}

/// A meeting to write: the checked input and who writes it.
#[derive(Debug, Clone)]
pub struct NewMeeting<'a> {
    pub input: &'a rightsdesk_domain::engagement::MeetingInput,
    pub office_id: i64,
    pub by: i64,
}
