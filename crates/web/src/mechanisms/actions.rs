//! Implementation actions: what is being done about recommendations, by
//! which institution, by when, and how far (indicators).

use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::i18n::Tr;
use crate::kit::{render, FormErrors, Layout};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::mechanisms::{ActionFields, IndicatorFields, ACTION_STATUSES};
use rightsdesk_domain::{Action, Resource, ValidationError};
use rightsdesk_store::ImplementationAction;
use serde::Deserialize;

const ACTIONS: Resource = Resource::ImplementationActions;

pub fn action_status_label(tr: &Tr, status: &str) -> String {
    tr.t(&format!("action-status-{status}"))
}

pub struct ActionRow {
    pub id: i64,
    pub title: String,
    pub institution: String,
    pub due: String,
    pub status: String,
    pub indicators: String,
    pub recommendations: String,
}

fn action_row(tr: &Tr, a: &ImplementationAction) -> ActionRow {
    ActionRow {
        id: a.id,
        title: a.title.clone(),
        institution: a.organisation_name.clone().unwrap_or_default(),
        due: tr.iso_date(&a.due_on),
        status: action_status_label(tr, &a.status),
        indicators: a
            .indicators
            .iter()
            .map(|i| format!("{}: {} → {} ({})", i.name, i.baseline, i.target, i.current))
            .collect::<Vec<_>>()
            .join("; "),
        recommendations: tr.num(a.recommendation_ids.len() as i64),
    }
}

fn form_of(a: &ImplementationAction) -> ActionFields {
    ActionFields {
        title: a.title.clone(),
        description: a.description.clone(),
        organisation_id: a.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
        due_on: a.due_on.clone().unwrap_or_default(),
        status: a.status.clone(),
    }
}

#[derive(Template)]
#[template(path = "mechanisms/actions.html")]
struct ActionsPage {
    l: Layout,
    rows: Vec<ActionRow>,
    can_edit: bool,
    form: ActionFields,
    errors: FormErrors,
    organisations: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
}

async fn options(ctx: &Ctx) -> Result<(Vec<(String, String)>, Vec<(String, String)>), PageError> {
    let tr = &ctx.tr;
    let organisations = ctx
        .state
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), tr.pick(&o.name_en, &o.name_km).to_string()))
        .collect();
    let statuses = ACTION_STATUSES.iter().map(|s| (s.to_string(), action_status_label(tr, s))).collect();
    Ok((organisations, statuses))
}

async fn actions_page(ctx: &Ctx, form: ActionFields, errors: FormErrors) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let rows = ctx.state.store.actions().await?.iter().map(|a| action_row(tr, a)).collect();
    let (organisations, statuses) = options(ctx).await?;
    render(ActionsPage {
        l: ctx.layout(tr.t("actions-title")),
        rows,
        can_edit: ctx.allows(Action::Create, ACTIONS),
        form,
        errors,
        organisations,
        statuses,
    })
}

pub async fn list(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, ACTIONS)?;
    actions_page(&ctx, ActionFields::default(), FormErrors::default()).await
}

fn organisation_error(e: rightsdesk_store::StoreError) -> Result<Vec<ValidationError>, PageError> {
    match e {
        rightsdesk_store::StoreError::Constraint(_) => {
            Ok(vec![ValidationError::new("organisation_id", "invalid-choice")])
        }
        e => Err(e.into()),
    }
}

pub async fn create(ctx: Ctx, PageForm(f): PageForm<ActionFields>) -> Result<Response, PageError> {
    ctx.require(Action::Create, ACTIONS)?;
    let errors = match f.parse() {
        Ok(input) => match ctx.state.store.create_action(&input, ctx.me()?.id, &ctx.audit("action.create")).await {
            Ok(a) => return Ok(Redirect::to(&format!("/mechanisms/actions/{}", a.id)).into_response()),
            Err(e) => organisation_error(e)?,
        },
        Err(errs) => errs,
    };
    let page = actions_page(&ctx, f, FormErrors::from_validation(&ctx.tr, &errors)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template)]
#[template(path = "mechanisms/action.html")]
struct ActionPage {
    l: Layout,
    a: ImplementationAction,
    row: ActionRow,
    can_edit: bool,
    form: ActionFields,
    errors: FormErrors,
    indicator: IndicatorFields,
    indicator_errors: FormErrors,
    link_error: Option<String>,
    /// The words of the "find a recommendation" box, and what they found.
    find: String,
    find_action: String,
    found: Vec<super::service::RecommendationChoice>,
    /// (id, mechanism and session, text) of the recommendations it serves.
    recommendations: Vec<(i64, String, String)>,
    organisations: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
}

