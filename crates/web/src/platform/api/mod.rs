//! The JSON API under `/api/v1`: bearer tokens, the same policy as the pages,
//! stable error codes, and an OpenAPI description at `/api/v1/openapi.json`.

use crate::auth::{ApiCtx, Public};
use crate::error::{ApiError, ApiErrorBody, ErrorCode};
use crate::extract::{ApiBody, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rightsdesk_domain::platform::required_text;
use rightsdesk_domain::reference::{
    Article, Commune, District, Instrument, Province, Ratification, SdgGoal, SdgTarget,
};
use rightsdesk_domain::{Action, Locale, OfficeCode, Resource, Role, ValidationError};
use rightsdesk_store::{AuditEvent, AuditFilter, NewOffice, Office, StoreError, User};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub mod search;

pub(crate) type ApiResult<T> = Result<Json<T>, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct MeView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub office: String,
    pub locale: Locale,
}

#[derive(Serialize, ToSchema)]
pub struct OfficeView {
    pub id: i64,
    pub code: String,
    pub name_en: String,
    pub name_km: String,
}

impl From<Office> for OfficeView {
    fn from(o: Office) -> Self {
        OfficeView { id: o.id, code: o.code, name_en: o.name_en, name_km: o.name_km }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub office: String,
    pub disabled: bool,
    pub totp_enabled: bool,
    /// Microseconds since the Unix epoch.
    pub last_login_at: Option<i64>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        UserView {
            id: u.id,
            totp_enabled: u.totp_secret.is_some(),
            email: u.email,
            name: u.name,
            role: u.role,
            office: u.office_code,
            disabled: u.disabled,
            last_login_at: u.last_login_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: String,
    pub database: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewOfficeRequest {
    pub code: String,
    pub name_en: String,
    pub name_km: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditParams {
    /// Only events of this user id.
    pub actor: Option<i64>,
    /// Only actions starting with this, e.g. `auth.`.
    pub action: Option<String>,
    pub record_type: Option<String>,
    /// Events with a sequence number below this (next page).
    pub before: Option<i64>,
    /// 1 to 1000, default 100.
    pub limit: Option<i64>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct StateParams {
    /// Defaults to Cambodia.
    pub state: Option<String>,
}

/// `/healthz`: 200 when the database answers, 503 when it does not.
pub async fn healthz(_: Public, State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(Health { status: "ok".into(), database: state.store.backend().as_str().into() }).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health { status: "unavailable".into(), database: state.store.backend().as_str().into() }),
            )
                .into_response()
        }
    }
}

#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = MeView), (status = 401, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn me(ctx: ApiCtx) -> ApiResult<MeView> {
    ctx.require(Action::View, Resource::OwnAccount)?;
    let u = ctx.me()?;
    Ok(Json(MeView {
        id: u.id,
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role,
        office: u.office_code.clone(),
        locale: u.locale,
    }))
}

