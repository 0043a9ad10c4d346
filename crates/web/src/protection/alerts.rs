//! Alerts: what needs attention (missed check-ins, escalations, overdue
//! reassessments and measure reviews), on the home page, "My follow-ups"
//! and the alerts page; acknowledging one needs a note. Also the words of
//! an alert e-mail, which name no person, place or threat.

use super::service::{self, AcknowledgeFields};
use super::when;
use crate::auth::Ctx;
use crate::choice_label;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::i18n::Tr;
use crate::kit::{render, FormErrors, Layout};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::protection::{AlertKind, AlertState};
use rightsdesk_domain::{Action, Locale};
use rightsdesk_store::protection::Alert;
use rightsdesk_store::User;
use serde::Deserialize;

pub struct AlertRow {
    pub id: i64,
    pub file_id: i64,
    pub reference: String,
    pub kind: String,
    pub kind_code: String,
    pub due: String,
    pub raised: String,
    pub state: String,
    pub open: bool,
    pub acknowledged: String,
    pub note: String,
    pub emailed: String,
}

pub fn alert_row(tr: &Tr, a: &Alert, users: &[User]) -> AlertRow {
    let who = a.acknowledged_by.and_then(|id| users.iter().find(|u| u.id == id)).map(|u| u.name.clone());
    AlertRow {
        id: a.id,
        file_id: a.file_id,
        reference: a.file_reference.clone(),
        kind: choice_label!(tr, a.kind),
        kind_code: a.kind.as_str().into(),
        due: when(tr, a.due_at),
        raised: when(tr, a.raised_at),
        state: choice_label!(tr, a.state),
        open: a.state == AlertState::Open,
        acknowledged: match (who, a.acknowledged_at) {
            (Some(w), Some(at)) => format!("{w}, {}", when(tr, at)),
            _ => String::new(),
        },
        note: a.note.clone(),
        emailed: match a.emailed_at {
            Some(at) => tr.t1("alert-emailed", "when", &when(tr, at)),
            None => String::new(),
        },
    }
}

/// Open alerts that need the signed-in user, for the home page and "My follow-ups".
pub async fn due_alerts(ctx: &Ctx, limit: i64) -> Result<Vec<AlertRow>, PageError> {
    if !ctx.allows(Action::View, service::MODULE) {
        return Ok(vec![]);
    }
    let alerts = service::alerts_for(ctx, true, true, limit).await?;
    let users =
        if alerts.iter().any(|a| a.acknowledged_by.is_some()) { ctx.state.store.list_users().await? } else { vec![] };
    Ok(alerts.iter().map(|a| alert_row(&ctx.tr, a, &users)).collect())
}

#[derive(Template)]
#[template(path = "protection/alerts.html")]
struct AlertsPage {
    l: Layout,
    rows: Vec<AlertRow>,
    all: bool,
    failed: Option<(i64, FormErrors)>,
    note: String,
    email_on: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AlertsQuery {
    /// `1`: everything in the caller's scope, history included.
    pub all: String,
}

async fn alerts_page(
    ctx: &Ctx,
    all: bool,
    failed: Option<(i64, FormErrors)>,
    note: String,
) -> Result<Html<String>, PageError> {
    let alerts = service::alerts_for(ctx, !all, !all, 500).await?;
    let users = ctx.state.store.list_users().await?;
    render(AlertsPage {
        l: ctx.layout(ctx.tr.t("alerts-title")),
        rows: alerts.iter().map(|a| alert_row(&ctx.tr, a, &users)).collect(),
        all,
        failed,
        note,
        email_on: ctx.state.config.alert_email.is_some(),
    })
}

pub async fn page(ctx: Ctx, PageQuery(q): PageQuery<AlertsQuery>) -> Result<Html<String>, PageError> {
    service::scope(&ctx)?;
    alerts_page(&ctx, q.all == "1", None, String::new()).await
}

pub async fn acknowledge(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<AcknowledgeFields>,
) -> Result<Response, PageError> {
    match service::acknowledge(&ctx, id, &f).await? {
        Ok(_) => Ok(Redirect::to("/protection/alerts").into_response()),
        Err(errors) => {
            let failed = Some((id, FormErrors::from_validation(&ctx.tr, &errors)));
            let page = alerts_page(&ctx, false, failed, f.note).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The subject and text of an alert e-mail in `locale`: only that a file
/// needs attention, which file by its reference, and a link. No name,
/// place or threat detail leaves the application this way.
pub fn alert_email(a: &Alert, locale: Locale, base_url: &str) -> (String, String) {
    let tr = Tr::new(locale, false);
    let link = format!("{}/protection/files/{}", base_url.trim_end_matches('/'), a.file_id);
    let kind = choice_label!(tr, a.kind);
    let subject = tr.ta("alert-email-subject", &[("reference", a.file_reference.clone())]);
    let why = match a.kind {
        AlertKind::EscalatedCheckin => tr.t("alert-email-escalated"),
        _ => tr.t("alert-email-attention"),
    };
    let body = tr.ta(
        "alert-email-body",
        &[("reference", a.file_reference.clone()), ("kind", kind), ("why", why), ("link", link)],
    );
    (subject, body)
}
