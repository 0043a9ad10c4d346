//! Engagement pages: the stakeholder directory (organisations by kind and
//! province, their relations, everything linked to one), the office's
//! contacts there (a civil society contact's name and details only for
//! whom the policy allows), and the dialogue log with its follow-up
//! actions.

pub mod api;
mod contacts;
mod meetings;
mod organisations;
pub mod service;

use crate::i18n::Tr;
use crate::module::{Registration, Routes};
use crate::state::AppState;
use rightsdesk_domain::Module;

pub use meetings::{due_actions, ActionRow};

/// Engagement in the application (see `crate::module`).
pub const REGISTRATION: Registration = Registration {
    module: Module::Engagement,
    routes: Some(routes),
    api_doc: Some(<api::ApiDoc as utoipa::OpenApi>::openapi),
    search_kinds: &["organisation", "meeting"],
    imports: &[],
    exports: &[],
};

pub(crate) fn routes(r: Routes, _state: &AppState) -> Routes {
    r.get("/engagement", organisations::directory)
        .get("/engagement/organisations/new", organisations::new_form)
        .post("/engagement/organisations", organisations::create)
        .get("/engagement/organisations/{id}", organisations::view)
        .get("/engagement/organisations/{id}/edit", organisations::edit_form)
        .post("/engagement/organisations/{id}", organisations::update)
        .post("/engagement/organisations/{id}/relations", organisations::relate)
        .post("/engagement/contacts", contacts::add)
        .get("/engagement/contacts/{id}", contacts::view)
        .post("/engagement/contacts/{id}", contacts::update)
        .post("/engagement/contacts/{id}/merge", contacts::merge)
        .get("/engagement/meetings", meetings::list)
        .get("/engagement/meetings/new", meetings::new_form)
        .post("/engagement/meetings", meetings::create)
        .get("/engagement/meetings/{id}", meetings::view)
        .get("/engagement/meetings/{id}/edit", meetings::edit_form)
        .post("/engagement/meetings/{id}", meetings::update)
        .post("/engagement/meetings/{id}/actions", meetings::add_action)
        .post("/engagement/meetings/{id}/actions/{action}", meetings::action_done)
        .get("/api/v1/organisations", api::organisations)
        .post("/api/v1/organisations", api::create_organisation)
        .get("/api/v1/organisations/{id}", api::organisation)
        .get("/api/v1/meetings", api::meetings)
        .post("/api/v1/meetings", api::create_meeting)
        .get("/api/v1/meetings/{id}", api::meeting)
        .post("/api/v1/meetings/{id}/actions", api::add_action)
}

/// An organisation's name in the reader's language.
pub fn name(tr: &Tr, en: &str, km: &str) -> String {
    tr.pick(en, km).to_string()
}
