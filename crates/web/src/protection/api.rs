//! `/api/v1/protection` for the protection module, under the pages' policy:
//! a file outside the caller's scope answers 404, every opening is audited,
//! and bad input is a 422 with a field and a stable code, nothing written.

use super::service::{self, AcknowledgeFields, Checked, FileQuery, LinkCaseFields, StatusFields};
use crate::auth::ApiCtx;
use crate::error::{ApiError, ApiErrorBody, ErrorCode};
use crate::extract::{ApiBody, ApiPath, ApiQuery};
use crate::platform::api::ApiResult;
use axum::http::StatusCode;
use axum::Json;
use rightsdesk_domain::protection::{
    CheckinFields, CheckinScheduleFields, MeasureFields, ProtectionFileFields, RiskAssessmentFields, ThreatFields,
};
use rightsdesk_domain::Action;
use rightsdesk_store::protection::{
    Alert, Checkin, Measure, ProtectionFile, ProtectionFileSummary, RiskAssessment, Threat,
};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    files,
    create_file,
    file,
    change_status,
    link_case,
    add_threat,
    add_assessment,
    add_measure,
    set_schedule,
    record_checkin,
    alerts,
    acknowledge
))]
pub struct ApiDoc;

#[derive(Serialize, ToSchema)]
pub struct FileList {
    pub total: i64,
    pub files: Vec<ProtectionFileSummary>,
}

/// A person the file protects, as its team sees them.
#[derive(Serialize, ToSchema)]
pub struct FilePerson {
    pub person_id: i64,
    pub case_id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct LinkedCase {
    pub id: i64,
    pub reference: String,
    pub title: String,
}

/// A file and everything in it.
#[derive(Serialize, ToSchema)]
pub struct FileDetail {
    pub file: ProtectionFile,
    pub people: Vec<FilePerson>,
    pub cases: Vec<LinkedCase>,
    pub threats: Vec<Threat>,
    pub assessments: Vec<RiskAssessment>,
    pub measures: Vec<Measure>,
    pub checkins: Vec<Checkin>,
    pub alerts: Vec<Alert>,
}

fn checked<T>(r: Checked<T>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::validation(&e))
}

async fn open(ctx: &ApiCtx, id: i64, action: Action) -> Result<ProtectionFile, ApiError> {
    service::open_file(ctx, id, action, "API").await
}

