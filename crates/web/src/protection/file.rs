//! One protection file: the whole picture (people, threats, assessments,
//! measures, check-ins, linked cases and interventions, a timeline) and the
//! forms that add to it. Each form re-renders the page with its field
//! errors and nothing written.

use super::rows::{self, AssessmentRow, CheckinRow, MeasureRow, ThreatRow, TimelineEntry};
use super::service::{self, LinkCaseFields, LinkPersonFields, StatusFields};
use super::{opt_when, place, when};
use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath};
use crate::i18n::Tr;
use crate::kit::{render, FormErrors, Layout};
use crate::{choice_label, choice_options};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::protection::*;
use rightsdesk_domain::{Action, ValidationError};
use rightsdesk_store::protection::{ProtectionFile, ProtectionRecords};
use serde::Deserialize;

/// Which form was sent, what it held and what was wrong with it.
#[derive(Default)]
pub struct Forms {
    pub section: &'static str,
    pub errors: FormErrors,
    pub details: Option<ProtectionFileFields>,
    pub status: StatusFields,
    pub link_case: LinkCaseFields,
    pub threat: ThreatFields,
    pub assessment: RiskAssessmentFields,
    pub measure: MeasureFields,
    pub schedule: Option<CheckinScheduleFields>,
    pub checkin: CheckinFields,
}

impl Forms {
    fn failed(section: &'static str, tr: &Tr, errors: &[ValidationError]) -> Self {
        Forms { section, errors: FormErrors::from_validation(tr, errors), ..Default::default() }
    }
}

#[derive(Template)]
#[template(path = "protection/file.html")]
struct FilePage {
    l: Layout,
    f: ProtectionFile,
    subject: String,
    profile: String,
    place: String,
    status: String,
    level: String,
    level_code: String,
    reassess_due: String,
    team: Vec<String>,
    people: Vec<(String, String)>,
    cases: Vec<(i64, String, String)>,
    threats: Vec<ThreatRow>,
    assessments: Vec<AssessmentRow>,
    measures: Vec<MeasureRow>,
    schedule: String,
    next_checkin: String,
    standing: String,
    standing_code: String,
    checkins: Vec<CheckinRow>,
    alerts: Vec<super::AlertRow>,
    timeline: Vec<TimelineEntry>,
    can_edit: bool,
    forms: Forms,
    /// The details form (shared with the new-file page).
    form: ProtectionFileFields,
    errors: FormErrors,
    // Choices of the forms.
    next_statuses: Vec<(String, String)>,
    subjects: Vec<(String, String)>,
    profiles: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
    officers: Vec<(String, String, bool)>,
    person_choices: Vec<(String, String)>,
    threat_kinds: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    /// Alleged perpetrators of the linked cases, by case reference and code.
    suspects: Vec<(String, String)>,
    acts: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    measure_kinds: Vec<(String, String)>,
    measure_statuses: Vec<(String, String)>,
    channels: Vec<(String, String)>,
    outcomes: Vec<(String, String)>,
    units: Vec<(String, String)>,
    now_local: String,
}

fn fields_of(f: &ProtectionFile) -> ProtectionFileFields {
    ProtectionFileFields {
        subject: f.subject.as_str().into(),
        label: f.label.clone(),
        profile: f.profile.as_str().into(),
        province: f.province_code.clone().unwrap_or_default(),
        district: f.district_code.clone().unwrap_or_default(),
        commune: f.commune_code.clone().unwrap_or_default(),
    }
}

fn schedule_fields(f: &ProtectionFile) -> CheckinScheduleFields {
    match &f.checkins {
        Some(p) if p.every % 86_400 == 0 => CheckinScheduleFields {
            every: (p.every / 86_400).to_string(),
            unit: "days".into(),
            channel: p.channel.as_str().into(),
            grace_hours: (p.grace / 3_600).to_string(),
            escalate_after_hours: (p.escalate_after / 3_600).to_string(),
        },
        Some(p) => CheckinScheduleFields {
            every: (p.every / 3_600).to_string(),
            unit: "hours".into(),
            channel: p.channel.as_str().into(),
            grace_hours: (p.grace / 3_600).to_string(),
            escalate_after_hours: (p.escalate_after / 3_600).to_string(),
        },
        None => CheckinScheduleFields { unit: "days".into(), channel: "call".into(), ..Default::default() },
    }
}

fn local_minute_now() -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(service::office_offset());
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", now.year(), now.month() as u8, now.day(), now.hour(), now.minute())
}

