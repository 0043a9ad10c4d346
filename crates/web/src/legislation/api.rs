//! `/api/v1/laws` for the legislation module, under the pages' policy: a
//! law a focal point may not see answers 404, writes are for legal
//! officers, and bad input is a 422 with a field and a stable code, nothing
//! written. A version comes as JSON with its text, or with its file in
//! base64 (DOCX, PDF or text), read and split as on the page.

use super::service::{self, Checked, LawQuery, LinkFields, ResponseSummary, VersionUpload};
use super::versions::CompareQuery;
use crate::auth::ApiCtx;
use crate::error::{ApiError, ApiErrorBody, ErrorCode};
use crate::extract::{ApiBody, ApiPath, ApiQuery};
use crate::platform::api::ApiResult;
use axum::http::StatusCode;
use axum::Json;
use rightsdesk_domain::legislation::{
    ArticleChange, CommentFields, LawFields, ResponseFields, StageFields, VersionFields,
};
use rightsdesk_domain::Action;
use rightsdesk_store::legislation::{Law, LawArticle, LawComment, LawLinks, LawStageChange, LawVersion};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(utoipa::OpenApi)]
#[openapi(paths(laws, create_law, law, change_stage, link, add_version, version, compare, add_comment, respond))]
pub struct ApiDoc;

#[derive(Serialize, ToSchema)]
pub struct LawList {
    pub total: i64,
    pub laws: Vec<Law>,
}

/// A law with its stages, versions, comments and links.
#[derive(Serialize, ToSchema)]
pub struct LawDetail {
    pub law: Law,
    pub stages: Vec<LawStageChange>,
    pub versions: Vec<LawVersion>,
    pub comments: Vec<LawComment>,
    pub responses: ResponseSummary,
    pub links: LawLinks,
}

#[derive(Serialize, ToSchema)]
pub struct VersionDetail {
    pub version: LawVersion,
    pub articles: Vec<LawArticle>,
}

#[derive(Serialize, ToSchema)]
pub struct Comparison {
    pub from: LawVersion,
    pub to: LawVersion,
    pub changes: Vec<ArticleChange>,
}

/// A new version: its fields and either its text or its file.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewVersionBody {
    #[serde(flatten)]
    pub fields: VersionFields,
    /// The text, as pasted.
    pub text: String,
    /// The file's name, with `file_base64`.
    pub file_name: String,
    /// The file (DOCX, PDF or UTF-8 text), base64.
    pub file_base64: String,
}

/// A comment on an article of a version.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewCommentBody {
    /// The version the comment is written against.
    pub version_id: i64,
    #[serde(flatten)]
    pub fields: CommentFields,
}

fn checked<T>(r: Checked<T>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::validation(&e))
}

