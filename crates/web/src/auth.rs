//! Who is asking: the session cookie for pages, a bearer token for the API.
//! Every handler goes through [`Ctx`] or [`ApiCtx`] and must ask the policy
//! (`require`) before it answers; a successful response without a policy
//! decision is turned into an error by [`policy_guard`].

use crate::error::{ApiError, ErrorCode, PageError};
use crate::i18n::Tr;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use rightsdesk_crypto::hash_token;
use rightsdesk_domain::{can, Action, Actor, Decision, DenyReason, Locale, Principal, Resource};
use rightsdesk_store::{now_micros, User};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "rd_session";
pub const PRE_SESSION_COOKIE: &str = "rd_pre";
pub const LANG_COOKIE: &str = "rd_lang";

/// The cookie's name on the wire. Over HTTPS the `__Host-` prefix makes the
/// browser refuse one set by a sibling domain or over plain HTTP, so nobody
/// can plant a session or pre-session cookie.
pub fn cookie_name(state: &AppState, base: &str) -> String {
    if state.config.secure_cookies {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// Set when a handler has asked the policy; read by [`policy_guard`].
#[derive(Clone, Default)]
pub struct PolicyMark(Arc<AtomicBool>);

impl PolicyMark {
    fn set(&self) {
        self.0.store(true, Ordering::Release);
    }
    fn is_set(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// Outermost middleware: a 2xx or 3xx answer that no policy decision allowed
/// is a programming error; refuse it rather than leak what it would show.
pub async fn policy_guard(mut req: Request, next: Next) -> Response {
    let mark = PolicyMark::default();
    req.extensions_mut().insert(mark.clone());
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let status = resp.status();
    if (status.is_success() || status.is_redirection()) && !mark.is_set() {
        tracing::error!(%path, %status, "response without a policy decision refused");
        return crate::error::error_page(ErrorCode::Internal);
    }
    resp
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the attributes every rightsdesk cookie carries.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_secs: Option<u64>) -> String {
    let mut c = format!("{}={value}; Path=/; HttpOnly; SameSite=Lax", cookie_name(state, name));
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if state.config.secure_cookies {
        c.push_str("; Secure");
    }
    c
}

pub fn clear_cookie(state: &AppState, name: &str) -> String {
    set_cookie(state, name, "", Some(0))
}

pub fn client_ip(parts: &Parts, state: &AppState) -> IpAddr {
    if state.config.trust_proxy {
        // The right-most entry is the one our proxy added; the ones before
        // it are whatever the client chose to send.
        if let Some(ip) = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]))
}

fn accept_language(headers: &HeaderMap) -> Option<Locale> {
    let v = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    v.split(',').map(|p| p.split(';').next().unwrap_or("").trim().to_ascii_lowercase()).find_map(|tag| {
        let primary = tag.split('-').next().unwrap_or("");
        primary.parse::<Locale>().ok()
    })
}

/// `?lang=` in the query, if any: `Err` for a language we do not have.
fn query_lang(parts: &Parts) -> Result<Option<Locale>, ErrorCode> {
    let Some(q) = parts.uri.query() else { return Ok(None) };
    for (k, v) in form_pairs(q) {
        if k == "lang" {
            return v.parse::<Locale>().map(Some).map_err(|_| ErrorCode::UnknownLocale);
        }
    }
    Ok(None)
}

fn form_pairs(q: &str) -> impl Iterator<Item = (String, String)> + '_ {
    q.split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        let dec = |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
        (dec(k), dec(v))
    })
}

pub(crate) fn principal_of(user: &User, second_factor_pending: bool) -> Principal {
    Principal {
        user_id: user.id,
        role: user.role,
        office_id: user.office_id,
        teams: vec![],
        organisation_id: user.organisation_id,
        second_factor_pending,
    }
}

fn decide(actor: &Actor, mark: &PolicyMark, action: Action, resource: &Resource) -> Decision {
    mark.set();
    can(actor, action, resource)
}

