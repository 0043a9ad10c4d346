//! The dialogue log: meetings, calls and events; a meeting's page with its
//! links and follow-up actions; the actions due on "My follow-ups".

use super::organisations::{all_organisations, provinces};
use super::service::{self, MODULE};
use crate::auth::Ctx;
use crate::error::PageError;
use crate::extract::{PageForm, PageQuery};
use crate::kit::{render, today, FormErrors, Layout};
use crate::{choice_label, choice_options};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::engagement::{MeetingActionFields, MeetingFields, MeetingKind};
use rightsdesk_domain::{law_scope, Action, Role};
use rightsdesk_store::engagement::{Meeting, MeetingFilter};
use serde::Deserialize;

const PAGE_SIZE: i64 = 50;

/// The log's filter as the page's query gives it.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct MeetingQuery {
    pub kind: String,
    pub organisation: String,
    pub from: String,
    pub to: String,
    pub page: String,
}

pub struct MeetingRow {
    pub id: i64,
    pub held_on: String,
    pub kind: String,
    pub title: String,
    pub organisations: String,
    pub staff: String,
}

fn meeting_row(tr: &crate::i18n::Tr, m: &Meeting) -> MeetingRow {
    MeetingRow {
        id: m.id,
        held_on: tr.iso_date(&Some(m.held_on.clone())),
        kind: choice_label!(tr, m.kind),
        title: m.title.clone(),
        organisations: m
            .organisations
            .iter()
            .map(|o| super::name(tr, &o.name_en, &o.name_km))
            .collect::<Vec<_>>()
            .join(", "),
        staff: m.staff.iter().map(|s| s.name.clone()).collect::<Vec<_>>().join(", "),
    }
}

#[derive(Template)]
#[template(path = "engagement/meetings.html")]
struct MeetingsPage {
    l: Layout,
    rows: Vec<MeetingRow>,
    total: String,
    q: MeetingQuery,
    error: Option<String>,
    kinds: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    can_create: bool,
    next_page: Option<String>,
}

pub async fn list(ctx: Ctx, PageQuery(q): PageQuery<MeetingQuery>) -> Result<Response, PageError> {
    ctx.require(Action::View, MODULE)?;
    let tr = &ctx.tr;
    let mut errors = vec![];
    let kind = match q.kind.trim() {
        "" => None,
        k => MeetingKind::parse(k).or_else(|| {
            errors.push(rightsdesk_domain::ValidationError::new("kind", "invalid-choice"));
            None
        }),
    };
    let mut day = |field: &'static str, raw: &str| {
        rightsdesk_domain::monitoring::intervention::day(field, raw).map_err(|e| errors.push(e)).ok().flatten()
    };
    let from = day("from", &q.from);
    let to = day("to", &q.to);
    let page = q.page.trim().parse::<i64>().ok().filter(|p| (1..=10_000).contains(p)).unwrap_or(1);
    let filter = MeetingFilter {
        kind,
        organisation_id: q.organisation.trim().parse().ok(),
        from,
        to,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
        ..Default::default()
    };
    let store = ctx.state.store.as_ref();
    let found = store.list_meetings(&filter).await?;
    let total = store.count_meetings(&filter).await?;
    let next_page = (filter.offset + (found.len() as i64) < total).then(|| {
        let params =
            serde_urlencoded::to_string(MeetingQuery { page: (page + 1).to_string(), ..q.clone() }).unwrap_or_default();
        format!("/engagement/meetings?{params}")
    });
    let view = MeetingsPage {
        l: ctx.layout(tr.t("meetings-title")),
        rows: found.iter().map(|m| meeting_row(tr, m)).collect(),
        total: tr.tn("meetings-count", "count", total),
        error: errors.first().map(|e| crate::kit::field_message(tr, e)),
        kinds: choice_options!(tr, MeetingKind),
        organisations: all_organisations(&ctx).await?,
        can_create: ctx.allows(Action::Create, MODULE),
        next_page,
        q,
    };
    let status = if view.error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok((status, render(view)?).into_response())
}

