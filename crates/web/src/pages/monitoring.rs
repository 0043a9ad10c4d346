//! Monitoring pages: the case list, opening and editing cases, the case page
//! with its workflow, team and history.

use super::{render, FormErrors, Layout};
use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::i18n::Tr;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::monitoring::{CaseFields, CaseInput, CaseStatus, FuzzyDate, Sensitivity};
use rightsdesk_domain::{case_scope, Action, CaseRef, Module, Resource, Role, ValidationError};
use rightsdesk_store::{Case, CaseFilter, NewCase, Store};
use serde::Deserialize;

pub fn status_label(tr: &Tr, s: CaseStatus) -> String {
    tr.t(&format!("case-status-{}", s.as_str().replace('_', "-")))
}

pub fn sensitivity_label(tr: &Tr, s: Sensitivity) -> String {
    tr.t(&format!("sensitivity-{}", s.as_str()))
}

pub fn date_label(tr: &Tr, d: &Option<FuzzyDate>) -> String {
    match d {
        None => "—".into(),
        Some(d) => {
            let text = tr.iso_date(&Some(d.value.clone()));
            if d.precision == rightsdesk_domain::monitoring::DatePrecision::Approximate {
                tr.t1("date-approximate", "date", &text)
            } else {
                text
            }
        }
    }
}

/// The policy's view of one case for the current user.
pub fn case_ref(ctx_user_id: Option<i64>, c: &Case) -> CaseRef {
    CaseRef {
        office_id: c.office_id,
        restricted: c.sensitivity == Sensitivity::Restricted,
        assigned: ctx_user_id.is_some_and(|u| c.assigned.contains(&u)),
    }
}

/// Loads a case the user may act on; a case they may not see answers 404
/// exactly like one that does not exist. Reading a restricted case is audited.
pub async fn load_case(ctx: &Ctx, id: i64, action: Action) -> Result<Case, PageError> {
    let case = ctx.state.store.case(id).await?.ok_or(ErrorCode::NotFound)?;
    ctx.require(action, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &case)))?;
    if case.sensitivity == Sensitivity::Restricted && action == Action::View {
        ctx.state
            .store
            .append_audit(&ctx.audit("case.view").record("case", case.id).summary("restricted case read"))
            .await?;
    }
    Ok(case)
}

pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub restricted: bool,
    pub province: String,
    pub start: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "monitoring_list.html")]
struct ListPage {
    l: Layout,
    q: ListQuery,
    total: String,
    rows: Vec<CaseRow>,
    next_href: Option<String>,
    can_create: bool,
    offices: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    error: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub sensitivity: String,
    #[serde(default)]
    pub mine: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub before: Option<i64>,
}

fn iso_day(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| FuzzyDate::parse("from", s, false).ok().flatten().map(|d| d.sort_key())).flatten()
}

/// Builds the store filter from a query; unknown values are errors, not ignored.
pub async fn case_filter(
    store: &dyn Store,
    scope: rightsdesk_domain::CaseScope,
    me: i64,
    q: &ListQuery,
) -> Result<CaseFilter, ValidationError> {
    let mut f = CaseFilter::new(scope);
    if !q.office.is_empty() {
        let o = store.office_by_code(&q.office).await.ok().flatten();
        f.office_id = Some(o.ok_or(ValidationError::new("office", "unknown-office"))?.id);
    }
    if !q.status.is_empty() {
        f.status = Some(CaseStatus::parse(&q.status).ok_or(ValidationError::new("status", "invalid-choice"))?);
    }
    if !q.province.is_empty() {
        f.province_code = Some(q.province.clone());
    }
    if !q.sensitivity.is_empty() {
        f.sensitivity =
            Some(Sensitivity::parse(&q.sensitivity).ok_or(ValidationError::new("sensitivity", "invalid-choice"))?);
    }
    if q.mine == "1" || q.mine == "on" {
        f.assigned_to = Some(me);
    }
    if !q.from.trim().is_empty() {
        f.from = Some(iso_day(&q.from).ok_or(ValidationError::new("from", "invalid-fuzzy-date"))?);
    }
    if !q.to.trim().is_empty() {
        f.to = Some(iso_day(&q.to).ok_or(ValidationError::new("to", "invalid-fuzzy-date"))?);
    }
    f.before_id = q.before;
    Ok(f)
}

