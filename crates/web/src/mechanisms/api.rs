//! `/api/v1` for the mechanisms module: mechanisms, recommendations,
//! assessments and the cases linked to them, under the pages' policy.

use super::service::{recommendation_filter, recommendation_ref, scoped, RecommendationQuery};
use crate::auth::ApiCtx;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiBody, ApiPath, ApiQuery};
use crate::platform::api::ApiResult;
use axum::http::StatusCode;
use axum::Json;
use rightsdesk_domain::mechanisms::AssessmentFields;
use rightsdesk_domain::{case_scope, recommendation_scope, Action, Module, Resource, ValidationError};
use rightsdesk_store::{Assessment, CaseSummary, Mechanism, Organisation, Recommendation, RecommendationFacets};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    mechanisms,
    recommendations,
    recommendation,
    add_assessment,
    link_case,
    case_recommendations,
    reporting_events,
    add_reporting_event,
    update_details,
    progress,
    submit_update,
    pending_updates,
    review_update,
    actions,
    create_action,
    action,
    add_indicator,
    link_action,
    treaties
))]
pub struct ApiDoc;

const MODULE: Resource = Resource::Module(Module::Mechanisms);

#[utoipa::path(get, path = "/api/v1/mechanisms", tag = "mechanisms",
    responses((status = 200, body = [Mechanism]), (status = 403, body = crate::error::ApiErrorBody)), security(("bearer" = [])))]
