//! Request extractors that turn bad input into clear errors: forms with
//! their anti-forgery check built in (a handler cannot forget it), strict
//! UTF-8, JSON with stable error codes, queries and paths.

use crate::auth::{cookie, cookie_name, PRE_SESSION_COOKIE, SESSION_COOKIE};
use crate::error::{ApiError, ErrorCode, PageError};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

fn bytes_error(e: BytesRejection) -> ErrorCode {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ErrorCode::PayloadTooLarge
    } else {
        ErrorCode::BadRequest
    }
}

/// Decodes `application/x-www-form-urlencoded` text, refusing invalid UTF-8
/// (raw or percent-encoded) instead of silently replacing it.
pub fn strict_form_pairs(body: &[u8]) -> Result<Vec<(String, String)>, ErrorCode> {
    let text = std::str::from_utf8(body).map_err(|_| ErrorCode::InvalidUtf8)?;
    let mut out = Vec::new();
    for part in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let dec = |s: &str| -> Result<String, ErrorCode> {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| ErrorCode::InvalidUtf8)
        };
        out.push((dec(k)?, dec(v)?));
    }
    Ok(out)
}

/// A submitted page form whose `_csrf` field matched this browser's token.
pub struct PageForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let parts_session = req.extensions().get::<crate::auth::LiveSession>().cloned();
        let is_form = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let body = Bytes::from_request(req, state).await.map_err(bytes_error)?;
        if !is_form {
            return Err(ErrorCode::BadRequest.into());
        }
        let pairs = strict_form_pairs(&body)?;
        let submitted = pairs.iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v.as_str()).unwrap_or("");
        // A live session accepts only its own token; the pre-session token
        // (whose cookie a visitor can choose) counts only without one.
        // `Ctx` marks the session it found live; look it up only without that.
        let mut live_session = parts_session.map(|s| s.0);
        if let (None, Some(s)) = (&live_session, cookie(&headers, &cookie_name(state, SESSION_COOKIE))) {
            let hash = rightsdesk_crypto::hash_token(s);
            if state.store.session(&hash).await.map_err(PageError::from)?.is_some() {
                live_session = Some(hash);
            }
        }
        let expected = match &live_session {
            Some(hash) => Some(crate::csrf::for_session(&state.keys, hash)),
            None => cookie(&headers, &cookie_name(state, PRE_SESSION_COOKIE))
                .map(|p| crate::csrf::for_pre_session(&state.keys, p)),
        };
        if submitted.is_empty() || !expected.is_some_and(|e| crate::csrf::equal(submitted, &e)) {
            return Err(ErrorCode::CsrfFailed.into());
        }
        let value: T = serde_urlencoded::from_bytes(&body).map_err(|e| {
            tracing::debug!(error = %e, "form does not match");
            ErrorCode::BadRequest
        })?;
        Ok(PageForm(value))
    }
}

/// The JSON body of an API call, read only when the handler asks for it,
/// after it has checked the caller: a refused call answers 401, 403 or 404
/// whatever it sent, and nothing of a refused caller's body is parsed.
pub struct ApiBody<T> {
    req: Request,
    _of: std::marker::PhantomData<fn() -> T>,
}

impl<T> FromRequest<AppState> for ApiBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ApiBody { req, _of: std::marker::PhantomData })
    }
}

impl<T: DeserializeOwned> ApiBody<T> {
    /// Reads and decodes the body. `ctx` must already have asked the policy:
    /// reading before that is a programming error, refused as one.
    pub async fn read(self, ctx: &crate::auth::ApiCtx) -> Result<T, ApiError> {
        if !ctx.has_decided() {
            tracing::error!(path = %self.req.uri().path(), "API body read before the caller was checked");
            return Err(ErrorCode::Internal.into());
        }
        let is_json = self
            .req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let body = Bytes::from_request(self.req, &()).await.map_err(|e| ApiError::new(bytes_error(e)))?;
        if !is_json {
            return Err(ApiError::with_message(ErrorCode::BadRequest, "send Content-Type: application/json"));
        }
        std::str::from_utf8(&body).map_err(|_| ApiError::new(ErrorCode::InvalidUtf8))?;
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::with_message(ErrorCode::InvalidJson, format!("invalid JSON: {e}")))
    }
}

macro_rules! parts_extractor {
    ($name:ident, $inner:ident, $err:ty, $code:expr) => {
        pub struct $name<T>(pub T);

        impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for $name<T> {
            type Rejection = $err;
            async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
                $inner::<T>::from_request_parts(parts, state).await.map(|v| $name(v.0)).map_err(|_| <$err>::from($code))
            }
        }
    };
}

parts_extractor!(PageQuery, Query, PageError, ErrorCode::BadRequest);
parts_extractor!(ApiQuery, Query, ApiError, ErrorCode::BadRequest);
parts_extractor!(PagePath, Path, PageError, ErrorCode::NotFound);
parts_extractor!(ApiPath, Path, ApiError, ErrorCode::NotFound);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_pairs_refuse_invalid_utf8() {
        assert_eq!(
            strict_form_pairs(b"a=1&b=s%C3%B3k+dara").unwrap(),
            vec![("a".into(), "1".into()), ("b".into(), "sók dara".into())]
        );
        assert_eq!(strict_form_pairs(b"a=%FF").unwrap_err(), ErrorCode::InvalidUtf8);
        assert_eq!(strict_form_pairs(b"a=\xff").unwrap_err(), ErrorCode::InvalidUtf8);
    }
}
