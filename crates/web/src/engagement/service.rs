//! What the engagement pages and API share: each write with its checks, a
//! contact opened for a caller (their name and details only where the
//! policy allows, and every such opening audited), a meeting's links
//! checked against what the caller may see, and the links shown filtered
//! the same way.

use crate::auth::Caller;
use crate::error::ErrorCode;
use rightsdesk_domain::engagement::*;
use rightsdesk_domain::{law_scope, recommendation_scope, Action, ContactRef, Module, Resource, ValidationError};
use rightsdesk_store::engagement::*;
use rightsdesk_store::legislation::{LinkedCase, LinkedIntervention};
use rightsdesk_store::StoreError;

pub const MODULE: Resource = Resource::Module(Module::Engagement);

/// What a write gives back: done, or field errors and nothing written.
pub type Checked<T> = Result<T, Vec<ValidationError>>;

fn unknown(field: &'static str) -> Vec<ValidationError> {
    vec![ValidationError::new(field, "unknown-record")]
}

/// An organisation the caller may see (404 otherwise).
pub async fn open_organisation<C: Caller>(c: &C, id: i64) -> Result<Stakeholder, C::Error> {
    c.require(Action::View, MODULE)?;
    Ok(c.state().store.stakeholder(id).await?.ok_or(ErrorCode::NotFound)?)
}

fn organisation_refused(e: StoreError) -> Result<Vec<ValidationError>, StoreError> {
    match e {
        StoreError::Conflict(_) => Ok(vec![ValidationError::new("name_en", "organisation-taken")]),
        StoreError::Constraint(what) if what.contains("province") => Ok(unknown("province_code")),
        StoreError::Constraint(what) if what.contains("loop") => {
            Ok(vec![ValidationError::new("parent_id", "organisation-inside-itself")])
        }
        StoreError::Constraint(_) => Ok(unknown("parent_id")),
        e => Err(e),
    }
}

pub async fn create_organisation<C: Caller>(c: &C, f: &OrganisationFields) -> Result<Checked<Stakeholder>, C::Error> {
    c.require(Action::Create, MODULE)?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let errors = check_province(c, &input.province_code).await?;
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    match c.state().store.create_stakeholder(&input, &c.audit("organisation.create")).await {
        Ok(o) => Ok(Ok(o)),
        Err(e) => Ok(Err(organisation_refused(e)?)),
    }
}

pub async fn update_organisation<C: Caller>(
    c: &C,
    id: i64,
    f: &OrganisationFields,
) -> Result<Checked<Stakeholder>, C::Error> {
    c.require(Action::Update, MODULE)?;
    let before = open_organisation(c, id).await?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    if input.parent_id == Some(id) {
        return Ok(Err(vec![ValidationError::new("parent_id", "organisation-inside-itself")]));
    }
    let mut errors = check_province(c, &input.province_code).await?;
    // Whether its people's details are sealed follows the kind: a change
    // across that line would leave its contacts sealed or clear wrongly.
    let flips = before.kind.contacts_are_identifying() != input.kind.contacts_are_identifying();
    if flips && before.contacts > 0 {
        errors.push(ValidationError::new("kind", "organisation-kind-has-contacts"));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    match c.state().store.update_stakeholder(id, &input, &c.audit("organisation.update")).await {
        Ok(o) => Ok(Ok(o)),
        Err(e) => Ok(Err(organisation_refused(e)?)),
    }
}

/// Adds (or, with `remove`, removes) a relation from organisation `id`.
pub async fn relate<C: Caller>(c: &C, id: i64, f: &RelationFields, remove: bool) -> Result<Checked<()>, C::Error> {
    c.require(Action::Update, MODULE)?;
    open_organisation(c, id).await?;
    let (kind, to) = match f.parse(id) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let store = c.state().store.as_ref();
    let done = if remove {
        store.unrelate(id, kind, to, &c.audit("organisation.unrelate")).await
    } else {
        store.relate(id, kind, to, &c.audit("organisation.relate")).await
    };
    match done {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::Constraint(_)) | Err(StoreError::NotFound) => Ok(Err(unknown("to_id"))),
        Err(e) => Err(e.into()),
    }
}

/// What the policy needs to decide on a contact.
pub fn contact_ref(contact: &ContactRecord) -> Resource {
    Resource::Contact(ContactRef { office_id: contact.office_id, identifying: contact.identifying })
}

