//! Mechanisms pages: recommendations of the UPR, the treaty bodies and the
//! special procedures, the State's responses, assessments of their
//! implementation, and the cases that show whether they are implemented.

pub mod actions;
pub mod api;
pub mod service;
pub mod treaties;

use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::i18n::Tr;
use crate::kit::{render, FormErrors, Layout};
use crate::module::{Registration, Routes};
use crate::monitoring::{case_ref, status_label as case_status_label};
use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::mechanisms::{AssessmentFields, ImplementationStatus, Response as StateResponse};
use rightsdesk_domain::{
    case_scope, recommendation_scope, Action, Module, RecommendationRef, RecommendationScope, Resource, ValidationError,
};
use rightsdesk_store::{Recommendation, RecommendationFilter};
use serde::{Deserialize, Serialize};
pub use service::*;

/// UN mechanisms in the application (see `crate::module`).
pub const REGISTRATION: Registration = Registration {
    module: Module::Mechanisms,
    routes,
    api_doc: Some(<api::ApiDoc as utoipa::OpenApi>::openapi),
    search_kinds: &["recommendation"],
    imports: &["/mechanisms/import", "/mechanisms/import/mapped"],
    exports: &["/mechanisms/recommendations/export"],
};

/// The mechanisms pages and API calls.
pub(crate) fn routes(r: Routes, state: &AppState) -> Routes {
    r.get("/mechanisms", index)
        .get("/mechanisms/recommendations", recommendations)
        .get("/mechanisms/recommendations/{id}", recommendation)
        .post("/mechanisms/recommendations/{id}/assessments", add_assessment)
        .post("/mechanisms/recommendations/{id}/details", update_details)
        .post("/mechanisms/recommendations/{id}/updates", submit_update)
        .get("/mechanisms/updates", updates)
        .post("/mechanisms/updates/{id}/review", review_update)
        .post("/mechanisms/recommendations/{id}/cases", link_case)
        .post("/mechanisms/recommendations/{id}/cases/{case_id}/unlink", unlink_case)
        .post("/mechanisms/recommendations/export", export)
        .get("/mechanisms/progress", progress)
        .get("/mechanisms/actions", actions::list)
        .post("/mechanisms/actions", actions::create)
        .get("/mechanisms/actions/{id}", actions::view)
        .post("/mechanisms/actions/{id}", actions::update)
        .post("/mechanisms/actions/{id}/indicators", actions::add_indicator)
        .post("/mechanisms/actions/{id}/indicators/{indicator}", actions::update_indicator)
        .post("/mechanisms/actions/{id}/recommendations", actions::link_recommendation)
        .get("/mechanisms/mechanisms", mechanisms_list)
        .post("/mechanisms/mechanisms", create_mechanism)
        .get("/mechanisms/treaties", treaties::treaties)
        .post("/mechanisms/treaties/{code}/commitment", treaties::set_commitment)
        .get("/mechanisms/calendar", calendar)
        .post("/mechanisms/calendar", add_event)
        .post("/mechanisms/calendar/{id}/status", set_event_status)
        .post("/mechanisms/calendar/feed", start_feed)
        .post("/mechanisms/calendar/feed/revoke", revoke_feed)
        .get("/calendar/{file}", feed)
        .get("/mechanisms/import", import_form)
        .upload("/mechanisms/import/mapped", import_mapped, state)
        .upload("/mechanisms/import", import, state)
        .get("/api/v1/mechanisms", api::mechanisms)
        .get("/api/v1/recommendations", api::recommendations)
        .get("/api/v1/recommendations/progress", api::progress)
        .get("/api/v1/recommendations/{id}", api::recommendation)
        .post("/api/v1/recommendations/{id}/details", api::update_details)
        .post("/api/v1/recommendations/{id}/updates", api::submit_update)
        .get("/api/v1/progress-updates", api::pending_updates)
        .get("/api/v1/treaties", api::treaties)
        .get("/api/v1/actions", api::actions)
        .post("/api/v1/actions", api::create_action)
        .get("/api/v1/actions/{id}", api::action)
        .post("/api/v1/actions/{id}/indicators", api::add_indicator)
        .post("/api/v1/actions/{id}/recommendations", api::link_action)
        .post("/api/v1/progress-updates/{id}/review", api::review_update)
        .post("/api/v1/recommendations/{id}/assessments", api::add_assessment)
        .post("/api/v1/recommendations/{id}/cases", api::link_case)
        .get("/api/v1/cases/{id}/recommendations", api::case_recommendations)
        .get("/api/v1/reporting-events", api::reporting_events)
        .post("/api/v1/reporting-events", api::add_reporting_event)
}

const MODULE: Resource = Resource::Module(Module::Mechanisms);
pub const PAGE_SIZE: i64 = 50;

pub fn response_label(tr: &Tr, r: Option<StateResponse>) -> String {
    match r {
        Some(r) => tr.t(&format!("response-{}", r.as_str())),
        None => tr.t("response-none"),
    }
}

pub fn implementation_label(tr: &Tr, s: ImplementationStatus) -> String {
    tr.t(&format!("implementation-{}", s.as_str().replace('_', "-")))
}

pub struct RecommendationRow {
    pub id: i64,
    pub text: String,
    pub mechanism: String,
    pub session: String,
    pub recommending_state: String,
    pub response: String,
    pub status: String,
    pub themes: String,
}

fn row(tr: &Tr, r: Recommendation) -> RecommendationRow {
    RecommendationRow {
        mechanism: r.mechanism_code.clone(),
        session: tr.digits(&r.session),
        recommending_state: r.recommending_state.clone(),
        response: response_label(tr, r.response),
        status: implementation_label(tr, r.status),
        themes: r.themes.join(", "),
        text: r.text,
        id: r.id,
    }
}

/// One facet value as a link that adds it to the current filter.
pub struct FacetLink {
    pub label: String,
    pub count: String,
    pub href: String,
    pub active: bool,
}

