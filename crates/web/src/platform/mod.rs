//! What every line of work stands on: signing in, accounts and profiles,
//! administration, reference data, search across modules, and the API's
//! description.

pub mod account;
pub mod admin;
pub mod api;
pub mod home;
pub mod reference;
pub mod search;

use crate::module::Routes;
use crate::state::AppState;

/// The platform's pages and API calls.
pub(crate) fn routes(r: Routes, _: &AppState) -> Routes {
    r.get("/healthz", api::healthz)
        .get("/assets/{*name}", crate::assets::asset)
        .get("/lang/{code}", account::switch_language)
        .get("/login", account::login_form)
        .post("/login", account::login_submit)
        .get("/login/second-factor", account::second_factor_form)
        .post("/login/second-factor", account::second_factor_submit)
        .post("/logout", account::logout)
        .get("/", home::home)
        .get("/profile", account::profile)
        .post("/profile/preferences", account::save_preferences)
        .post("/profile/password", account::change_password)
        .post("/profile/totp/enable", account::enable_totp)
        .post("/profile/totp/disable", account::disable_totp)
        .post("/profile/tokens", account::create_token)
        .post("/profile/tokens/{id}/revoke", account::revoke_token)
        .get("/admin", admin::index)
        .get("/admin/users", admin::users)
        .get("/admin/users/new", admin::new_user_form)
        .post("/admin/users", admin::create_user)
        .get("/admin/users/{id}", admin::edit_user_form)
        .post("/admin/users/{id}", admin::update_user)
        .post("/admin/users/{id}/disable", admin::disable_user)
        .post("/admin/users/{id}/enable", admin::enable_user)
        .get("/admin/offices", admin::offices)
        .post("/admin/offices", admin::create_office)
        .get("/admin/audit", admin::audit)
        .get("/reference", reference::index)
        .get("/reference/provinces", reference::provinces)
        .get("/reference/provinces/{code}", reference::province)
        .get("/reference/districts/{code}", reference::district)
        .get("/reference/instruments", reference::instruments)
        .get("/reference/instruments/{code}", reference::instrument)
        .get("/reference/ratifications", reference::ratifications)
        .get("/reference/sdg", reference::sdg_goals)
        .get("/reference/sdg/{goal}", reference::sdg_goal)
        .get("/reference/vocabularies", reference::vocabularies)
        .get("/reference/vocabularies/{code}", reference::vocabulary)
        .get("/search", search::search)
        .get("/api/v1/openapi.json", api::openapi)
        .get("/api/v1/me", api::me)
        .get("/api/v1/offices", api::offices)
        .post("/api/v1/offices", api::create_office)
        .get("/api/v1/users", api::users)
        .get("/api/v1/audit", api::audit)
        .get("/api/v1/reference/provinces", api::provinces)
        .get("/api/v1/reference/provinces/{code}/districts", api::districts)
        .get("/api/v1/reference/districts/{code}/communes", api::communes)
        .get("/api/v1/reference/instruments", api::instruments)
        .get("/api/v1/reference/instruments/{code}/articles", api::articles)
        .get("/api/v1/reference/ratifications", api::ratifications)
        .get("/api/v1/reference/sdg/goals", api::sdg_goals)
        .get("/api/v1/reference/sdg/goals/{goal}/targets", api::sdg_targets)
        .get("/api/v1/reference/vocabularies", api::vocabularies)
        .get("/api/v1/reference/vocabularies/{code}/terms", api::vocabulary_terms)
        .get("/api/v1/search", api::search::search)
}
