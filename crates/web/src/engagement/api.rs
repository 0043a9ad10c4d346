//! `/api/v1/organisations` and `/api/v1/meetings` for the engagement
//! module, under the pages' policy: a contact's name and details appear
//! only for whom may see them (and that view is audited), a meeting's links
//! only where the caller sees the linked record, and bad input is a 422
//! with a field and a stable code, nothing written.

use super::service::{self, Checked, ShownContact};
use crate::auth::ApiCtx;
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::{ApiBody, ApiPath, ApiQuery};
use crate::platform::api::ApiResult;
use axum::http::StatusCode;
use axum::Json;
use rightsdesk_domain::engagement::{
    MeetingActionFields, MeetingFields, MeetingKind, OrganisationFields, StakeholderKind,
};
use rightsdesk_domain::{Action, ValidationError};
use rightsdesk_store::engagement::{
    Meeting, MeetingAction, MeetingFilter, OrganisationLinks, Stakeholder, StakeholderFilter,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(utoipa::OpenApi)]
#[openapi(paths(organisations, create_organisation, organisation, meetings, create_meeting, meeting, add_action))]
pub struct ApiDoc;

fn checked<T>(r: Checked<T>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::validation(&e))
}

/// The directory's filter.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// A kind code: `ministry`, `court`, `civil_society`, ...
    pub kind: String,
    /// A province code of the gazetteer.
    pub province: String,
    /// Part of a name (English or Khmer) or the acronym.
    pub q: String,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A contact as the caller may see them: `name`, `phone` and `email` are
