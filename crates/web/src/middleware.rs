//! Headers on every answer, and a panic turned into a plain error page.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// No inline script, nothing from another host, no framing, no referrer.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub async fn security_headers(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let is_asset = req.uri().path().starts_with("/assets/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: &'static str| {
        h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "no-referrer");
    set(h, "x-content-type-options", "nosniff");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=()");
    if state.config.secure_cookies {
        set(h, "strict-transport-security", "max-age=31536000; includeSubDomains");
    }
    if !is_asset {
        // Pages carry confidential data: never keep them in a shared or browser cache.
        set(h, "cache-control", "no-store");
    }
    resp
}

pub fn panic_response(_err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    crate::error::error_page(crate::error::ErrorCode::Internal)
}

/// Refuses a request whose declared body is larger than the limit before
/// reading any of it (bodies without a length are cut at the same limit by
/// the extractors).
pub async fn refuse_oversized(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: Request,
    next: Next,
) -> Response {
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // The routes that take files (`Routes::upload`): evidence, the imports
    // of monitoring and mechanisms, and the versions of a draft law and their
    // text (pages and API).
    let path = req.uri().path();
    let upload = path.ends_with("/evidence")
        || matches!(path, "/monitoring/import" | "/mechanisms/import" | "/mechanisms/import/mapped")
        || path.ends_with("/versions")
        // A law's whole text, corrected: Khmer is 9 bytes a letter in a form.
        || (path.starts_with("/legislation/") && path.ends_with("/edit"));
    let limit = if upload { state.config.max_upload_bytes } else { state.config.max_body_bytes as u64 };
    let mut response = if declared.is_some_and(|n| n > limit) {
        let code = crate::error::ErrorCode::PayloadTooLarge;
        if req.uri().path().starts_with("/api/") {
            axum::response::IntoResponse::into_response(crate::error::ApiError::new(code))
        } else {
            crate::error::error_page(code)
        }
    } else {
        next.run(req).await
    };
    // The unread rest of the body is still on the wire: close the connection
    // so that no client reuses it for its next request.
    if response.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        response.headers_mut().insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
    response
}

/// A 403, 404 or 405 page shown to someone signed in gets the menu and the
/// language of every other page (the plain page of `error::error_page` has
/// neither: it is made where no request context is at hand). Only these
/// answers pay for reading the session again.
pub async fn error_pages(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: Request,
    next: Next,
) -> Response {
    use axum::extract::FromRequestParts;
    use axum::response::IntoResponse;
    // Pages people open; a refused form post keeps the plain answer, the
    // same whatever was sent (a guessed name must not change it).
    if !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD) {
        return next.run(req).await;
    }
    let (uri, headers) = (req.uri().clone(), req.headers().clone());
    let resp = next.run(req).await;
    let Some(crate::error::PlainErrorPage(code)) = resp.extensions().get().copied() else {
        return resp;
    };
    use crate::error::ErrorCode::{Forbidden, MethodNotAllowed, NotFound};
    if !matches!(code, Forbidden | NotFound | MethodNotAllowed) || uri.path().starts_with("/api/") {
        return resp;
    }
    let mut builder = Request::builder().uri(uri);
    if let Some(h) = builder.headers_mut() {
        *h = headers;
    }
    let Ok(request) = builder.body(()) else {
        return resp;
    };
    let (mut parts, ()) = request.into_parts();
    let Ok(ctx) = crate::auth::Ctx::from_request_parts(&mut parts, &state).await else {
        return resp;
    };
    if ctx.user.is_none() {
        return resp;
    }
    let (en, km) = code.texts();
    let page = crate::kit::ErrorWithMenu {
        l: ctx.layout(code.status().as_u16().to_string()),
        status: code.status().as_u16(),
        message: ctx.tr.pick(en, km).to_string(),
    };
    match crate::kit::render(page) {
        Ok(html) => (code.status(), html).into_response(),
        Err(_) => resp,
    }
}
