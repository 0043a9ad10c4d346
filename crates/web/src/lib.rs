//! The HTTP interface of rightsdesk: server-rendered pages (askama + htmx),
//! the JSON API under `/api/v1`, sessions, anti-forgery tokens, security
//! headers, English and Khmer.
//!
//! Every route is registered through [`Routes`], which keeps the list that the
//! route-walking tests use; every handler asks the one policy through its
//! context before it answers, and [`auth::policy_guard`] refuses any
//! successful answer that did not.

pub mod api;
pub mod assets;
pub mod auth;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod files;
pub mod i18n;
pub mod middleware;
pub mod pages;
pub mod state;

pub use state::{AppState, WebConfig};

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use pages::{account, admin, home, mechanisms, monitoring, reference, search};
use rightsdesk_domain::Module;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

/// One registered route, for tests that walk them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
}

struct Routes {
    router: Router<AppState>,
    list: Vec<RouteInfo>,
}

impl Routes {
    fn add(mut self, method: &'static str, path: &'static str, route: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, route);
        self.list.push(RouteInfo { method, path });
        self
    }
    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add("GET", path, get(h))
    }
    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add("POST", path, post(h))
    }
}

fn module_path(m: Module) -> &'static str {
    match m {
        Module::Monitoring => "/monitoring",
        Module::Protection => "/protection",
        Module::Legislation => "/legislation",
        Module::Mechanisms => "/mechanisms",
        Module::Capacity => "/capacity",
        Module::Grants => "/grants",
        Module::Engagement => "/engagement",
        Module::Assessment => "/assessment",
    }
}

