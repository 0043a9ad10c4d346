//! Protection pages: files for people at risk, their threats, risk
//! assessments, protective measures and check-ins, and the alerts raised
//! when a check-in is missed or a review is overdue. A file exists only for
//! its team and the head of its office; every opening is audited.

pub mod alerts;
pub mod api;
mod export;
mod file;
mod files;
mod rows;
pub mod service;

use crate::auth::Ctx;
use crate::i18n::Tr;
use crate::module::{Registration, Routes};
use crate::state::AppState;
pub use alerts::{alert_email, due_alerts, AlertRow};
use rightsdesk_domain::Module;

/// Protection in the application (see `crate::module`).
pub const REGISTRATION: Registration = Registration {
    module: Module::Protection,
    routes: Some(routes),
    api_doc: Some(<api::ApiDoc as utoipa::OpenApi>::openapi),
    search_kinds: &["protection_file"],
    imports: &[],
    exports: &["/protection/export"],
};

pub(crate) fn routes(r: Routes, _state: &AppState) -> Routes {
    r.get("/protection", files::list)
        .get("/protection/new", files::new_form)
        .post("/protection/files", files::create)
        .get("/protection/files/{id}", file::view)
        .post("/protection/files/{id}", file::update)
        .post("/protection/files/{id}/status", file::status)
        .post("/protection/files/{id}/team", file::team)
        .post("/protection/files/{id}/cases", file::link_case)
        .post("/protection/files/{id}/persons", file::link_person)
        .post("/protection/files/{id}/threats", file::add_threat)
        .post("/protection/files/{id}/assessments", file::add_assessment)
        .post("/protection/files/{id}/measures", file::add_measure)
        .post("/protection/files/{id}/measures/{measure}", file::update_measure)
        .post("/protection/files/{id}/schedule", file::schedule)
        .post("/protection/files/{id}/checkins", file::checkin)
        .get("/protection/alerts", alerts::page)
        .post("/protection/alerts/{id}/acknowledge", alerts::acknowledge)
        .post("/protection/export", export::export)
        .get("/api/v1/protection/files", api::files)
        .post("/api/v1/protection/files", api::create_file)
        .get("/api/v1/protection/files/{id}", api::file)
        .post("/api/v1/protection/files/{id}/status", api::change_status)
        .post("/api/v1/protection/files/{id}/cases", api::link_case)
        .post("/api/v1/protection/files/{id}/threats", api::add_threat)
        .post("/api/v1/protection/files/{id}/assessments", api::add_assessment)
        .post("/api/v1/protection/files/{id}/measures", api::add_measure)
        .post("/api/v1/protection/files/{id}/schedule", api::set_schedule)
        .post("/api/v1/protection/files/{id}/checkins", api::record_checkin)
        .get("/api/v1/protection/alerts", api::alerts)
        .post("/api/v1/protection/alerts/{id}/acknowledge", api::acknowledge)
}

/// A time (Unix seconds) in the reader's language and the office's time.
pub fn when(tr: &Tr, seconds: i64) -> String {
    tr.datetime(seconds.saturating_mul(1_000_000))
}

pub fn opt_when(tr: &Tr, seconds: Option<i64>) -> String {
    seconds.map(|s| when(tr, s)).unwrap_or_else(|| "—".into())
}

/// A place's name in the reader's language.
pub(crate) async fn place(ctx: &Ctx, code: &Option<String>) -> Result<String, crate::error::PageError> {
    let Some(code) = code else { return Ok(String::new()) };
    let places = ctx.state.places().await?;
    Ok(places.name(code).map(|(en, km)| ctx.tr.pick(en, km).to_string()).unwrap_or_else(|| code.clone()))
}
