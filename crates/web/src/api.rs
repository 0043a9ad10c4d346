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

pub mod mechanisms;
pub mod search;

type ApiResult<T> = Result<Json<T>, ApiError>;

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
        crate::pages::admin::hidden_case_ids(&ctx.state, &ctx.actor, ctx.user.as_ref().map(|u| u.id), &events).await?;
    for e in events.iter_mut().filter(|e| crate::pages::admin::hides(&hidden, e)) {
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
        cases, case, case_history, create_case, change_case_status, case_persons, add_case_person, case_acts, add_case_act,
        case_interventions, add_case_intervention, update_intervention, organisations, follow_ups,
        case_sources, add_case_source, withdraw_consent, case_evidence, upload_evidence, evidence_file, evidence_custody,
        add_evidence_custody, vocabularies, vocabulary_terms, mechanisms::mechanisms, mechanisms::recommendations,
        mechanisms::recommendation, mechanisms::add_assessment, mechanisms::link_case, mechanisms::case_recommendations,
        mechanisms::reporting_events, mechanisms::add_reporting_event, mechanisms::update_details, mechanisms::progress,
        mechanisms::submit_update, mechanisms::pending_updates, mechanisms::review_update, mechanisms::actions,
        mechanisms::create_action, mechanisms::action, mechanisms::add_indicator, mechanisms::link_action,
        mechanisms::treaties, search::search),
    components(schemas(ApiErrorBody, crate::error::ApiErrorDetail, crate::error::FieldError)),
    modifiers(&BearerAuth),
    tags((name = "account"), (name = "administration"), (name = "reference"), (name = "monitoring"), (name = "mechanisms"), (name = "search"))
)]
pub struct ApiDoc;

pub fn openapi_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| ApiDoc::openapi().to_pretty_json().unwrap_or_else(|_| "{}".into()))
}

pub async fn openapi(_: Public) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json()).into_response()
}

