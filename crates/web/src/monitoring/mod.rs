//! Monitoring: cases of violations and what the office does about them.
//! Pages and API are thin adapters over [`service`]; each resource has its file.

mod acts;
pub mod api;
mod case_form;
mod case_page;
mod cases;
mod evidence;
mod export;
mod follow_ups;
mod import;
mod interventions;
mod organisations;
mod persons;
pub mod service;
mod sources;

pub use acts::*;
pub use case_form::*;
pub use case_page::*;
pub use cases::*;
pub use evidence::*;
pub use export::*;
pub use follow_ups::*;
pub use import::*;
pub use interventions::*;
pub use organisations::*;
pub use persons::*;
pub use service::*;
pub use sources::*;

use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::i18n::Tr;
use crate::kit::{render, today, FormErrors, Layout};
use crate::module::{Registration, Routes};
use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::monitoring::{
    names_in_text, person_choices, replace_names, ActFields, CaseFields, CaseInput, CaseStatus, FuzzyDate,
    PersonFields, PersonRole, Sensitivity, Urgency,
};
use rightsdesk_domain::vocabulary::HURIDOCS_ACTS;
use rightsdesk_domain::{case_scope, Action, CaseRef, Module, Resource, ValidationError};
use rightsdesk_store::{Case, CaseCursor, CaseFilter, CaseSort, NewCase, PersonRecord, Store};
use serde::Deserialize;

/// Monitoring in the application (see `crate::module`).
pub const REGISTRATION: Registration = Registration {
    module: Module::Monitoring,
    routes: Some(routes),
    api_doc: Some(<api::ApiDoc as utoipa::OpenApi>::openapi),
    search_kinds: &["case"],
    imports: &["/monitoring/import"],
    exports: &["/monitoring/export"],
};

/// The monitoring pages and API calls.
pub(crate) fn routes(r: Routes, state: &AppState) -> Routes {
    r.get("/monitoring", list)
        .get("/monitoring/places", place_options)
        .get("/monitoring/cases/new", new_form)
        .get("/monitoring/cases", list_redirect)
        .post("/monitoring/cases", create)
        .get("/monitoring/cases/{id}", view)
        .post("/monitoring/cases/{id}", update)
        .get("/monitoring/cases/{id}/edit", edit_form)
        .post("/monitoring/cases/{id}/status", change_status)
        .post("/monitoring/cases/{id}/team", set_team)
        .post("/monitoring/cases/{id}/raise", raise_recommendation)
        .get("/monitoring/cases/{id}/persons/new", new_person_form)
        .post("/monitoring/cases/{id}/persons", add_person)
        .get("/monitoring/cases/{id}/acts/new", new_act_form)
        .post("/monitoring/cases/{id}/acts", add_act)
        .get("/monitoring/cases/{id}/interventions/new", new_intervention_form)
        .post("/monitoring/cases/{id}/interventions", add_intervention)
        .get("/monitoring/interventions/{id}/edit", edit_intervention_form)
        .post("/monitoring/interventions/{id}", update_intervention)
        .get("/monitoring/organisations", organisations)
        .post("/monitoring/organisations", create_organisation)
        .get("/monitoring/follow-ups", follow_ups)
        .post("/monitoring/export", export)
        .upload("/monitoring/cases/{id}/evidence", upload_evidence, state)
        .post("/monitoring/evidence/{id}/download", download_evidence)
        .post("/monitoring/evidence/{id}/custody", add_custody)
        .get("/monitoring/import", import_form)
        .upload("/monitoring/import", import, state)
        .post("/monitoring/evidence/{id}/verify", verify_evidence)
        .get("/monitoring/cases/{id}/sources/new", new_source_form)
        .post("/monitoring/cases/{id}/sources", add_source)
        .post("/monitoring/sources/{id}/withdraw", withdraw_consent)
        .get("/api/v1/cases", api::cases)
        .post("/api/v1/cases", api::create_case)
        .get("/api/v1/cases/{id}", api::case)
        .get("/api/v1/cases/{id}/history", api::case_history)
        .post("/api/v1/cases/{id}/status", api::change_case_status)
        .get("/api/v1/cases/{id}/persons", api::case_persons)
        .post("/api/v1/cases/{id}/persons", api::add_case_person)
        .get("/api/v1/cases/{id}/acts", api::case_acts)
        .post("/api/v1/cases/{id}/acts", api::add_case_act)
        .get("/api/v1/cases/{id}/interventions", api::case_interventions)
        .post("/api/v1/cases/{id}/interventions", api::add_case_intervention)
        .post("/api/v1/interventions/{id}", api::update_intervention)
        .get("/api/v1/follow-ups", api::follow_ups)
        .get("/api/v1/cases/{id}/sources", api::case_sources)
        .post("/api/v1/cases/{id}/sources", api::add_case_source)
        .post("/api/v1/sources/{id}/withdraw", api::withdraw_consent)
        .get("/api/v1/cases/{id}/evidence", api::case_evidence)
        .upload("/api/v1/cases/{id}/evidence", api::upload_evidence, state)
        .get("/api/v1/evidence/{id}/file", api::evidence_file)
        .get("/api/v1/evidence/{id}/custody", api::evidence_custody)
        .post("/api/v1/evidence/{id}/custody", api::add_evidence_custody)
}

