//! The HTTP interface of rightsdesk: server-rendered pages (askama + htmx),
//! the JSON API under `/api/v1`, sessions, anti-forgery tokens, security
//! headers, English and Khmer.
//!
//! Every route is registered through [`Routes`], which keeps the list that the
//! route-walking tests use; every handler asks the one policy through its
//! context before it answers, and [`auth::policy_guard`] refuses any
//! successful answer that did not.

pub mod assets;
pub mod auth;
pub mod csrf;
pub mod engagement;
pub mod error;
pub mod extract;
pub mod files;
pub mod i18n;
pub mod kit;
pub mod legislation;
pub mod mechanisms;
pub mod middleware;
pub mod module;
pub mod monitoring;
pub mod platform;
pub mod protection;
pub mod state;

pub use module::RouteInfo;
pub use state::{AppState, WebConfig};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

/// The whole application and the list of its routes: the platform's (sign-in,
/// accounts, administration, reference, search, the API description) and
/// each line of work's, from its registration (`module.rs`).
pub fn build(state: AppState) -> (Router, Vec<RouteInfo>) {
    let mut r = platform::routes(module::Routes::new(), &state);
    for m in module::registrations() {
        r = m.add_routes(r, &state);
    }
    let max_body = state.config.max_body_bytes;
    let router = r
        .router
        .route("/api/v1/{*rest}", axum::routing::any(platform::api::not_found))
        .fallback(|| async { error::error_page(error::ErrorCode::NotFound) })
        .method_not_allowed_fallback(|uri: axum::http::Uri| async move {
            use axum::response::IntoResponse;
            if uri.path().starts_with("/api/") {
                error::ApiError::new(error::ErrorCode::MethodNotAllowed).into_response()
            } else {
                error::error_page(error::ErrorCode::MethodNotAllowed)
            }
        })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::refuse_oversized))
        .layer(axum::middleware::from_fn(auth::policy_guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::error_pages))
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
