//! The register of draft laws (filters, counts per stage) and a new law.

use super::service::{self, LawQuery, MODULE};
use crate::auth::Ctx;
use crate::error::PageError;
use crate::extract::{PageForm, PageQuery};
use crate::kit::{render, FormErrors, Layout};
use crate::{choice_label, choice_options};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::legislation::{LawFields, LawPriority, LawStage};
use rightsdesk_domain::{Action, Role};
use rightsdesk_store::legislation::LawFilter;

pub struct LawRow {
    pub id: i64,
    pub title: String,
    pub short_name: String,
    pub ministry: String,
    pub stage: String,
    pub stage_on: String,
    pub priority: String,
    pub priority_code: &'static str,
    pub lead: String,
    pub versions: String,
    pub comments: String,
    pub consultation: String,
}

#[derive(Template)]
#[template(path = "legislation/laws.html")]
struct LawsPage {
    l: Layout,
    rows: Vec<LawRow>,
    total: String,
    /// (stage code, label, count, selected)
    per_stage: Vec<(String, String, String, bool)>,
    q: LawQuery,
    error: Option<String>,
    stages: Vec<(String, String)>,
    priorities: Vec<(String, String)>,
    ministries: Vec<(String, String)>,
    leads: Vec<(String, String)>,
    themes: Vec<(String, String)>,
    can_create: bool,
    next_page: Option<String>,
}

/// The office's legal officers (and heads of office), for the lead field and filter.
pub(super) async fn leads(ctx: &Ctx) -> Result<Vec<(String, String)>, PageError> {
    Ok(ctx
        .state
        .store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| !u.disabled && matches!(u.role, Role::LegalOfficer | Role::HeadOfOffice))
        .map(|u| (u.id.to_string(), u.name))
        .collect())
}

/// Government bodies a law can be sponsored by.
pub(super) async fn ministries(ctx: &Ctx) -> Result<Vec<(String, String)>, PageError> {
    let tr = &ctx.tr;
    Ok(ctx
        .state
        .store
        .organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind == "ministry")
        .map(|o| (o.id.to_string(), tr.pick(&o.name_en, &o.name_km).to_string()))
        .collect())
}

pub async fn list(ctx: Ctx, PageQuery(q): PageQuery<LawQuery>) -> Result<Response, PageError> {
    let scope = service::scope(&ctx)?;
    let tr = &ctx.tr;
    let store = ctx.state.store.as_ref();
    let (filter, error) = match service::law_filter(scope, &q) {
        Ok(f) => (f, None),
        Err(e) => (
            LawFilter { scope: Some(scope), limit: service::PAGE_SIZE, ..Default::default() },
            Some(crate::kit::field_message(tr, &e)),
        ),
    };
    let laws = store.list_laws(&filter).await?;
    let total = store.count_laws(&filter).await?;
    let per_stage = store
        .count_laws_by_stage(&filter)
        .await?
        .into_iter()
        .map(|(s, n)| (s.as_str().to_string(), choice_label!(tr, s), tr.num(n), filter.stage == Some(s)))
        .collect();
    let rows = laws
        .iter()
        .map(|law| LawRow {
            id: law.id,
            title: super::title(tr, law),
            short_name: law.short_name.clone(),
            ministry: super::ministry(tr, law),
            stage: choice_label!(tr, law.stage),
            stage_on: tr.iso_date(&Some(law.stage_on.clone())),
            priority: choice_label!(tr, law.priority),
            priority_code: law.priority.as_str(),
            lead: law.lead_name.clone().unwrap_or_else(|| "—".into()),
            versions: tr.num(law.versions),
            comments: tr.num(law.comments),
            consultation: match (&law.consultation_opens, &law.consultation_closes) {
                (Some(o), Some(c)) => format!("{} – {}", tr.iso_date(&Some(o.clone())), tr.iso_date(&Some(c.clone()))),
                _ => String::new(),
            },
        })
        .collect();
    let mut themes: Vec<String> = laws.iter().flat_map(|l| l.themes.clone()).collect();
    if !q.theme.is_empty() {
        themes.push(q.theme.clone());
    }
    themes.sort();
    themes.dedup();
    let shown = filter.offset + laws.len() as i64;
    let next_page = (shown < total).then(|| {
        let page = filter.offset / filter.limit + 2;
        let mut params = serde_urlencoded::to_string(&q).unwrap_or_default();
        params =
            params.split('&').filter(|p| !p.starts_with("page=") && !p.ends_with('=')).collect::<Vec<_>>().join("&");
        format!("/legislation?{params}{}page={page}", if params.is_empty() { "" } else { "&" })
    });
    let page = LawsPage {
        l: ctx.layout(tr.t("laws-title")),
        rows,
        total: tr.tn("laws-count", "count", total),
        per_stage,
        error,
        stages: choice_options!(tr, LawStage),
        priorities: choice_options!(tr, LawPriority),
        ministries: ministries(&ctx).await?,
        leads: leads(&ctx).await?,
        themes: themes.into_iter().map(|t| (t.clone(), tr.theme(&t))).collect(),
        can_create: ctx.allows(Action::Create, MODULE),
        next_page,
        q,
    };
    let status = if page.error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok((status, render(page)?).into_response())
}

#[derive(Template)]
#[template(path = "legislation/new.html")]
struct NewLawPage {
    l: Layout,
    form: LawFields,
    errors: FormErrors,
    stages: Vec<(String, String)>,
    priorities: Vec<(String, String)>,
    ministries: Vec<(String, String)>,
    leads: Vec<(String, String)>,
    new: bool,
    action: String,
}

pub(super) async fn fields_page(
    ctx: &Ctx,
    title: String,
    form: LawFields,
    errors: FormErrors,
    action: String,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    render(NewLawPage {
        l: ctx.layout(title),
        new: action == "/legislation/laws",
        action,
        form,
        errors,
        stages: choice_options!(tr, LawStage),
        priorities: choice_options!(tr, LawPriority),
        ministries: ministries(ctx).await?,
        leads: leads(ctx).await?,
    })
}

pub async fn new_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, MODULE)?;
    let form = LawFields {
        priority: "medium".into(),
        stage: "drafting".into(),
        stage_on: crate::kit::today(),
        lead_user_id: ctx
            .user
            .as_ref()
            .filter(|u| u.role == Role::LegalOfficer)
            .map(|u| u.id.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    fields_page(&ctx, ctx.tr.t("law-new-title"), form, FormErrors::default(), "/legislation/laws".into()).await
}

pub async fn create(ctx: Ctx, PageForm(f): PageForm<LawFields>) -> Result<Response, PageError> {
    match service::create_law(&ctx, &f).await? {
        Ok(law) => Ok(Redirect::to(&format!("/legislation/laws/{}", law.id)).into_response()),
        Err(errors) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let page = fields_page(&ctx, ctx.tr.t("law-new-title"), f, errors, "/legislation/laws".into()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