pub fn status_label(tr: &Tr, s: CaseStatus) -> String {
    tr.t(&format!("case-status-{}", s.as_str().replace('_', "-")))
}

pub fn sensitivity_label(tr: &Tr, s: Sensitivity) -> String {
    tr.t(&format!("sensitivity-{}", s.as_str()))
}

pub fn date_label(tr: &Tr, d: &Option<FuzzyDate>) -> String {
    match d {
        None => "—".into(),
        Some(d) => {
            let text = tr.iso_date(&Some(d.value.clone()));
            if d.precision == rightsdesk_domain::monitoring::DatePrecision::Approximate {
                tr.t1("date-approximate", "date", &text)
            } else {
                text
            }
        }
    }
}

/// Loads a case the user may act on for a page; reading a restricted case's
/// page is audited.
pub async fn load_case(ctx: &Ctx, id: i64, action: Action) -> Result<Case, PageError> {
    service::open_case(ctx, id, action, (action == Action::View).then_some("restricted case read")).await
}

/// Loads a case for a form that shows its content (a GET), with `action`
/// (`Update`, or `WriteNarrative` for forms of free text); the read of a
/// restricted case is audited.
async fn load_case_for_form(ctx: &Ctx, id: i64, action: Action) -> Result<Case, PageError> {
    service::open_case(ctx, id, action, Some("restricted case read (form)")).await
}

/// The field message for names found in a text. The codes tell whose name it
/// is, so only those who may see the case's names get them; the others learn
/// only that a name of the case's people is there.
fn names_found_message(ctx: &Ctx, c: &Case, key: &str, found: &[String]) -> String {
    if sees_names(ctx, c) {
        ctx.tr.t1(key, "codes", &found.join(", "))
    } else {
        ctx.tr.t("case-names-found-hidden")
    }
}

fn sees_names(ctx: &Ctx, c: &Case) -> bool {
    ctx.allows(Action::ViewIdentifying, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), c)))
}

fn names_of(ctx: &Ctx, persons: &[PersonRecord]) -> Result<Vec<(String, String)>, PageError> {
    Ok(case_names(&ctx.state.keys, persons)?)
}

/// What the name check of one case's free text looks for: its people's
/// names, loaded and opened once per request.
async fn case_matcher(ctx: &Ctx, case_id: i64) -> Result<rightsdesk_domain::names::NameMatcher, PageError> {
    Ok(rightsdesk_domain::names::NameMatcher::new(&names_of(ctx, &ctx.state.store.persons(case_id).await?)?))
}

/// Adds a field message for each of `texts` that names one of the case's
/// people (the writer sees names: `WriteNarrative` was required).
fn names_in_fields(
    ctx: &Ctx,
    c: &Case,
    matcher: &rightsdesk_domain::names::NameMatcher,
    texts: &[(&'static str, &str)],
    errors: &mut FormErrors,
) {
    for (field, text) in texts {
        let codes = matcher.codes_in(text);
        if !codes.is_empty() {
            errors.add(field, names_found_message(ctx, c, "case-names-found", &codes));
        }
    }
}

async fn place_label(ctx: &Ctx, c: &Case) -> Result<String, PageError> {
    let places = ctx.state.places().await?;
    let tr = &ctx.tr;
    let mut parts = vec![];
    if !c.location_text.is_empty() {
        parts.push(c.location_text.clone());
    }
    for code in [&c.commune_code, &c.district_code, &c.province_code].into_iter().flatten() {
        if let Some((en, km)) = places.name(code) {
            parts.push(tr.pick(en, km).to_string());
        }
    }
    Ok(if parts.is_empty() { "—".into() } else { parts.join(", ") })
}

fn options(tr: &Tr, group: &str, values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (v.to_string(), if v.is_empty() { "—".to_string() } else { choice_label(tr, group, v) }))
        .collect()
}