/// The whole application and the list of its routes.
pub fn build(state: AppState) -> (Router, Vec<RouteInfo>) {
    let mut r = Routes { router: Router::new(), list: vec![] }
        .get("/healthz", api::healthz)
        .get("/assets/{*name}", assets::asset)
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
        .get("/monitoring", monitoring::list)
        .get("/monitoring/places", monitoring::place_options)
        .get("/monitoring/cases/new", monitoring::new_form)
        .post("/monitoring/cases", monitoring::create)
        .get("/monitoring/cases/{id}", monitoring::view)
        .post("/monitoring/cases/{id}", monitoring::update)
        .get("/monitoring/cases/{id}/edit", monitoring::edit_form)
        .post("/monitoring/cases/{id}/status", monitoring::change_status)
        .post("/monitoring/cases/{id}/team", monitoring::set_team)
        .post("/monitoring/cases/{id}/raise", monitoring::raise_recommendation)
        .get("/monitoring/cases/{id}/persons/new", monitoring::new_person_form)
        .post("/monitoring/cases/{id}/persons", monitoring::add_person)
        .get("/monitoring/cases/{id}/acts/new", monitoring::new_act_form)
        .post("/monitoring/cases/{id}/acts", monitoring::add_act)
        .get("/monitoring/cases/{id}/interventions/new", monitoring::new_intervention_form)
        .post("/monitoring/cases/{id}/interventions", monitoring::add_intervention)
        .get("/monitoring/interventions/{id}/edit", monitoring::edit_intervention_form)
        .post("/monitoring/interventions/{id}", monitoring::update_intervention)
        .get("/monitoring/organisations", monitoring::organisations)
        .post("/monitoring/organisations", monitoring::create_organisation)
        .get("/monitoring/follow-ups", monitoring::follow_ups)
        .post("/monitoring/export", monitoring::export)
        .add(
            "POST",
            "/monitoring/cases/{id}/evidence",
            post(monitoring::upload_evidence).layer(DefaultBodyLimit::max(state.config.max_upload_bytes as usize)),
        )
        .post("/monitoring/evidence/{id}/download", monitoring::download_evidence)
        .post("/monitoring/evidence/{id}/custody", monitoring::add_custody)
        .get("/monitoring/import", monitoring::import_form)
        .add(
            "POST",
            "/monitoring/import",
            post(monitoring::import).layer(DefaultBodyLimit::max(state.config.max_upload_bytes as usize)),
        )
        .post("/monitoring/evidence/{id}/verify", monitoring::verify_evidence)
        .get("/monitoring/cases/{id}/sources/new", monitoring::new_source_form)
        .post("/monitoring/cases/{id}/sources", monitoring::add_source)
        .post("/monitoring/sources/{id}/withdraw", monitoring::withdraw_consent)
        .get("/search", search::search)
        .get("/mechanisms", mechanisms::index)
        .get("/mechanisms/recommendations", mechanisms::recommendations)
        .get("/mechanisms/recommendations/{id}", mechanisms::recommendation)
        .post("/mechanisms/recommendations/{id}/assessments", mechanisms::add_assessment)
        .post("/mechanisms/recommendations/{id}/details", mechanisms::update_details)
        .post("/mechanisms/recommendations/{id}/updates", mechanisms::submit_update)
        .get("/mechanisms/updates", mechanisms::updates)
        .post("/mechanisms/updates/{id}/review", mechanisms::review_update)
        .post("/mechanisms/recommendations/{id}/cases", mechanisms::link_case)
        .post("/mechanisms/recommendations/{id}/cases/{case_id}/unlink", mechanisms::unlink_case)
        .post("/mechanisms/recommendations/export", mechanisms::export)
        .get("/mechanisms/progress", mechanisms::progress)
        .get("/mechanisms/actions", mechanisms::actions::list)
        .post("/mechanisms/actions", mechanisms::actions::create)
        .get("/mechanisms/actions/{id}", mechanisms::actions::view)
        .post("/mechanisms/actions/{id}", mechanisms::actions::update)
        .post("/mechanisms/actions/{id}/indicators", mechanisms::actions::add_indicator)
        .post("/mechanisms/actions/{id}/indicators/{indicator}", mechanisms::actions::update_indicator)
        .post("/mechanisms/actions/{id}/recommendations", mechanisms::actions::link_recommendation)
        .get("/mechanisms/mechanisms", mechanisms::mechanisms_list)
        .post("/mechanisms/mechanisms", mechanisms::create_mechanism)
        .get("/mechanisms/treaties", mechanisms::treaties::treaties)
        .post("/mechanisms/treaties/{code}/commitment", mechanisms::treaties::set_commitment)
        .get("/mechanisms/calendar", mechanisms::calendar)
        .post("/mechanisms/calendar", mechanisms::add_event)
        .post("/mechanisms/calendar/{id}/status", mechanisms::set_event_status)
        .post("/mechanisms/calendar/feed", mechanisms::start_feed)
        .post("/mechanisms/calendar/feed/revoke", mechanisms::revoke_feed)
        .get("/calendar/{file}", mechanisms::feed)
        .get("/mechanisms/import", mechanisms::import_form)
        .add(
            "POST",
            "/mechanisms/import/mapped",
            post(mechanisms::import_mapped).layer(DefaultBodyLimit::max(state.config.max_upload_bytes as usize)),
        )
        .add(
            "POST",
            "/mechanisms/import",
            post(mechanisms::import).layer(DefaultBodyLimit::max(state.config.max_upload_bytes as usize)),
        )
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
        .get("/api/v1/organisations", api::organisations)
        .get("/api/v1/follow-ups", api::follow_ups)
        .get("/api/v1/cases/{id}/sources", api::case_sources)
        .post("/api/v1/cases/{id}/sources", api::add_case_source)
        .post("/api/v1/sources/{id}/withdraw", api::withdraw_consent)
        .get("/api/v1/cases/{id}/evidence", api::case_evidence)
        .add(
            "POST",
            "/api/v1/cases/{id}/evidence",
            post(api::upload_evidence).layer(DefaultBodyLimit::max(state.config.max_upload_bytes as usize)),
        )
        .get("/api/v1/evidence/{id}/file", api::evidence_file)
        .get("/api/v1/evidence/{id}/custody", api::evidence_custody)
        .post("/api/v1/evidence/{id}/custody", api::add_evidence_custody)
        .get("/api/v1/mechanisms", api::mechanisms::mechanisms)
        .get("/api/v1/recommendations", api::mechanisms::recommendations)
        .get("/api/v1/recommendations/progress", api::mechanisms::progress)
        .get("/api/v1/recommendations/{id}", api::mechanisms::recommendation)
        .post("/api/v1/recommendations/{id}/details", api::mechanisms::update_details)
        .post("/api/v1/recommendations/{id}/updates", api::mechanisms::submit_update)
        .get("/api/v1/progress-updates", api::mechanisms::pending_updates)
        .get("/api/v1/treaties", api::mechanisms::treaties)
        .get("/api/v1/search", api::search::search)
        .get("/api/v1/actions", api::mechanisms::actions)
        .post("/api/v1/actions", api::mechanisms::create_action)
        .get("/api/v1/actions/{id}", api::mechanisms::action)
        .post("/api/v1/actions/{id}/indicators", api::mechanisms::add_indicator)
        .post("/api/v1/actions/{id}/recommendations", api::mechanisms::link_action)
        .post("/api/v1/progress-updates/{id}/review", api::mechanisms::review_update)
        .post("/api/v1/recommendations/{id}/assessments", api::mechanisms::add_assessment)
        .post("/api/v1/recommendations/{id}/cases", api::mechanisms::link_case)
        .get("/api/v1/cases/{id}/recommendations", api::mechanisms::case_recommendations)
        .get("/api/v1/reporting-events", api::mechanisms::reporting_events)
        .post("/api/v1/reporting-events", api::mechanisms::add_reporting_event);
    // Lines of work whose records are not built yet get an honest landing page.
    for m in Module::ALL.into_iter().filter(|m| !matches!(m, Module::Monitoring | Module::Mechanisms)) {
        r = r.get(module_path(m), move |ctx: auth::Ctx| home::module_page(ctx, m));
    }
    let max_body = state.config.max_body_bytes;
    let router = r
        .router
        .route("/api/v1/{*rest}", axum::routing::any(api::not_found))
        .fallback(|| async { error::error_page(error::ErrorCode::NotFound) })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::refuse_oversized))
        .layer(axum::middleware::from_fn(auth::policy_guard))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state);
    (router, r.list)
}

/// Serves until `shutdown` completes; removes expired sessions meanwhile.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let purge_state = state.clone();
    let purger = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = rightsdesk_store::now_micros();
            let idle_before = now - purge_state.config.session_idle.as_micros() as i64;
            if let Err(e) = purge_state.store.purge_sessions(now, idle_before).await {
                tracing::warn!(error = %e, "session purge failed");
            }
        }
    });
    let (router, _) = build(state);
    // Without TCP_NODELAY a page written in more than one segment waits for
    // the client's delayed ACK (Nagle): tens to hundreds of milliseconds per
    // response on a keep-alive connection.
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
    let result = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    purger.abort();
    result
}