/// The session hash of a request whose session `Ctx` found live.
#[derive(Clone)]
pub(crate) struct LiveSession(pub(crate) String);

/// The request context of a page.
pub struct Ctx {
    pub state: AppState,
    pub actor: Actor,
    pub user: Option<User>,
    pub session_hash: Option<String>,
    pub tr: Tr,
    /// The anti-forgery token to put in this page's forms.
    pub csrf: String,
    /// Path and query of this request (for `next=` and the language toggle).
    pub here: String,
    pub ip: IpAddr,
    /// The pre-session cookie value to set (sign-in form of a new visitor).
    pub new_pre_session: Option<String>,
    /// The browser sent a session cookie that no longer works.
    pub session_ended: bool,
    mark: PolicyMark,
}

impl Ctx {
    /// Asks the one policy. Not signed in: go to sign-in; hidden: 404; else 403.
    pub fn require(&self, action: Action, resource: Resource) -> Result<(), PageError> {
        match decide(&self.actor, &self.mark, action, &resource) {
            Decision::Allow => Ok(()),
            Decision::Deny(DenyReason::NotSignedIn) if self.second_factor_pending() => {
                Err(PageError::SecondFactor { next: self.here.clone() })
            }
            Decision::Deny(DenyReason::NotSignedIn) => {
                Err(PageError::SignIn { next: self.here.clone(), expired: self.session_ended })
            }
            Decision::Deny(DenyReason::Forbidden) => Err(ErrorCode::Forbidden.into()),
            Decision::Deny(DenyReason::Hidden) => Err(ErrorCode::NotFound.into()),
        }
    }

    /// Signed in with a password, second factor still to come.
    pub fn second_factor_pending(&self) -> bool {
        matches!(&self.actor, Actor::User(p) if p.second_factor_pending)
    }

    /// Whether the policy would allow it (for showing or hiding links); does
    /// not count as the request's decision.
    pub fn allows(&self, action: Action, resource: Resource) -> bool {
        can(&self.actor, action, &resource).is_allowed()
    }

    /// The signed-in user; only call after `require` allowed something that needs one.
    pub fn me(&self) -> Result<&User, PageError> {
        self.user.as_ref().ok_or(PageError::SignIn { next: self.here.clone(), expired: self.session_ended })
    }

    /// A label for the audit log: the account's e-mail (staff, not victims).
    pub fn actor_label(&self) -> String {
        self.user.as_ref().map(|u| u.email.clone()).unwrap_or_else(|| "anonymous".into())
    }

    pub fn audit(&self, action: &str) -> rightsdesk_store::AuditEntry {
        rightsdesk_store::AuditEntry::new(self.user.as_ref().map(|u| u.id), self.actor_label(), action)
    }