/// A contact as a caller sees it: who they are only when allowed.
#[derive(Debug, Clone)]
pub struct ShownContact {
    pub record: ContactRecord,
    /// `None`: the caller sees the code (C-12) and the position only.
    pub identity: Option<ContactIdentity>,
}

impl ShownContact {
    /// The name, or the code for whom may not see it.
    pub fn label(&self) -> String {
        match &self.identity {
            Some(who) => who.name.clone(),
            None => self.record.code(),
        }
    }
}

/// Opens contacts for the caller: identities where the policy allows, and
/// one audit entry naming how many sealed identities were shown (`why`
/// says where).
pub async fn show_contacts<C: Caller>(
    c: &C,
    records: Vec<ContactRecord>,
    why: &str,
) -> Result<Vec<ShownContact>, C::Error> {
    let keys = &c.state().keys;
    let mut opened = vec![];
    let mut shown = Vec::with_capacity(records.len());
    for record in records {
        let identity = if c.allows(Action::ViewIdentifying, contact_ref(&record)) {
            if record.identifying {
                opened.push(record.id);
            }
            Some(record.identity(keys).map_err(|_| ErrorCode::Internal)?)
        } else {
            None
        };
        shown.push(ShownContact { record, identity });
    }
    if !opened.is_empty() {
        let ids = opened.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let entry = c.audit("contact.identifying_view").summary(format!("{why}: contacts {ids}"));
        let entry = match opened.as_slice() {
            [one] => entry.record("contact", *one),
            _ => entry,
        };
        c.state().store.append_audit(&entry).await?;
    }
    Ok(shown)
}

/// A contact the caller may see (404 otherwise), opened as `show_contacts` does.
pub async fn open_contact<C: Caller>(c: &C, id: i64) -> Result<ShownContact, C::Error> {
    let record = c.state().store.contact(id).await?.ok_or(ErrorCode::NotFound)?;
    c.require(Action::View, contact_ref(&record))?;
    Ok(show_contacts(c, vec![record], "contact page").await?.remove(0))
}

/// Whether the organisation's people are identifying data, by its kind.
async fn identifying_at<C: Caller>(c: &C, organisation_id: i64) -> Result<Option<bool>, C::Error> {
    Ok(c.state().store.stakeholder(organisation_id).await?.map(|o| o.kind.contacts_are_identifying()))
}

pub async fn add_contact<C: Caller>(c: &C, f: &ContactFields) -> Result<Checked<ContactRecord>, C::Error> {
    c.require(Action::Create, MODULE)?;
    let me = c.user().ok_or(ErrorCode::Unauthorized)?.clone();
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let Some(identifying) = identifying_at(c, input.organisation_id).await? else {
        return Ok(Err(unknown("organisation_id")));
    };
    let store = c.state().store.as_ref();
    let audit = c.audit("contact.create");
    match store.add_contact(me.office_id, &input, identifying, &c.state().keys, me.id, &audit).await {
        Ok(contact) => Ok(Ok(contact)),
        Err(StoreError::Constraint(_)) => Ok(Err(unknown("organisation_id"))),
        Err(e) => Err(e.into()),
    }
}

pub async fn update_contact<C: Caller>(c: &C, id: i64, f: &ContactFields) -> Result<Checked<ContactRecord>, C::Error> {
    let record = c.state().store.contact(id).await?.ok_or(ErrorCode::NotFound)?;
    c.require(Action::View, contact_ref(&record))?;
    c.require(Action::Update, contact_ref(&record))?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let Some(identifying) = identifying_at(c, input.organisation_id).await? else {
        return Ok(Err(unknown("organisation_id")));
    };
    let store = c.state().store.as_ref();
    match store.update_contact(id, &input, identifying, &c.state().keys, &c.audit("contact.update")).await {
        Ok(contact) => Ok(Ok(contact)),
        Err(StoreError::Constraint(_)) => Ok(Err(unknown("organisation_id"))),
        Err(e) => Err(e.into()),
    }
}