fn facet_links(
    tr: &Tr,
    q: &RecommendationQuery,
    counts: &[rightsdesk_store::FacetCount],
    set: impl Fn(&mut RecommendationQuery, &str),
    label: impl Fn(&str) -> String,
    current: &str,
) -> Vec<FacetLink> {
    counts
        .iter()
        .map(|c| {
            let mut next = q.clone();
            next.after = String::new();
            set(&mut next, &c.value);
            FacetLink {
                label: label(&c.value),
                count: tr.num(c.count),
                href: format!("/mechanisms/recommendations?{}", serde_urlencoded::to_string(&next).unwrap_or_default()),
                active: !current.is_empty() && current == c.value,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "mechanisms/recommendations.html")]
struct ListPage {
    l: Layout,
    q: RecommendationQuery,
    total: String,
    rows: Vec<RecommendationRow>,
    next_href: Option<String>,
    error: Option<String>,
    mechanisms: Vec<(String, String)>,
    responses: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    facet_response: Vec<FacetLink>,
    facet_status: Vec<FacetLink>,
    facet_cycle: Vec<FacetLink>,
    facet_theme: Vec<FacetLink>,
    can_import: bool,
    can_export: bool,
    goals: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    clusters: Vec<(String, String)>,
    /// The filters, as hidden fields of the export form.
    export_fields: Vec<(String, String)>,
}

fn mechanism_options(tr: &Tr, list: &[rightsdesk_store::Mechanism]) -> Vec<(String, String)> {
    list.iter().map(|m| (m.code.clone(), format!("{} — {}", m.code, tr.pick(&m.name_en, &m.name_km)))).collect()
}

fn response_options(tr: &Tr) -> Vec<(String, String)> {
    StateResponse::ALL.into_iter().map(|r| (r.as_str().to_string(), response_label(tr, Some(r)))).collect()
}

fn status_options(tr: &Tr) -> Vec<(String, String)> {
    ImplementationStatus::ALL.into_iter().map(|s| (s.as_str().to_string(), implementation_label(tr, s))).collect()
}

pub async fn recommendations(
    ctx: Ctx,
    PageQuery(q): PageQuery<RecommendationQuery>,
) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, MODULE)?;
    let scope = recommendation_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let mut page = ListPage {
        l: ctx.layout(tr.t("recommendations-title")),
        q: q.clone(),
        total: String::new(),
        rows: vec![],
        next_href: None,
        error: None,
        mechanisms: mechanism_options(tr, &store.mechanisms().await?),
        responses: response_options(tr),
        statuses: status_options(tr),
        facet_response: vec![],
        facet_status: vec![],
        facet_cycle: vec![],
        facet_theme: vec![],
        can_import: ctx.allows(Action::Create, MODULE),
        can_export: ctx.allows(Action::Export, MODULE),
        goals: store
            .sdg_goals()
            .await?
            .into_iter()
            .map(|g| (g.number.to_string(), format!("{} {}", tr.num(g.number), tr.pick(&g.short_en, &g.short_km))))
            .collect(),
        groups: rightsdesk_domain::mechanisms::AFFECTED_GROUPS
            .iter()
            .map(|g| (g.to_string(), group_label(tr, g)))
            .collect(),
        // The office's own filing labels; not for a focal point.
        clusters: if recommendation_scope(&ctx.actor).is_some_and(|s| s.institution.is_none()) {
            store.clusters().await?.into_iter().map(|c| (c.id.to_string(), c.name)).collect()
        } else {
            vec![]
        },
        export_fields: {
            let mut plain = q.clone();
            plain.after = String::new();
            serde_urlencoded::from_str::<Vec<(String, String)>>(
                &serde_urlencoded::to_string(&plain).unwrap_or_default(),
            )
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect()
        },
    };
    match recommendation_filter(&q).map(|f| scoped(f, scope)) {
        Ok(f) => {
            let facets = ctx.state.recommendation_facets(&f).await?;
            let list = store.recommendations(&f).await?;
            page.next_href = list.last().filter(|_| list.len() as i64 == PAGE_SIZE).map(|last| {
                let mut next = q.clone();
                next.after = last.id.to_string();
                format!("/mechanisms/recommendations?{}", serde_urlencoded::to_string(&next).unwrap_or_default())
            });
            page.total = tr.tn("recommendations-count", "count", facets.total);
            page.facet_response = facet_links(
                tr,
                &q,
                &facets.response,
                |n, v| n.response = v.into(),
                |v| response_label(tr, StateResponse::parse(v)),
                &q.response,
            );
            page.facet_status = facet_links(
                tr,
                &q,
                &facets.status,
                |n, v| n.status = v.into(),
                |v| ImplementationStatus::parse(v).map(|s| implementation_label(tr, s)).unwrap_or_default(),
                &q.status,
            );
            page.facet_cycle = facet_links(
                tr,
                &q,
                &facets.cycle,
                |n, v| n.cycle = v.into(),
                |v| if v.is_empty() { tr.t("cycle-none") } else { tr.t1("cycle-number", "cycle", &tr.digits(v)) },
                &q.cycle,
            );
            page.facet_theme =
                facet_links(tr, &q, &facets.theme, |n, v| n.theme = v.into(), |v| v.to_string(), &q.theme);
            page.rows = list.into_iter().map(|r| row(tr, r)).collect();
        }
        Err(e) => page.error = Some(tr.t(&format!("field-error-{}", e.code))),
    }
    render(page)
}

pub struct AssessmentRow {
    pub status: String,
    pub assessed_on: String,
    pub evidence: String,
    pub source: String,
    pub assessor: String,
}

pub struct LinkedCase {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub restricted: bool,
}

#[derive(Template)]
#[template(path = "mechanisms/recommendation.html")]
struct RecommendationPage {
    l: Layout,
    r: Recommendation,
    mechanism: String,
    /// Session and cycle, as shown.
    session: String,
    response: String,
    status: String,
    issued_on: String,
    assessments: Vec<AssessmentRow>,
    institutions: Vec<String>,
    cases: Option<Vec<LinkedCase>>,
    can_edit: bool,
    f: Forms,
    statuses: Vec<(String, String)>,
    /// (goal, target code) of the SDG targets.
    sdg: Vec<(String, String)>,
    groups: Vec<String>,
    /// The details form: groups and institutions with whether they are ticked.
    group_options: Vec<(String, String, bool)>,
    institution_options: Vec<(i64, String, bool)>,
    cluster_names: Vec<String>,
    /// The office's view (assessments, cases, editing); a focal point sees
    /// the recommendation and their institution's updates only.
    office_view: bool,
    can_submit_update: bool,
    updates: Vec<UpdateRow>,
    /// (id, title, status) of the implementation actions serving it.
    actions: Vec<(i64, String, String)>,
    /// Interventions that raised it, on cases the user may see:
    /// (case id, date, addressee, request).
    interventions: Vec<(i64, String, String, String)>,
}

pub struct UpdateRow {
    pub id: i64,
    pub organisation: String,
    pub by: String,
    pub submitted: String,
    pub status: String,
    pub text: String,
    /// `submitted`, `accepted` or `returned`, as shown.
    pub review: String,
    pub pending: bool,
    pub comment: String,
}

fn update_row(tr: &Tr, u: rightsdesk_store::ProgressUpdate) -> UpdateRow {
    UpdateRow {
        id: u.id,
        organisation: u.organisation_name,
        by: u.submitted_by_name,
        submitted: tr.date(u.submitted_at),
        status: implementation_label(tr, u.status),
        text: u.text,
        review: tr.t(&format!("update-review-{}", u.review)),
        pending: u.review == "submitted",
        comment: u.review_comment,
    }
}

/// What a focal point types in the progress update form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UpdateFields {
    pub status: String,
    pub text: String,
}

/// What the forms of the recommendation page hold when it is shown again.
#[derive(Default)]
pub struct Forms {
    pub assessment: AssessmentFields,
    pub assessment_errors: FormErrors,
    pub link_reference: String,
    pub link_error: Option<String>,
    /// As typed, when the details form comes back with errors.
    pub details: Option<rightsdesk_domain::mechanisms::RecommendationDetailsFields>,
    pub details_errors: FormErrors,
    pub update: UpdateFields,
    pub update_errors: FormErrors,
}

