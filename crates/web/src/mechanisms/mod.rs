//! Mechanisms pages: recommendations of the UPR, the treaty bodies and the
//! special procedures, the State's responses, assessments of their
//! implementation, and the cases that show whether they are implemented.

pub mod actions;
pub mod api;
mod bodies;
mod calendar;
mod export;
mod import;
mod index;
mod progress;
mod recommendation;
mod recommendations;
pub mod service;
pub mod treaties;
mod updates;

use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::i18n::Tr;
use crate::kit::{render, FormErrors, Layout};
use crate::module::{Registration, Routes};
use crate::monitoring::{case_ref, status_label as case_status_label};
use crate::state::AppState;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
pub use bodies::*;
pub use calendar::*;
pub use export::*;
pub use import::*;
pub use index::*;
pub use progress::*;
pub use recommendation::*;
pub use recommendations::*;
use rightsdesk_domain::mechanisms::{AssessmentFields, ImplementationStatus, Response as StateResponse};
use rightsdesk_domain::{
    case_scope, recommendation_scope, Action, Module, RecommendationRef, RecommendationScope, Resource, ValidationError,
};
use rightsdesk_store::{Recommendation, RecommendationFilter};
use serde::{Deserialize, Serialize};
pub use service::*;
pub use updates::*;

/// UN mechanisms in the application (see `crate::module`).
pub const REGISTRATION: Registration = Registration {
    module: Module::Mechanisms,
    routes: Some(routes),
    api_doc: Some(<api::ApiDoc as utoipa::OpenApi>::openapi),
    search_kinds: &["recommendation"],
    imports: &["/mechanisms/import", "/mechanisms/import/mapped"],
    exports: &["/mechanisms/recommendations/export"],
};

/// The mechanisms pages and API calls.
pub(crate) fn routes(r: Routes, state: &AppState) -> Routes {
    r.get("/mechanisms", index)
        .get("/mechanisms/recommendations", recommendations)
        .get("/mechanisms/recommendations/{id}", recommendation)
        .post("/mechanisms/recommendations/{id}/assessments", add_assessment)
        .post("/mechanisms/recommendations/{id}/details", update_details)
        .post("/mechanisms/recommendations/{id}/updates", submit_update)
        .get("/mechanisms/updates", updates)
        .post("/mechanisms/updates/{id}/review", review_update)
        .post("/mechanisms/recommendations/{id}/cases", link_case)
        .post("/mechanisms/recommendations/{id}/cases/{case_id}/unlink", unlink_case)
        .post("/mechanisms/recommendations/export", export)
        .get("/mechanisms/progress", progress)
        .get("/mechanisms/actions", actions::list)
        .post("/mechanisms/actions", actions::create)
        .get("/mechanisms/actions/{id}", actions::view)
        .post("/mechanisms/actions/{id}", actions::update)
        .post("/mechanisms/actions/{id}/indicators", actions::add_indicator)
        .post("/mechanisms/actions/{id}/indicators/{indicator}", actions::update_indicator)
        .post("/mechanisms/actions/{id}/recommendations", actions::link_recommendation)
        .get("/mechanisms/mechanisms", mechanisms_list)
        .post("/mechanisms/mechanisms", create_mechanism)
        .get("/mechanisms/treaties", treaties::treaties)
        .post("/mechanisms/treaties/{code}/commitment", treaties::set_commitment)
        .get("/mechanisms/calendar", calendar)
        .post("/mechanisms/calendar", add_event)
        .post("/mechanisms/calendar/{id}/status", set_event_status)
        .post("/mechanisms/calendar/feed", start_feed)
        .post("/mechanisms/calendar/feed/revoke", revoke_feed)
        .get("/calendar/{file}", feed)
        .get("/mechanisms/import", import_form)
        .upload("/mechanisms/import/mapped", import_mapped, state)
        .upload("/mechanisms/import", import, state)
        .get("/api/v1/mechanisms", api::mechanisms)
        .get("/api/v1/recommendations", api::recommendations)
        .get("/api/v1/recommendations/progress", api::progress)
        .get("/api/v1/recommendations/{id}", api::recommendation)
        .post("/api/v1/recommendations/{id}/details", api::update_details)
        .post("/api/v1/recommendations/{id}/updates", api::submit_update)
        .get("/api/v1/progress-updates", api::pending_updates)
        .get("/api/v1/treaties", api::treaties)
        .get("/api/v1/actions", api::actions)
        .post("/api/v1/actions", api::create_action)
        .get("/api/v1/actions/{id}", api::action)
        .post("/api/v1/actions/{id}/indicators", api::add_indicator)
        .post("/api/v1/actions/{id}/recommendations", api::link_action)
        .post("/api/v1/progress-updates/{id}/review", api::review_update)
        .post("/api/v1/recommendations/{id}/assessments", api::add_assessment)
        .post("/api/v1/recommendations/{id}/cases", api::link_case)
        .get("/api/v1/cases/{id}/recommendations", api::case_recommendations)
        .get("/api/v1/reporting-events", api::reporting_events)
        .post("/api/v1/reporting-events", api::add_reporting_event)
}

const MODULE: Resource = Resource::Module(Module::Mechanisms);
pub const PAGE_SIZE: i64 = 50;

pub fn response_label(tr: &Tr, r: Option<StateResponse>) -> String {
    match r {
        Some(r) => tr.t(&format!("response-{}", r.as_str())),
        None => tr.t("response-none"),
    }
}

pub fn implementation_label(tr: &Tr, s: ImplementationStatus) -> String {
    tr.t(&format!("implementation-{}", s.as_str().replace('_', "-")))
}