// ---- Monitoring --------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct CaseList {
    pub items: Vec<rightsdesk_store::CaseSummary>,
    /// How many cases match the filters (that the caller may see), counted
    /// up to 10,000.
    pub total: i64,
    /// True when more than `total` cases match (the count stopped).
    pub total_is_lower_bound: bool,
    /// Pass as `after` (with the same `sort`) for the next page; absent on
    /// the last page.
    pub next_after: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CaseListParams {
    /// Office code, e.g. PNH.
    pub office: Option<String>,
    pub status: Option<String>,
    /// Two-digit province code.
    pub province: Option<String>,
    pub sensitivity: Option<String>,
    /// Only cases whose team includes the caller.
    pub mine: Option<bool>,
    /// Cases with an act of this type (see the act type codes).
    pub act_type: Option<String>,
    /// Cases with an act said to violate this article, e.g. `ICCPR 9`.
    pub right: Option<String>,
    /// Cases with an alleged perpetrator of this type, e.g. `police`.
    pub perpetrator_type: Option<String>,
    /// Start date from (YYYY, YYYY-MM or YYYY-MM-DD).
    pub from: Option<String>,
    pub to: Option<String>,
    /// `newest` (default), `oldest`, `updated` (last changed first) or
    /// `incident` (latest start date first).
    pub sort: Option<String>,
    /// The `next_after` of the previous page.
    pub after: Option<String>,
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct StatusChangeRequest {
    /// The status the caller saw; the change is refused if the case moved meanwhile.
    pub from: rightsdesk_domain::monitoring::CaseStatus,
    pub to: rightsdesk_domain::monitoring::CaseStatus,
    #[serde(default)]
    pub reason: String,
}

pub(crate) async fn api_case(ctx: &ApiCtx, id: i64, action: Action) -> Result<rightsdesk_store::Case, ApiError> {
    let case = ctx.state.store.case(id).await?.ok_or(ErrorCode::NotFound)?;
    let cref = crate::pages::monitoring::case_ref(ctx.user.as_ref().map(|u| u.id), &case);
    ctx.require(action, Resource::Case(cref))?;
    if case.sensitivity == rightsdesk_domain::monitoring::Sensitivity::Restricted && action == Action::View {
        ctx.state
            .store
            .append_audit(&ctx.audit("case.view").record("case", case.id).summary("restricted case read (API)"))
            .await?;
    }
    Ok(case)
}

#[utoipa::path(get, path = "/api/v1/cases", tag = "monitoring", params(CaseListParams),
    responses((status = 200, body = CaseList), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn cases(ctx: ApiCtx, ApiQuery(p): ApiQuery<CaseListParams>) -> ApiResult<CaseList> {
    ctx.require(Action::View, Resource::Module(rightsdesk_domain::Module::Monitoring))?;
    let scope = rightsdesk_domain::case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let q = crate::pages::monitoring::ListQuery {
        office: p.office.unwrap_or_default(),
        status: p.status.unwrap_or_default(),
        province: p.province.unwrap_or_default(),
        sensitivity: p.sensitivity.unwrap_or_default(),
        mine: if p.mine.unwrap_or(false) { "1".into() } else { String::new() },
        act_type: p.act_type.unwrap_or_default(),
        right: p.right.unwrap_or_default(),
        perpetrator_type: p.perpetrator_type.unwrap_or_default(),
        from: p.from.unwrap_or_default(),
        to: p.to.unwrap_or_default(),
        sort: p.sort.unwrap_or_default(),
        after: p.after.unwrap_or_default(),
    };
    let store = ctx.state.store.as_ref();
    let mut f = crate::pages::monitoring::case_filter(store, scope, ctx.me()?.id, &q)
        .await
        .map_err(|e| ApiError::validation(&[e]))?;
    f.limit = p.limit.unwrap_or(50).clamp(1, 500);
    f.count_cap = Some(crate::pages::monitoring::COUNT_CAP);
    let total = store.count_cases(&f).await?;
    let items = store.list_cases(&f).await?;
    let next_after = items.last().filter(|_| items.len() as i64 == f.limit).map(|c| f.sort.cursor_of(c).encode());
    Ok(Json(CaseList {
        items,
        total: total.min(crate::pages::monitoring::COUNT_CAP),
        total_is_lower_bound: total > crate::pages::monitoring::COUNT_CAP,
        next_after,
    }))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = rightsdesk_store::Case), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn case(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<rightsdesk_store::Case> {
    Ok(Json(api_case(&ctx, id, Action::View).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/history", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = [rightsdesk_store::StatusChange]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn case_history(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<rightsdesk_store::StatusChange>> {
    api_case(&ctx, id, Action::View).await?;
    Ok(Json(ctx.state.store.case_history(id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases", tag = "monitoring", request_body = rightsdesk_domain::monitoring::CaseFields,
    responses((status = 201, body = rightsdesk_store::Case), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create_case(
    ctx: ApiCtx,
    raw: ApiBody<rightsdesk_domain::monitoring::CaseFields>,
) -> Result<(StatusCode, Json<rightsdesk_store::Case>), ApiError> {
    ctx.require(Action::Create, Resource::Module(rightsdesk_domain::Module::Monitoring))?;
    let f = raw.read(&ctx).await?;
    let me = ctx.me()?;
    let input = crate::pages::monitoring::validate_fields(ctx.state.store.as_ref(), &f)
        .await
        .map_err(|e| ApiError::validation(&e))?;
    let year = time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .year();
    let new =
        rightsdesk_store::NewCase { input, office_id: me.office_id, year, created_by: me.id, assigned: vec![me.id] };
    let case = ctx.state.store.create_case(&new, &ctx.audit("case.create")).await?;
    Ok((StatusCode::CREATED, Json(case)))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/status", tag = "monitoring", params(("id" = i64, Path)), request_body = StatusChangeRequest,
    responses((status = 200, body = rightsdesk_store::Case), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn change_case_status(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<StatusChangeRequest>,
) -> ApiResult<rightsdesk_store::Case> {
    let case = api_case(&ctx, id, Action::WriteNarrative).await?;
    let req = raw.read(&ctx).await?;
    if req.from != case.status {
        return Err(ApiError::with_message(ErrorCode::Conflict, "the case is no longer at that status"));
    }
    case.status.can_move_to(req.to, &req.reason).map_err(|e| ApiError::validation(&[e]))?;
    let me = ctx.me()?;
    let store = &ctx.state.store;
    refuse_names(&ctx, &store.persons(id).await?, &[("reason", &req.reason)])?;
    if !store.transition_case(id, req.from, req.to, req.reason.trim(), me.id, &ctx.audit("case.status")).await? {
        return Err(ApiError::with_message(ErrorCode::Conflict, "the case is no longer at that status"));
    }
    Ok(Json(store.case(id).await?.ok_or(ErrorCode::NotFound)?))
}

#[derive(Serialize, ToSchema)]
pub struct PersonView {
    pub id: i64,
    pub code: String,
    pub profile: rightsdesk_domain::monitoring::PersonProfile,
    /// Only for the case's team and its head of office; absent otherwise.
    pub identity: Option<rightsdesk_domain::monitoring::PersonIdentity>,
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/persons", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = [PersonView]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn case_persons(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<PersonView>> {
    let case = api_case(&ctx, id, Action::View).await?;
    let cref = crate::pages::monitoring::case_ref(ctx.user.as_ref().map(|u| u.id), &case);
    let names = rightsdesk_domain::can(&ctx.actor, Action::ViewIdentifying, &Resource::Case(cref)).is_allowed();
    let store = &ctx.state.store;
    let records = store.persons(id).await?;
    let mut out = vec![];
    for p in records {
        let identity = if names {
            Some(p.identity(&ctx.state.keys).map_err(|e| {
                tracing::error!(person = p.id, error = %e, "identifying fields do not open");
                ApiError::new(ErrorCode::Internal)
            })?)
        } else {
            None
        };
        out.push(PersonView { id: p.id, code: p.code, profile: p.profile, identity });
    }
    if names && !out.is_empty() {
        store
            .append_audit(
                &ctx.audit("case.identifying_view")
                    .record("case", id)
                    .summary(format!("names of {} people sent (API)", out.len())),
            )
            .await?;
    }
    Ok(Json(out))
}

#[derive(Deserialize, ToSchema)]
pub struct NewPersonRequest {
    #[serde(flatten)]
    pub fields: rightsdesk_domain::monitoring::PersonFields,
    /// Add even when people with the same name exist in other cases.
    #[serde(default)]
    pub confirm_duplicate: bool,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/persons", tag = "monitoring", params(("id" = i64, Path)), request_body = NewPersonRequest,
    responses((status = 201, body = PersonView), (status = 409, body = ApiErrorBody, description = "possible duplicates; resend with confirm_duplicate"),
              (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn add_case_person(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<NewPersonRequest>,
) -> Result<(StatusCode, Json<PersonView>), ApiError> {
    api_case(&ctx, id, Action::Update).await?;
    let req = raw.read(&ctx).await?;
    let (profile, identity) = req.fields.parse().map_err(|e| ApiError::validation(&e))?;
    let store = &ctx.state.store;
    if !req.confirm_duplicate {
        let scope = rightsdesk_domain::case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
        let bidx = rightsdesk_store::monitoring::person_name_bidx(&ctx.state.keys, &identity.name);
        let matches = store.person_matches(&bidx, &scope, id).await?;
        if !matches.is_empty() {
            let list: Vec<String> = matches.iter().map(|m| format!("{} {}", m.reference, m.code)).collect();
            return Err(ApiError::with_message(
                ErrorCode::Conflict,
                format!("possible duplicate of {}", list.join(", ")),
            ));
        }
    }
    let p = store.add_person(id, &profile, &identity, &ctx.state.keys, &ctx.audit("person.add")).await?;
    Ok((StatusCode::CREATED, Json(PersonView { id: p.id, code: p.code, profile: p.profile, identity: Some(identity) })))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/acts", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = [rightsdesk_store::Act]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn case_acts(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<rightsdesk_store::Act>> {
    api_case(&ctx, id, Action::View).await?;
    Ok(Json(ctx.state.store.acts(id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct NewActRequest {
    #[serde(flatten)]
    pub fields: rightsdesk_domain::monitoring::ActFields,
    /// Codes of the case's victims, e.g. `["V1"]`.
    #[serde(default)]
    pub victims: Vec<String>,
    /// Codes of the case's alleged perpetrators, e.g. `["P1"]`.
    #[serde(default)]
    pub perpetrators: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/acts", tag = "monitoring", params(("id" = i64, Path)), request_body = NewActRequest,
    responses((status = 201, body = rightsdesk_store::Act), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn add_case_act(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<NewActRequest>,
) -> Result<(StatusCode, Json<rightsdesk_store::Act>), ApiError> {
    api_case(&ctx, id, Action::WriteNarrative).await?;
    let req = raw.read(&ctx).await?;
    let input = req.fields.parse().map_err(|e| ApiError::validation(&e))?;
    let store = &ctx.state.store;
    let persons = store.persons(id).await?;
    // As on the page: names of the case's people stay out of act texts.
    let names = crate::pages::monitoring::case_names(&ctx.state.keys, &persons)?;
    let named: Vec<ValidationError> = [("description", &input.description), ("location_text", &input.location_text)]
        .into_iter()
        .filter(|(_, text)| !rightsdesk_domain::monitoring::names_in_text(text, &names).is_empty())
        .map(|(field, _)| ValidationError::new(field, "contains-name"))
        .collect();
    if !named.is_empty() {
        return Err(ApiError::validation(&named));
    }
    let ids_of = |codes: &[String], field: &'static str| -> Result<Vec<i64>, ApiError> {
        codes
            .iter()
            .map(|c| {
                persons
                    .iter()
                    .find(|p| &p.code == c)
                    .map(|p| p.id)
                    .ok_or_else(|| ApiError::validation(&[ValidationError::new(field, "invalid-choice")]))
            })
            .collect()
    };
    let new = rightsdesk_store::NewAct {
        case_id: id,
        input,
        victims: ids_of(&req.victims, "victims")?,
        perpetrators: ids_of(&req.perpetrators, "perpetrators")?,
        created_by: ctx.me()?.id,
    };
    match store.add_act(&new, &ctx.audit("act.add")).await {
        Ok(a) => Ok((StatusCode::CREATED, Json(a))),
        Err(StoreError::Constraint(what)) => {
            let field = if what.contains("victims") {
                "victims"
            } else if what.contains("perpetrators") {
                "perpetrators"
            } else if what.contains("act_terms") {
                "extra_term"
            } else {
                "rights"
            };
            let code = if field == "rights" { "unknown-article" } else { "invalid-choice" };
            Err(ApiError::validation(&[ValidationError::new(field, code)]))
        }
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/interventions", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = [rightsdesk_store::Intervention]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn case_interventions(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<rightsdesk_store::Intervention>> {
    api_case(&ctx, id, Action::View).await?;
    Ok(Json(ctx.state.store.interventions(id).await?))
}

fn intervention_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Constraint(_) => ApiError::validation(&[ValidationError::new("organisation_id", "invalid-choice")]),
        e => e.into(),
    }
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/interventions", tag = "monitoring", params(("id" = i64, Path)),
    request_body = rightsdesk_domain::monitoring::intervention::InterventionFields,
    responses((status = 201, body = rightsdesk_store::Intervention), (status = 422, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn add_case_intervention(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<rightsdesk_domain::monitoring::intervention::InterventionFields>,
) -> Result<(StatusCode, Json<rightsdesk_store::Intervention>), ApiError> {
    api_case(&ctx, id, Action::WriteNarrative).await?;
    let f = raw.read(&ctx).await?;
    let input = f.parse().map_err(|e| ApiError::validation(&e))?;
    let persons = ctx.state.store.persons(id).await?;
    refuse_names(&ctx, &persons, &[("request", &input.request), ("response", &input.response)])?;
    let i = ctx
        .state
        .store
        .add_intervention(id, &input, ctx.me()?.id, &ctx.audit("intervention.add"))
        .await
        .map_err(intervention_error)?;
    Ok((StatusCode::CREATED, Json(i)))
}

#[utoipa::path(post, path = "/api/v1/interventions/{id}", tag = "monitoring", params(("id" = i64, Path)),
    request_body = rightsdesk_domain::monitoring::intervention::InterventionFields,
    responses((status = 200, body = rightsdesk_store::Intervention), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn update_intervention(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<rightsdesk_domain::monitoring::intervention::InterventionFields>,
) -> ApiResult<rightsdesk_store::Intervention> {
    let existing = ctx.state.store.intervention(id).await?.ok_or(ErrorCode::NotFound)?;
    api_case(&ctx, existing.case_id, Action::WriteNarrative).await?;
    let f = raw.read(&ctx).await?;
    let input = f.parse().map_err(|e| ApiError::validation(&e))?;
    let persons = ctx.state.store.persons(existing.case_id).await?;
    refuse_names(&ctx, &persons, &[("request", &input.request), ("response", &input.response)])?;
    Ok(Json(
        ctx.state
            .store
            .update_intervention(id, &input, &ctx.audit("intervention.update"))
            .await
            .map_err(intervention_error)?,
    ))
}

#[utoipa::path(get, path = "/api/v1/organisations", tag = "monitoring",
    responses((status = 200, body = [rightsdesk_store::Organisation])), security(("bearer" = [])))]
pub async fn organisations(ctx: ApiCtx) -> ApiResult<Vec<rightsdesk_store::Organisation>> {
    ctx.require(Action::View, Resource::Module(rightsdesk_domain::Module::Monitoring))?;
    Ok(Json(ctx.state.store.organisations().await?))
}

#[utoipa::path(get, path = "/api/v1/follow-ups", tag = "monitoring",
    responses((status = 200, body = [rightsdesk_store::FollowUp])), security(("bearer" = [])))]
pub async fn follow_ups(ctx: ApiCtx) -> ApiResult<Vec<rightsdesk_store::FollowUp>> {
    ctx.require(Action::View, Resource::Module(rightsdesk_domain::Module::Monitoring))?;
    let scope = rightsdesk_domain::case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let today = crate::pages::monitoring::today();
    Ok(Json(ctx.state.store.follow_ups_due(&scope, Some(ctx.me()?.id), &today, 500).await?))
}

// ---- Sources and consent ----------------------------------------------

/// Names of the case's people found in a text, as a `contains-name` error.
fn refuse_names(
    ctx: &ApiCtx,
    persons: &[rightsdesk_store::PersonRecord],
    texts: &[(&'static str, &str)],
) -> Result<(), ApiError> {
    let names = crate::pages::monitoring::case_names(&ctx.state.keys, persons)?;
    let named: Vec<ValidationError> = texts
        .iter()
        .filter(|(_, text)| !rightsdesk_domain::monitoring::names_in_text(text, &names).is_empty())
        .map(|(field, _)| ValidationError::new(field, "contains-name"))
        .collect();
    if named.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(&named))
    }
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/sources", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = [rightsdesk_store::Source]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn case_sources(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<rightsdesk_store::Source>> {
    api_case(&ctx, id, Action::View).await?;
    Ok(Json(ctx.state.store.sources(id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/sources", tag = "monitoring", params(("id" = i64, Path)),
    request_body = rightsdesk_domain::monitoring::source::SourceFields,
    responses((status = 201, body = rightsdesk_store::Source), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_case_source(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<rightsdesk_domain::monitoring::source::SourceFields>,
) -> Result<(StatusCode, Json<rightsdesk_store::Source>), ApiError> {
    api_case(&ctx, id, Action::WriteNarrative).await?;
    let f = raw.read(&ctx).await?;
    let input = f.parse().map_err(|e| ApiError::validation(&e))?;
    let persons = ctx.state.store.persons(id).await?;
    refuse_names(&ctx, &persons, &[("information", &input.information)])?;
    match ctx.state.store.add_source(id, &input, ctx.me()?.id, &ctx.audit("source.add")).await {
        Ok(s) => Ok((StatusCode::CREATED, Json(s))),
        Err(StoreError::Constraint(_)) => {
            Err(ApiError::validation(&[ValidationError::new("person_code", "invalid-choice")]))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, ToSchema)]
pub struct WithdrawRequest {
    /// The day consent was withdrawn (YYYY-MM-DD); today when absent.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/sources/{id}/withdraw", tag = "monitoring", params(("id" = i64, Path)),
    request_body = WithdrawRequest,
    responses((status = 200, body = rightsdesk_store::Source), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn withdraw_consent(
    ctx: ApiCtx,
    ApiPath(sid): ApiPath<i64>,
    raw: ApiBody<WithdrawRequest>,
) -> ApiResult<rightsdesk_store::Source> {
    let source = ctx.state.store.source(sid).await?.ok_or(ErrorCode::NotFound)?;
    api_case(&ctx, source.case_id, Action::Update).await?;
    let req = raw.read(&ctx).await?;
    let day = if req.date.trim().is_empty() {
        crate::pages::monitoring::today()
    } else {
        rightsdesk_domain::monitoring::intervention::day("date", &req.date)
            .map_err(|e| ApiError::validation(&[e]))?
            .ok_or_else(|| ApiError::validation(&[ValidationError::new("date", "invalid-day")]))?
    };
    let note: String = req.note.trim().chars().take(2000).collect();
    // Anyone who may change the case records a withdrawal at once; a note
    // is free text, for those who see the names and checked for them
    // (decision 0011).
    if !note.is_empty() {
        api_case(&ctx, source.case_id, Action::WriteNarrative).await?;
        refuse_names(&ctx, &ctx.state.store.persons(source.case_id).await?, &[("note", &note)])?;
    }
    if !ctx.state.store.withdraw_consent(sid, &day, &note, &ctx.audit("source.consent_withdrawn")).await? {
        return Err(ErrorCode::Conflict.into());
    }
    Ok(Json(ctx.state.store.source(sid).await?.ok_or(ErrorCode::NotFound)?))
}

// ---- Evidence ------------------------------------------------------------

/// Evidence can show who people are: only for those who may see the names.
async fn api_evidence_case(ctx: &ApiCtx, case_id: i64) -> Result<rightsdesk_store::Case, ApiError> {
    let c = api_case(ctx, case_id, Action::View).await?;
    let cref = crate::pages::monitoring::case_ref(ctx.user.as_ref().map(|u| u.id), &c);
    ctx.require(Action::ViewIdentifying, Resource::Case(cref))?;
    Ok(c)
}

async fn api_evidence(
    ctx: &ApiCtx,
    eid: i64,
) -> Result<(rightsdesk_store::Evidence, rightsdesk_store::Case), ApiError> {
    let e = ctx.state.store.evidence(eid).await?.ok_or(ErrorCode::NotFound)?;
    let c = api_evidence_case(ctx, e.case_id).await?;
    Ok((e, c))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = [rightsdesk_store::Evidence]), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn case_evidence(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<Vec<rightsdesk_store::Evidence>> {
    api_evidence_case(&ctx, id).await?;
    Ok(Json(ctx.state.store.case_evidence(id).await?))
}

/// Upload: `multipart/form-data` with a `file` part and an optional
/// `description`. The file is streamed to disk, hashed and typed from its
/// bytes, as through the page.
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 201, body = rightsdesk_store::Evidence), (status = 404, body = ApiErrorBody), (status = 413, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn upload_evidence(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<rightsdesk_store::Evidence>), ApiError> {
    use crate::error::PageError;
    let c = api_case(&ctx, id, Action::WriteNarrative).await?;
    let mut multipart = multipart.map_err(|_| ErrorCode::BadRequest)?;
    let page_error = |e: PageError| match e {
        PageError::Code(code) => ApiError::from(code),
        _ => ApiError::from(ErrorCode::Unauthorized),
    };
    let part_error = |e: axum::extract::multipart::MultipartError| {
        ApiError::from(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ErrorCode::PayloadTooLarge
        } else {
            ErrorCode::BadRequest
        })
    };
    let (mut stored, mut filename, mut description) = (None, String::new(), String::new());
    while let Some(field) = multipart.next_field().await.map_err(part_error)? {
        match field.name().unwrap_or_default() {
            "description" => description = field.text().await.map_err(part_error)?.chars().take(2000).collect(),
            "file" if stored.is_none() => {
                filename = field.file_name().unwrap_or("file").chars().filter(|c| !c.is_control()).take(255).collect();
                stored = Some(crate::pages::monitoring::store_upload(&ctx.state, field).await.map_err(page_error)?);
            }
            _ => {}
        }
    }
    let Some(file) = stored else {
        return Err(ApiError::validation(&[ValidationError::new("file", "required")]));
    };
    let persons = ctx.state.store.persons(c.id).await?;
    let description = description.trim().to_string();
    if let Err(e) = refuse_names(&ctx, &persons, &[("description", &description)]) {
        crate::pages::monitoring::remove_unused_upload(&ctx.state, &file).await;
        return Err(e);
    }
    let new = rightsdesk_store::NewEvidence {
        case_id: id,
        sha256: file.sha256.clone(),
        size_bytes: file.size as i64,
        content_type: file.content_type.clone(),
        filename,
        description,
        uploaded_by: ctx.me()?.id,
    };
    match ctx.state.store.add_evidence(&new, &ctx.state.keys, &ctx.audit("evidence.upload")).await {
        Ok(e) => Ok((StatusCode::CREATED, Json(e))),
        Err(e) => {
            crate::pages::monitoring::remove_unused_upload(&ctx.state, &file).await;
            Err(e.into())
        }
    }
}

/// The file itself, always as an attachment; recorded in the chain of custody.
#[utoipa::path(get, path = "/api/v1/evidence/{id}/file", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn evidence_file(ctx: ApiCtx, ApiPath(eid): ApiPath<i64>) -> Result<Response, ApiError> {
    let (e, _) = api_evidence(&ctx, eid).await?;
    let audit = ctx.audit("evidence.download");
    Ok(crate::pages::monitoring::evidence_download(&ctx.state, &e, ctx.me()?.id, "API", &audit).await?)
}

#[utoipa::path(get, path = "/api/v1/evidence/{id}/custody", tag = "monitoring", params(("id" = i64, Path)),
    responses((status = 200, body = [rightsdesk_store::CustodyEntry]), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn evidence_custody(
    ctx: ApiCtx,
    ApiPath(eid): ApiPath<i64>,
) -> ApiResult<Vec<rightsdesk_store::CustodyEntry>> {
    api_evidence(&ctx, eid).await?;
    Ok(Json(ctx.state.store.custody(eid).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct CustodyRequest {
    /// `transferred`, `examined`, `stored` or `returned`.
    pub action: String,
    /// Required for `transferred`: to whom and how (people by code).
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/evidence/{id}/custody", tag = "monitoring", params(("id" = i64, Path)),
    request_body = CustodyRequest,
    responses((status = 201, body = [rightsdesk_store::CustodyEntry]), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_evidence_custody(
    ctx: ApiCtx,
    ApiPath(eid): ApiPath<i64>,
    raw: ApiBody<CustodyRequest>,
) -> Result<(StatusCode, Json<Vec<rightsdesk_store::CustodyEntry>>), ApiError> {
    let (e, c) = api_evidence(&ctx, eid).await?;
    let cref = crate::pages::monitoring::case_ref(ctx.user.as_ref().map(|u| u.id), &c);
    ctx.require(Action::WriteNarrative, Resource::Case(cref))?;
    let req = raw.read(&ctx).await?;
    let names = crate::pages::monitoring::case_names(&ctx.state.keys, &ctx.state.store.persons(c.id).await?)?;
    let note = req.note.trim();
    crate::pages::monitoring::check_custody_entry(&req.action, note, &names)
        .map_err(|(err, _)| ApiError::validation(&[err]))?;
    ctx.state.store.add_custody(e.id, ctx.me()?.id, &req.action, note, &ctx.audit("evidence.custody")).await?;
    Ok((StatusCode::CREATED, Json(ctx.state.store.custody(eid).await?)))
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