async fn file_page(ctx: &Ctx, f: ProtectionFile, forms: Forms) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let store = ctx.state.store.as_ref();
    let records: ProtectionRecords = store.protection_records(f.id).await?;
    let users = store.list_users().await?;
    let user_name = |id: Option<i64>| {
        id.and_then(|id| users.iter().find(|u| u.id == id)).map(|u| u.name.clone()).unwrap_or_else(|| "—".into())
    };
    let organisations = store.organisations().await?;
    let org_name = |id: Option<i64>| {
        id.and_then(|id| organisations.iter().find(|o| o.id == id)).map(|o| tr.pick(&o.name_en, &o.name_km).to_string())
    };
    // People: everyone who sees the file sees whom it protects.
    let case_ref_of = |case_id: i64| {
        records.cases.iter().find(|(id, _, _)| *id == case_id).map(|(_, r, _)| r.clone()).unwrap_or_default()
    };
    let mut people = vec![];
    for p in &records.persons {
        let identity = p.identity(&ctx.state.keys).map_err(|e| {
            tracing::error!(person = p.id, error = %e, "identifying fields do not open");
            ErrorCode::Internal
        })?;
        people.push((format!("{} {}", case_ref_of(p.case_id), p.code).trim().to_string(), identity.name));
    }
    let mut acts = vec![];
    let mut person_choices = vec![];
    let mut suspects = vec![];
    for (case_id, reference, _) in &records.cases {
        for a in store.acts(*case_id).await? {
            let date = a.date.as_ref().map(|d| d.value.clone());
            acts.push((a.id.to_string(), format!("{reference}: {} ({})", a.act_type, tr.iso_date(&date))));
        }
        let case_persons = store.persons(*case_id).await?;
        // Suspected persons by code only: the file's team may not be the case's.
        suspects.extend(
            case_persons
                .iter()
                .filter(|p| p.profile.role == rightsdesk_domain::monitoring::PersonRole::Perpetrator)
                .map(|p| (p.id.to_string(), format!("{reference} {}", p.code))),
        );
        let Some(case) = store.case(*case_id).await? else { continue };
        let cref = crate::monitoring::case_ref(ctx.user.as_ref().map(|u| u.id), &case);
        if ctx.allows(Action::ViewIdentifying, rightsdesk_domain::Resource::Case(cref)) {
            for p in case_persons {
                if records.persons.iter().any(|x| x.id == p.id) {
                    continue;
                }
                let name = p.identity(&ctx.state.keys).map(|i| i.name).unwrap_or_default();
                person_choices.push((format!("{case_id}:{}", p.id), format!("{reference} {}: {name}", p.code)));
            }
        }
    }
    let threats = records
        .threats
        .iter()
        .map(|t| ThreatRow {
            date: tr.iso_date(&Some(t.date.clone())),
            kind: choice_label!(tr, t.kind),
            actor: [
                t.actor_organisation_en
                    .as_deref()
                    .map(|en| tr.pick(en, t.actor_organisation_km.as_deref().unwrap_or(en)).to_string())
                    .unwrap_or_default(),
                t.actor_person.clone().unwrap_or_default(),
                t.actor_description.clone(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": "),
            description: t.description.clone(),
            act: t
                .act_id
                .and_then(|id| acts.iter().find(|(a, _)| *a == id.to_string()))
                .map(|(_, l)| l.clone())
                .unwrap_or_default(),
        })
        .collect();
    let assessments = records.assessments.iter().map(|a| rows::assessment_row(tr, a)).collect();
    let mut intervention_cases = vec![];
    for m in &records.measures {
        let case = match m.intervention_id {
            Some(iid) => store.intervention(iid).await?.map(|i| i.case_id),
            None => None,
        };
        intervention_cases.push(case);
    }
    let measures = records
        .measures
        .iter()
        .zip(intervention_cases)
        .map(|(m, intervention_case)| MeasureRow {
            id: m.id,
            kind: choice_label!(tr, m.kind),
            responsible: match (m.responsible_user_id, org_name(m.responsible_organisation_id)) {
                (Some(u), _) => user_name(Some(u)),
                (None, Some(o)) => o,
                _ => "—".into(),
            },
            status: choice_label!(tr, m.status),
            status_code: m.status.as_str().into(),
            period: format!("{} – {}", tr.iso_date(&m.starts_on), tr.iso_date(&m.ends_on)),
            review: tr.iso_date(&m.review_on),
            description: m.description.clone(),
            outcome: m.outcome.clone(),
            intervention_case,
            fields: MeasureFields {
                kind: m.kind.as_str().into(),
                responsible_user_id: m.responsible_user_id.map(|v| v.to_string()).unwrap_or_default(),
                responsible_organisation_id: m.responsible_organisation_id.map(|v| v.to_string()).unwrap_or_default(),
                status: m.status.as_str().into(),
                starts_on: m.starts_on.clone().unwrap_or_default(),
                ends_on: m.ends_on.clone().unwrap_or_default(),
                review_on: m.review_on.clone().unwrap_or_default(),
                description: m.description.clone(),
                outcome: m.outcome.clone(),
                ..Default::default()
            },
        })
        .collect();
    let checkins = records.checkins.iter().map(|c| rows::checkin_row(tr, c, user_name(c.recorded_by))).collect();
    let (schedule, next_checkin, standing, standing_code) = match &f.checkins {
        Some(p) => {
            let every = if p.every % 86_400 == 0 {
                tr.tn("protection-every-days", "n", p.every / 86_400)
            } else {
                tr.tn("protection-every-hours", "n", p.every / 3_600)
            };
            let next = p.schedule().next(f.last_reached_at, service::unix_now());
            let code = match next.standing {
                CheckinStanding::Upcoming => "upcoming",
                CheckinStanding::Due => "due",
                CheckinStanding::Missed => "missed",
                CheckinStanding::Escalated => "escalated",
            };
            (
                format!("{every}, {}", choice_label!(tr, p.channel)),
                when(tr, next.due_at),
                tr.t(&format!("checkin-standing-{code}")),
                code.to_string(),
            )
        }
        None => (tr.t("protection-no-schedule"), "—".into(), String::new(), String::new()),
    };
    let alerts: Vec<super::AlertRow> = records.alerts.iter().map(|a| super::alerts::alert_row(tr, a, &users)).collect();
    let timeline = rows::timeline(tr, &f, &records);
    let officers = users
        .iter()
        .filter(|u| u.office_id == f.office_id && !u.disabled)
        .filter(|u| matches!(u.role, rightsdesk_domain::Role::Officer | rightsdesk_domain::Role::HeadOfOffice))
        .map(|u| (u.id.to_string(), u.name.clone(), f.team.contains(&u.id)))
        .collect();
    let places = ctx.state.places().await?;
    let can_edit = ctx.allows(
        Action::Update,
        rightsdesk_domain::Resource::ProtectionFile(service::file_ref(ctx.user.as_ref().map(|u| u.id), &f)),
    );
    let mut forms = forms;
    let (form, errors) = if forms.section == "details" {
        (forms.details.take().unwrap_or_else(|| fields_of(&f)), std::mem::take(&mut forms.errors))
    } else {
        (fields_of(&f), FormErrors::default())
    };
    if forms.schedule.is_none() {
        forms.schedule = Some(schedule_fields(&f));
    }
    if forms.checkin.at.is_empty() {
        forms.checkin.channel = f.checkins.map(|p| p.channel.as_str().to_string()).unwrap_or_else(|| "call".into());
    }
    render(FilePage {
        l: ctx.layout(format!("{} — {}", f.reference, f.label)),
        subject: choice_label!(tr, f.subject),
        profile: choice_label!(tr, f.profile),
        place: [
            place(ctx, &f.province_code).await?,
            place(ctx, &f.district_code).await?,
            place(ctx, &f.commune_code).await?,
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", "),
        status: choice_label!(tr, f.status),
        level: f.level.map(|l| choice_label!(tr, l)).unwrap_or_else(|| tr.t("risk-level-none")),
        level_code: f.level.map(|l| l.as_str().to_string()).unwrap_or_default(),
        reassess_due: opt_when(tr, f.reassess_due_at),
        team: f.team.iter().map(|u| user_name(Some(*u))).collect(),
        people,
        cases: records.cases.clone(),
        threats,
        assessments,
        measures,
        schedule,
        next_checkin,
        standing,
        standing_code,
        checkins,
        alerts,
        timeline,
        can_edit,
        next_statuses: FileStatus::ALL
            .iter()
            .filter(|s| f.status.can_become(**s))
            .map(|s| (s.as_str().to_string(), choice_label!(tr, s)))
            .collect(),
        subjects: choice_options!(tr, FileSubject),
        profiles: choice_options!(tr, ProfileCategory),
        provinces: places.provinces.iter().map(|(c, en, km)| (c.clone(), tr.pick(en, km).to_string())).collect(),
        officers,
        person_choices,
        threat_kinds: choice_options!(tr, ThreatKind),
        organisations: organisations
            .iter()
            .map(|o| (o.id.to_string(), tr.pick(&o.name_en, &o.name_km).to_string()))
            .collect(),
        suspects,
        acts,
        levels: choice_options!(tr, RiskLevel),
        measure_kinds: choice_options!(tr, MeasureKind),
        measure_statuses: choice_options!(tr, MeasureStatus),
        channels: choice_options!(tr, CheckinChannel),
        outcomes: choice_options!(tr, CheckinOutcome),
        units: choice_options!(tr, IntervalUnit),
        now_local: local_minute_now(),
        forms,
        form,
        errors,
        f,
    })
}

