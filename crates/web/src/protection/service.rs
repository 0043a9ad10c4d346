//! What the protection pages and API share: opening a file for a caller
//! (the policy, and an audit entry for every opening), the scope lists are
//! filtered by, filters, and each write with its checks. Pages and API are
//! adapters over these functions; neither reaches into the other.

use crate::auth::Caller;
use crate::error::ErrorCode;
use rightsdesk_domain::monitoring::intervention::{InterventionInput, InterventionKind, InterventionStatus};
use rightsdesk_domain::monitoring::PersonRole;
use rightsdesk_domain::protection::*;
use rightsdesk_domain::{
    protection_scope, Action, Module, ProtectionFileRef, ProtectionScope, Resource, ValidationError,
};
use rightsdesk_store::protection::*;
use rightsdesk_store::{PersonRecord, StoreError};
use serde::Deserialize;
use time::UtcOffset;

pub const MODULE: Resource = Resource::Module(Module::Protection);

/// Cambodia's time (UTC+7, no daylight saving): what the office's forms mean by a time.
pub fn office_offset() -> UtcOffset {
    UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC)
}

pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The policy's view of one file for the current user.
pub fn file_ref(user_id: Option<i64>, f: &ProtectionFile) -> ProtectionFileRef {
    ProtectionFileRef { office_id: f.office_id, assigned: user_id.is_some_and(|u| f.team.contains(&u)) }
}

/// The caller's scope, or 403 when protection is closed to them.
pub fn scope<C: Caller>(c: &C) -> Result<ProtectionScope, C::Error> {
    c.require(Action::View, MODULE)?;
    protection_scope(c.actor()).ok_or_else(|| ErrorCode::Forbidden.into())
}

/// Opens a file the caller may act on (`action`). A file outside their
/// scope answers 404 exactly like one that does not exist. Every opening
/// is in the audit log, with what opened it (page, form, API, export).
pub async fn open_file<C: Caller>(c: &C, id: i64, action: Action, opened_by: &str) -> Result<ProtectionFile, C::Error> {
    let file = c.state().store.protection_file(id).await?.ok_or(ErrorCode::NotFound)?;
    c.require(action, Resource::ProtectionFile(file_ref(c.user_id(), &file)))?;
    let entry = c.audit("protection.view").record("protection_file", file.id).summary(opened_by);
    c.state().store.append_audit(&entry).await?;
    Ok(file)
}

/// The list filter as a page's query or the API's parameters give it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// `low`, `medium`, `high` or `critical`.
    pub level: String,
    /// `open`, `monitoring`, `closed` or `reopened`.
    pub status: String,
    pub profile: String,
    /// A province code (`12`: Phnom Penh).
    pub province: String,
    /// A user id: files that officer is assigned to.
    pub officer: String,
    /// `1`: files with an open alert.
    pub overdue: String,
    pub page: String,
}

/// Builds the store filter; an unknown value is an error, not ignored.
pub fn file_filter(scope: ProtectionScope, q: &FileQuery) -> Result<ProtectionFileFilter, ValidationError> {
    let mut f = ProtectionFileFilter::new(scope);
    let pick = |raw: &str| Some(raw.trim().to_string()).filter(|v| !v.is_empty());
    if let Some(v) = pick(&q.level) {
        f.level = Some(RiskLevel::parse(&v).ok_or(ValidationError::new("level", "invalid-choice"))?);
    }
    if let Some(v) = pick(&q.status) {
        f.status = Some(FileStatus::parse(&v).ok_or(ValidationError::new("status", "invalid-choice"))?);
    }
    if let Some(v) = pick(&q.profile) {
        f.profile = Some(ProfileCategory::parse(&v).ok_or(ValidationError::new("profile", "invalid-choice"))?);
    }
    if let Some(v) = pick(&q.province) {
        if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new("province", "invalid-place-code"));
        }
        f.province_code = Some(v);
    }
    if let Some(v) = pick(&q.officer) {
        f.officer = Some(v.parse().map_err(|_| ValidationError::new("officer", "invalid-choice"))?);
    }
    f.overdue = matches!(q.overdue.trim(), "1" | "on" | "true");
    let page: i64 = q.page.trim().parse().unwrap_or(1).max(1);
    f.offset = (page - 1) * f.limit;
    Ok(f)
}