pub fn group_label(tr: &Tr, g: &str) -> String {
    tr.t(&format!("group-{}", g.replace('_', "-")))
}

async fn recommendation_page(ctx: &Ctx, r: Recommendation, mut f: Forms) -> Result<Html<String>, PageError> {
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let mechanism = store
        .mechanisms()
        .await?
        .into_iter()
        .find(|m| m.code == r.mechanism_code)
        .map(|m| tr.pick(&m.name_en, &m.name_km).to_string())
        .unwrap_or_else(|| r.mechanism_code.clone());
    let assessments = store
        .assessments(r.id)
        .await?
        .into_iter()
        .map(|a| AssessmentRow {
            status: implementation_label(tr, a.status),
            assessed_on: tr.iso_date(&Some(a.assessed_on)),
            evidence: a.evidence,
            source: a.source,
            assessor: a.assessor_name,
        })
        .collect();
    // One read of the institutions: shown, ticked in the form, and what the
    // policy needs to know about a focal point.
    let current = store.institutions(r.id).await?;
    let institutions = current.iter().map(|o| tr.pick(&o.name_en, &o.name_km).to_string()).collect();
    // Cases only for those who work in monitoring, and only those they may see.
    let cases = match case_scope(&ctx.actor) {
        Some(scope) => Some(
            store
                .linked_cases(r.id, &scope)
                .await?
                .into_iter()
                .map(|c| LinkedCase {
                    id: c.id,
                    reference: c.reference,
                    title: c.title,
                    status: case_status_label(tr, c.status),
                    restricted: c.sensitivity == rightsdesk_domain::monitoring::Sensitivity::Restricted,
                })
                .collect(),
        ),
        None => None,
    };
    let details = f.details.take().unwrap_or_else(|| rightsdesk_domain::mechanisms::RecommendationDetailsFields {
        themes: r.themes.join(", "),
        sdg_targets: r.sdg_targets.join(", "),
        affected_groups: r.affected_groups.clone(),
        cluster: r.cluster.clone().unwrap_or_default(),
        institutions: current.iter().map(|o| o.id).collect(),
    });
    let group_options = rightsdesk_domain::mechanisms::AFFECTED_GROUPS
        .iter()
        .map(|g| (g.to_string(), group_label(tr, g), details.affected_groups.iter().any(|x| x == g)))
        .collect();
    let institution_options = store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id, tr.pick(&o.name_en, &o.name_km).to_string(), details.institutions.contains(&o.id)))
        .collect();
    let cluster_names = store.clusters().await?.into_iter().map(|c| c.name).collect();
    f.details = Some(details);
    let institution = recommendation_scope(&ctx.actor).and_then(|s| s.institution);
    let updates = store.progress_updates(r.id, institution).await?.into_iter().map(|u| update_row(tr, u)).collect();
    let own = ctx.user.as_ref().and_then(|u| u.organisation_id);
    let rref = RecommendationRef { assigned_to_actor: own.is_some_and(|o| current.iter().any(|i| i.id == o)) };
    let can_submit_update = institution.is_some() && ctx.allows(Action::Create, Resource::Recommendation(rref));
    let actions = if ctx.allows(Action::View, Resource::ImplementationActions) {
        store
            .recommendation_actions(r.id)
            .await?
            .into_iter()
            .map(|a| (a.id, a.title, actions::action_status_label(tr, &a.status)))
            .collect()
    } else {
        vec![]
    };
    let interventions = match case_scope(&ctx.actor) {
        Some(scope) => store
            .recommendation_interventions(r.id, &scope)
            .await?
            .into_iter()
            .map(|i| {
                (
                    i.case_id,
                    tr.iso_date(&i.date),
                    tr.pick(&i.organisation_en, &i.organisation_km).to_string(),
                    i.request,
                )
            })
            .collect(),
        None => vec![],
    };
    render(RecommendationPage {
        actions,
        interventions,
        office_view: institution.is_none(),
        can_submit_update,
        updates,
        sdg: r.sdg_targets.iter().map(|t| (t.split('.').next().unwrap_or_default().to_string(), t.clone())).collect(),
        groups: r.affected_groups.iter().map(|g| group_label(tr, g)).collect(),
        group_options,
        institution_options,
        cluster_names,
        l: ctx.layout(tr.t1("recommendation-title", "id", &tr.num(r.id))),
        mechanism,
        session: match (r.session.is_empty(), r.cycle) {
            (true, _) => String::new(),
            (false, Some(c)) => format!("{} · {}", tr.digits(&r.session), tr.t1("cycle-number", "cycle", &tr.num(c))),
            (false, None) => tr.digits(&r.session),
        },
        response: response_label(tr, r.response),
        status: implementation_label(tr, r.status),
        issued_on: tr.iso_date(&r.issued_on),
        assessments,
        institutions,
        cases,
        can_edit: ctx.allows(Action::Update, MODULE),
        f,
        statuses: status_options(tr),
        r,
    })
}

async fn load(ctx: &Ctx, id: i64) -> Result<Recommendation, PageError> {
    Ok(ctx.state.store.recommendation(id).await?.ok_or(ErrorCode::NotFound)?)
}

/// The recommendation, if the policy lets this user do `action` on it; one
/// they may not see answers 404, like one that does not exist.
async fn load_for(ctx: &Ctx, id: i64, action: Action) -> Result<Recommendation, PageError> {
    let r = ctx.state.store.recommendation(id).await?;
    let rref = recommendation_ref(ctx.state.store.as_ref(), ctx.user.as_ref(), id).await?;
    ctx.require(action, Resource::Recommendation(rref))?;
    r.ok_or_else(|| ErrorCode::NotFound.into())
}

fn blank_assessment() -> AssessmentFields {
    AssessmentFields { assessed_on: crate::kit::today(), ..Default::default() }
}

pub async fn recommendation(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let r = load_for(&ctx, id, Action::View).await?;
    recommendation_page(&ctx, r, Forms { assessment: blank_assessment(), ..Default::default() }).await
}