/// Merges contact `from` into `into` (the same person recorded twice):
/// both must be the caller's to change, and kept by one office.
pub async fn merge_contact<C: Caller>(c: &C, from: i64, into: &str) -> Result<Checked<()>, C::Error> {
    let store = c.state().store.as_ref();
    let record = store.contact(from).await?.ok_or(ErrorCode::NotFound)?;
    c.require(Action::View, contact_ref(&record))?;
    c.require(Action::Update, contact_ref(&record))?;
    let Some(target) = into.trim().parse::<i64>().ok().filter(|t| *t > 0 && *t != from) else {
        return Ok(Err(unknown("into")));
    };
    // Another office's contact is refused with a message that names no one
    // (its code was on the page already).
    let Some(other) = store.contact(target).await? else { return Ok(Err(unknown("into"))) };
    if other.office_id != record.office_id || !c.allows(Action::Update, contact_ref(&other)) {
        return Ok(Err(vec![ValidationError::new("into", "contact-other-office")]));
    }
    match store.merge_contact(from, target, &c.audit("contact.merge")).await {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::Conflict(_)) => Ok(Err(vec![ValidationError::new("into", "contact-other-office")])),
        Err(StoreError::NotFound) | Err(StoreError::Constraint(_)) => Ok(Err(unknown("into"))),
        Err(e) => Err(e.into()),
    }
}

/// Contacts with the same name key as `contact` (only for whom sees its name).
pub async fn possible_duplicates<C: Caller>(c: &C, contact: &ShownContact) -> Result<Vec<ShownContact>, C::Error> {
    let Some(who) = &contact.identity else { return Ok(vec![]) };
    let bidx = contact_name_bidx(&c.state().keys, &who.name);
    let same = c.state().store.contacts_named(&bidx, contact.record.id).await?;
    let mine: Vec<ContactRecord> =
        same.into_iter().filter(|o| c.allows(Action::ViewIdentifying, contact_ref(o))).collect();
    show_contacts(c, mine, "possible duplicates").await
}

async fn case_visible<C: Caller>(c: &C, case_id: i64) -> Result<bool, C::Error> {
    let Some(case) = c.state().store.case(case_id).await? else { return Ok(false) };
    let r = crate::monitoring::service::case_ref(c.user_id(), &case);
    Ok(c.allows(Action::View, Resource::Case(r)))
}

/// The links of a meeting the caller may make: every case (and the case of
/// every intervention) visible to them, recommendations and laws only
/// through their modules; a record they may not see is refused as unknown,
/// exactly like one that does not exist.
async fn check_links<C: Caller>(c: &C, links: &MeetingLinks) -> Result<Vec<ValidationError>, C::Error> {
    let store = c.state().store.as_ref();
    let mut errors = vec![];
    for id in &links.case_ids {
        if !case_visible(c, *id).await? {
            errors.push(ValidationError::new("case_ids", "unknown-record"));
            break;
        }
    }
    for id in &links.intervention_ids {
        let case = store.intervention(*id).await?.map(|i| i.case_id);
        let visible = match case {
            Some(case_id) => case_visible(c, case_id).await?,
            None => false,
        };
        if !visible {
            errors.push(ValidationError::new("intervention_ids", "unknown-record"));
            break;
        }
    }
    if !links.recommendation_ids.is_empty() {
        let scope = recommendation_scope(c.actor());
        for id in &links.recommendation_ids {
            let rec = store.recommendation(*id).await?;
            // Focal points (scoped to an institution) have no engagement module.
            let visible = scope.is_some_and(|s| s.institution.is_none()) && rec.is_some();
            if !visible {
                errors.push(ValidationError::new("recommendation_ids", "unknown-record"));
                break;
            }
        }
    }
    if !links.law_ids.is_empty() {
        let open = law_scope(c.actor()).is_some_and(|s| s.institution.is_none());
        for id in &links.law_ids {
            if !open || store.law(*id).await?.is_none() {
                errors.push(ValidationError::new("law_ids", "unknown-record"));
                break;
            }
        }
    }
    for id in &links.contact_ids {
        match store.contact(*id).await? {
            Some(contact) if c.allows(Action::View, contact_ref(&contact)) => {}
            _ => {
                errors.push(ValidationError::new("contact_ids", "unknown-record"));
                break;
            }
        }
    }
    Ok(errors)
}

fn meeting_refused(e: StoreError) -> Result<Vec<ValidationError>, StoreError> {
    match e {
        StoreError::Constraint(what) => {
            let field = [
                ("organisation_id", "organisation_ids"),
                ("contact_id", "contact_ids"),
                ("user_id", "staff_ids"),
                ("case_id", "case_ids"),
                ("intervention_id", "intervention_ids"),
                ("recommendation_id", "recommendation_ids"),
                ("law_id", "law_ids"),
                ("province", "province_code"),
            ]
            .into_iter()
            .find(|(column, _)| what.contains(column))
            .map(|(_, field)| field)
            .unwrap_or("organisation_ids");
            Ok(unknown(field))
        }
        e => Err(e),
    }
}