pub async fn mechanisms(ctx: ApiCtx) -> ApiResult<Vec<Mechanism>> {
    ctx.require(Action::View, MODULE)?;
    Ok(Json(ctx.state.store.mechanisms().await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendationListParams {
    /// State under review, e.g. `Cambodia`.
    pub state: Option<String>,
    /// Mechanism code: `UPR`, `CCPR`, `CRC`, ...
    pub mechanism: Option<String>,
    pub cycle: Option<i64>,
    /// `supported`, `noted` or `other`.
    pub response: Option<String>,
    /// Implementation status of the latest assessment.
    pub status: Option<String>,
    pub theme: Option<String>,
    pub recommending_state: Option<String>,
    /// Recommendations linked to a target of this SDG (1 to 17).
    pub sdg_goal: Option<i64>,
    /// An affected group code, e.g. `children`.
    pub group: Option<String>,
    /// A cluster id.
    pub cluster: Option<i64>,
    /// An organisation id: the recommendations assigned to that institution.
    pub institution: Option<i64>,
    /// Words that must all appear in the text.
    pub q: Option<String>,
    /// `next_after` of the previous page.
    pub after: Option<i64>,
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RecommendationList {
    pub items: Vec<Recommendation>,
    /// Counts of everything the filter matches (not only this page).
    pub facets: RecommendationFacets,
    pub next_after: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/recommendations", tag = "mechanisms", params(RecommendationListParams),
    responses((status = 200, body = RecommendationList), (status = 422, body = crate::error::ApiErrorBody)), security(("bearer" = [])))]
pub async fn recommendations(
    ctx: ApiCtx,
    ApiQuery(p): ApiQuery<RecommendationListParams>,
) -> ApiResult<RecommendationList> {
    ctx.require(Action::View, MODULE)?;
    let q = RecommendationQuery {
        state: p.state.unwrap_or_default(),
        mechanism: p.mechanism.unwrap_or_default(),
        cycle: p.cycle.map(|c| c.to_string()).unwrap_or_default(),
        response: p.response.unwrap_or_default(),
        status: p.status.unwrap_or_default(),
        theme: p.theme.unwrap_or_default(),
        recommending_state: p.recommending_state.unwrap_or_default(),
        sdg_goal: p.sdg_goal.map(|g| g.to_string()).unwrap_or_default(),
        group: p.group.unwrap_or_default(),
        cluster: p.cluster.map(|c| c.to_string()).unwrap_or_default(),
        institution: p.institution.map(|c| c.to_string()).unwrap_or_default(),
        q: p.q.unwrap_or_default(),
        after: p.after.map(|a| a.to_string()).unwrap_or_default(),
    };
    let scope = recommendation_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let mut f = scoped(recommendation_filter(&q).map_err(|e| ApiError::validation(&[e]))?, scope);
    f.limit = p.limit.unwrap_or(50).clamp(1, 500);
    let store = ctx.state.store.as_ref();
    let facets = ctx.state.recommendation_facets(&f).await?;
    let items = store.recommendations(&f).await?;
    let next_after = items.last().filter(|_| items.len() as i64 == f.limit).map(|r| r.id);
    Ok(Json(RecommendationList { items, facets, next_after }))
}

#[derive(Serialize, ToSchema)]
pub struct RecommendationView {
    #[serde(flatten)]
    pub recommendation: Recommendation,
    /// The office's assessments; absent for government focal points.
    pub assessments: Option<Vec<Assessment>>,
    /// Progress updates from institutions (a focal point's own institution only).
    pub updates: Vec<rightsdesk_store::ProgressUpdate>,
    pub institutions: Vec<Organisation>,
    /// The linked cases the caller may see; absent for callers without
    /// access to monitoring.
    pub cases: Option<Vec<CaseSummary>>,
}

#[utoipa::path(get, path = "/api/v1/recommendations/{id}", tag = "mechanisms", params(("id" = i64, Path)),
    responses((status = 200, body = RecommendationView), (status = 404, body = crate::error::ApiErrorBody)), security(("bearer" = [])))]
pub async fn recommendation(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<RecommendationView> {
    let store = ctx.state.store.as_ref();
    let rref = recommendation_ref(store, ctx.user.as_ref(), id).await?;
    ctx.require(Action::View, Resource::Recommendation(rref))?;
    let recommendation = store.recommendation(id).await?.ok_or(ErrorCode::NotFound)?;
    let institution = recommendation_scope(&ctx.actor).and_then(|s| s.institution);
    let cases = match case_scope(&ctx.actor) {
        Some(scope) => Some(store.linked_cases(id, &scope).await?),
        None => None,
    };
    Ok(Json(RecommendationView {
        assessments: if institution.is_none() { Some(store.assessments(id).await?) } else { None },
        updates: store.progress_updates(id, institution).await?,
        institutions: store.institutions(id).await?,
        cases,
        recommendation,
    }))
}

#[utoipa::path(post, path = "/api/v1/recommendations/{id}/assessments", tag = "mechanisms", params(("id" = i64, Path)),
    request_body = AssessmentFields,
    responses((status = 201, body = Assessment), (status = 404, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_assessment(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<AssessmentFields>,
) -> Result<(StatusCode, Json<Assessment>), ApiError> {
    ctx.require(Action::Update, MODULE)?;
    let store = ctx.state.store.as_ref();
    store.recommendation(id).await?.ok_or(ErrorCode::NotFound)?;
    let f = raw.read(&ctx).await?;
    let input = f.parse().map_err(|e| ApiError::validation(&e))?;
    let a = store.add_assessment(id, &input, ctx.me()?.id, &ctx.audit("recommendation.assess")).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

#[derive(Deserialize, ToSchema)]
pub struct LinkCaseRequest {
    /// The case's reference number, e.g. `PNH-2026-0001`.
    pub reference: String,
}

#[utoipa::path(post, path = "/api/v1/recommendations/{id}/cases", tag = "mechanisms", params(("id" = i64, Path)),
    request_body = LinkCaseRequest,
    responses((status = 204), (status = 404, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn link_case(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<LinkCaseRequest>,
) -> Result<StatusCode, ApiError> {
    ctx.require(Action::Update, MODULE)?;
    let store = ctx.state.store.as_ref();
    store.recommendation(id).await?.ok_or(ErrorCode::NotFound)?;
    let body = raw.read(&ctx).await?;
    let reference = body.reference.trim().to_uppercase();
    let found =
        if reference.is_empty() || reference.len() > 40 { None } else { store.case_by_reference(&reference).await? };
    let me = ctx.me()?.id;
    // A case the caller may not see is reported exactly like a missing one.
    let case = found
        .filter(|c| ctx.allows(Action::Update, Resource::Case(crate::monitoring::case_ref(Some(me), c))))
        .ok_or_else(|| ApiError::validation(&[ValidationError::new("reference", "unknown-case")]))?;
    store.link_case(id, case.id, me, &ctx.audit("recommendation.link_case")).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/recommendations", tag = "mechanisms", params(("id" = i64, Path)),
    responses((status = 200, body = [Recommendation]), (status = 404, body = crate::error::ApiErrorBody)), security(("bearer" = [])))]
pub async fn case_recommendations(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<Recommendation>> {
    crate::monitoring::service::open_case(&ctx, id, Action::View, Some("restricted case read (API)")).await?;
    Ok(Json(ctx.state.store.case_recommendations(id).await?))
}

#[utoipa::path(get, path = "/api/v1/reporting-events", tag = "mechanisms",
    responses((status = 200, body = [rightsdesk_store::ReportingEvent]), (status = 403, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn reporting_events(ctx: ApiCtx) -> ApiResult<Vec<rightsdesk_store::ReportingEvent>> {
    ctx.require(Action::View, Resource::ReportingCalendar)?;
    Ok(Json(ctx.state.store.reporting_events().await?))
}

#[utoipa::path(post, path = "/api/v1/reporting-events", tag = "mechanisms",
    request_body = rightsdesk_domain::mechanisms::ReportingEventFields,
    responses((status = 201, body = rightsdesk_store::ReportingEvent), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_reporting_event(
    ctx: ApiCtx,
    raw: ApiBody<rightsdesk_domain::mechanisms::ReportingEventFields>,
) -> Result<(StatusCode, Json<rightsdesk_store::ReportingEvent>), ApiError> {
    ctx.require(Action::Create, Resource::ReportingCalendar)?;
    let f = raw.read(&ctx).await?;
    let input = f.parse().map_err(|e| ApiError::validation(&e))?;
    match ctx.state.store.add_reporting_event(&input, ctx.me()?.id, &ctx.audit("calendar.add")).await {
        Ok(e) => Ok((StatusCode::CREATED, Json(e))),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            Err(ApiError::validation(&[ValidationError::new("mechanism_code", "invalid-choice")]))
        }
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(post, path = "/api/v1/recommendations/{id}/details", tag = "mechanisms", params(("id" = i64, Path)),
    request_body = rightsdesk_domain::mechanisms::RecommendationDetailsFields,
    responses((status = 200, body = Recommendation), (status = 404, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn update_details(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<rightsdesk_domain::mechanisms::RecommendationDetailsFields>,
) -> ApiResult<Recommendation> {
    ctx.require(Action::Update, MODULE)?;
    let store = ctx.state.store.as_ref();
    store.recommendation(id).await?.ok_or(ErrorCode::NotFound)?;
    let f = raw.read(&ctx).await?;
    let details = f.parse().map_err(|e| ApiError::validation(&e))?;
    let known: Vec<i64> = store.organisations().await?.iter().map(|o| o.id).collect();
    if details.institutions.iter().any(|i| !known.contains(i)) {
        return Err(ApiError::validation(&[ValidationError::new("institutions", "invalid-choice")]));
    }
    match store.update_recommendation_details(id, &details, &ctx.audit("recommendation.details")).await {
        Ok(()) => Ok(Json(store.recommendation(id).await?.ok_or(ErrorCode::NotFound)?)),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            Err(ApiError::validation(&[ValidationError::new("sdg_targets", "invalid-choice")]))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressParams {
    /// theme, institution, mechanism, cycle, sdg_goal, affected_group or cluster.
    pub by: String,
    pub state: Option<String>,
    pub mechanism: Option<String>,
    pub cycle: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/recommendations/progress", tag = "mechanisms", params(ProgressParams),
    responses((status = 200, body = [rightsdesk_store::ProgressRow]), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn progress(
    ctx: ApiCtx,
    ApiQuery(p): ApiQuery<ProgressParams>,
) -> ApiResult<Vec<rightsdesk_store::ProgressRow>> {
    ctx.require(Action::View, Resource::Aggregates(Module::Mechanisms))?;
    let dimension = rightsdesk_store::ProgressDimension::parse(&p.by)
        .ok_or_else(|| ApiError::validation(&[ValidationError::new("by", "invalid-choice")]))?;
    let q = RecommendationQuery {
        state: p.state.unwrap_or_default(),
        mechanism: p.mechanism.unwrap_or_default(),
        cycle: p.cycle.map(|c| c.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    let scope = rightsdesk_domain::recommendation_aggregate_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let f = scoped(recommendation_filter(&q).map_err(|e| ApiError::validation(&[e]))?, scope);
    Ok(Json(ctx.state.store.recommendation_progress(dimension, &f).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ProgressUpdateRequest {
    /// The implementation status the institution reports.
    pub status: rightsdesk_domain::mechanisms::ImplementationStatus,
    /// What was done.
    pub text: String,
}

#[utoipa::path(post, path = "/api/v1/recommendations/{id}/updates", tag = "mechanisms", params(("id" = i64, Path)),
    request_body = ProgressUpdateRequest,
    responses((status = 201, body = rightsdesk_store::ProgressUpdate), (status = 403, body = crate::error::ApiErrorBody),
        (status = 404, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn submit_update(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<ProgressUpdateRequest>,
) -> Result<(StatusCode, Json<rightsdesk_store::ProgressUpdate>), ApiError> {
    let store = ctx.state.store.as_ref();
    let rref = recommendation_ref(store, ctx.user.as_ref(), id).await?;
    ctx.require(Action::Create, Resource::Recommendation(rref))?;
    store.recommendation(id).await?.ok_or(ErrorCode::NotFound)?;
    let body = raw.read(&ctx).await?;
    let me = ctx.me()?;
    let org = me.organisation_id.ok_or(ErrorCode::Forbidden)?;
    let text = body.text.trim();
    if text.is_empty() || text.chars().count() > 5000 {
        let code = if text.is_empty() { "required" } else { "too-long" };
        return Err(ApiError::validation(&[ValidationError::new("text", code)]));
    }
    let u =
        store.submit_progress_update(id, org, me.id, body.status, text, &ctx.audit("recommendation.update")).await?;
    Ok((StatusCode::CREATED, Json(u)))
}

#[utoipa::path(get, path = "/api/v1/progress-updates", tag = "mechanisms",
    responses((status = 200, body = [rightsdesk_store::ProgressUpdate]), (status = 403, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn pending_updates(ctx: ApiCtx) -> ApiResult<Vec<rightsdesk_store::ProgressUpdate>> {
    ctx.require(Action::Update, MODULE)?;
    Ok(Json(ctx.state.store.pending_progress_updates().await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// true: it becomes an assessment; false: it goes back with the comment.
    pub accept: bool,
    #[serde(default)]
    pub comment: String,
}

#[utoipa::path(post, path = "/api/v1/progress-updates/{id}/review", tag = "mechanisms", params(("id" = i64, Path)),
    request_body = ReviewRequest,
    responses((status = 200, body = rightsdesk_store::ProgressUpdate), (status = 404, body = crate::error::ApiErrorBody),
        (status = 409, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn review_update(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<ReviewRequest>,
) -> ApiResult<rightsdesk_store::ProgressUpdate> {
    ctx.require(Action::Update, MODULE)?;
    let body = raw.read(&ctx).await?;
    let comment = body.comment.trim();
    if !body.accept && comment.is_empty() {
        return Err(ApiError::validation(&[ValidationError::new("comment", "required")]));
    }
    if comment.chars().count() > 2000 {
        return Err(ApiError::validation(&[ValidationError::new("comment", "too-long")]));
    }
    let today = crate::kit::today();
    let store = ctx.state.store.as_ref();
    store
        .review_progress_update(
            id,
            body.accept,
            comment,
            &today,
            ctx.me()?.id,
            &ctx.audit("recommendation.review_update"),
        )
        .await?;
    Ok(Json(store.progress_update(id).await?.ok_or(ErrorCode::NotFound)?))
}

const ACTIONS: Resource = Resource::ImplementationActions;

fn action_error(e: rightsdesk_store::StoreError) -> ApiError {
    match e {
        rightsdesk_store::StoreError::Constraint(_) => {
            ApiError::validation(&[ValidationError::new("organisation_id", "invalid-choice")])
        }
        e => e.into(),
    }
}

#[utoipa::path(get, path = "/api/v1/actions", tag = "mechanisms",
    responses((status = 200, body = [rightsdesk_store::ImplementationAction]), (status = 403, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn actions(ctx: ApiCtx) -> ApiResult<Vec<rightsdesk_store::ImplementationAction>> {
    ctx.require(Action::View, ACTIONS)?;
    Ok(Json(ctx.state.store.actions().await?))
}

#[utoipa::path(post, path = "/api/v1/actions", tag = "mechanisms", request_body = rightsdesk_domain::mechanisms::ActionFields,
    responses((status = 201, body = rightsdesk_store::ImplementationAction), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create_action(
    ctx: ApiCtx,
    raw: ApiBody<rightsdesk_domain::mechanisms::ActionFields>,
) -> Result<(StatusCode, Json<rightsdesk_store::ImplementationAction>), ApiError> {
    ctx.require(Action::Create, ACTIONS)?;
    let f = raw.read(&ctx).await?;
    let input = f.parse().map_err(|e| ApiError::validation(&e))?;
    let a =
        ctx.state.store.create_action(&input, ctx.me()?.id, &ctx.audit("action.create")).await.map_err(action_error)?;
    Ok((StatusCode::CREATED, Json(a)))
}

#[utoipa::path(get, path = "/api/v1/actions/{id}", tag = "mechanisms", params(("id" = i64, Path)),
    responses((status = 200, body = rightsdesk_store::ImplementationAction), (status = 404, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn action(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<rightsdesk_store::ImplementationAction> {
    ctx.require(Action::View, ACTIONS)?;
    Ok(Json(ctx.state.store.action(id).await?.ok_or(ErrorCode::NotFound)?))
}

#[utoipa::path(post, path = "/api/v1/actions/{id}/indicators", tag = "mechanisms", params(("id" = i64, Path)),
    request_body = rightsdesk_domain::mechanisms::IndicatorFields,
    responses((status = 201, body = rightsdesk_store::Indicator), (status = 404, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_indicator(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<rightsdesk_domain::mechanisms::IndicatorFields>,
) -> Result<(StatusCode, Json<rightsdesk_store::Indicator>), ApiError> {
    ctx.require(Action::Update, ACTIONS)?;
    let store = ctx.state.store.as_ref();
    store.action(id).await?.ok_or(ErrorCode::NotFound)?;
    let f = raw.read(&ctx).await?;
    let f = f.parse().map_err(|e| ApiError::validation(&e))?;
    Ok((StatusCode::CREATED, Json(store.add_indicator(id, &f, &ctx.audit("action.indicator")).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct LinkRecommendationRequest {
    pub recommendation_id: i64,
}

#[utoipa::path(post, path = "/api/v1/actions/{id}/recommendations", tag = "mechanisms", params(("id" = i64, Path)),
    request_body = LinkRecommendationRequest,
    responses((status = 204), (status = 404, body = crate::error::ApiErrorBody), (status = 422, body = crate::error::ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn link_action(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<LinkRecommendationRequest>,
) -> Result<StatusCode, ApiError> {
    ctx.require(Action::Update, ACTIONS)?;
    let store = ctx.state.store.as_ref();
    store.action(id).await?.ok_or(ErrorCode::NotFound)?;
    let body = raw.read(&ctx).await?;
    if store.recommendation(body.recommendation_id).await?.is_none() {
        return Err(ApiError::validation(&[ValidationError::new("recommendation_id", "invalid-choice")]));
    }
    store.link_action(id, body.recommendation_id, &ctx.audit("action.link")).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TreatyParams {
    /// A State's name as in the UN Treaty Collection (default Cambodia).
    pub state: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TreatyStatus {
    pub ratifications: Vec<rightsdesk_domain::reference::Ratification>,
    pub commitments: Vec<rightsdesk_store::TreatyCommitment>,
}

#[utoipa::path(get, path = "/api/v1/treaties", tag = "mechanisms", params(TreatyParams),
    responses((status = 200, body = TreatyStatus), (status = 404, body = crate::error::ApiErrorBody)), security(("bearer" = [])))]
pub async fn treaties(ctx: ApiCtx, ApiQuery(p): ApiQuery<TreatyParams>) -> ApiResult<TreatyStatus> {
    ctx.require(Action::View, MODULE)?;
    let state = p.state.unwrap_or_else(|| rightsdesk_store::reference::HOME_STATE.to_string());
    let store = ctx.state.store.as_ref();
    let ratifications = store.ratifications(&state).await?;
    if ratifications.is_empty() {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(Json(TreatyStatus { ratifications, commitments: store.treaty_commitments(&state).await? }))
}