pub async fn add_assessment(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<AssessmentFields>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let r = load(&ctx, id).await?;
    match f.parse() {
        Ok(input) => {
            ctx.state.store.add_assessment(id, &input, ctx.me()?.id, &ctx.audit("recommendation.assess")).await?;
            Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}#assessments")).into_response())
        }
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            let forms = Forms { assessment: f, assessment_errors: errors, ..Default::default() };
            let page = recommendation_page(&ctx, r, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// A focal point reports progress on a recommendation of their institution.
pub async fn submit_update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<UpdateFields>,
) -> Result<Response, PageError> {
    let r = load_for(&ctx, id, Action::Create).await?;
    let me = ctx.me()?.clone();
    // Office staff assess directly; updates come from an institution.
    let Some(org) = me.organisation_id else {
        return Err(ErrorCode::Forbidden.into());
    };
    let mut errors = vec![];
    let status = ImplementationStatus::parse(f.status.trim());
    if status.is_none() {
        errors.push(ValidationError::new("status", "invalid-choice"));
    }
    let text = f.text.trim().to_string();
    if text.is_empty() {
        errors.push(ValidationError::new("text", "required"));
    } else if text.chars().count() > 5000 {
        errors.push(ValidationError::new("text", "too-long"));
    }
    let Some(status) = status.filter(|_| errors.is_empty()) else {
        let forms =
            Forms { update_errors: FormErrors::from_validation(&ctx.tr, &errors), update: f, ..Default::default() };
        let page = recommendation_page(&ctx, r, forms).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    ctx.state.store.submit_progress_update(id, org, me.id, status, &text, &ctx.audit("recommendation.update")).await?;
    Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}#updates")).into_response())
}

#[derive(Template)]
#[template(path = "mechanisms/updates.html")]
struct UpdatesPage {
    l: Layout,
    /// Each pending update with its recommendation's id, heading and text.
    updates: Vec<(UpdateRow, i64, String, String)>,
    error: Option<String>,
}

async fn updates_page(ctx: &Ctx, error: Option<String>) -> Result<Html<String>, PageError> {
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let mut updates = vec![];
    for u in store.pending_progress_updates().await? {
        let rid = u.recommendation_id;
        let text = store.recommendation(rid).await?.map(|r| r.text).unwrap_or_default();
        let heading = tr.t1("recommendation-title", "id", &tr.num(rid));
        updates.push((update_row(tr, u), rid, heading, text));
    }
    render(UpdatesPage { l: ctx.layout(tr.t("updates-title")), updates, error })
}

/// Progress updates from focal points waiting for the office.
pub async fn updates(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Update, MODULE)?;
    updates_page(&ctx, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    /// `accept` or `return`.
    pub decision: String,
    pub comment: String,
}

/// Accepts a progress update (it becomes an assessment) or sends it back
/// with a comment, which is then required.
pub async fn review_update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<ReviewForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let accept = match f.decision.as_str() {
        "accept" => true,
        "return" => false,
        _ => return Err(ErrorCode::BadRequest.into()),
    };
    let comment = f.comment.trim();
    if !accept && comment.is_empty() {
        let page = updates_page(&ctx, Some(ctx.tr.t("updates-comment-required"))).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    if comment.chars().count() > 2000 {
        return Err(ErrorCode::BadRequest.into());
    }
    let today = crate::kit::today();
    match ctx
        .state
        .store
        .review_progress_update(id, accept, comment, &today, ctx.me()?.id, &ctx.audit("recommendation.review_update"))
        .await
    {
        Ok(_) | Err(rightsdesk_store::StoreError::Conflict(_)) => {
            Ok(Redirect::to("/mechanisms/updates").into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Saves what the office adds to a recommendation: themes, SDG targets,
/// affected groups, cluster and responsible institutions.
pub async fn update_details(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let r = load(&ctx, id).await?;
    let mut fields = rightsdesk_domain::mechanisms::RecommendationDetailsFields::default();
    for (k, v) in pairs {
        match k.as_str() {
            "themes" => fields.themes = v,
            "sdg_targets" => fields.sdg_targets = v,
            "cluster" => fields.cluster = v,
            "affected_group" => fields.affected_groups.push(v),
            // A value that is not an id is no known institution: the store refuses it.
            "institution" => fields.institutions.push(v.trim().parse().unwrap_or(-1)),
            _ => {}
        }
    }
    let refuse = |errs: Vec<ValidationError>, fields| {
        let forms = Forms {
            assessment: blank_assessment(),
            details: Some(fields),
            details_errors: FormErrors::from_validation(&ctx.tr, &errs),
            ..Default::default()
        };
        let r = r.clone();
        let ctx = &ctx;
        async move {
            let page = recommendation_page(ctx, r, forms).await?;
            Ok::<_, PageError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let details = match fields.parse() {
        Ok(d) => d,
        Err(errs) => return refuse(errs, fields).await,
    };
    // Checked here, not left to the foreign key: SQLite does not say which key failed.
    let known: Vec<i64> = ctx.state.store.organisations().await?.iter().map(|o| o.id).collect();
    if details.institutions.iter().any(|i| !known.contains(i)) {
        return refuse(vec![ValidationError::new("institutions", "invalid-choice")], fields).await;
    }
    match ctx.state.store.update_recommendation_details(id, &details, &ctx.audit("recommendation.details")).await {
        Ok(()) => Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}")).into_response()),
        // An SDG target that does not exist (institutions were checked above).
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            refuse(vec![ValidationError::new("sdg_targets", "invalid-choice")], fields).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct LinkCaseForm {
    #[serde(default)]
    pub reference: String,
}

/// Links a case by its reference. A case the user may not see gets the
/// same answer as one that does not exist.
pub async fn link_case(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<LinkCaseForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let r = load(&ctx, id).await?;
    let reference = f.reference.trim().to_uppercase();
    let store = ctx.state.store.as_ref();
    let found =
        if reference.is_empty() || reference.len() > 40 { None } else { store.case_by_reference(&reference).await? };
    let me = ctx.me()?.id;
    // Only a case this user may change (a link shows on the case and in its
    // trail); one they may not see gets the same answer as a missing one.
    match found.filter(|c| ctx.allows(Action::Update, Resource::Case(case_ref(Some(me), c)))) {
        Some(c) => {
            store.link_case(id, c.id, me, &ctx.audit("recommendation.link_case")).await?;
            Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}#cases")).into_response())
        }
        None => {
            let message = Some(ctx.tr.t("recommendation-case-not-found"));
            let forms = Forms {
                assessment: blank_assessment(),
                link_reference: f.reference,
                link_error: message,
                ..Default::default()
            };
            let page = recommendation_page(&ctx, r, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn unlink_case(
    ctx: Ctx,
    PagePath((id, case_id)): PagePath<(i64, i64)>,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let c = ctx.state.store.case(case_id).await?.ok_or(ErrorCode::NotFound)?;
    // A link shows on the case and writes to its trail: only those who may change the case.
    ctx.require(Action::Update, Resource::Case(case_ref(Some(ctx.me()?.id), &c)))?;
    match ctx.state.store.unlink_case(id, case_id, &ctx.audit("recommendation.unlink_case")).await {
        Ok(()) | Err(rightsdesk_store::StoreError::NotFound) => {
            Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}#cases")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "mechanisms/index.html")]
struct IndexPage {
    l: Layout,
    total: String,
    by_mechanism: Vec<(String, String, String)>,
    facet_response: Vec<FacetLink>,
    facet_status: Vec<FacetLink>,
    not_ratified: String,
    can_calendar: bool,
    can_review: bool,
    pending: String,
}

/// The module's landing page: where the recommendations stand.
pub async fn index(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, MODULE)?;
    let scope = recommendation_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let all = scoped(RecommendationFilter { limit: 1, ..Default::default() }, scope);
    let facets = ctx.state.recommendation_facets(&all).await?;
    let q = RecommendationQuery::default();
    let mechanisms = store.mechanisms().await?;
    let by_mechanism = facets
        .mechanism
        .iter()
        .map(|f| {
            let name =
                mechanisms.iter().find(|m| m.code == f.value).map(|m| tr.pick(&m.name_en, &m.name_km).to_string());
            (f.value.clone(), name.unwrap_or_default(), tr.num(f.count))
        })
        .collect();
    let not_party = store
        .ratifications(rightsdesk_store::reference::HOME_STATE)
        .await?
        .into_iter()
        .filter(|r| !r.status.is_party())
        .count() as i64;
    render(IndexPage {
        l: ctx.layout(crate::kit::module_label(tr, Module::Mechanisms)),
        total: tr.tn("recommendations-count", "count", facets.total),
        by_mechanism,
        facet_response: facet_links(
            tr,
            &q,
            &facets.response,
            |n, v| n.response = v.into(),
            |v| response_label(tr, StateResponse::parse(v)),
            "",
        ),
        facet_status: facet_links(
            tr,
            &q,
            &facets.status,
            |n, v| n.status = v.into(),
            |v| ImplementationStatus::parse(v).map(|s| implementation_label(tr, s)).unwrap_or_default(),
            "",
        ),
        not_ratified: tr.tn("ref-not-ratified-count", "count", not_party),
        can_calendar: ctx.allows(Action::View, Resource::ReportingCalendar),
        can_review: ctx.allows(Action::Update, MODULE),
        pending: if ctx.allows(Action::Update, MODULE) {
            tr.num(store.pending_progress_updates().await?.len() as i64)
        } else {
            String::new()
        },
    })
}

pub struct RejectedRow {
    pub line: usize,
    pub column: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "mechanisms/import.html")]
struct ImportPage {
    l: Layout,
    columns: Vec<&'static str>,
    outcome: Option<String>,
    rejected: Vec<RejectedRow>,
    /// The mapping form: (field, its label, the header typed for it).
    mapping: Vec<(String, String, String)>,
    mechanisms: Vec<(String, String)>,
    mechanism: String,
    state: String,
    /// The columns of the file sent, when its mapping did not fit.
    file_columns: Vec<String>,
}

/// Headers the mapping form suggests: a field's own name.
fn default_mapping(tr: &Tr) -> Vec<(String, String, String)> {
    rightsdesk_domain::mechanisms::MAPPABLE_FIELDS
        .iter()
        .map(|f| (f.to_string(), tr.t(&format!("import-field-{}", f.replace('_', "-"))), f.to_string()))
        .collect()
}

async fn import_page(ctx: &Ctx, outcome: Option<String>, rejected: Vec<RejectedRow>) -> Result<ImportPage, PageError> {
    with_mechanisms(
        ctx,
        ImportPage {
            l: ctx.layout(ctx.tr.t("recommendations-import-title")),
            columns: rightsdesk_domain::mechanisms::UPR_INFO_COLUMNS.to_vec(),
            outcome,
            rejected,
            mapping: default_mapping(&ctx.tr),
            mechanisms: vec![],
            mechanism: String::new(),
            state: "Cambodia".into(),
            file_columns: vec![],
        },
    )
    .await
}

async fn with_mechanisms(ctx: &Ctx, mut page: ImportPage) -> Result<ImportPage, PageError> {
    page.mechanisms = mechanism_options(&ctx.tr, &ctx.state.store.mechanisms().await?);
    Ok(page)
}

pub async fn import_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, MODULE)?;
    render(import_page(&ctx, None, vec![]).await?)
}

/// Any mechanism's recommendations from a CSV or XLSX file whose columns the
/// user mapped to fields: the same parsing and store call as
/// `rightsdesk import recommendations`.
pub async fn import_mapped(
    ctx: Ctx,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, MODULE)?;
    let upload = crate::kit::read_import_upload(&ctx, multipart).await?;
    let dry_run = upload.dry_run();
    let mechanism = upload.field("mechanism").unwrap_or_default().to_string();
    let state = upload.field("state").unwrap_or_default().to_string();
    let columns: Vec<(String, String)> = upload
        .fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("map_").map(|f| (f.to_string(), v.trim().chars().take(200).collect())))
        .collect();
    let bytes = upload.file;
    let tr = &ctx.tr;
    let mut page = import_page(&ctx, None, vec![]).await?;
    page.mapping = default_mapping(tr)
        .into_iter()
        .map(|(f, label, default)| {
            let typed = columns.iter().find(|(k, _)| *k == f).map(|(_, h)| h.clone()).unwrap_or(default);
            (f, label, typed)
        })
        .collect();
    page.mechanism = mechanism.clone();
    page.state = state.clone();
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        page.outcome = Some(tr.t("evidence-no-file"));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
    };
    let table = if bytes.starts_with(b"PK") {
        rightsdesk_export::read_xlsx(&bytes)
    } else {
        rightsdesk_export::read_csv(&bytes)
    };
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            page.outcome = Some(format!("{}: {e}", tr.t("import-unreadable")));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
        }
    };
    let mapping =
        rightsdesk_domain::mechanisms::ColumnMapping { columns, default_mechanism: mechanism, default_state: state };
    let known: Vec<String> = ctx.state.store.mechanisms().await?.into_iter().map(|m| m.code).collect();
    let reason = |code: &str| tr.t(&format!("field-error-{code}"));
    let rows = |errors: &[rightsdesk_domain::vocabulary::RowError]| {
        errors
            .iter()
            .map(|e| RejectedRow { line: e.line, column: e.column.clone(), reason: reason(e.code) })
            .collect::<Vec<_>>()
    };
    let (good, rejected) =
        match rightsdesk_domain::mechanisms::parse_mapped(&table.headers, &table.rows, &mapping, &known) {
            Ok(parsed) => parsed,
            Err(errors) => {
                page.outcome = Some(tr.t("recommendations-import-mapping-misfit"));
                page.rejected = rows(&errors);
                page.file_columns = table.headers.clone();
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
            }
        };
    let good: Vec<_> = good.into_iter().map(|(_, r)| r).collect();
    let audit = ctx.audit("recommendation.import").summary("mapped file (web upload)");
    let out = ctx.state.store.import_recommendations(&good, &audit, dry_run, &|_| {}).await?;
    let mut lines: Vec<usize> = rejected.iter().map(|e| e.line).collect();
    lines.dedup();
    let mut outcome = tr.ta(
        "recommendations-import-outcome",
        &[
            ("added", tr.num(out.added as i64)),
            ("updated", tr.num(out.updated as i64)),
            ("unchanged", tr.num(out.unchanged as i64)),
            ("rejected", tr.num(lines.len() as i64)),
        ],
    );
    if dry_run {
        outcome = format!("{} {outcome}", tr.t("recommendations-import-dry-run"));
    }
    page.outcome = Some(outcome);
    page.rejected = rows(&rejected);
    render(page).map(IntoResponse::into_response)
}

/// The web upload of a UPR Info file: the same reading and the same store
/// call as `rightsdesk import upr`. Good rows are imported (unless only
/// checked), bad ones listed with line, column and reason.
pub async fn import(
    ctx: Ctx,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, MODULE)?;
    let upload = crate::kit::read_import_upload(&ctx, multipart).await?;
    let (dry_run, bytes) = (upload.dry_run(), upload.file);
    let tr = &ctx.tr;
    let refuse = |message: String| {
        let ctx = &ctx;
        async move {
            let page = render(import_page(ctx, Some(message), vec![]).await?)?;
            Ok::<_, PageError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return refuse(tr.t("evidence-no-file")).await;
    };
    let table = match rightsdesk_export::read_csv(&bytes) {
        Ok(t) => t,
        Err(e) => return refuse(format!("{}: {e}", tr.t("import-unreadable"))).await,
    };
    let reason = |code: &str| tr.t(&format!("field-error-{code}"));
    let rows = |errors: &[rightsdesk_domain::vocabulary::RowError]| {
        errors
            .iter()
            .map(|e| RejectedRow { line: e.line, column: e.column.clone(), reason: reason(e.code) })
            .collect::<Vec<_>>()
    };
    let (good, rejected) = match rightsdesk_domain::mechanisms::parse_upr_info(&table.headers, &table.rows) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let page = render(import_page(&ctx, Some(tr.t("recommendations-import-not-upr")), rows(&errors)).await?)?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let good: Vec<_> = good.into_iter().map(|(_, r)| r).collect();
    let audit = ctx.audit("recommendation.import").summary("UPR Info file (web upload)");
    let out = ctx.state.store.import_recommendations(&good, &audit, dry_run, &|_| {}).await?;
    let mut lines: Vec<usize> = rejected.iter().map(|e| e.line).collect();
    lines.dedup();
    let mut outcome = tr.ta(
        "recommendations-import-outcome",
        &[
            ("added", tr.num(out.added as i64)),
            ("updated", tr.num(out.updated as i64)),
            ("unchanged", tr.num(out.unchanged as i64)),
            ("rejected", tr.num(lines.len() as i64)),
        ],
    );
    if dry_run {
        outcome = format!("{} {outcome}", tr.t("recommendations-import-dry-run"));
    }
    render(import_page(&ctx, Some(outcome), rows(&rejected)).await?).map(IntoResponse::into_response)
}

pub fn reporting_kind_label(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("reporting-kind-{}", kind.replace('_', "-")))
}

pub struct EventRow {
    pub id: i64,
    pub mechanism: String,
    pub kind: String,
    pub cycle: String,
    pub title: String,
    pub due: String,
    pub status: String,
    pub notes: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "mechanisms/calendar.html")]
struct CalendarPage {
    l: Layout,
    overdue: Vec<EventRow>,
    upcoming: Vec<EventRow>,
    past: Vec<EventRow>,
    can_edit: bool,
    mechanisms: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    form: rightsdesk_domain::mechanisms::ReportingEventFields,
    errors: FormErrors,
    has_feed: bool,
    /// Shown once, right after the feed was started.
    feed_url: Option<String>,
}

async fn calendar_page(
    ctx: &Ctx,
    form: rightsdesk_domain::mechanisms::ReportingEventFields,
    errors: FormErrors,
    feed_url: Option<String>,
) -> Result<Html<String>, PageError> {
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let today = crate::kit::today();
    let (mut overdue, mut upcoming, mut past) = (vec![], vec![], vec![]);
    for e in store.reporting_events().await? {
        let row = EventRow {
            id: e.id,
            mechanism: e.mechanism_code.clone(),
            kind: reporting_kind_label(tr, &e.kind),
            cycle: e.cycle.clone(),
            title: e.title.clone(),
            due: tr.iso_date(&Some(e.due_on.clone())),
            status: match (e.status.as_str(), &e.done_on) {
                ("done", Some(on)) => tr.t1("event-done-on", "date", &tr.iso_date(&Some(on.clone()))),
                (s, _) => tr.t(&format!("event-status-{s}")),
            },
            notes: e.notes.clone(),
            open: e.status == "open",
        };
        match (e.status.as_str(), e.due_on < today) {
            ("open", true) => overdue.push(row),
            ("open", false) => upcoming.push(row),
            _ => past.push(row),
        }
    }
    past.reverse();
    render(CalendarPage {
        l: ctx.layout(tr.t("calendar-title")),
        overdue,
        upcoming,
        past,
        can_edit: ctx.allows(Action::Update, Resource::ReportingCalendar),
        mechanisms: mechanism_options(tr, &store.mechanisms().await?),
        kinds: rightsdesk_domain::mechanisms::REPORTING_KINDS
            .iter()
            .map(|k| (k.to_string(), reporting_kind_label(tr, k)))
            .collect(),
        form,
        errors,
        has_feed: store.has_calendar_feed(ctx.me()?.id).await?,
        feed_url,
    })
}

/// Upcoming and overdue deadlines of the UPR, the treaty bodies and the
/// special procedures, and the user's calendar feed.
pub async fn calendar(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReportingCalendar)?;
    calendar_page(&ctx, Default::default(), FormErrors::default(), None).await
}

pub async fn add_event(
    ctx: Ctx,
    PageForm(f): PageForm<rightsdesk_domain::mechanisms::ReportingEventFields>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::ReportingCalendar)?;
    let refuse = |errs: &[ValidationError]| {
        let errors = FormErrors::from_validation(&ctx.tr, errs);
        let f = f.clone();
        let ctx = &ctx;
        async move {
            let page = calendar_page(ctx, f, errors, None).await?;
            Ok::<_, PageError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let input = match f.parse() {
        Ok(i) => i,
        Err(errs) => return refuse(&errs).await,
    };
    match ctx.state.store.add_reporting_event(&input, ctx.me()?.id, &ctx.audit("calendar.add")).await {
        Ok(_) => Ok(Redirect::to("/mechanisms/calendar").into_response()),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            refuse(&[ValidationError::new("mechanism_code", "invalid-choice")]).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct EventStatusForm {
    #[serde(default)]
    pub status: String,
}

pub async fn set_event_status(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<EventStatusForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, Resource::ReportingCalendar)?;
    let status = f.status.trim();
    if !rightsdesk_domain::mechanisms::EVENT_STATUSES.contains(&status) {
        return Err(ErrorCode::BadRequest.into());
    }
    let today = crate::kit::today();
    let done_on = (status == "done").then_some(today.as_str());
    ctx.state.store.set_reporting_event_status(id, status, done_on, &ctx.audit("calendar.status")).await?;
    Ok(Redirect::to("/mechanisms/calendar").into_response())
}

/// Starts the user's calendar feed: a new secret address (shown once; an
/// earlier one stops working).
pub async fn start_feed(
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    ctx.require(Action::View, Resource::ReportingCalendar)?;
    let (token, hash) = rightsdesk_crypto::new_token("rdcal_");
    ctx.state.store.create_calendar_feed(ctx.me()?.id, &hash, &ctx.audit("calendar.feed_start")).await?;
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if ctx.state.config.secure_cookies { "https" } else { "http" };
    let url = format!("{scheme}://{host}/calendar/{token}.ics");
    let page = calendar_page(&ctx, Default::default(), FormErrors::default(), Some(url)).await?;
    Ok(page.into_response())
}

pub async fn revoke_feed(ctx: Ctx, PageForm(_): PageForm<serde::de::IgnoredAny>) -> Result<Response, PageError> {
    ctx.require(Action::View, Resource::ReportingCalendar)?;
    ctx.state.store.revoke_calendar_feeds(ctx.me()?.id, &ctx.audit("calendar.feed_revoke")).await?;
    Ok(Redirect::to("/mechanisms/calendar").into_response())
}

/// The iCalendar feed a calendar program subscribes to. The secret in the
/// address is the credential (calendar programs send no cookies or bearer
/// tokens); it works while its user is active and may see the mechanisms
/// module, and answers 404 otherwise, the same as an unknown address.
pub async fn feed(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    _public: crate::auth::Public,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let not_found = || crate::error::error_page(ErrorCode::NotFound).into_response();
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    if token.len() > 100 || !token.starts_with("rdcal_") {
        return not_found();
    }
    let store = state.store.as_ref();
    let user = match store.calendar_feed_user(&rightsdesk_crypto::hash_token(token)).await {
        Ok(Some(id)) => match store.user_by_id(id).await {
            Ok(Some(u)) if !u.disabled => u,
            _ => return not_found(),
        },
        _ => return not_found(),
    };
    let actor = rightsdesk_domain::Actor::User(crate::auth::principal_of(&user, false));
    if !rightsdesk_domain::can(&actor, Action::View, &Resource::ReportingCalendar).is_allowed() {
        return not_found();
    }
    let Ok(events) = store.reporting_events().await else {
        return crate::error::error_page(ErrorCode::Internal).into_response();
    };
    let tr = crate::i18n::Tr::new(user.locale, user.khmer_digits);
    let body = ical_of(&tr, &events);
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "private, max-age=900"),
        ],
        body,
    )
        .into_response()
}