#[utoipa::path(get, path = "/api/v1/offices", tag = "administration",
    responses((status = 200, body = [OfficeView]), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn offices(ctx: ApiCtx) -> ApiResult<Vec<OfficeView>> {
    ctx.require(Action::View, Resource::Offices)?;
    Ok(Json(ctx.state.store.list_offices().await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/offices", tag = "administration", request_body = NewOfficeRequest,
    responses((status = 201, body = OfficeView), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create_office(
    ctx: ApiCtx,
    raw: ApiBody<NewOfficeRequest>,
) -> Result<(StatusCode, Json<OfficeView>), ApiError> {
    ctx.require(Action::Create, Resource::Offices)?;
    let req = raw.read(&ctx).await?;
    let mut errors: Vec<ValidationError> = vec![];
    let code = OfficeCode::parse(&req.code).map_err(|e| errors.push(e)).ok();
    let name_en = required_text("name_en", &req.name_en, 120).map_err(|e| errors.push(e)).ok();
    let name_km = required_text("name_km", &req.name_km, 120).map_err(|e| errors.push(e)).ok();
    let (Some(code), Some(name_en), Some(name_km)) = (code, name_en, name_km) else {
        return Err(ApiError::validation(&errors));
    };
    let audit = ctx.audit("office.create").record("office", "").summary(format!("code={code}"));
    match ctx.state.store.create_office(&NewOffice { code: code.as_str().into(), name_en, name_km }, &audit).await {
        Ok(o) => Ok((StatusCode::CREATED, Json(o.into()))),
        Err(StoreError::Conflict(_)) => {
            Err(ApiError::with_message(ErrorCode::Conflict, "an office with this code exists"))
        }
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(get, path = "/api/v1/users", tag = "administration",
    responses((status = 200, body = [UserView]), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn users(ctx: ApiCtx) -> ApiResult<Vec<UserView>> {
    ctx.require(Action::View, Resource::Users)?;
    Ok(Json(ctx.state.store.list_users().await?.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "administration", params(AuditParams),
    responses((status = 200, body = [AuditEvent]), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn audit(ctx: ApiCtx, ApiQuery(p): ApiQuery<AuditParams>) -> ApiResult<Vec<AuditEvent>> {
    ctx.require(Action::View, Resource::AuditLog)?;
    let filter = AuditFilter {
        actor_id: p.actor,
        action_prefix: p.action.filter(|s| !s.is_empty()),
        record_type: p.record_type.filter(|s| !s.is_empty()),
        from_micros: None,
        to_micros: None,
        before_seq: p.before,
        limit: p.limit.unwrap_or(100).clamp(1, 1000),
    };
    let mut events = ctx.state.store.list_audit(&filter).await?;
    // As on the page (decision 0011): no number, summary or hashes (a hash
    // of a short summary can be guessed back) of cases the reader may not
    // see; `rightsdesk audit verify` checks the whole chain.
    let hidden =
        crate::platform::admin::hidden_case_ids(&ctx.state, &ctx.actor, ctx.user.as_ref().map(|u| u.id), &events)
            .await?;
    for e in events.iter_mut().filter(|e| crate::platform::admin::hides(&hidden, e)) {
        e.record_id.clear();
        e.summary.clear();
        e.prev_hash.clear();
        e.hash.clear();
    }
    Ok(Json(events))
}

#[utoipa::path(get, path = "/api/v1/reference/provinces", tag = "reference",
    responses((status = 200, body = [Province]), (status = 401, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn provinces(ctx: ApiCtx) -> ApiResult<Vec<Province>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    Ok(Json(ctx.state.store.provinces().await?))
}

#[utoipa::path(get, path = "/api/v1/reference/provinces/{code}/districts", tag = "reference",
    params(("code" = String, Path, description = "Two-digit NCDD province code")),
    responses((status = 200, body = [District]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn districts(ctx: ApiCtx, ApiPath(code): ApiPath<String>) -> ApiResult<Vec<District>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let store = &ctx.state.store;
    store.province(&code).await?.ok_or(ErrorCode::NotFound)?;
    Ok(Json(store.districts(&code).await?))
}

#[utoipa::path(get, path = "/api/v1/reference/districts/{code}/communes", tag = "reference",
    params(("code" = String, Path, description = "Four-digit NCDD district code")),
    responses((status = 200, body = [Commune]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn communes(ctx: ApiCtx, ApiPath(code): ApiPath<String>) -> ApiResult<Vec<Commune>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let store = &ctx.state.store;
    store.district(&code).await?.ok_or(ErrorCode::NotFound)?;
    Ok(Json(store.communes(&code).await?))
}

#[utoipa::path(get, path = "/api/v1/reference/instruments", tag = "reference",
    responses((status = 200, body = [Instrument])), security(("bearer" = [])))]
pub async fn instruments(ctx: ApiCtx) -> ApiResult<Vec<Instrument>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    Ok(Json(ctx.state.store.instruments().await?))
}

#[utoipa::path(get, path = "/api/v1/reference/instruments/{code}/articles", tag = "reference",
    params(("code" = String, Path, description = "Instrument code, e.g. ICCPR")),
    responses((status = 200, body = [Article]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn articles(ctx: ApiCtx, ApiPath(code): ApiPath<String>) -> ApiResult<Vec<Article>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let store = &ctx.state.store;
    store.instrument(&code).await?.ok_or(ErrorCode::NotFound)?;
    Ok(Json(store.articles(&code).await?))
}

#[utoipa::path(get, path = "/api/v1/reference/ratifications", tag = "reference", params(StateParams),
    responses((status = 200, body = [Ratification])), security(("bearer" = [])))]
pub async fn ratifications(ctx: ApiCtx, ApiQuery(p): ApiQuery<StateParams>) -> ApiResult<Vec<Ratification>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let state = p.state.unwrap_or_else(|| rightsdesk_store::reference::HOME_STATE.into());
    Ok(Json(ctx.state.store.ratifications(&state).await?))
}

#[utoipa::path(get, path = "/api/v1/reference/sdg/goals", tag = "reference",
    responses((status = 200, body = [SdgGoal])), security(("bearer" = [])))]
pub async fn sdg_goals(ctx: ApiCtx) -> ApiResult<Vec<SdgGoal>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    Ok(Json(ctx.state.store.sdg_goals().await?))
}

#[utoipa::path(get, path = "/api/v1/reference/sdg/goals/{goal}/targets", tag = "reference",
    params(("goal" = i64, Path, description = "Goal number, 1 to 17")),
    responses((status = 200, body = [SdgTarget]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn sdg_targets(ctx: ApiCtx, ApiPath(goal): ApiPath<i64>) -> ApiResult<Vec<SdgTarget>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let targets = ctx.state.store.sdg_targets(goal).await?;
    if targets.is_empty() {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(Json(targets))
}

/// Any other path under `/api/v1`: a JSON 404, not an HTML page.
pub async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound)
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal API token created on the profile page or with `rightsdesk token create`.",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "rightsdesk API", description = "JSON API of rightsdesk. Every call is checked by the same access policy as the web pages; records the caller may not see answer 404. Errors carry a stable `code`."),
    paths(me, offices, create_office, users, audit, provinces, districts, communes, instruments, articles, ratifications, sdg_goals, sdg_targets,
        vocabularies, vocabulary_terms, search::search),
    components(schemas(ApiErrorBody, crate::error::ApiErrorDetail, crate::error::FieldError)),
    modifiers(&BearerAuth),
    tags((name = "account"), (name = "administration"), (name = "reference"), (name = "monitoring"), (name = "mechanisms"), (name = "search"))
)]
pub struct ApiDoc;

pub fn openapi_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        // Each line of work describes its own calls (crate::module).
        let mut doc = ApiDoc::openapi();
        for part in crate::module::api_docs() {
            doc.merge(part);
        }
        doc.to_pretty_json().unwrap_or_else(|_| "{}".into())
    })
}

pub async fn openapi(_: Public) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json()).into_response()
}

// ---- Imported vocabularies ----------------------------------------------

#[utoipa::path(get, path = "/api/v1/reference/vocabularies", tag = "reference",
    responses((status = 200, body = [rightsdesk_store::VocabularySummary])), security(("bearer" = [])))]
pub async fn vocabularies(ctx: ApiCtx) -> ApiResult<Vec<rightsdesk_store::VocabularySummary>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    Ok(Json(ctx.state.store.vocabularies().await?))
}

#[utoipa::path(get, path = "/api/v1/reference/vocabularies/{code}/terms", tag = "reference", params(("code" = String, Path)),
    responses((status = 200, body = [rightsdesk_domain::vocabulary::VocabularyTerm]), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn vocabulary_terms(
    ctx: ApiCtx,
    ApiPath(code): ApiPath<String>,
) -> ApiResult<Vec<rightsdesk_domain::vocabulary::VocabularyTerm>> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let terms: Vec<_> = ctx.state.store.vocabulary_terms(&code).await?.into_iter().filter(|t| t.visible).collect();
    if terms.is_empty() {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(Json(terms))
}