    /// Checks a submitted anti-forgery token.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), PageError> {
        if !self.csrf.is_empty() && crate::csrf::equal(submitted, &self.csrf) {
            Ok(())
        } else {
            Err(ErrorCode::CsrfFailed.into())
        }
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let mark = parts.extensions.get::<PolicyMark>().cloned().unwrap_or_default();
        let here = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        let ip = client_ip(parts, state);
        let now = now_micros();
        let mut actor = Actor::Anonymous;
        let mut user = None;
        let mut session_hash = None;
        let mut session_ended = false;
        if let Some(token) = cookie(&parts.headers, &cookie_name(state, SESSION_COOKIE)) {
            session_ended = true;
            let hash = hash_token(token);
            if let Some((s, u)) = state.store.session_user(&hash).await? {
                let idle_limit = state.config.session_idle.as_micros() as i64;
                let expired = s.expires_at <= now || s.last_seen_at + idle_limit < now;
                if !expired && !u.disabled {
                    if now - s.last_seen_at > 60_000_000 {
                        state.store.touch_session(&hash, now).await?;
                    }
                    actor = Actor::User(principal_of(&u, s.second_factor_pending));
                    user = Some(u);
                    session_hash = Some(hash.clone());
                    session_ended = false;
                    // The form extractor checks the anti-forgery token against
                    // this live session without asking the store again.
                    parts.extensions.insert(LiveSession(hash));
                } else {
                    state.store.delete_session(&hash).await?;
                }
            }
        }
        let lang = query_lang(parts)?
            .or_else(|| cookie(&parts.headers, &cookie_name(state, LANG_COOKIE)).and_then(|v| v.parse().ok()))
            .or_else(|| user.as_ref().map(|u: &User| u.locale))
            .or_else(|| accept_language(&parts.headers))
            .unwrap_or_default();
        let tr = Tr::new(lang, user.as_ref().is_some_and(|u| u.khmer_digits));
        let mut new_pre_session = None;
        let csrf = match &session_hash {
            Some(h) => crate::csrf::for_session(&state.keys, h),
            None => {
                let pre = match cookie(&parts.headers, &cookie_name(state, PRE_SESSION_COOKIE)) {
                    Some(v) if v.len() >= 32 && v.len() <= 64 => v.to_string(),
                    _ => {
                        let v = rightsdesk_crypto::new_token("").0;
                        new_pre_session = Some(v.clone());
                        v
                    }
                };
                crate::csrf::for_pre_session(&state.keys, &pre)
            }
        };
        Ok(Ctx {
            state: state.clone(),
            actor,
            user,
            session_hash,
            tr,
            csrf,
            here,
            ip,
            new_pre_session,
            session_ended,
            mark,
        })
    }
}

/// What a module's service needs of a request, from a page or from the API:
/// who asks, the one policy, and audit entries in their name. Pages and API
/// are thin adapters; the service is written once against this.
pub trait Caller: Sync {
    type Error: From<ErrorCode> + From<rightsdesk_store::StoreError> + Send;
    fn state(&self) -> &AppState;
    fn user_id(&self) -> Option<i64>;
    /// Who asks, as the policy sees them (for the scopes lists are filtered by).
    fn actor(&self) -> &Actor;
    /// The signed-in user.
    fn user(&self) -> Option<&User>;
    /// Asks the policy; this is the request's decision.
    fn require(&self, action: Action, resource: Resource) -> Result<(), Self::Error>;
    /// Whether the policy would allow it (for what a page or answer shows).
    fn allows(&self, action: Action, resource: Resource) -> bool;
    fn audit(&self, action: &str) -> rightsdesk_store::AuditEntry;
}

impl Caller for Ctx {
    type Error = PageError;
    fn state(&self) -> &AppState {
        &self.state
    }
    fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }
    fn actor(&self) -> &Actor {
        &self.actor
    }
    fn user(&self) -> Option<&User> {
        self.user.as_ref()
    }
    fn require(&self, action: Action, resource: Resource) -> Result<(), PageError> {
        Ctx::require(self, action, resource)
    }
    fn allows(&self, action: Action, resource: Resource) -> bool {
        Ctx::allows(self, action, resource)
    }
    fn audit(&self, action: &str) -> rightsdesk_store::AuditEntry {
        Ctx::audit(self, action)
    }
}

impl Caller for ApiCtx {
    type Error = ApiError;
    fn state(&self) -> &AppState {
        &self.state
    }
    fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }
    fn actor(&self) -> &Actor {
        &self.actor
    }
    fn user(&self) -> Option<&User> {
        self.user.as_ref()
    }
    fn require(&self, action: Action, resource: Resource) -> Result<(), ApiError> {
        ApiCtx::require(self, action, resource)
    }
    fn allows(&self, action: Action, resource: Resource) -> bool {
        ApiCtx::allows(self, action, resource)
    }
    fn audit(&self, action: &str) -> rightsdesk_store::AuditEntry {
        ApiCtx::audit(self, action)
    }
}

/// Marks a public answer (health check, assets, API description, sign-in form).
pub struct Public;