/// `(code, name)` of the file's people for the name check of its free
/// text: the code shown is `<case reference> <code>`.
pub fn file_names<C: Caller>(c: &C, persons: &[PersonRecord]) -> Result<Vec<(String, String)>, C::Error> {
    crate::monitoring::service::case_names(&c.state().keys, persons).map_err(Into::into)
}

/// Fields of `texts` that name one of the file's people: refused, as in
/// monitoring narratives (people are named by their codes).
pub fn names_in(names: &[(String, String)], texts: &[(&'static str, &str)]) -> Vec<ValidationError> {
    let matcher = rightsdesk_domain::names::NameMatcher::new(names);
    texts
        .iter()
        .filter(|(_, t)| !matcher.found_in(t).is_empty())
        .map(|(field, _)| ValidationError::new(field, "contains-name"))
        .collect()
}

/// What a write gives back: done, or field errors and nothing written.
pub type Checked<T> = Result<T, Vec<ValidationError>>;

/// Opens a new file in the caller's own office; they are on its team.
pub async fn create_file<C: Caller>(c: &C, f: &ProtectionFileFields) -> Result<Checked<ProtectionFile>, C::Error> {
    c.require(Action::Create, MODULE)?;
    let me = c.user().ok_or(ErrorCode::Unauthorized)?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let year = time::OffsetDateTime::now_utc().to_offset(office_offset()).year();
    let new = NewProtectionFile { office_id: me.office_id, year, input, created_by: me.id, team: vec![] };
    Ok(Ok(c.state().store.create_protection_file(&new, &c.audit("protection.create")).await?))
}

pub async fn update_file<C: Caller>(
    c: &C,
    file: &ProtectionFile,
    f: &ProtectionFileFields,
) -> Result<Checked<ProtectionFile>, C::Error> {
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let persons = c.state().store.protection_records(file.id).await?.persons;
    let named = names_in(&file_names(c, &persons)?, &[("label", &input.label)]);
    if !named.is_empty() {
        return Ok(Err(named));
    }
    Ok(Ok(c.state().store.update_protection_file(file.id, &input, &c.audit("protection.update")).await?))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatusFields {
    pub status: String,
    /// Required to close or reopen.
    pub reason: String,
}

pub async fn change_status<C: Caller>(c: &C, file: &ProtectionFile, f: &StatusFields) -> Result<Checked<()>, C::Error> {
    let (status, reason) = match status_change(file.status, &f.status, &f.reason) {
        Ok(v) => v,
        Err(e) => return Ok(Err(vec![e])),
    };
    let audit = c.audit("protection.status");
    c.state().store.transition_protection_file(file.id, status, &reason, &audit).await?;
    Ok(Ok(()))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TeamFields {
    /// User ids, comma-separated or repeated: the whole team.
    pub officers: String,
}

/// Replaces the team: staff of the file's office who work in protection;
/// the file keeps at least one officer.
pub async fn set_team<C: Caller>(c: &C, file: &ProtectionFile, ids: &[i64]) -> Result<Checked<()>, C::Error> {
    let users = c.state().store.list_users().await?;
    let mut team = vec![];
    for id in ids {
        match users.iter().find(|u| u.id == *id && !u.disabled && u.office_id == file.office_id) {
            Some(u) if matches!(u.role, rightsdesk_domain::Role::Officer | rightsdesk_domain::Role::HeadOfOffice) => {
                team.push(u.id)
            }
            _ => return Ok(Err(vec![ValidationError::new("officers", "unknown-officer")])),
        }
    }
    if team.is_empty() {
        return Ok(Err(vec![ValidationError::new("officers", "required")]));
    }
    c.state().store.set_protection_team(file.id, &team, &c.audit("protection.team")).await?;
    Ok(Ok(()))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LinkCaseFields {
    /// A case reference such as `PNH-2026-0042`.
    pub case_reference: String,
}

/// Links a monitoring case the caller may see; any other is "unknown".
pub async fn link_case<C: Caller>(c: &C, file: &ProtectionFile, f: &LinkCaseFields) -> Result<Checked<i64>, C::Error> {
    let store = &c.state().store;
    let unknown = || Ok(Err(vec![ValidationError::new("case_reference", "unknown-case")]));
    let Some(case) = store.case_by_reference(f.case_reference.trim()).await? else { return unknown() };
    let cref = crate::monitoring::case_ref(c.user_id(), &case);
    if !c.allows(Action::View, Resource::Case(cref)) {
        return unknown();
    }
    store.link_protection_case(file.id, case.id, &c.audit("protection.link")).await?;
    Ok(Ok(case.id))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LinkPersonFields {
    /// A linked case's id and one of its people's id, as `case:person`.
    pub person: String,
}

/// Links a person of a linked case whose names the caller may see: the
/// file's team will see them through the file, so only someone who may
/// already see them can share them.
pub async fn link_person<C: Caller>(
    c: &C,
    file: &ProtectionFile,
    f: &LinkPersonFields,
) -> Result<Checked<()>, C::Error> {
    let store = &c.state().store;
    let unknown = || Ok(Err(vec![ValidationError::new("person", "unknown-person")]));
    let Some((case_id, person_id)) = f
        .person
        .split_once(':')
        .and_then(|(a, b)| Some((a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?)))
    else {
        return unknown();
    };
    let linked = store.protection_records(file.id).await?.cases;
    if !linked.iter().any(|(id, _, _)| *id == case_id) {
        return unknown();
    }
    let Some(case) = store.case(case_id).await? else { return unknown() };
    let cref = crate::monitoring::case_ref(c.user_id(), &case);
    if !c.allows(Action::ViewIdentifying, Resource::Case(cref)) {
        return unknown();
    }
    if !store.persons(case_id).await?.iter().any(|p| p.id == person_id) {
        return unknown();
    }
    store.link_protection_person(file.id, person_id, &c.audit("protection.link")).await?;
    Ok(Ok(()))
}

/// A threat: its act must be one of a linked case's, its organisation known.
pub async fn add_threat<C: Caller>(
    c: &C,
    file: &ProtectionFile,
    f: &ThreatFields,
) -> Result<Checked<Threat>, C::Error> {
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let store = &c.state().store;
    let records = store.protection_records(file.id).await?;
    let mut errors = names_in(
        &file_names(c, &records.persons)?,
        &[("description", &input.description), ("actor_description", &input.actor_description)],
    );
    if let Some(act) = input.act_id {
        let mut found = false;
        for (case_id, _, _) in &records.cases {
            found |= store.acts(*case_id).await?.iter().any(|a| a.id == act);
        }
        if !found {
            errors.push(ValidationError::new("act_id", "unknown-record"));
        }
    }
    // A suspected person is an alleged perpetrator of a case linked to the file.
    if let Some(person) = input.actor_person_id {
        let mut found = false;
        for (case_id, _, _) in &records.cases {
            found |= store
                .persons(*case_id)
                .await?
                .iter()
                .any(|p| p.id == person && p.profile.role == PersonRole::Perpetrator);
        }
        if !found {
            errors.push(ValidationError::new("actor_person_id", "unknown-record"));
        }
    }
    if let Some(o) = input.actor_organisation_id {
        if !store.organisations().await?.iter().any(|x| x.id == o) {
            errors.push(ValidationError::new("actor_organisation_id", "unknown-record"));
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let by = c.user_id().ok_or(ErrorCode::Unauthorized)?;
    Ok(Ok(store.add_threat(file.id, &NewThreat { input: &input, by }, &c.audit("protection.threat")).await?))
}

/// A risk assessment; the next one falls due after the office's days for its level.
pub async fn add_assessment<C: Caller>(
    c: &C,
    file: &ProtectionFile,
    f: &RiskAssessmentFields,
    days: &ReassessmentDays,
) -> Result<Checked<RiskAssessment>, C::Error> {
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let persons = c.state().store.protection_records(file.id).await?.persons;
    let names = file_names(c, &persons)?;
    let reason = input.overridden.as_ref().map(|(_, r)| r.as_str()).unwrap_or("");
    let (v, k) = (input.vulnerabilities.join("\n"), input.capacities.join("\n"));
    let named = names_in(&names, &[("vulnerabilities", &v), ("capacities", &k), ("override_reason", reason)]);
    if !named.is_empty() {
        return Ok(Err(named));
    }
    let at = unix_now();
    let new = NewAssessment {
        input: &input,
        at,
        next_due_at: days.due_after(at, input.level()),
        by: c.user_id().ok_or(ErrorCode::Unauthorized)?,
    };
    Ok(Ok(c.state().store.add_risk_assessment(file.id, &new, &c.audit("protection.assess")).await?))
}

/// The moment a review date has passed: the office's midnight after it.
pub fn review_due_at(review_on: &Option<String>) -> Option<i64> {
    let day =
        time::Date::parse(review_on.as_deref()?, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    let next = day.next_day()?;
    Some(next.midnight().assume_offset(office_offset()).unix_timestamp())
}

/// Checks a measure's references: the responsible officer is staff of the
/// file's office, the organisation exists, an appeal's case is linked.
async fn check_measure<C: Caller>(
    c: &C,
    file: &ProtectionFile,
    input: &MeasureInput,
    cases: &[(i64, String, String)],
) -> Result<Vec<ValidationError>, C::Error> {
    let store = &c.state().store;
    let mut errors = vec![];
    if let Some(u) = input.responsible_user_id {
        let users = store.list_users().await?;
        if !users.iter().any(|x| x.id == u && !x.disabled && x.office_id == file.office_id) {
            errors.push(ValidationError::new("responsible_user_id", "unknown-officer"));
        }
    }
    let organisations = store.organisations().await?;
    if let Some(o) = input.responsible_organisation_id {
        if !organisations.iter().any(|x| x.id == o) {
            errors.push(ValidationError::new("responsible_organisation_id", "unknown-record"));
        }
    }
    if let Some((case_id, authority)) = input.intervention {
        if !cases.iter().any(|(id, _, _)| *id == case_id) {
            errors.push(ValidationError::new("case_id", "unknown-case"));
        }
        if !organisations.iter().any(|x| x.id == authority) {
            errors.push(ValidationError::new("authority_id", "unknown-record"));
        }
    }
    Ok(errors)
}

/// A protective measure; an appeal or a letter is also an intervention of
/// the linked case (sent, with the measure's description as its request),
/// which writing it needs the right to write that case's narrative for.
pub async fn add_measure<C: Caller>(
    c: &C,
    file: &ProtectionFile,
    f: &MeasureFields,
) -> Result<Checked<Measure>, C::Error> {
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let store = &c.state().store;
    let records = store.protection_records(file.id).await?;
    let mut errors = check_measure(c, file, &input, &records.cases).await?;
    errors.extend(names_in(
        &file_names(c, &records.persons)?,
        &[("description", &input.description), ("outcome", &input.outcome)],
    ));
    let mut intervention = None;
    if let (Some((case_id, authority)), true) = (input.intervention, errors.is_empty()) {
        let case = store.case(case_id).await?.ok_or(ErrorCode::NotFound)?;
        let cref = crate::monitoring::case_ref(c.user_id(), &case);
        if !c.allows(Action::WriteNarrative, Resource::Case(cref)) {
            errors.push(ValidationError::new("case_id", "unknown-case"));
        } else {
            let case_names = crate::monitoring::service::case_names(&c.state().keys, &store.persons(case_id).await?)?;
            errors.extend(names_in(&case_names, &[("description", &input.description)]));
        }
        intervention = Some(InterventionInput {
            organisation_id: authority,
            kind: if input.kind == MeasureKind::UrgentAppeal {
                InterventionKind::UrgentAppeal
            } else {
                InterventionKind::Letter
            },
            date: input.starts_on.clone(),
            request: input.description.clone(),
            status: if input.status == MeasureStatus::Planned {
                InterventionStatus::Planned
            } else {
                InterventionStatus::Sent
            },
            response_date: None,
            response: String::new(),
            next_follow_up: input.review_on.clone(),
        });
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let by = c.user_id().ok_or(ErrorCode::Unauthorized)?;
    let new = NewMeasure { input: &input, review_due_at: review_due_at(&input.review_on), intervention, by };
    Ok(Ok(store.add_measure(file.id, &new, &c.audit("protection.measure")).await?))
}

/// Changes a measure's status, dates, responsible and outcome (its kind stays).
pub async fn update_measure<C: Caller>(
    c: &C,
    file: &ProtectionFile,
    measure_id: i64,
    f: &MeasureFields,
) -> Result<Checked<Measure>, C::Error> {
    let store = &c.state().store;
    let records = store.protection_records(file.id).await?;
    let Some(before) = records.measures.iter().find(|m| m.id == measure_id) else {
        return Err(ErrorCode::NotFound.into());
    };
    // The kind and the intervention were settled when it was created.
    let fields = MeasureFields {
        kind: before.kind.as_str().into(),
        case_id: String::new(),
        authority_id: String::new(),
        ..f.clone()
    };
    let fields = if before.kind.is_intervention() {
        MeasureFields { case_id: "0".into(), authority_id: "0".into(), ..fields }
    } else {
        fields
    };
    let mut input = match fields.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    input.intervention = None;
    let mut errors = check_measure(c, file, &input, &records.cases).await?;
    errors.extend(names_in(
        &file_names(c, &records.persons)?,
        &[("description", &input.description), ("outcome", &input.outcome)],
    ));
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let by = c.user_id().ok_or(ErrorCode::Unauthorized)?;
    let new = NewMeasure { input: &input, review_due_at: review_due_at(&input.review_on), intervention: None, by };
    match store.update_measure(file.id, measure_id, &new, &c.audit("protection.measure")).await {
        Ok(m) => Ok(Ok(m)),
        Err(StoreError::NotFound) => Err(ErrorCode::NotFound.into()),
        Err(e) => Err(e.into()),
    }
}

/// Sets the check-in schedule (an empty interval stops it).
pub async fn set_schedule<C: Caller>(
    c: &C,
    file: &ProtectionFile,
    f: &CheckinScheduleFields,
) -> Result<Checked<()>, C::Error> {
    let store = &c.state().store;
    let audit = c.audit("protection.schedule");
    if f.every.trim().is_empty() && f.unit.trim().is_empty() {
        store.set_checkin_plan(file.id, None, &audit).await?;
        return Ok(Ok(()));
    }
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let plan = CheckinPlan {
        every: input.every,
        channel: input.channel,
        grace: input.grace,
        escalate_after: input.escalate_after,
        starts_at: unix_now(),
    };
    store.set_checkin_plan(file.id, Some(&plan), &audit).await?;
    Ok(Ok(()))
}

pub async fn record_checkin<C: Caller>(
    c: &C,
    file: &ProtectionFile,
    f: &CheckinFields,
) -> Result<Checked<Checkin>, C::Error> {
    let input = match f.parse(unix_now(), office_offset()) {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let store = &c.state().store;
    let persons = store.protection_records(file.id).await?.persons;
    let named = names_in(&file_names(c, &persons)?, &[("note", &input.note)]);
    if !named.is_empty() {
        return Ok(Err(named));
    }
    let by = c.user_id().ok_or(ErrorCode::Unauthorized)?;
    Ok(Ok(store.record_checkin(file.id, &input, by, &c.audit("protection.checkin")).await?))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AcknowledgeFields {
    /// What was done about it (required).
    pub note: String,
}

/// Acknowledges an open alert of a file the caller works on, with a note.
pub async fn acknowledge<C: Caller>(c: &C, alert_id: i64, f: &AcknowledgeFields) -> Result<Checked<Alert>, C::Error> {
    // Who asks comes first: whether an alert exists is not for strangers.
    scope(c)?;
    let store = &c.state().store;
    let alert = store.alert(alert_id).await?.ok_or(ErrorCode::NotFound)?;
    let file = open_file(c, alert.file_id, Action::Update, "alert acknowledged").await?;
    let note = match rightsdesk_domain::platform::required_text("note", &f.note, 2_000) {
        Ok(n) => n,
        Err(e) => return Ok(Err(vec![e])),
    };
    let persons = store.protection_records(file.id).await?.persons;
    let named = names_in(&file_names(c, &persons)?, &[("note", &note)]);
    if !named.is_empty() {
        return Ok(Err(named));
    }
    if alert.state != AlertState::Open {
        return Ok(Err(vec![ValidationError::new("note", "not-open")]));
    }
    let by = c.user_id().ok_or(ErrorCode::Unauthorized)?;
    match store.acknowledge_alert(alert_id, by, &note, &c.audit("protection.acknowledge")).await {
        Ok(()) => {}
        Err(StoreError::NotFound) => return Ok(Err(vec![ValidationError::new("note", "not-open")])),
        Err(e) => return Err(e.into()),
    }
    Ok(Ok(store.alert(alert_id).await?.ok_or(ErrorCode::NotFound)?))
}

/// Alerts for the caller: what needs them (`for_user`) or everything in their scope.
pub async fn alerts_for<C: Caller>(c: &C, for_user: bool, open_only: bool, limit: i64) -> Result<Vec<Alert>, C::Error> {
    let scope = scope(c)?;
    Ok(c.state().store.alerts(&AlertFilter { scope, for_user, open_only, limit }).await?)
}