/// absent for whom may not see who a civil society contact is.
#[derive(Serialize, ToSchema)]
pub struct ContactView {
    pub id: i64,
    /// How the contact is shown without a name (C-12).
    pub code: String,
    pub organisation_id: i64,
    pub position: String,
    /// Their name and details are sealed (a civil society contact).
    pub identifying: bool,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

fn contact_view(c: ShownContact) -> ContactView {
    ContactView {
        id: c.record.id,
        code: c.record.code(),
        organisation_id: c.record.organisation_id,
        position: c.record.position.clone(),
        identifying: c.record.identifying,
        name: c.identity.as_ref().map(|w| w.name.clone()),
        phone: c.identity.as_ref().map(|w| w.phone.clone()),
        email: c.identity.map(|w| w.email),
    }
}

/// An organisation with its contacts and what is linked to it.
#[derive(Serialize, ToSchema)]
pub struct OrganisationDetail {
    pub organisation: Stakeholder,
    pub contacts: Vec<ContactView>,
    pub links: OrganisationLinks,
    pub meetings: Vec<Meeting>,
}

/// The directory, by name (at most `limit`, 1,000 by default): the
/// organisations interventions, laws and meetings refer to by id.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "engagement", params(OrganisationQuery),
    responses((status = 200, body = [Stakeholder]), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn organisations(ctx: ApiCtx, ApiQuery(q): ApiQuery<OrganisationQuery>) -> ApiResult<Vec<Stakeholder>> {
    ctx.require(Action::View, service::MODULE)?;
    let kind = match q.kind.trim() {
        "" => None,
        k => Some(
            StakeholderKind::parse(k)
                .ok_or_else(|| ApiError::validation(&[ValidationError::new("kind", "invalid-choice")]))?,
        ),
    };
    let f = StakeholderFilter {
        kind,
        province_code: Some(q.province.trim().to_string()).filter(|p| !p.is_empty()),
        text: Some(q.q.trim().to_string()).filter(|t| !t.is_empty()),
        parent_id: None,
        limit: q.limit.unwrap_or(1000).clamp(1, 1000),
        offset: q.offset.unwrap_or(0).max(0),
    };
    Ok(Json(ctx.state.store.list_stakeholders(&f).await?))
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "engagement", request_body = OrganisationFields,
    responses((status = 201, body = Stakeholder), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create_organisation(
    ctx: ApiCtx,
    raw: ApiBody<OrganisationFields>,
) -> Result<(StatusCode, Json<Stakeholder>), ApiError> {
    ctx.require(Action::Create, service::MODULE)?;
    let f = raw.read(&ctx).await?;
    Ok((StatusCode::CREATED, Json(checked(service::create_organisation(&ctx, &f).await?)?)))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "engagement", params(("id" = i64, Path)),
    responses((status = 200, body = OrganisationDetail), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn organisation(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<OrganisationDetail> {
    let organisation = service::open_organisation(&ctx, id).await?;
    let store = &ctx.state.store;
    let records = store.contacts_of(id).await?;
    let visible = records.into_iter().filter(|k| ctx.allows(Action::View, service::contact_ref(k))).collect();
    let contacts = service::show_contacts(&ctx, visible, &format!("organisation {id} (API)")).await?;
    let mut links = store.organisation_links(id).await?;
    let mut kept = vec![];
    for a in links.interventions {
        let seen = match store.case(a.intervention.case_id).await? {
            Some(case) => ctx.allows(
                Action::View,
                rightsdesk_domain::Resource::Case(crate::monitoring::service::case_ref(
                    ctx.user.as_ref().map(|u| u.id),
                    &case,
                )),
            ),
            None => false,
        };
        if seen {
            kept.push(a);
        }
    }
    links.interventions = kept;
    if !ctx.allows(Action::View, rightsdesk_domain::Resource::Module(rightsdesk_domain::Module::Mechanisms)) {
        links.recommendations.clear();
    }
    let meetings =
        store.list_meetings(&MeetingFilter { organisation_id: Some(id), limit: 100, ..Default::default() }).await?;
    Ok(Json(OrganisationDetail {
        organisation,
        contacts: contacts.into_iter().map(contact_view).collect(),
        links,
        meetings,
    }))
}

/// The log's filter.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    /// `meeting`, `call` or `event`.
    pub kind: String,
    pub organisation: Option<i64>,
    /// From this day (`YYYY-MM-DD`).
    pub from: String,
    pub to: String,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingList {
    pub total: i64,
    pub meetings: Vec<Meeting>,
}

/// A meeting with the links the caller may see and its follow-ups.
#[derive(Serialize, ToSchema)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    pub contacts: Vec<ContactView>,
    pub case_ids: Vec<i64>,
    pub intervention_ids: Vec<i64>,
    pub recommendation_ids: Vec<i64>,
    pub law_ids: Vec<i64>,
    pub actions: Vec<MeetingAction>,
}

#[utoipa::path(get, path = "/api/v1/meetings", tag = "engagement", params(MeetingQuery),
    responses((status = 200, body = MeetingList), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn meetings(ctx: ApiCtx, ApiQuery(q): ApiQuery<MeetingQuery>) -> ApiResult<MeetingList> {
    ctx.require(Action::View, service::MODULE)?;
    let mut errors = vec![];
    let kind = match q.kind.trim() {
        "" => None,
        k => MeetingKind::parse(k).or_else(|| {
            errors.push(ValidationError::new("kind", "invalid-choice"));
            None
        }),
    };
    let mut day = |field: &'static str, raw: &str| {
        rightsdesk_domain::monitoring::intervention::day(field, raw).map_err(|e| errors.push(e)).ok().flatten()
    };
    let (from, to) = (day("from", &q.from), day("to", &q.to));
    if !errors.is_empty() {
        return Err(ApiError::validation(&errors));
    }
    let f = MeetingFilter {
        kind,
        organisation_id: q.organisation,
        from,
        to,
        limit: q.limit.unwrap_or(100).clamp(1, 1000),
        offset: q.offset.unwrap_or(0).max(0),
        ..Default::default()
    };
    let store = &ctx.state.store;
    Ok(Json(MeetingList { total: store.count_meetings(&f).await?, meetings: store.list_meetings(&f).await? }))
}

#[utoipa::path(post, path = "/api/v1/meetings", tag = "engagement", request_body = MeetingFields,
    responses((status = 201, body = Meeting), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn create_meeting(ctx: ApiCtx, raw: ApiBody<MeetingFields>) -> Result<(StatusCode, Json<Meeting>), ApiError> {
    ctx.require(Action::Create, service::MODULE)?;
    let f = raw.read(&ctx).await?;
    Ok((StatusCode::CREATED, Json(checked(service::save_meeting(&ctx, None, &f).await?)?)))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "engagement", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingDetail), (status = 404, body = ApiErrorBody)), security(("bearer" = [])))]
pub async fn meeting(ctx: ApiCtx, ApiPath(id): ApiPath<i64>) -> ApiResult<MeetingDetail> {
    let meeting = service::open_meeting(&ctx, id).await?;
    let links = service::visible_meeting_links(&ctx, &meeting).await?;
    let actions = ctx.state.store.meeting_actions(id).await?;
    Ok(Json(MeetingDetail {
        contacts: links.contacts.into_iter().map(contact_view).collect(),
        case_ids: links.cases.iter().map(|c| c.id).collect(),
        intervention_ids: links.interventions.iter().map(|i| i.id).collect(),
        recommendation_ids: links.recommendations.iter().map(|r| r.0).collect(),
        law_ids: links.laws.iter().map(|l| l.0).collect(),
        meeting,
        actions,
    }))
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/actions", tag = "engagement", params(("id" = i64, Path)),
    request_body = MeetingActionFields,
    responses((status = 201, body = MeetingAction), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)),
    security(("bearer" = [])))]
pub async fn add_action(
    ctx: ApiCtx,
    ApiPath(id): ApiPath<i64>,
    raw: ApiBody<MeetingActionFields>,
) -> Result<(StatusCode, Json<MeetingAction>), ApiError> {
    service::open_meeting(&ctx, id).await?;
    ctx.require(Action::Update, service::MODULE)?;
    let f = raw.read(&ctx).await?;
    Ok((StatusCode::CREATED, Json(checked(service::add_action(&ctx, id, &f).await?)?)))
}