/// A submitted meeting form: its repeated fields (several organisations,
/// contacts, staff) joined with commas as `MeetingFields` takes them.
fn meeting_fields(pairs: &[(String, String)]) -> MeetingFields {
    let mut f = MeetingFields::default();
    for (k, v) in pairs {
        let slot = match k.as_str() {
            "kind" => &mut f.kind,
            "held_on" => &mut f.held_on,
            "title" => &mut f.title,
            "place" => &mut f.place,
            "province_code" => &mut f.province_code,
            "topics" => &mut f.topics,
            "summary" => &mut f.summary,
            "organisation_ids" => &mut f.organisation_ids,
            "contact_ids" => &mut f.contact_ids,
            "staff_ids" => &mut f.staff_ids,
            "case_ids" => &mut f.case_ids,
            "intervention_ids" => &mut f.intervention_ids,
            "recommendation_ids" => &mut f.recommendation_ids,
            "law_ids" => &mut f.law_ids,
            _ => continue,
        };
        if !slot.is_empty() {
            slot.push(',');
        }
        slot.push_str(v);
    }
    f
}

fn id_set(raw: &str) -> Vec<String> {
    raw.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

#[derive(Template)]
#[template(path = "engagement/meeting_form.html")]
struct MeetingFormPage {
    l: Layout,
    form: MeetingFields,
    errors: FormErrors,
    kinds: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
    /// (id, label, selected)
    organisations: Vec<(String, String, bool)>,
    contacts: Vec<(String, String, bool)>,
    staff: Vec<(String, String, bool)>,
    laws: Vec<(String, String, bool)>,
    action: String,
}

async fn form_page(
    ctx: &Ctx,
    title: String,
    form: MeetingFields,
    errors: FormErrors,
    action: String,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let store = ctx.state.store.as_ref();
    let mark = |list: Vec<(String, String)>, chosen: &str| {
        let chosen = id_set(chosen);
        list.into_iter().map(|(id, label)| (id.clone(), label, chosen.contains(&id))).collect::<Vec<_>>()
    };
    let me = ctx.me()?;
    let staff = store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.office_id == me.office_id && !matches!(u.role, Role::FocalPoint))
        .map(|u| (u.id.to_string(), u.name))
        .collect();
    // The office's contacts, named where the reader may see the name.
    let mut contacts = vec![];
    for o in store
        .list_stakeholders(&rightsdesk_store::engagement::StakeholderFilter { limit: 1000, ..Default::default() })
        .await?
        .into_iter()
        .filter(|o| o.contacts > 0)
    {
        let records = store.contacts_of(o.id).await?;
        for r in records.into_iter().filter(|r| ctx.allows(Action::View, service::contact_ref(r))) {
            let who = if ctx.allows(Action::ViewIdentifying, service::contact_ref(&r)) && !r.identifying {
                r.clear.name.clone()
            } else {
                r.code()
            };
            contacts.push((r.id.to_string(), format!("{who} ({})", super::name(tr, &o.name_en, &o.name_km))));
        }
    }
    let laws = match law_scope(&ctx.actor) {
        Some(s) if s.institution.is_none() => store
            .list_laws(&rightsdesk_store::legislation::LawFilter { scope: Some(s), limit: 500, ..Default::default() })
            .await?
            .into_iter()
            .map(|l| (l.id.to_string(), l.short_name))
            .collect(),
        _ => vec![],
    };
    render(MeetingFormPage {
        l: ctx.layout(title),
        organisations: mark(all_organisations(ctx).await?, &form.organisation_ids),
        contacts: mark(contacts, &form.contact_ids),
        staff: mark(staff, &form.staff_ids),
        laws: mark(laws, &form.law_ids),
        kinds: choice_options!(tr, MeetingKind),
        provinces: provinces(ctx).await?,
        form,
        errors,
        action,
    })
}