/// The reporting calendar as iCalendar: one all-day event per date.
pub fn ical_of(tr: &Tr, events: &[rightsdesk_store::ReportingEvent]) -> String {
    use icalendar::{Calendar, Component, EventLike};
    let mut cal = Calendar::new();
    cal.name(&tr.t("calendar-feed-name"));
    for e in events {
        let Some(day) = chrono::NaiveDate::parse_from_str(&e.due_on, "%Y-%m-%d").ok() else {
            continue;
        };
        let mut description = format!("{}\n{}", reporting_kind_label(tr, &e.kind), e.cycle);
        if !e.notes.is_empty() {
            description = format!("{description}\n\n{}", e.notes);
        }
        let status = match e.status.as_str() {
            "done" => icalendar::EventStatus::Confirmed,
            "lapsed" => icalendar::EventStatus::Cancelled,
            _ => icalendar::EventStatus::Tentative,
        };
        cal.push(
            icalendar::Event::new()
                .uid(&format!("reporting-event-{}@rightsdesk", e.id))
                .all_day(day)
                .summary(&format!("[{}] {}", e.mechanism_code, e.title))
                .description(&description)
                .status(status)
                .done(),
        );
    }
    cal.done().to_string()
}

#[derive(Deserialize, Default)]
pub struct ExportForm {
    #[serde(flatten)]
    pub list: RecommendationQuery,
    /// `csv` or `xlsx`.
    #[serde(default)]
    pub format: String,
}

