//! The list of protection files (the caller's scope only) and a new file.

use super::service::{self, FileQuery, MODULE};
use super::{opt_when, place};
use crate::auth::Ctx;
use crate::error::PageError;
use crate::extract::{PageForm, PageQuery};
use crate::kit::{render, FormErrors, Layout};
use crate::{choice_label, choice_options};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::protection::{FileStatus, ProfileCategory, ProtectionFileFields, RiskLevel};
use rightsdesk_domain::Action;

pub struct FileRow {
    pub id: i64,
    pub reference: String,
    pub label: String,
    pub profile: String,
    pub place: String,
    pub status: String,
    pub level: String,
    pub level_code: String,
    pub next_checkin: String,
    pub open_alerts: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "protection/files.html")]
struct FilesPage {
    l: Layout,
    rows: Vec<FileRow>,
    total: String,
    q: FileQuery,
    error: Option<String>,
    levels: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    profiles: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
    officers: Vec<(String, String)>,
    can_create: bool,
    can_export: bool,
    next_page: Option<String>,
}

pub async fn list(ctx: Ctx, PageQuery(q): PageQuery<FileQuery>) -> Result<Response, PageError> {
    let scope = service::scope(&ctx)?;
    let tr = &ctx.tr;
    let store = ctx.state.store.as_ref();
    let (filter, error) = match service::file_filter(scope, &q) {
        Ok(f) => (f, None),
        Err(e) => {
            (rightsdesk_store::protection::ProtectionFileFilter::new(scope), Some(crate::kit::field_message(tr, &e)))
        }
    };
    let files = store.list_protection_files(&filter).await?;
    let total = store.count_protection_files(&filter).await?;
    let mut rows = Vec::with_capacity(files.len());
    for f in &files {
        rows.push(FileRow {
            id: f.id,
            reference: f.reference.clone(),
            label: f.label.clone(),
            profile: choice_label!(tr, f.profile),
            place: place(&ctx, &f.province_code).await?,
            status: choice_label!(tr, f.status),
            level: f.level.map(|l| choice_label!(tr, l)).unwrap_or_else(|| tr.t("risk-level-none")),
            level_code: f.level.map(|l| l.as_str().to_string()).unwrap_or_default(),
            next_checkin: opt_when(tr, f.checkin_due_at),
            open_alerts: tr.num(f.open_alerts),
            overdue: f.open_alerts > 0,
        });
    }
    let places = ctx.state.places().await?;
    let provinces = places.provinces.iter().map(|(code, en, km)| (code.clone(), tr.pick(en, km).to_string())).collect();
    let me = ctx.me()?;
    let officers = ctx
        .state
        .store
        .list_users()
        .await?
        .into_iter()
        .filter(|u| u.office_id == me.office_id && !u.disabled)
        .filter(|u| matches!(u.role, rightsdesk_domain::Role::Officer | rightsdesk_domain::Role::HeadOfOffice))
        .map(|u| (u.id.to_string(), u.name))
        .collect();
    let shown = filter.offset + files.len() as i64;
    let next_page = (shown < total).then(|| {
        let page = filter.offset / filter.limit + 2;
        let mut params: Vec<(String, String)> = vec![];
        for (k, v) in [
            ("level", &q.level),
            ("status", &q.status),
            ("profile", &q.profile),
            ("province", &q.province),
            ("officer", &q.officer),
            ("overdue", &q.overdue),
        ] {
            if !v.is_empty() {
                params.push((k.into(), v.clone()));
            }
        }
        params.push(("page".into(), page.to_string()));
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| {
                format!("{k}={}", percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC))
            })
            .collect();
        format!("/protection?{}", query.join("&"))
    });
    let page = FilesPage {
        l: ctx.layout(tr.t("protection-files-title")),
        rows,
        total: tr.tn("protection-files-count", "count", total),
        error,
        levels: choice_options!(tr, RiskLevel),
        statuses: choice_options!(tr, FileStatus),
        profiles: choice_options!(tr, ProfileCategory),
        provinces,
        officers,
        can_create: ctx.allows(Action::Create, MODULE),
        can_export: ctx.allows(Action::Export, MODULE),
        next_page,
        q,
    };
    let status = if page.error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok((status, render(page)?).into_response())
}

#[derive(Template)]
#[template(path = "protection/new.html")]
struct NewFilePage {
    l: Layout,
    form: ProtectionFileFields,
    errors: FormErrors,
    subjects: Vec<(String, String)>,
    profiles: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
}

async fn new_page(ctx: &Ctx, form: ProtectionFileFields, errors: FormErrors) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let places = ctx.state.places().await?;
    render(NewFilePage {
        l: ctx.layout(tr.t("protection-new-title")),
        form,
        errors,
        subjects: choice_options!(tr, rightsdesk_domain::protection::FileSubject),
        profiles: choice_options!(tr, ProfileCategory),
        provinces: places.provinces.iter().map(|(c, en, km)| (c.clone(), tr.pick(en, km).to_string())).collect(),
    })
}

pub async fn new_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, MODULE)?;
    new_page(&ctx, ProtectionFileFields::default(), FormErrors::default()).await
}

pub async fn create(ctx: Ctx, PageForm(f): PageForm<ProtectionFileFields>) -> Result<Response, PageError> {
    match service::create_file(&ctx, &f).await? {
        Ok(file) => Ok(Redirect::to(&format!("/protection/files/{}", file.id)).into_response()),
        Err(errors) => {
            let page = new_page(&ctx, f, FormErrors::from_validation(&ctx.tr, &errors)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
