//! Legislation pages: the register of draft laws and their stages, versions
//! split into articles and compared, the office's comments tied to
//! standards and recommendations with the Government's response, and the
//! analysis exported as DOCX and PDF.

pub mod api;
mod comments;
mod export;
mod law;
mod laws;
pub mod service;
mod versions;

use crate::i18n::Tr;
use crate::module::{Registration, Routes};
use crate::state::AppState;
use rightsdesk_domain::Module;
use rightsdesk_store::legislation::Law;

/// Legislation in the application (see `crate::module`).
pub const REGISTRATION: Registration = Registration {
    module: Module::Legislation,
    routes: Some(routes),
    api_doc: Some(<api::ApiDoc as utoipa::OpenApi>::openapi),
    search_kinds: &["law", "law_version", "law_comment"],
    imports: &[],
    exports: &["/legislation/laws/{id}/export"],
};

pub(crate) fn routes(r: Routes, state: &AppState) -> Routes {
    r.get("/legislation", laws::list)
        .get("/legislation/new", laws::new_form)
        .post("/legislation/laws", laws::create)
        .get("/legislation/laws/{id}", law::view)
        .post("/legislation/laws/{id}", law::update)
        .post("/legislation/laws/{id}/stage", law::stage)
        .post("/legislation/laws/{id}/links", law::link)
        .upload("/legislation/laws/{id}/versions", versions::add, state)
        .get("/legislation/laws/{id}/versions/{version}", versions::view)
        .get("/legislation/laws/{id}/versions/{version}/edit", versions::text_form)
        .upload("/legislation/laws/{id}/versions/{version}/edit", versions::correct, state)
        .get("/legislation/laws/{id}/versions/{version}/file", versions::download)
        .get("/legislation/laws/{id}/compare", versions::compare)
        .post("/legislation/laws/{id}/versions/{version}/comments", comments::add)
        .post("/legislation/laws/{id}/comments/{comment}", comments::update)
        .post("/legislation/laws/{id}/comments/{comment}/response", comments::respond)
        .post("/legislation/laws/{id}/export", export::export)
        .get("/legislation/versions/{version}", versions::find_version)
        .get("/legislation/comments/{comment}", comments::find_comment)
        .get("/api/v1/laws", api::laws)
        .post("/api/v1/laws", api::create_law)
        .get("/api/v1/laws/{id}", api::law)
        .post("/api/v1/laws/{id}/stage", api::change_stage)
        .post("/api/v1/laws/{id}/links", api::link)
        .upload("/api/v1/laws/{id}/versions", api::add_version, state)
        .get("/api/v1/laws/{id}/versions/{version}", api::version)
        .get("/api/v1/laws/{id}/compare", api::compare)
        .post("/api/v1/laws/{id}/comments", api::add_comment)
        .post("/api/v1/laws/{id}/comments/{comment}/response", api::respond)
}

/// The law's title in the reader's language (the other if it has only one).
pub fn title(tr: &Tr, law: &Law) -> String {
    let (en, km) = (law.title_en.as_str(), law.title_km.as_str());
    let picked = tr.pick(en, km);
    if picked.is_empty() {
        if en.is_empty() { km } else { en }.to_string()
    } else {
        picked.to_string()
    }
}

/// The sponsoring ministry's name in the reader's language.
pub fn ministry(tr: &Tr, law: &Law) -> String {
    match (&law.ministry_en, &law.ministry_km) {
        (Some(en), Some(km)) => tr.pick(en, km).to_string(),
        _ => "—".into(),
    }
}