async fn province_names(ctx: &Ctx) -> Result<Vec<(String, String)>, PageError> {
    Ok(ctx
        .state
        .store
        .provinces()
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), ctx.tr.pick(&p.name_en, &p.name_km).to_string()))
        .collect())
}

pub const PAGE_SIZE: i64 = 50;

pub async fn list(ctx: Ctx, PageQuery(q): PageQuery<ListQuery>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Module(Module::Monitoring))?;
    let scope = case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let me = ctx.me()?.id;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let provinces = province_names(&ctx).await?;
    let (rows, total, next_href, error) = match case_filter(store, scope, me, &q).await {
        Ok(mut f) => {
            f.limit = PAGE_SIZE;
            let total = store.count_cases(&f).await?;
            let list = store.list_cases(&f).await?;
            let next = (list.len() as i64 == PAGE_SIZE).then(|| {
                let mut next = q.clone();
                next.before = list.last().map(|c| c.id);
                format!("/monitoring?{}", list_query_string(&next))
            });
            let rows = list
                .into_iter()
                .map(|c| CaseRow {
                    id: c.id,
                    reference: c.reference,
                    title: c.title,
                    status: status_label(tr, c.status),
                    restricted: c.sensitivity == Sensitivity::Restricted,
                    province: c
                        .province_code
                        .as_ref()
                        .and_then(|code| provinces.iter().find(|p| &p.0 == code).map(|p| p.1.clone()))
                        .unwrap_or_default(),
                    start: date_label(tr, &c.start),
                    updated: tr.date(c.updated_at),
                })
                .collect();
            (rows, total, next, None)
        }
        Err(e) => (vec![], 0, None, Some(tr.t(&format!("field-error-{}", e.code)))),
    };
    let offices = store.list_offices().await?.into_iter().map(|o| (o.code.clone(), o.code)).collect();
    let statuses = CaseStatus::ALL.into_iter().map(|s| (s.as_str().to_string(), status_label(tr, s))).collect();
    render(ListPage {
        l: ctx.layout(tr.t("cases-title")),
        total: tr.tn("cases-count", "count", total),
        q,
        rows,
        next_href,
        can_create: ctx.allows(Action::Create, Resource::Module(Module::Monitoring)),
        offices,
        provinces,
        statuses,
        error,
    })
}

fn list_query_string(q: &ListQuery) -> String {
    let pairs = [
        ("office", q.office.clone()),
        ("status", q.status.clone()),
        ("province", q.province.clone()),
        ("sensitivity", q.sensitivity.clone()),
        ("mine", q.mine.clone()),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
        ("before", q.before.map(|b| b.to_string()).unwrap_or_default()),
    ];
    let kept: Vec<(&str, String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "case_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    f: CaseFields,
    start_approximate: bool,
    end_approximate: bool,
    provinces: Vec<(String, String)>,
    districts: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    errors: FormErrors,
}

async fn form_page(
    ctx: &Ctx,
    title: String,
    action: String,
    f: CaseFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let districts = if f.province.len() == 2 {
        store
            .districts(&f.province)
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), tr.pick(&d.name_en, &d.name_km).to_string()))
            .collect()
    } else {
        vec![]
    };
    let communes = if f.district.len() == 4 {
        store
            .communes(&f.district)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), tr.pick(&c.name_en, &c.name_km).to_string()))
            .collect()
    } else {
        vec![]
    };
    render(FormPage {
        l: ctx.layout(title),
        action,
        start_approximate: f.start_approximate.is_some(),
        end_approximate: f.end_approximate.is_some(),
        f,
        provinces: province_names(ctx).await?,
        districts,
        communes,
        errors,
    })
}

pub async fn new_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    form_page(&ctx, ctx.tr.t("case-new"), "/monitoring/cases".into(), CaseFields::default(), FormErrors::default())
        .await
}

/// Validates a case form, including that the places exist.
async fn validate(ctx: &Ctx, f: &CaseFields) -> Result<CaseInput, Vec<ValidationError>> {
    validate_fields(ctx.state.store.as_ref(), f).await
}