/// The most rows one export holds (the whole UPR Info corpus fits).
const EXPORT_LIMIT: usize = 100_000;

/// CSV or XLSX of the filtered recommendations, with their latest
/// assessment. Audited, and a POST with the anti-forgery token.
pub async fn export(ctx: Ctx, PageForm(form): PageForm<ExportForm>) -> Result<Response, PageError> {
    use axum::http::header;
    ctx.require(Action::Export, MODULE)?;
    let xlsx = match form.format.as_str() {
        "csv" | "" => false,
        "xlsx" => true,
        _ => return Err(ErrorCode::BadRequest.into()),
    };
    let scope = recommendation_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let mut f = scoped(recommendation_filter(&form.list).map_err(|_| ErrorCode::BadRequest)?, scope);
    f.after = None;
    f.limit = 500;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let headers = [
        "id",
        "mechanism",
        "state_under_review",
        "session",
        "cycle",
        "document_symbol",
        "paragraph",
        "date",
        "recommending_state",
        "text",
        "response",
        "response_as_given",
        "implementation",
        "themes",
        "sdg_targets",
        "affected_groups",
        "cluster",
        "source_key",
    ];
    let mut table = rightsdesk_export::Table { headers: headers.iter().map(|h| h.to_string()).collect(), rows: vec![] };
    loop {
        let page = store.recommendations(&f).await?;
        let last = page.last().map(|r| r.id);
        for r in &page {
            table.rows.push(vec![
                r.id.to_string(),
                r.mechanism_code.clone(),
                r.state_under_review.clone(),
                r.session.clone(),
                r.cycle.map(|c| c.to_string()).unwrap_or_default(),
                r.document_symbol.clone(),
                r.paragraph.clone(),
                r.issued_on.clone().unwrap_or_default(),
                r.recommending_state.clone(),
                r.text.clone(),
                r.response.map(|x| x.as_str().to_string()).unwrap_or_default(),
                r.response_raw.clone(),
                r.status.as_str().to_string(),
                r.themes.join(", "),
                r.sdg_targets.join(", "),
                r.affected_groups.join(", "),
                r.cluster.clone().unwrap_or_default(),
                r.source_key.clone(),
            ]);
        }
        if (page.len() as i64) < f.limit || table.rows.len() >= EXPORT_LIMIT {
            break;
        }
        f.after = last;
    }
    table.rows.truncate(EXPORT_LIMIT);
    store
        .append_audit(&ctx.audit("recommendation.export").record("export", "recommendations").summary(format!(
            "{} recommendations, {}, filters: {}",
            table.rows.len(),
            if xlsx { "xlsx" } else { "csv" },
            serde_urlencoded::to_string(&form.list).unwrap_or_default()
        )))
        .await?;
    let stamp = crate::kit::today();
    let (body, mime, ext) = if xlsx {
        let bytes = rightsdesk_export::to_xlsx(&table, &tr.t("recommendations-title")).map_err(|e| {
            tracing::error!(error = %e, "xlsx export failed");
            ErrorCode::Internal
        })?;
        (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
    } else {
        (rightsdesk_export::to_csv(&table), "text/csv; charset=utf-8", "csv")
    };
    let disposition = format!("attachment; filename=\"rightsdesk-recommendations-{stamp}.{ext}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ProgressQuery {
    #[serde(flatten)]
    pub list: RecommendationQuery,
    /// theme, institution, mechanism, cycle, sdg_goal, affected_group, cluster.
    pub by: String,
}

pub struct ProgressBar {
    pub label: String,
    pub href: String,
    pub total: String,
    /// (x, width, css class, title) of each status's part, in a 0..1000 box.
    pub parts: Vec<(i64, i64, &'static str, String)>,
}

#[derive(Template)]
#[template(path = "mechanisms/progress.html")]
struct ProgressPage {
    l: Layout,
    q: ProgressQuery,
    dimensions: Vec<(String, String)>,
    legend: Vec<(&'static str, String)>,
    bars: Vec<ProgressBar>,
    mechanisms: Vec<(String, String)>,
    error: Option<String>,
}

fn status_class(s: ImplementationStatus) -> &'static str {
    match s {
        ImplementationStatus::NotStarted => "st-not-started",
        ImplementationStatus::InProgress => "st-in-progress",
        ImplementationStatus::PartiallyImplemented => "st-partial",
        ImplementationStatus::Implemented => "st-implemented",
        ImplementationStatus::Regressed => "st-regressed",
        ImplementationStatus::NoInformation => "st-no-information",
    }
}

/// Where implementation stands, by theme, institution, mechanism, cycle,
/// SDG, group or cluster: one bar per group, split by status.
pub async fn progress(ctx: Ctx, PageQuery(q): PageQuery<ProgressQuery>) -> Result<Html<String>, PageError> {
    use rightsdesk_store::ProgressDimension;
    ctx.require(Action::View, MODULE)?;
    let scope = recommendation_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let dimension = if q.by.is_empty() { Some(ProgressDimension::Theme) } else { ProgressDimension::parse(&q.by) };
    let mut page = ProgressPage {
        l: ctx.layout(tr.t("progress-title")),
        q: q.clone(),
        dimensions: ProgressDimension::ALL
            .into_iter()
            .map(|d| (d.as_str().to_string(), tr.t(&format!("progress-by-{}", d.as_str().replace('_', "-")))))
            .collect(),
        legend: ImplementationStatus::ALL.into_iter().map(|s| (status_class(s), implementation_label(tr, s))).collect(),
        bars: vec![],
        mechanisms: mechanism_options(tr, &store.mechanisms().await?),
        error: None,
    };
    let (dimension, filter) = match (dimension, recommendation_filter(&q.list)) {
        (Some(d), Ok(f)) => (d, f),
        (None, _) => {
            page.error = Some(tr.t("field-error-invalid-choice"));
            return render(page);
        }
        (_, Err(e)) => {
            page.error = Some(tr.t(&format!("field-error-{}", e.code)));
            return render(page);
        }
    };
    let rows = store.recommendation_progress(dimension, &scoped(filter, scope)).await?;
    let widest = rows.iter().map(|r| r.total).max().unwrap_or(1).max(1);
    page.bars = rows
        .into_iter()
        .map(|r| {
            let mut list = q.list.clone();
            list.after = String::new();
            let label = match dimension {
                ProgressDimension::Cycle if r.key.is_empty() => tr.t("cycle-none"),
                ProgressDimension::Cycle => tr.t1("cycle-number", "cycle", &tr.digits(&r.key)),
                ProgressDimension::SdgGoal => format!("{} {}", tr.t("recommendation-sdg-goal"), tr.digits(&r.key)),
                ProgressDimension::AffectedGroup => group_label(tr, &r.key),
                _ => r.label.clone(),
            };
            match dimension {
                ProgressDimension::Theme => list.theme = r.key.clone(),
                ProgressDimension::Mechanism => list.mechanism = r.key.clone(),
                ProgressDimension::Cycle => list.cycle = r.key.clone(),
                ProgressDimension::SdgGoal => list.sdg_goal = r.key.clone(),
                ProgressDimension::AffectedGroup => list.group = r.key.clone(),
                ProgressDimension::Cluster => list.cluster = r.key.clone(),
                ProgressDimension::Institution => list.institution = r.key.clone(),
            }
            let mut x = 0;
            let parts = ImplementationStatus::ALL
                .into_iter()
                .zip(r.by_status.iter())
                .filter(|(_, n)| **n > 0)
                .map(|(s, n)| {
                    let w = (n * 1000 / widest).max(2);
                    let part = (x, w, status_class(s), format!("{}: {}", implementation_label(tr, s), tr.num(*n)));
                    x += w;
                    part
                })
                .collect();
            ProgressBar {
                label,
                href: format!("/mechanisms/recommendations?{}", serde_urlencoded::to_string(&list).unwrap_or_default()),
                total: tr.num(r.total),
                parts,
            }
        })
        .collect();
    render(page)
}

#[derive(Template)]
#[template(path = "mechanisms/list.html")]
struct MechanismsPage {
    l: Layout,
    /// code, kind label, name
    rows: Vec<(String, String, String)>,
    can_edit: bool,
    form: rightsdesk_domain::mechanisms::MechanismFields,
    errors: FormErrors,
    kinds: Vec<(String, String)>,
}

async fn mechanisms_page(
    ctx: &Ctx,
    form: rightsdesk_domain::mechanisms::MechanismFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let rows = ctx
        .state
        .store
        .mechanisms()
        .await?
        .into_iter()
        .map(|m| {
            (
                m.code,
                tr.t(&format!("mechanism-kind-{}", m.kind.as_str().replace('_', "-"))),
                tr.pick(&m.name_en, &m.name_km).to_string(),
            )
        })
        .collect();
    let kinds = ["special_procedure", "treaty_body", "upr"]
        .iter()
        .map(|k| (k.to_string(), tr.t(&format!("mechanism-kind-{}", k.replace('_', "-")))))
        .collect();
    render(MechanismsPage {
        l: ctx.layout(tr.t("mechanisms-list-title")),
        rows,
        can_edit: ctx.allows(Action::Create, MODULE),
        form,
        errors,
        kinds,
    })
}

/// The mechanisms recommendations come from; the office adds special
/// procedure mandates as it deals with them.
pub async fn mechanisms_list(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, MODULE)?;
    mechanisms_page(&ctx, Default::default(), FormErrors::default()).await
}

pub async fn create_mechanism(
    ctx: Ctx,
    PageForm(f): PageForm<rightsdesk_domain::mechanisms::MechanismFields>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, MODULE)?;
    let errors = match f.parse() {
        Ok(m) => match ctx.state.store.create_mechanism(&m, &ctx.audit("mechanism.create")).await {
            Ok(()) => return Ok(Redirect::to("/mechanisms/mechanisms").into_response()),
            Err(rightsdesk_store::StoreError::Conflict(_)) => vec![ValidationError::new("code", "taken")],
            Err(e) => return Err(e.into()),
        },
        Err(errs) => errs,
    };
    let page = mechanisms_page(&ctx, f, FormErrors::from_validation(&ctx.tr, &errors)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