impl<S: Send + Sync> FromRequestParts<S> for Public {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(mark) = parts.extensions.get::<PolicyMark>() {
            decide(&Actor::Anonymous, mark, Action::ViewPublic, &Resource::Public);
        }
        Ok(Public)
    }
}

/// The request context of an API call: a bearer token, no cookies (so no
/// cross-site request can act with a browser's session).
pub struct ApiCtx {
    pub state: AppState,
    pub actor: Actor,
    pub user: Option<User>,
    pub tr: Tr,
    mark: PolicyMark,
}

impl ApiCtx {
    pub fn require(&self, action: Action, resource: Resource) -> Result<(), ApiError> {
        match decide(&self.actor, &self.mark, action, &resource) {
            Decision::Allow => Ok(()),
            Decision::Deny(DenyReason::NotSignedIn) => Err(ErrorCode::Unauthorized.into()),
            Decision::Deny(DenyReason::Forbidden) => Err(ErrorCode::Forbidden.into()),
            Decision::Deny(DenyReason::Hidden) => Err(ErrorCode::NotFound.into()),
        }
    }

    /// Whether the policy would allow it; does not count as the request's decision.
    pub fn allows(&self, action: Action, resource: Resource) -> bool {
        can(&self.actor, action, &resource).is_allowed()
    }

    /// Whether this request has asked the policy (see [`crate::extract::ApiBody`]).
    pub fn has_decided(&self) -> bool {
        self.mark.is_set()
    }

    pub fn me(&self) -> Result<&User, ApiError> {
        self.user.as_ref().ok_or_else(|| ErrorCode::Unauthorized.into())
    }

    pub fn audit(&self, action: &str) -> rightsdesk_store::AuditEntry {
        let label = self.user.as_ref().map(|u| u.email.clone()).unwrap_or_else(|| "anonymous".into());
        rightsdesk_store::AuditEntry::new(self.user.as_ref().map(|u| u.id), label, action)
    }
}

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let mark = parts.extensions.get::<PolicyMark>().cloned().unwrap_or_default();
        let mut actor = Actor::Anonymous;
        let mut user = None;
        if let Some(v) = parts.headers.get(header::AUTHORIZATION) {
            let token =
                v.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).ok_or_else(|| {
                    ApiError::with_message(ErrorCode::Unauthorized, "use Authorization: Bearer <token>")
                })?;
            match state.store.api_token_user(&hash_token(token), now_micros()).await? {
                Some((_, u)) if !u.disabled => {
                    actor = Actor::User(principal_of(&u, false));
                    user = Some(u);
                }
                _ => {
                    return Err(ApiError::with_message(
                        ErrorCode::Unauthorized,
                        "the token is not valid or was revoked",
                    ))
                }
            }
        }
        let lang = query_lang(parts)
            .map_err(ApiError::new)?
            .or_else(|| accept_language(&parts.headers))
            .or_else(|| user.as_ref().map(|u: &User| u.locale))
            .unwrap_or_default();
        let tr = Tr::new(lang, false);
        Ok(ApiCtx { state: state.clone(), actor, user, tr, mark })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    async fn status_of(router: Router) -> u16 {
        let req = axum::http::Request::builder().uri("/").body(Body::empty()).unwrap();
        router.layer(axum::middleware::from_fn(policy_guard)).oneshot(req).await.unwrap().status().as_u16()
    }

    #[tokio::test]
    async fn an_answer_without_a_policy_decision_is_refused() {
        let forgetful = Router::new().route("/", get(|| async { "secret records" }));
        assert_eq!(status_of(forgetful).await, 500);
        let careful = Router::new().route("/", get(|_: Public| async { "public page" }));
        assert_eq!(status_of(careful).await, 200);
        // A refusal needs no decision to pass through.
        let refusing = Router::new().route("/", get(|| async { axum::http::StatusCode::NOT_FOUND }));
        assert_eq!(status_of(refusing).await, 404);
    }
}