/// Validates case fields (pages and API), including that the places exist.
pub async fn validate_fields(store: &dyn Store, f: &CaseFields) -> Result<CaseInput, Vec<ValidationError>> {
    let input = CaseInput::parse(f)?;
    let mut errors = vec![];
    if let Some(p) = &input.province_code {
        if store.province(p).await.ok().flatten().is_none() {
            errors.push(ValidationError::new("province", "unknown-place"));
        }
    }
    if let Some(d) = &input.district_code {
        if store.district(d).await.ok().flatten().is_none() {
            errors.push(ValidationError::new("district", "unknown-place"));
        }
    }
    if let Some(c) = &input.commune_code {
        let known = match &input.district_code {
            Some(d) => store.communes(d).await.map(|cs| cs.iter().any(|x| &x.code == c)).unwrap_or(false),
            None => false,
        };
        if !known {
            errors.push(ValidationError::new("commune", "unknown-place"));
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

pub async fn create(ctx: Ctx, PageForm(f): PageForm<CaseFields>) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    let me = ctx.me()?;
    let input = match validate(&ctx, &f).await {
        Ok(i) => i,
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            let page = form_page(&ctx, ctx.tr.t("case-new"), "/monitoring/cases".into(), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let year = (time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC)))
    .year();
    let new = NewCase { input, office_id: me.office_id, year, created_by: me.id, assigned: vec![me.id] };
    let case = ctx.state.store.create_case(&new, &ctx.audit("case.create")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{}", case.id)).into_response())
}

pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub change: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "case_view.html")]
struct CasePage {
    l: Layout,
    c: Case,
    status: String,
    restricted: bool,
    sensitivity: String,
    place: String,
    start: String,
    end: String,
    team: Vec<String>,
    next: Vec<(String, String)>,
    reopen: bool,
    can_edit: bool,
    history: Vec<HistoryRow>,
    members: Vec<(i64, String, bool)>,
    error: Option<String>,
}

async fn place_label(ctx: &Ctx, c: &Case) -> Result<String, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let mut parts = vec![];
    if let Some(code) = &c.commune_code {
        if let Some(d) = &c.district_code {
            if let Some(x) = store.communes(d).await?.into_iter().find(|x| &x.code == code) {
                parts.push(tr.pick(&x.name_en, &x.name_km).to_string());
            }
        }
    }
    if let Some(code) = &c.district_code {
        if let Some(d) = store.district(code).await? {
            parts.push(tr.pick(&d.name_en, &d.name_km).to_string());
        }
    }
    if let Some(code) = &c.province_code {
        if let Some(p) = store.province(code).await? {
            parts.push(tr.pick(&p.name_en, &p.name_km).to_string());
        }
    }
    if !c.location_text.is_empty() {
        parts.insert(0, c.location_text.clone());
    }
    Ok(if parts.is_empty() { "—".into() } else { parts.join(", ") })
}

async fn case_page(ctx: &Ctx, c: Case, error: Option<String>) -> Result<Html<String>, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let users = store.list_users().await?;
    let name_of =
        |id: i64| users.iter().find(|u| u.id == id).map(|u| u.name.clone()).unwrap_or_else(|| format!("#{id}"));
    let history = store
        .case_history(c.id)
        .await?
        .into_iter()
        .map(|h| HistoryRow {
            when: tr.datetime(h.changed_at),
            who: h.changed_by_name,
            change: match h.from_status {
                Some(from) => format!("{} → {}", status_label(tr, from), status_label(tr, h.to_status)),
                None => status_label(tr, h.to_status),
            },
            reason: h.reason,
        })
        .collect();
    let cref = case_ref(ctx.user.as_ref().map(|u| u.id), &c);
    let can_edit = ctx.allows(Action::Update, Resource::Case(cref));
    let next = c.status.next().iter().map(|s| (s.as_str().to_string(), status_label(tr, *s))).collect();
    // Officers of the case's office who could join its team.
    let members = users
        .iter()
        .filter(|u| u.office_id == c.office_id && !u.disabled && !matches!(u.role, Role::Analyst | Role::Viewer))
        .map(|u| (u.id, u.name.clone(), c.assigned.contains(&u.id)))
        .collect();
    render(CasePage {
        l: ctx.layout(c.reference.clone()),
        status: status_label(tr, c.status),
        restricted: c.sensitivity == Sensitivity::Restricted,
        sensitivity: sensitivity_label(tr, c.sensitivity),
        place: place_label(ctx, &c).await?,
        start: date_label(tr, &c.start),
        end: date_label(tr, &c.end),
        team: c.assigned.iter().map(|id| name_of(*id)).collect(),
        reopen: c.status == CaseStatus::Closed,
        next,
        can_edit,
        history,
        members,
        error,
        c,
    })
}