/// Records a meeting (or, with `id`, changes one).
pub async fn save_meeting<C: Caller>(c: &C, id: Option<i64>, f: &MeetingFields) -> Result<Checked<Meeting>, C::Error> {
    c.require(if id.is_some() { Action::Update } else { Action::Create }, MODULE)?;
    let me = c.user().ok_or(ErrorCode::Unauthorized)?.clone();
    let existing = match id {
        Some(id) => Some(open_meeting(c, id).await?),
        None => None,
    };
    let mut input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let mut errors = check_province(c, &input.province_code).await?;
    // Only the links the caller adds are checked; on a change, the links
    // they could not see (so could not have removed) are kept.
    let mut added = input.links.clone();
    if let Some(m) = &existing {
        for (new, old) in link_lists_mut(&mut added).into_iter().zip(link_lists(&m.links)) {
            new.retain(|id| !old.contains(id));
        }
        let hidden = hidden_links(c, m).await?;
        for (new, kept) in link_lists_mut(&mut input.links).into_iter().zip(link_lists(&hidden)) {
            for id in kept {
                if !new.contains(id) {
                    new.push(*id);
                }
            }
        }
    }
    errors.extend(check_links(c, &added).await?);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let store = c.state().store.as_ref();
    let new = NewMeeting { input: &input, office_id: me.office_id, by: me.id };
    let done = match id {
        Some(id) => store.update_meeting(id, &new, &c.audit("meeting.update")).await,
        None => store.create_meeting(&new, &c.audit("meeting.create")).await,
    };
    match done {
        Ok(m) => Ok(Ok(m)),
        Err(e) => Ok(Err(meeting_refused(e)?)),
    }
}

fn link_lists(l: &MeetingLinks) -> [&Vec<i64>; 7] {
    [
        &l.organisation_ids,
        &l.contact_ids,
        &l.staff_ids,
        &l.case_ids,
        &l.intervention_ids,
        &l.recommendation_ids,
        &l.law_ids,
    ]
}

fn link_lists_mut(l: &mut MeetingLinks) -> [&mut Vec<i64>; 7] {
    [
        &mut l.organisation_ids,
        &mut l.contact_ids,
        &mut l.staff_ids,
        &mut l.case_ids,
        &mut l.intervention_ids,
        &mut l.recommendation_ids,
        &mut l.law_ids,
    ]
}

/// The links of a meeting the caller does not see on its form: cases (and
/// interventions of cases) outside their scope, recommendations and laws
/// without those modules, staff of other offices.
pub async fn hidden_links<C: Caller>(c: &C, m: &Meeting) -> Result<MeetingLinks, C::Error> {
    let store = c.state().store.as_ref();
    let mut hidden = MeetingLinks::default();
    for id in &m.links.case_ids {
        if !case_visible(c, *id).await? {
            hidden.case_ids.push(*id);
        }
    }
    for id in &m.links.intervention_ids {
        let visible = match store.intervention(*id).await? {
            Some(i) => case_visible(c, i.case_id).await?,
            None => false,
        };
        if !visible {
            hidden.intervention_ids.push(*id);
        }
    }
    if recommendation_scope(c.actor()).is_none_or(|s| s.institution.is_some()) {
        hidden.recommendation_ids = m.links.recommendation_ids.clone();
    }
    if law_scope(c.actor()).is_none_or(|s| s.institution.is_some()) {
        hidden.law_ids = m.links.law_ids.clone();
    }
    let office = c.user().map(|u| u.office_id);
    for id in &m.links.staff_ids {
        if store.user_by_id(*id).await?.is_some_and(|u| Some(u.office_id) != office) {
            hidden.staff_ids.push(*id);
        }
    }
    Ok(hidden)
}

/// A province code must be one of the gazetteer's (checked here, so both
/// backends name the field).
async fn check_province<C: Caller>(c: &C, code: &Option<String>) -> Result<Vec<ValidationError>, C::Error> {
    let Some(code) = code else { return Ok(vec![]) };
    if c.state().store.provinces().await?.iter().any(|p| &p.code == code) {
        Ok(vec![])
    } else {
        Ok(unknown("province_code"))
    }
}

