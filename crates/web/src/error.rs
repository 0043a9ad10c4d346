//! Errors as users see them: a short bilingual page for the browser, a JSON
//! body with a stable code for the API. Never internals.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_store::StoreError;
use serde::Serialize;

/// Stable machine-readable error codes of the API (documented in the OpenAPI description).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    BadRequest,
    InvalidJson,
    InvalidUtf8,
    CsrfFailed,
    PayloadTooLarge,
    ValidationFailed,
    Conflict,
    RateLimited,
    UnknownLocale,
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden | ErrorCode::CsrfFailed => StatusCode::FORBIDDEN,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::BadRequest | ErrorCode::InvalidJson | ErrorCode::InvalidUtf8 | ErrorCode::UnknownLocale => {
                StatusCode::BAD_REQUEST
            }
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidUtf8 => "invalid_utf8",
            ErrorCode::CsrfFailed => "csrf_failed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::UnknownLocale => "unknown_locale",
            ErrorCode::Internal => "internal",
        }
    }

    /// English and Khmer text for the error page.
    pub fn texts(self) -> (&'static str, &'static str) {
        match self {
            ErrorCode::Unauthorized => ("Please sign in.", "សូមចូលប្រើប្រព័ន្ធ។"),
            ErrorCode::Forbidden => ("You do not have access to this page.", "អ្នកមិនមានសិទ្ធិចូលមើលទំព័រនេះទេ។"),
            ErrorCode::NotFound => ("This page does not exist.", "ទំព័រនេះមិនមានទេ។"),
            ErrorCode::MethodNotAllowed => (
                "This address does not answer that kind of request. Use the links and buttons of the pages.",
                "អាសយដ្ឋាននេះមិនឆ្លើយតបនឹងប្រភេទសំណើនោះទេ។ សូមប្រើតំណ និងប៊ូតុងនៃទំព័រ។",
            ),
            ErrorCode::BadRequest => ("The request could not be understood.", "សំណើនេះមិនអាចយល់បានទេ។"),
            ErrorCode::InvalidJson => ("The request body is not valid JSON.", "ខ្លឹមសារនៃសំណើមិនមែនជា JSON ត្រឹមត្រូវទេ។"),
            ErrorCode::InvalidUtf8 => {
                ("The request contains text that is not valid UTF-8.", "សំណើមានអត្ថបទដែលមិនមែនជា UTF-8 ត្រឹមត្រូវ។")
            }
            ErrorCode::CsrfFailed => (
                "This form has expired or was not sent from rightsdesk. Go back, reload the page and try again.",
                "ទម្រង់បែបបទនេះផុតកំណត់ ឬមិនត្រូវបានផ្ញើពី rightsdesk ទេ។ សូមត្រឡប់ក្រោយ ផ្ទុកទំព័រឡើងវិញ ហើយព្យាយាមម្តងទៀត។",
            ),
            ErrorCode::PayloadTooLarge => ("What you sent is too large.", "អ្វីដែលអ្នកបានផ្ញើមានទំហំធំពេក។"),
            ErrorCode::ValidationFailed => ("Some fields are not valid.", "វាលខ្លះមិនត្រឹមត្រូវ។"),
            ErrorCode::Conflict => ("This already exists.", "វាមានរួចហើយ។"),
            ErrorCode::RateLimited => (
                "Too many attempts. Wait a few minutes and try again.",
                "ការព្យាយាមច្រើនពេក។ សូមរង់ចាំប៉ុន្មាននាទី ហើយព្យាយាមម្តងទៀត។",
            ),
            ErrorCode::UnknownLocale => (
                "This language is not available. Choose English or Khmer.",
                "ភាសានេះមិនមានទេ។ សូមជ្រើសរើសភាសាអង់គ្លេស ឬភាសាខ្មែរ។",
            ),
            ErrorCode::Internal => (
                "Something went wrong on our side. Nothing was saved. Try again later.",
                "មានបញ្ហានៅខាងយើង។ គ្មានអ្វីត្រូវបានរក្សាទុកទេ។ សូមព្យាយាមម្តងទៀតនៅពេលក្រោយ។",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed() {
        for (given, kept) in [
            ("/admin/users?x=1", "/admin/users?x=1"),
            ("//evil.example/", "/"),
            ("/\\evil.example", "/"),
            ("/\t/evil.example", "/"),
            ("/a\nb", "/"),
            ("https://evil.example", "/"),
            ("", "/"),
        ] {
            assert_eq!(super::local_path(given), kept, "{given:?}");
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    pub error: ApiErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiErrorDetail {
    /// Stable code: unauthorized, forbidden, not_found, bad_request, invalid_json,
    /// invalid_utf8, csrf_failed, payload_too_large, validation_failed, conflict,
    /// rate_limited, unknown_locale, internal.
    pub code: String,
    pub message: String,
    /// Per-field messages for validation_failed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    /// The values at fault, where naming them helps (`["ICCPR 99"]` for
    /// `unknown-article`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// An error of a page handler.
#[derive(Debug)]
pub enum PageError {
    /// Not signed in: go to the sign-in page, then come back. `expired` when
    /// the browser had a session that has ended.
    SignIn {
        next: String,
        expired: bool,
    },
    /// Password accepted, second factor still to give.
    SecondFactor {
        next: String,
    },
    Code(ErrorCode),
}

impl From<ErrorCode> for PageError {
    fn from(c: ErrorCode) -> Self {
        PageError::Code(c)
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError::Code(store_code(&e))
    }
}

pub fn store_code(e: &StoreError) -> ErrorCode {
    match e {
        StoreError::NotFound => ErrorCode::NotFound,
        StoreError::Conflict(_) => ErrorCode::Conflict,
        _ => {
            tracing::error!(error = %e, "storage error");
            ErrorCode::Internal
        }
    }
}

pub fn error_page(code: ErrorCode) -> Response {
    let (en, km) = code.texts();
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>rightsdesk</title><link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body class=\"error-page\"><main>\
         <h1>rightsdesk</h1><p class=\"error-code\">{status}</p><p>{en}</p><p lang=\"km\">{km}</p>\
         <p><a href=\"/\">Home</a> · <a href=\"/\" lang=\"km\">ទំព័រដើម</a></p></main></body></html>",
        status = code.status().as_u16()
    );
    let mut resp = (code.status(), Html(body)).into_response();
    // `middleware::error_pages` puts it in the layout of a signed-in user.
    resp.extensions_mut().insert(PlainErrorPage(code));
    resp
}

/// Marks a page-less error answer (`error_page`), so that it can be shown
/// with the menu to someone signed in.
#[derive(Debug, Clone, Copy)]
pub struct PlainErrorPage(pub ErrorCode);

/// `next` if it is a path on this site, else `/`: no open redirect through
/// `//host`, `/\\host`, or tabs and newlines that browsers strip.
pub fn local_path(next: &str) -> String {
    let mut chars = next.chars();
    let ok = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        && !next.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if ok {
        next.to_string()
    } else {
        "/".into()
    }
}

fn encoded(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn { next, expired } => {
                let next = local_path(&next);
                let mut target = String::from(if expired { "/login?expired=1" } else { "/login" });
                if next != "/" {
                    target.push(if expired { '&' } else { '?' });
                    target.push_str("next=");
                    target.push_str(&encoded(&next));
                }
                Redirect::to(&target).into_response()
            }
            PageError::SecondFactor { next } => {
                Redirect::to(&format!("/login/second-factor?next={}", encoded(&local_path(&next)))).into_response()
            }
            PageError::Code(c) => error_page(c),
        }
    }
}

/// An error of an API handler.
#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn new(code: ErrorCode) -> Self {
        ApiError { code, message: code.texts().0.to_string(), fields: vec![] }
    }
    pub fn with_message(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), fields: vec![] }
    }
    pub fn validation(errors: &[rightsdesk_domain::ValidationError]) -> Self {
        ApiError {
            code: ErrorCode::ValidationFailed,
            message: ErrorCode::ValidationFailed.texts().0.into(),
            fields: errors
                .iter()
                .map(|e| FieldError { field: e.field.into(), code: e.code.into(), values: vec![] })
                .collect(),
        }
    }

    /// Names the values at fault in one field's error.
    pub fn with_values(mut self, field: &str, values: Vec<String>) -> Self {
        if let Some(f) = self.fields.iter_mut().find(|f| f.field == field) {
            f.values = values;
        }
        self
    }
}

impl From<ErrorCode> for ApiError {
    fn from(c: ErrorCode) -> Self {
        ApiError::new(c)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::new(store_code(&e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody {
            error: ApiErrorDetail { code: self.code.as_str().into(), message: self.message, fields: self.fields },
        };
        let mut resp = (self.code.status(), axum::Json(body)).into_response();
        if self.code == ErrorCode::Unauthorized {
            resp.headers_mut()
                .insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer realm=\"rightsdesk\""));
        }
        resp
    }
}