/// `?case_ids=…` and the like prefill the links (from a case's or a law's page).
pub async fn new_form(ctx: Ctx, PageQuery(prefill): PageQuery<MeetingFields>) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, MODULE)?;
    let me = ctx.me()?.id;
    let form = MeetingFields { kind: "meeting".into(), held_on: today(), staff_ids: me.to_string(), ..prefill };
    let title = ctx.tr.t("meeting-new-title");
    form_page(&ctx, title, form, FormErrors::default(), "/engagement/meetings".into()).await
}

pub async fn create(ctx: Ctx, PageForm(pairs): PageForm<Vec<(String, String)>>) -> Result<Response, PageError> {
    let f = meeting_fields(&pairs);
    match service::save_meeting(&ctx, None, &f).await? {
        Ok(m) => Ok(Redirect::to(&format!("/engagement/meetings/{}", m.id)).into_response()),
        Err(errors) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let title = ctx.tr.t("meeting-new-title");
            let page = form_page(&ctx, title, f, errors, "/engagement/meetings".into()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

fn join(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, PageError> {
    let m = service::open_meeting(&ctx, id).await?;
    ctx.require(Action::Update, MODULE)?;
    // The form holds what the editor may see; the rest is kept on save.
    let hidden = service::hidden_links(&ctx, &m).await?;
    let mut l = m.links.clone();
    l.case_ids.retain(|x| !hidden.case_ids.contains(x));
    l.intervention_ids.retain(|x| !hidden.intervention_ids.contains(x));
    l.recommendation_ids.retain(|x| !hidden.recommendation_ids.contains(x));
    l.law_ids.retain(|x| !hidden.law_ids.contains(x));
    l.staff_ids.retain(|x| !hidden.staff_ids.contains(x));
    let form = MeetingFields {
        kind: m.kind.as_str().into(),
        held_on: m.held_on.clone(),
        title: m.title.clone(),
        place: m.place.clone(),
        province_code: m.province_code.clone().unwrap_or_default(),
        topics: m.topics.join(", "),
        summary: m.summary.clone(),
        organisation_ids: join(&l.organisation_ids),
        contact_ids: join(&l.contact_ids),
        staff_ids: join(&l.staff_ids),
        case_ids: join(&l.case_ids),
        intervention_ids: join(&l.intervention_ids),
        recommendation_ids: join(&l.recommendation_ids),
        law_ids: join(&l.law_ids),
    };
    let title = ctx.tr.t1("meeting-edit-title", "title", &m.title);
    form_page(&ctx, title, form, FormErrors::default(), format!("/engagement/meetings/{id}")).await
}

pub async fn update(
    ctx: Ctx,
    Path(id): Path<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = meeting_fields(&pairs);
    match service::save_meeting(&ctx, Some(id), &f).await? {
        Ok(_) => Ok(Redirect::to(&format!("/engagement/meetings/{id}")).into_response()),
        Err(errors) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let title = ctx.tr.t1("meeting-edit-title", "title", &f.title);
            let page = form_page(&ctx, title, f, errors, format!("/engagement/meetings/{id}")).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub struct ActionRow {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    pub action: String,
    pub owner: String,
    pub due_on: String,
    pub done_on: String,
    pub overdue: bool,
}

fn action_row(tr: &crate::i18n::Tr, a: &rightsdesk_store::engagement::MeetingAction, day: &str) -> ActionRow {
    ActionRow {
        id: a.id,
        meeting_id: a.meeting_id,
        meeting_title: a.meeting_title.clone(),
        action: a.action.clone(),
        owner: a.owner_name.clone(),
        due_on: tr.iso_date(&Some(a.due_on.clone())),
        done_on: tr.iso_date(&a.done_on),
        overdue: a.done_on.is_none() && a.due_on.as_str() < day,
    }
}

/// The follow-ups of meetings the signed-in user owns and has not done.
pub async fn due_actions(ctx: &Ctx) -> Result<Vec<ActionRow>, PageError> {
    if !ctx.allows(Action::View, MODULE) {
        return Ok(vec![]);
    }
    let me = ctx.me()?.id;
    let day = today();
    Ok(ctx.state.store.open_actions_of(me).await?.iter().map(|a| action_row(&ctx.tr, a, &day)).collect())
}

#[derive(Template)]
#[template(path = "engagement/meeting.html")]
struct MeetingPage {
    l: Layout,
    m: MeetingRow,
    place: String,
    province: String,
    topics: String,
    summary: String,
    /// (id, name)
    organisations: Vec<(i64, String)>,
    contacts: Vec<(i64, String)>,
    cases: Vec<(i64, String)>,
    /// (case id, intervention id, case reference, kind)
    interventions: Vec<(i64, i64, String, String)>,
    recommendations: Vec<(i64, String, String)>,
    laws: Vec<(i64, String)>,
    actions: Vec<ActionRow>,
    can_edit: bool,
    owners: Vec<(String, String)>,
    action_form: MeetingActionFields,
    errors: FormErrors,
}

async fn meeting_page(
    ctx: &Ctx,
    id: i64,
    action_form: MeetingActionFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let m = service::open_meeting(ctx, id).await?;
    let tr = &ctx.tr;
    let links = service::visible_meeting_links(ctx, &m).await?;
    let store = ctx.state.store.as_ref();
    let province = match &m.province_code {
        Some(code) => store
            .provinces()
            .await?
            .into_iter()
            .find(|p| &p.code == code)
            .map(|p| tr.pick(&p.name_en, &p.name_km).to_string())
            .unwrap_or_default(),
        None => String::new(),
    };
    let day = today();
    let actions = store.meeting_actions(id).await?.iter().map(|a| action_row(tr, a, &day)).collect();
    let me = ctx.me()?;
    let owners = store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.office_id == me.office_id && !matches!(u.role, Role::FocalPoint))
        .map(|u| (u.id.to_string(), u.name))
        .collect();
    render(MeetingPage {
        l: ctx.layout(m.title.clone()),
        m: meeting_row(tr, &m),
        place: m.place.clone(),
        province,
        topics: tr.themes(&m.topics),
        summary: m.summary.clone(),
        organisations: m.organisations.iter().map(|o| (o.id, super::name(tr, &o.name_en, &o.name_km))).collect(),
        contacts: links.contacts.iter().map(|c| (c.record.id, c.label())).collect(),
        cases: links.cases.iter().map(|c| (c.id, c.reference.clone())).collect(),
        interventions: links
            .interventions
            .iter()
            .map(|i| {
                let kind = rightsdesk_domain::monitoring::intervention::InterventionKind::parse(&i.kind)
                    .map(|k| choice_label!(tr, k))
                    .unwrap_or_default();
                (i.case_id, i.id, i.case_reference.clone(), kind)
            })
            .collect(),
        recommendations: links.recommendations,
        laws: links.laws,
        actions,
        can_edit: ctx.allows(Action::Update, MODULE),
        owners,
        action_form,
        errors,
    })
}

pub async fn view(ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, MODULE)?;
    let me = ctx.me()?.id;
    meeting_page(
        &ctx,
        id,
        MeetingActionFields { owner_id: me.to_string(), ..Default::default() },
        FormErrors::default(),
    )
    .await
}

pub async fn add_action(
    ctx: Ctx,
    Path(id): Path<i64>,
    PageForm(f): PageForm<MeetingActionFields>,
) -> Result<Response, PageError> {
    match service::add_action(&ctx, id, &f).await? {
        Ok(_) => Ok(Redirect::to(&format!("/engagement/meetings/{id}#follow-ups")).into_response()),
        Err(errors) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let page = meeting_page(&ctx, id, f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DoneForm {
    done: String,
}

pub async fn action_done(
    ctx: Ctx,
    Path((id, action)): Path<(i64, i64)>,
    PageForm(f): PageForm<DoneForm>,
) -> Result<Response, PageError> {
    service::set_action_done(&ctx, id, action, f.done == "1").await?;
    Ok(Redirect::to(&format!("/engagement/meetings/{id}#follow-ups")).into_response())
}