pub async fn view(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case(&ctx, id, Action::View).await?;
    case_page(&ctx, c, None).await
}

fn fields_of(c: &Case) -> CaseFields {
    let approx = |d: &Option<FuzzyDate>| {
        d.as_ref()
            .filter(|d| d.precision == rightsdesk_domain::monitoring::DatePrecision::Approximate)
            .map(|_| "on".to_string())
    };
    CaseFields {
        title: c.title.clone(),
        summary: c.summary.clone(),
        sensitivity: c.sensitivity.as_str().into(),
        province: c.province_code.clone().unwrap_or_default(),
        district: c.district_code.clone().unwrap_or_default(),
        commune: c.commune_code.clone().unwrap_or_default(),
        location_text: c.location_text.clone(),
        start_date: c.start.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
        start_approximate: approx(&c.start),
        end_date: c.end.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
        end_approximate: approx(&c.end),
        themes: c.themes.join(", "),
    }
}

pub async fn edit_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    form_page(
        &ctx,
        ctx.tr.t1("case-edit", "reference", &c.reference),
        format!("/monitoring/cases/{id}"),
        fields_of(&c),
        FormErrors::default(),
    )
    .await
}

pub async fn update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<CaseFields>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    let input = match validate(&ctx, &f).await {
        Ok(i) => i,
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            let title = ctx.tr.t1("case-edit", "reference", &c.reference);
            let page = form_page(&ctx, title, format!("/monitoring/cases/{id}"), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    ctx.state.store.update_case(id, &input, &ctx.audit("case.update")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

pub async fn change_status(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    let me = ctx.me()?;
    let to = CaseStatus::parse(&f.to).ok_or(ErrorCode::BadRequest)?;
    // The form names the status it was shown at: a stale page cannot move the case.
    let from = CaseStatus::parse(&f.from).unwrap_or(c.status);
    if from != c.status {
        let msg = ctx.tr.t("case-status-changed-meanwhile");
        return Ok((StatusCode::CONFLICT, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    if let Err(e) = c.status.can_move_to(to, &f.reason) {
        let msg = ctx.tr.t(&format!("field-error-{}", e.code));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    let reason = f.reason.trim();
    if reason.chars().count() > 2000 {
        let msg = ctx.tr.t("field-error-too-long");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    let moved = ctx.state.store.transition_case(id, from, to, reason, me.id, &ctx.audit("case.status")).await?;
    if !moved {
        let msg = ctx.tr.t("case-status-changed-meanwhile");
        return Ok((StatusCode::CONFLICT, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    Ok(Redirect::to(&format!("/monitoring/cases/{id}")).into_response())
}

pub async fn set_team(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    let users = ctx.state.store.list_users().await?;
    let mut team = vec![];
    for (k, v) in pairs {
        if k == "member" {
            let uid: i64 = v.parse().map_err(|_| ErrorCode::BadRequest)?;
            // Only active officers of the case's office can join its team.
            let ok = users.iter().any(|u| {
                u.id == uid
                    && u.office_id == c.office_id
                    && !u.disabled
                    && !matches!(u.role, Role::Analyst | Role::Viewer)
            });
            if !ok {
                return Err(ErrorCode::BadRequest.into());
            }
            team.push(uid);
        }
    }
    if team.is_empty() {
        let msg = ctx.tr.t("case-team-empty");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    team.sort_unstable();
    team.dedup();
    ctx.state.store.set_case_team(id, &team, &ctx.audit("case.team")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct PlaceQuery {
    #[serde(default)]
    province: String,
    #[serde(default)]
    district: String,
}

#[derive(Template)]
#[template(path = "place_options.html")]
struct PlaceOptions {
    empty_label: String,
    options: Vec<(String, String)>,
}

/// `<option>`s of the districts of a province, or the communes of a district
/// (htmx fills the next picker when one changes).
pub async fn place_options(ctx: Ctx, PageQuery(q): PageQuery<PlaceQuery>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let options = if !q.district.is_empty() {
        store
            .communes(&q.district)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), tr.pick(&c.name_en, &c.name_km).to_string()))
            .collect()
    } else if !q.province.is_empty() {
        store
            .districts(&q.province)
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), tr.pick(&d.name_en, &d.name_km).to_string()))
            .collect()
    } else {
        vec![]
    };
    render(PlaceOptions { empty_label: tr.t("choose"), options })
}