#[utoipa::path(get, path = "/api/v1/laws", tag = "legislation", params(LawQuery),
    responses((status = 200, body = LawList), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn laws(ctx: ApiCtx, ApiQuery(q): ApiQuery<LawQuery>) -> ApiResult<LawList> {
    let scope = service::scope(&ctx)?;
    let f = service::law_filter(scope, &q).map_err(|e| ApiError::validation(&[e]))?;
    let store = &ctx.state.store;
    Ok(Json(LawList { total: store.count_laws(&f).await?, laws: store.list_laws(&f).await? }))
}

#[utoipa::path(post, path = "/api/v1/laws", tag = "legislation", request_body = LawFields,
    responses((status = 201, body = Law), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create_law(ctx: ApiCtx, raw: ApiBody<LawFields>) -> Result<(StatusCode, Json<Law>), ApiError> {
    ctx.require(Action::Create, service::MODULE)?;
    let f = raw.read(&ctx).await?;
    Ok((StatusCode::CREATED, Json(checked(service::create_law(&ctx, &f).await?)?)))
}

#[utoipa::path(get, path = "/api/v1/laws/{id}", tag = "legislation", params(("id" = i64, Path)),
    responses((status = 200, body = LawDetail), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn law(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<LawDetail> {
    let law = service::open_law(&ctx, id, Action::View).await?;
    let store = &ctx.state.store;
    let comments = service::visible_comments(&ctx, id).await?;
    Ok(Json(LawDetail {
        stages: store.law_stages(id).await?,
        versions: store.law_versions(id).await?,
        responses: service::response_summary(&comments),
        links: service::visible_links(&ctx, &law).await?,
        comments,
        law,
    }))
}

#[utoipa::path(post, path = "/api/v1/laws/{id}/stage", tag = "legislation", params(("id" = i64, Path)),
    request_body = StageFields,
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn change_stage(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<StageFields>,
) -> Result<StatusCode, ApiError> {
    let law = service::open_law(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    checked(service::change_stage(&ctx, &law, &body).await?)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/laws/{id}/links", tag = "legislation", params(("id" = i64, Path)),
    request_body = LinkFields,
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn link(ctx: ApiCtx, ApiPath(id): ApiPath<i64>, raw: ApiBody<LinkFields>) -> Result<StatusCode, ApiError> {
    let law = service::open_law(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    checked(service::link(&ctx, &law, &body).await?)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/laws/{id}/versions", tag = "legislation", params(("id" = i64, Path)),
    request_body = NewVersionBody,
    responses((status = 201, body = LawVersion), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_version(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<NewVersionBody>,
) -> Result<(StatusCode, Json<LawVersion>), ApiError> {
    let law = service::open_law(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    let file = if body.file_base64.trim().is_empty() {
        None
    } else {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD.decode(body.file_base64.trim()).map_err(|_| {
            ApiError::validation(&[rightsdesk_domain::ValidationError::new("file_base64", "invalid-base64")])
        })?;
        Some((body.file_name.clone(), bytes))
    };
    let up = VersionUpload { fields: body.fields, file, pasted: body.text };
    Ok((StatusCode::CREATED, Json(checked(service::add_version(&ctx, &law, up).await?)?)))
}

#[utoipa::path(get, path = "/api/v1/laws/{id}/versions/{version}", tag = "legislation",
    params(("id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = VersionDetail), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn version(ctx: ApiCtx, ApiPath((id, version)): ApiPath<(i64, i64)>) -> ApiResult<VersionDetail> {
    let law = service::open_law(&ctx, id, Action::View).await?;
    let v = service::open_version(&ctx, &law, version).await?;
    Ok(Json(VersionDetail { version: v.version, articles: v.articles }))
}

#[utoipa::path(get, path = "/api/v1/laws/{id}/compare", tag = "legislation", params(("id" = i64, Path), CompareQuery),
    responses((status = 200, body = Comparison), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn compare(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> ApiResult<Comparison> {
    let law = service::open_law(&ctx, id, Action::View).await?;
    let (from, to) = q.ids().ok_or(ErrorCode::BadRequest)?;
    let c = service::compare(&ctx, &law, from, to).await?;
    Ok(Json(Comparison { from: c.from.version, to: c.to.version, changes: c.changes }))
}

#[utoipa::path(post, path = "/api/v1/laws/{id}/comments", tag = "legislation", params(("id" = i64, Path)),
    request_body = NewCommentBody,
    responses((status = 201, body = LawComment), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_comment(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<NewCommentBody>,
) -> Result<(StatusCode, Json<LawComment>), ApiError> {
    let law = service::open_law(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    let version = match body.version_id {
        0 => ctx.state.store.law_versions(id).await?.last().map(|v| v.id).ok_or(ErrorCode::NotFound)?,
        v => v,
    };
    Ok((StatusCode::CREATED, Json(checked(service::add_comment(&ctx, &law, version, &body.fields).await?)?)))
}

#[utoipa::path(post, path = "/api/v1/laws/{id}/comments/{comment}/response", tag = "legislation",
    params(("id" = i64, Path), ("comment" = i64, Path)), request_body = ResponseFields,
    responses((status = 200, body = LawComment), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn respond(
    ctx: ApiCtx,
    ApiPath((id, comment)): ApiPath<(i64, i64)>,
    raw: ApiBody<ResponseFields>,
) -> ApiResult<LawComment> {
    let law = service::open_law(&ctx, id, Action::Update).await?;
    let body = raw.read(&ctx).await?;
    Ok(Json(checked(service::respond(&ctx, &law, comment, &body).await?)?))
}