pub async fn open_meeting<C: Caller>(c: &C, id: i64) -> Result<Meeting, C::Error> {
    c.require(Action::View, MODULE)?;
    Ok(c.state().store.meeting(id).await?.ok_or(ErrorCode::NotFound)?)
}

pub async fn add_action<C: Caller>(
    c: &C,
    meeting_id: i64,
    f: &MeetingActionFields,
) -> Result<Checked<MeetingAction>, C::Error> {
    c.require(Action::Update, MODULE)?;
    open_meeting(c, meeting_id).await?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let owner = c.state().store.user_by_id(input.owner_id).await?;
    if owner.is_none_or(|u| u.disabled) {
        return Ok(Err(unknown("owner_id")));
    }
    match c.state().store.add_meeting_action(meeting_id, &input, &c.audit("meeting.action")).await {
        Ok(a) => Ok(Ok(a)),
        Err(StoreError::Constraint(_)) => Ok(Err(unknown("owner_id"))),
        Err(e) => Err(e.into()),
    }
}

/// Marks a follow-up done today (or open again).
pub async fn set_action_done<C: Caller>(c: &C, meeting_id: i64, action_id: i64, done: bool) -> Result<(), C::Error> {
    c.require(Action::Update, MODULE)?;
    open_meeting(c, meeting_id).await?;
    let today = crate::kit::today();
    let on = done.then_some(today.as_str());
    match c.state().store.set_meeting_action_done(meeting_id, action_id, on, &c.audit("meeting.action_done")).await {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(ErrorCode::NotFound.into()),
        Err(e) => Err(e.into()),
    }
}

/// What of a meeting's links the caller may see.
#[derive(Debug, Clone, Default)]
pub struct VisibleMeetingLinks {
    pub cases: Vec<LinkedCase>,
    pub interventions: Vec<LinkedIntervention>,
    /// (id, symbol, text)
    pub recommendations: Vec<(i64, String, String)>,
    /// (id, short name)
    pub laws: Vec<(i64, String)>,
    pub contacts: Vec<ShownContact>,
}

pub async fn visible_meeting_links<C: Caller>(c: &C, m: &Meeting) -> Result<VisibleMeetingLinks, C::Error> {
    let store = c.state().store.as_ref();
    let mut v = VisibleMeetingLinks::default();
    for id in &m.links.case_ids {
        if case_visible(c, *id).await? {
            if let Some(case) = store.case(*id).await? {
                v.cases.push(LinkedCase {
                    id: case.id,
                    reference: case.reference.clone(),
                    office_id: case.office_id,
                    restricted: case.sensitivity.as_str() == "restricted",
                });
            }
        }
    }
    for id in &m.links.intervention_ids {
        if let Some(i) = store.intervention(*id).await? {
            if case_visible(c, i.case_id).await? {
                let case = store.case(i.case_id).await?;
                v.interventions.push(LinkedIntervention {
                    id: i.id,
                    case_id: i.case_id,
                    case_reference: case.map(|c| c.reference).unwrap_or_default(),
                    kind: i.kind.as_str().to_string(),
                    date: i.date.clone(),
                    office_id: 0,
                    restricted: false,
                });
            }
        }
    }
    if recommendation_scope(c.actor()).is_some_and(|s| s.institution.is_none()) {
        for id in &m.links.recommendation_ids {
            if let Some(r) = store.recommendation(*id).await? {
                {
                    let symbol = if r.paragraph.is_empty() {
                        r.document_symbol.clone()
                    } else {
                        format!("{} para. {}", r.document_symbol, r.paragraph)
                    };
                    v.recommendations.push((r.id, symbol, r.text.clone()));
                }
            }
        }
    }
    if law_scope(c.actor()).is_some_and(|s| s.institution.is_none()) {
        for id in &m.links.law_ids {
            if let Some(law) = store.law(*id).await? {
                v.laws.push((law.id, law.short_name.clone()));
            }
        }
    }
    let contacts = store.contacts_by_id(&m.links.contact_ids).await?;
    let visible: Vec<ContactRecord> = contacts.into_iter().filter(|k| c.allows(Action::View, contact_ref(k))).collect();
    v.contacts = show_contacts(c, visible, &format!("meeting {}", m.id)).await?;
    Ok(v)
}