#[utoipa::path(get, path = "/api/v1/protection/files", tag = "protection", params(FileQuery),
    responses((status = 200, body = FileList), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn files(ctx: ApiCtx, ApiQuery(q): ApiQuery<FileQuery>) -> ApiResult<FileList> {
    let scope = service::scope(&ctx)?;
    let f = service::file_filter(scope, &q).map_err(|e| ApiError::validation(&[e]))?;
    let store = &ctx.state.store;
    Ok(Json(FileList { total: store.count_protection_files(&f).await?, files: store.list_protection_files(&f).await? }))
}

#[utoipa::path(post, path = "/api/v1/protection/files", tag = "protection", request_body = ProtectionFileFields,
    responses((status = 201, body = ProtectionFile), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create_file(
    ctx: ApiCtx,
    raw: ApiBody<ProtectionFileFields>,
) -> Result<(StatusCode, Json<ProtectionFile>), ApiError> {
    ctx.require(Action::Create, service::MODULE)?;
    let f = raw.read(&ctx).await?;
    Ok((StatusCode::CREATED, Json(checked(service::create_file(&ctx, &f).await?)?)))
}

#[utoipa::path(get, path = "/api/v1/protection/files/{id}", tag = "protection", params(("id" = i64, Path)),
    responses((status = 200, body = FileDetail), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn file(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<FileDetail> {
    let f = open(&ctx, id, Action::ViewIdentifying).await?;
    let r = ctx.state.store.protection_records(id).await?;
    let mut people = vec![];
    for p in &r.persons {
        let identity = p.identity(&ctx.state.keys).map_err(|e| {
            tracing::error!(person = p.id, error = %e, "identifying fields do not open");
            ApiError::from(ErrorCode::Internal)
        })?;
        people.push(FilePerson { person_id: p.id, case_id: p.case_id, code: p.code.clone(), name: identity.name });
    }
    Ok(Json(FileDetail {
        file: f,
        people,
        cases: r.cases.into_iter().map(|(id, reference, title)| LinkedCase { id, reference, title }).collect(),
        threats: r.threats,
        assessments: r.assessments,
        measures: r.measures,
        checkins: r.checkins,
        alerts: r.alerts,
    }))
}

#[utoipa::path(post, path = "/api/v1/protection/files/{id}/status", tag = "protection", params(("id" = i64, Path)),
    request_body = StatusFields,
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn change_status(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<StatusFields>,
) -> Result<StatusCode, ApiError> {
    let f = open(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    checked(service::change_status(&ctx, &f, &body).await?)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/protection/files/{id}/cases", tag = "protection", params(("id" = i64, Path)),
    request_body = LinkCaseFields,
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn link_case(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<LinkCaseFields>,
) -> Result<StatusCode, ApiError> {
    let f = open(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    checked(service::link_case(&ctx, &f, &body).await?)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/protection/files/{id}/threats", tag = "protection", params(("id" = i64, Path)),
    request_body = ThreatFields,
    responses((status = 201, body = Threat), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn add_threat(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<ThreatFields>,
) -> Result<(StatusCode, Json<Threat>), ApiError> {
    let f = open(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    Ok((StatusCode::CREATED, Json(checked(service::add_threat(&ctx, &f, &body).await?)?)))
}

#[utoipa::path(post, path = "/api/v1/protection/files/{id}/assessments", tag = "protection", params(("id" = i64, Path)),
    request_body = RiskAssessmentFields,
    responses((status = 201, body = RiskAssessment), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn add_assessment(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<RiskAssessmentFields>,
) -> Result<(StatusCode, Json<RiskAssessment>), ApiError> {
    let f = open(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    let days = ctx.state.config.reassessment_days;
    Ok((StatusCode::CREATED, Json(checked(service::add_assessment(&ctx, &f, &body, &days).await?)?)))
}

#[utoipa::path(post, path = "/api/v1/protection/files/{id}/measures", tag = "protection", params(("id" = i64, Path)),
    request_body = MeasureFields,
    responses((status = 201, body = Measure), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn add_measure(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<MeasureFields>,
) -> Result<(StatusCode, Json<Measure>), ApiError> {
    let f = open(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    Ok((StatusCode::CREATED, Json(checked(service::add_measure(&ctx, &f, &body).await?)?)))
}

#[utoipa::path(post, path = "/api/v1/protection/files/{id}/schedule", tag = "protection", params(("id" = i64, Path)),
    request_body = CheckinScheduleFields,
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn set_schedule(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<CheckinScheduleFields>,
) -> Result<StatusCode, ApiError> {
    let f = open(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    checked(service::set_schedule(&ctx, &f, &body).await?)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/protection/files/{id}/checkins", tag = "protection", params(("id" = i64, Path)),
    request_body = CheckinFields,
    responses((status = 201, body = Checkin), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn record_checkin(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<CheckinFields>,
) -> Result<(StatusCode, Json<Checkin>), ApiError> {
    let f = open(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    Ok((StatusCode::CREATED, Json(checked(service::record_checkin(&ctx, &f, &body).await?)?)))
}

#[derive(serde::Deserialize, utoipa::IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AlertParams {
    /// `1`: every alert of the caller's files, history included (default: open alerts that need the caller).
    pub all: String,
}

#[utoipa::path(get, path = "/api/v1/protection/alerts", tag = "protection", params(AlertParams),
    responses((status = 200, body = [Alert]), (status = 403, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn alerts(ctx: ApiCtx, ApiQuery(p): ApiQuery<AlertParams>) -> ApiResult<Vec<Alert>> {
    let all = p.all == "1";
    Ok(Json(service::alerts_for(&ctx, !all, !all, 1_000).await?))
}

#[utoipa::path(post, path = "/api/v1/protection/alerts/{id}/acknowledge", tag = "protection", params(("id" = i64, Path)),
    request_body = AcknowledgeFields,
    responses((status = 200, body = Alert), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn acknowledge(ctx: ApiCtx, ApiPath(id): ApiPath<i64>, raw: ApiBody<AcknowledgeFields>) -> ApiResult<Alert> {
    // The caller is checked (protection at all) before the body is read;
    // the service then opens the alert's file for them, audited once.
    service::scope(&ctx)?;
    let body = raw.read(&ctx).await?;
    Ok(Json(checked(service::acknowledge(&ctx, id, &body).await?)?))
}