#[derive(Default)]
struct ActionForms {
    form: Option<ActionFields>,
    errors: FormErrors,
    indicator: IndicatorFields,
    indicator_errors: FormErrors,
    link_error: Option<String>,
    find: String,
}

async fn action_page(ctx: &Ctx, a: ImplementationAction, f: ActionForms) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let store = ctx.state.store.as_ref();
    let mut recommendations = vec![];
    for id in &a.recommendation_ids {
        if let Some(r) = store.recommendation(*id).await? {
            recommendations.push((r.id, format!("{} {}", r.mechanism_code, tr.digits(&r.session)), r.text));
        }
    }
    let (organisations, statuses) = options(ctx).await?;
    let can_edit = ctx.allows(Action::Update, ACTIONS);
    let found = if can_edit { super::service::recommendation_choices(ctx, &f.find).await? } else { vec![] };
    render(ActionPage {
        l: ctx.layout(a.title.clone()),
        row: action_row(tr, &a),
        can_edit,
        find: f.find,
        find_action: format!("/mechanisms/actions/{}#recommendations", a.id),
        found,
        form: f.form.unwrap_or_else(|| form_of(&a)),
        errors: f.errors,
        indicator: f.indicator,
        indicator_errors: f.indicator_errors,
        link_error: f.link_error,
        recommendations,
        organisations,
        statuses,
        a,
    })
}

async fn load(ctx: &Ctx, id: i64) -> Result<ImplementationAction, PageError> {
    Ok(ctx.state.store.action(id).await?.ok_or(ErrorCode::NotFound)?)
}

pub async fn view(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<super::service::FindQuery>,
) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, ACTIONS)?;
    let a = load(&ctx, id).await?;
    action_page(&ctx, a, ActionForms { find: q.find, ..Default::default() }).await
}

pub async fn update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<ActionFields>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, ACTIONS)?;
    let a = load(&ctx, id).await?;
    let errors = match f.parse() {
        Ok(input) => match ctx.state.store.update_action(id, &input, &ctx.audit("action.update")).await {
            Ok(_) => return Ok(Redirect::to(&format!("/mechanisms/actions/{id}")).into_response()),
            Err(e) => organisation_error(e)?,
        },
        Err(errs) => errs,
    };
    let forms =
        ActionForms { form: Some(f), errors: FormErrors::from_validation(&ctx.tr, &errors), ..Default::default() };
    let page = action_page(&ctx, a, forms).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn add_indicator(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<IndicatorFields>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, ACTIONS)?;
    let a = load(&ctx, id).await?;
    match f.parse() {
        Ok(ind) => {
            ctx.state.store.add_indicator(id, &ind, &ctx.audit("action.indicator")).await?;
            Ok(Redirect::to(&format!("/mechanisms/actions/{id}#indicators")).into_response())
        }
        Err(errs) => {
            let forms = ActionForms {
                indicator_errors: FormErrors::from_validation(&ctx.tr, &errs),
                indicator: f,
                ..Default::default()
            };
            let page = action_page(&ctx, a, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CurrentForm {
    pub current: String,
}

pub async fn update_indicator(
    ctx: Ctx,
    PagePath((id, indicator)): PagePath<(i64, i64)>,
    PageForm(f): PageForm<CurrentForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, ACTIONS)?;
    let current = f.current.trim();
    if current.chars().count() > 300 {
        return Err(ErrorCode::BadRequest.into());
    }
    ctx.state.store.update_indicator(id, indicator, current, &ctx.audit("action.indicator")).await?;
    Ok(Redirect::to(&format!("/mechanisms/actions/{id}#indicators")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkForm {
    pub recommendation_id: String,
}

pub async fn link_recommendation(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<LinkForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, ACTIONS)?;
    let a = load(&ctx, id).await?;
    let store = ctx.state.store.as_ref();
    let found = match f.recommendation_id.trim().parse::<i64>() {
        Ok(rid) => store.recommendation(rid).await?,
        Err(_) => None,
    };
    match found {
        Some(r) => {
            store.link_action(id, r.id, &ctx.audit("action.link")).await?;
            Ok(Redirect::to(&format!("/mechanisms/actions/{id}#recommendations")).into_response())
        }
        None => {
            let forms =
                ActionForms { link_error: Some(ctx.tr.t("actions-no-such-recommendation")), ..Default::default() };
            let page = action_page(&ctx, a, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
