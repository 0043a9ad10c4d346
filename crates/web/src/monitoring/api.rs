//! The monitoring API: cases, their people, acts, interventions, sources and
//! evidence, over the same service as the pages.

use super::service;
use crate::auth::ApiCtx;
use crate::error::{ApiError, ApiErrorBody, ErrorCode};
use crate::extract::{ApiBody, ApiPath, ApiQuery};
use crate::platform::api::ApiResult;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use rightsdesk_domain::{Action, Resource, ValidationError};
use rightsdesk_store::StoreError;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(paths(
    cases,
    case,
    case_history,
    create_case,
    change_case_status,
    case_persons,
    add_case_person,
    case_acts,
    add_case_act,
    case_interventions,
    add_case_intervention,
    update_intervention,
    follow_ups,
    case_sources,
    add_case_source,
    withdraw_consent,
    case_evidence,
    upload_evidence,
    evidence_file,
    evidence_custody,
    add_evidence_custody
))]
pub struct ApiDoc;

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
    /// `routine`, `urgent` or `emergency`.
    pub urgency: Option<String>,
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
    service::open_case(ctx, id, action, (action == Action::View).then_some("restricted case read (API)")).await
}

#[utoipa::path(get, path = "/api/v1/cases", tag = "monitoring", params(CaseListParams),
    responses((status = 200, body = CaseList), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn cases(ctx: ApiCtx, ApiQuery(p): ApiQuery<CaseListParams>) -> ApiResult<CaseList> {
    ctx.require(Action::View, Resource::Module(rightsdesk_domain::Module::Monitoring))?;
    let scope = rightsdesk_domain::case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let q = service::ListQuery {
        office: p.office.unwrap_or_default(),
        status: p.status.unwrap_or_default(),
        province: p.province.unwrap_or_default(),
        sensitivity: p.sensitivity.unwrap_or_default(),
        urgency: p.urgency.unwrap_or_default(),
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
    let mut f = service::case_filter(store, scope, ctx.me()?.id, &q).await.map_err(|e| ApiError::validation(&[e]))?;
    f.limit = p.limit.unwrap_or(50).clamp(1, 500);
    f.count_cap = Some(service::COUNT_CAP);
    let total = store.count_cases(&f).await?;
    let items = store.list_cases(&f).await?;
    let next_after = items.last().filter(|_| items.len() as i64 == f.limit).map(|c| f.sort.cursor_of(c).encode());
    Ok(Json(CaseList {
        items,
        total: total.min(service::COUNT_CAP),
        total_is_lower_bound: total > service::COUNT_CAP,
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
    let input = service::validate_fields(ctx.state.store.as_ref(), &f).await.map_err(|e| ApiError::validation(&e))?;
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
    let cref = service::case_ref(ctx.user.as_ref().map(|u| u.id), &case);
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
    let names = service::case_names(&ctx.state.keys, &persons)?;
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
    let rights = new.input.rights.clone();
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
                let unknown = super::acts::unknown_articles(store.as_ref(), &rights).await?;
                return Err(ApiError::validation(&[ValidationError::new("rights", "unknown-article")])
                    .with_values("rights", unknown));
            };
            Err(ApiError::validation(&[ValidationError::new(field, "invalid-choice")]))
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

#[utoipa::path(get, path = "/api/v1/follow-ups", tag = "monitoring",
    responses((status = 200, body = [rightsdesk_store::FollowUp])), security(("bearer" = [])))]
pub async fn follow_ups(ctx: ApiCtx) -> ApiResult<Vec<rightsdesk_store::FollowUp>> {
    ctx.require(Action::View, Resource::Module(rightsdesk_domain::Module::Monitoring))?;
    let scope = rightsdesk_domain::case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let today = crate::kit::today();
    Ok(Json(ctx.state.store.follow_ups_due(&scope, Some(ctx.me()?.id), &today, 500).await?))
}

// ---- Sources and consent ----------------------------------------------

/// Names of the case's people found in a text, as a `contains-name` error.
fn refuse_names(
    ctx: &ApiCtx,
    persons: &[rightsdesk_store::PersonRecord],
    texts: &[(&'static str, &str)],
) -> Result<(), ApiError> {
    let names = service::case_names(&ctx.state.keys, persons)?;
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
        crate::kit::today()
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
    let cref = service::case_ref(ctx.user.as_ref().map(|u| u.id), &c);
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
                stored = Some(service::store_upload(&ctx.state, field).await.map_err(page_error)?);
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
        service::remove_unused_upload(&ctx.state, &file).await;
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
            service::remove_unused_upload(&ctx.state, &file).await;
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
    Ok(service::evidence_download(&ctx.state, &e, ctx.me()?.id, "API", &audit).await?)
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
    let cref = service::case_ref(ctx.user.as_ref().map(|u| u.id), &c);
    ctx.require(Action::WriteNarrative, Resource::Case(cref))?;
    let req = raw.read(&ctx).await?;
    let names = service::case_names(&ctx.state.keys, &ctx.state.store.persons(c.id).await?)?;
    let note = req.note.trim();
    service::check_custody_entry(&req.action, note, &names).map_err(|(err, _)| ApiError::validation(&[err]))?;
    ctx.state.store.add_custody(e.id, ctx.me()?.id, &req.action, note, &ctx.audit("evidence.custody")).await?;
    Ok((StatusCode::CREATED, Json(ctx.state.store.custody(eid).await?)))
}