pub async fn view(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let f = service::open_file(&ctx, id, Action::View, "file page").await?;
    file_page(&ctx, f, Forms::default()).await
}

/// The answer to a form: back to the file, or the page with its errors.
async fn answer(
    ctx: &Ctx,
    f: ProtectionFile,
    anchor: &str,
    outcome: Result<(), (Forms, Vec<ValidationError>)>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/protection/files/{}#{anchor}", f.id)).into_response()),
        Err((mut forms, errors)) => {
            let failed = Forms::failed(forms.section, &ctx.tr, &errors);
            forms.errors = failed.errors;
            let page = file_page(ctx, f, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn open_for_form(ctx: &Ctx, id: i64) -> Result<ProtectionFile, PageError> {
    service::open_file(ctx, id, Action::Update, "file form").await
}

pub async fn update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ProtectionFileFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let outcome = service::update_file(&ctx, &f, &form).await?.map(drop);
    let outcome = outcome.map_err(|e| (Forms { section: "details", details: Some(form), ..Default::default() }, e));
    answer(&ctx, f, "details", outcome).await
}

pub async fn status(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<StatusFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let outcome = service::change_status(&ctx, &f, &form).await?;
    let outcome = outcome.map_err(|e| (Forms { section: "status", status: form, ..Default::default() }, e));
    answer(&ctx, f, "status", outcome).await
}

/// The team form: one checkbox per officer, all named `officers`.
#[derive(Debug, Default, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    pub officers: Vec<String>,
}

pub async fn team(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<TeamForm>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let ids: Result<Vec<i64>, _> = form.officers.iter().map(|o| o.trim().parse::<i64>()).collect();
    let outcome = match ids {
        Ok(ids) => service::set_team(&ctx, &f, &ids).await?,
        Err(_) => Err(vec![ValidationError::new("officers", "unknown-officer")]),
    };
    let outcome = outcome.map_err(|e| (Forms { section: "team", ..Default::default() }, e));
    answer(&ctx, f, "team", outcome).await
}

pub async fn link_case(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<LinkCaseFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let outcome = service::link_case(&ctx, &f, &form).await?.map(drop);
    let outcome = outcome.map_err(|e| (Forms { section: "cases", link_case: form, ..Default::default() }, e));
    answer(&ctx, f, "cases", outcome).await
}

pub async fn link_person(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<LinkPersonFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let outcome = service::link_person(&ctx, &f, &form).await?;
    let outcome = outcome.map_err(|e| (Forms { section: "people", ..Default::default() }, e));
    answer(&ctx, f, "people", outcome).await
}

pub async fn add_threat(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ThreatFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let outcome = service::add_threat(&ctx, &f, &form).await?.map(drop);
    let outcome = outcome.map_err(|e| (Forms { section: "threats", threat: form, ..Default::default() }, e));
    answer(&ctx, f, "threats", outcome).await
}

pub async fn add_assessment(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<RiskAssessmentFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let days = ctx.state.config.reassessment_days;
    let outcome = service::add_assessment(&ctx, &f, &form, &days).await?.map(drop);
    let outcome = outcome.map_err(|e| (Forms { section: "assessments", assessment: form, ..Default::default() }, e));
    answer(&ctx, f, "assessments", outcome).await
}

pub async fn add_measure(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<MeasureFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let outcome = service::add_measure(&ctx, &f, &form).await?.map(drop);
    let outcome = outcome.map_err(|e| (Forms { section: "measures", measure: form, ..Default::default() }, e));
    answer(&ctx, f, "measures", outcome).await
}

pub async fn update_measure(
    ctx: Ctx,
    PagePath((id, measure)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<MeasureFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let outcome = service::update_measure(&ctx, &f, measure, &form).await?.map(drop);
    let outcome = outcome.map_err(|e| (Forms { section: "measure-edit", ..Default::default() }, e));
    answer(&ctx, f, "measures", outcome).await
}

pub async fn schedule(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CheckinScheduleFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let outcome = service::set_schedule(&ctx, &f, &form).await?;
    let outcome = outcome.map_err(|e| (Forms { section: "schedule", schedule: Some(form), ..Default::default() }, e));
    answer(&ctx, f, "checkins", outcome).await
}

pub async fn checkin(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CheckinFields>,
) -> Result<Response, PageError> {
    let f = open_for_form(&ctx, id).await?;
    let outcome = service::record_checkin(&ctx, &f, &form).await?.map(drop);
    let outcome = outcome.map_err(|e| (Forms { section: "checkin", checkin: form, ..Default::default() }, e));
    answer(&ctx, f, "checkins", outcome).await
}
