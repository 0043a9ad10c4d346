//! Signing in and out, the second factor, the language toggle and the
//! user's own profile: preferences, password, TOTP and API tokens.

use crate::auth::{clear_cookie, set_cookie, Ctx, LANG_COOKIE, PRE_SESSION_COOKIE, SESSION_COOKIE};
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::kit::{render, role_label, Layout};
use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use rightsdesk_crypto::{new_token, password, totp, FieldRef};
use rightsdesk_domain::{check_password, Action, Email, Locale, Resource, Role};
use rightsdesk_store::{now_micros, AuditEntry, NewSession, User};
use serde::Deserialize;

/// Only local paths are followed after sign-in (no open redirect).
pub fn safe_next(next: &str) -> String {
    crate::error::local_path(next)
}

#[derive(Template)]
#[template(path = "platform/login.html")]
struct LoginPage {
    l: Layout,
    error: Option<String>,
    email: String,
    next: String,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

fn login_response(
    ctx: &Ctx,
    status: StatusCode,
    error: Option<String>,
    email: String,
    next: String,
) -> Result<Response, PageError> {
    let mut l = ctx.layout(ctx.tr.t("sign-in-title"));
    if ctx.user.is_none() && ctx.here.starts_with("/login?expired") {
        l.flash = Some(ctx.tr.t("session-expired"));
    }
    let html = render(LoginPage { l, error, email, next })?;
    let mut resp = (status, html).into_response();
    if let Some(pre) = &ctx.new_pre_session {
        if let Ok(v) = set_cookie(&ctx.state, PRE_SESSION_COOKIE, pre, None).parse() {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}

pub async fn login_form(ctx: Ctx, PageQuery(q): PageQuery<NextQuery>) -> Result<Response, PageError> {
    ctx.require(Action::ViewPublic, Resource::Public)?;
    if ctx.user.is_some() && ctx.allows(Action::View, Resource::OwnAccount) {
        return Ok(Redirect::to(&safe_next(&q.next)).into_response());
    }
    login_response(&ctx, StatusCode::OK, None, String::new(), safe_next(&q.next))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

fn session_cookie(ctx: &Ctx, token: &str) -> String {
    set_cookie(&ctx.state, SESSION_COOKIE, token, None)
}

pub async fn login_submit(ctx: Ctx, PageForm(f): PageForm<LoginForm>) -> Result<Response, PageError> {
    ctx.require(Action::ViewPublic, Resource::Public)?;
    let state = &ctx.state;
    let store = &state.store;
    let next = safe_next(&f.next);
    let typed_email = f.email.trim().to_string();
    let fail = |status: StatusCode, msg: &str| {
        login_response(&ctx, status, Some(ctx.tr.t(msg)), typed_email.clone(), next.clone())
    };
    if state.ip_throttled(ctx.ip) {
        store
            .append_audit(
                &AuditEntry::new(None, "anonymous", "auth.login_throttled")
                    .summary("too many failures from one address"),
            )
            .await?;
        return fail(StatusCode::TOO_MANY_REQUESTS, "login-throttled");
    }
    let now = now_micros();
    let user = match Email::parse(&f.email) {
        Ok(e) => store.user_by_email(e.as_str()).await?,
        Err(_) => None,
    };
    let locked_for = |minutes: i64| {
        let msg = ctx.tr.t1("login-locked-for", "minutes", &ctx.tr.num(minutes));
        login_response(&ctx, StatusCode::UNAUTHORIZED, Some(msg), typed_email.clone(), next.clone())
    };
    let Some(user) = user.filter(|u| !u.disabled) else {
        // Same work and the same answers as an account: a wrong password,
        // then after as many failures "locked for N minutes".
        password::verify_password(&f.password, password::dummy_hash());
        state.ip_failed(ctx.ip);
        store
            .append_audit(
                &AuditEntry::new(None, "anonymous", "auth.login_failed").summary("unknown or disabled account"),
            )
            .await?;
        return match state.unknown_address_failed(&typed_email) {
            Some(minutes) => locked_for(minutes),
            None => fail(StatusCode::UNAUTHORIZED, "login-failed"),
        };
    };
    let cfg = &state.config;
    // The attempt is counted before the password is checked, atomically.
    let claimed =
        store.claim_login_attempt(user.id, now, cfg.lockout_threshold, cfg.lockout.as_micros() as i64).await?;
    if claimed.is_none() {
        // Locked: the same work and answer as any failure, so a lock does not
        // tell a stranger that the account exists.
        password::verify_password(&f.password, password::dummy_hash());
        state.ip_failed(ctx.ip);
        store
            .append_audit(
                &AuditEntry::new(Some(user.id), "anonymous", "auth.login_locked")
                    .record("user", user.id)
                    .summary("account locked"),
            )
            .await?;
        // How long is left of the lock (read before this attempt; a lock
        // set just now by a parallel attempt runs the full time).
        let until = user.locked_until.filter(|u| *u > now).unwrap_or(now + cfg.lockout.as_micros() as i64);
        return locked_for(crate::state::minutes_left(std::time::Duration::from_micros((until - now) as u64)));
    }
    if !password::verify_password(&f.password, &user.password_hash) {
        state.ip_failed(ctx.ip);
        store
            .append_audit(
                &AuditEntry::new(Some(user.id), "anonymous", "auth.login_failed")
                    .record("user", user.id)
                    .summary("wrong password"),
            )
            .await?;
        return fail(StatusCode::UNAUTHORIZED, "login-failed");
    }
    // A new session id at every sign-in (no session fixation).
    if let Some(old) = &ctx.session_hash {
        store.delete_session(old).await?;
    }
    let pending = user.totp_secret.is_some() || (state.config.require_totp_for_admins && user.role == Role::Admin);
    let (token, hash) = new_token("rds_");
    store
        .create_session(&NewSession {
            id_hash: hash,
            user_id: user.id,
            now,
            expires_at: now + state.config.session_absolute.as_micros() as i64,
            second_factor_pending: pending,
        })
        .await?;
    if pending {
        // Not signed in yet: the attempt count stays until the code is given.
        store
            .append_audit(
                &AuditEntry::new(Some(user.id), user.email.clone(), "auth.password_ok")
                    .record("user", user.id)
                    .summary("password accepted, second factor pending"),
            )
            .await?;
    } else {
        store
            .record_successful_login(
                user.id,
                now,
                &AuditEntry::new(Some(user.id), user.email.clone(), "auth.login")
                    .record("user", user.id)
                    .summary("signed in"),
            )
            .await?;
    }
    let target = if pending {
        format!(
            "/login/second-factor?next={}",
            percent_encoding::utf8_percent_encode(&next, percent_encoding::NON_ALPHANUMERIC)
        )
    } else {
        next
    };
    let mut resp = Redirect::to(&target).into_response();
    let h = resp.headers_mut();
    if let Ok(v) = session_cookie(&ctx, &token).parse() {
        h.append(header::SET_COOKIE, v);
    }
    if let Ok(v) = clear_cookie(&ctx.state, PRE_SESSION_COOKIE).parse() {
        h.append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// A TOTP secret being enrolled, sealed into the form so that nothing half
/// set-up is stored: it is bound to the user and opens only on this server.
pub struct Enrolment {
    pub qr_svg: String,
    pub secret_text: String,
    pub sealed: String,
}

fn pending_ref(user_id: i64) -> FieldRef<'static> {
    FieldRef { table: "pending_totp", column: "secret", record_id: user_id }
}

fn totp_ref(user_id: i64) -> FieldRef<'static> {
    FieldRef { table: "users", column: "totp_secret", record_id: user_id }
}

fn new_enrolment(ctx: &Ctx, user: &User) -> Result<Enrolment, PageError> {
    let secret = totp::new_secret();
    let (_, qr_svg) = totp::enrolment_qr_svg(&secret, &user.email, "rightsdesk").ok_or(ErrorCode::Internal)?;
    let sealed = B64.encode(ctx.state.keys.encrypt(pending_ref(user.id), &secret));
    Ok(Enrolment { qr_svg, secret_text: totp::secret_base32(&secret), sealed })
}

fn open_sealed(ctx: &Ctx, user: &User, sealed: &str) -> Option<Vec<u8>> {
    let bytes = B64.decode(sealed.trim()).ok()?;
    ctx.state.keys.decrypt(pending_ref(user.id), &bytes).ok().map(|z| z.to_vec())
}

fn stored_secret(ctx: &Ctx, user: &User) -> Option<Vec<u8>> {
    let c = user.totp_secret.as_ref()?;
    match ctx.state.keys.decrypt(totp_ref(user.id), c) {
        Ok(s) => Some(s.to_vec()),
        Err(e) => {
            tracing::error!(user = user.id, error = %e, "TOTP secret does not open");
            None
        }
    }
}

fn unix_now() -> u64 {
    (now_micros() / 1_000_000) as u64
}

#[derive(Template)]
#[template(path = "platform/second_factor.html")]
struct SecondFactorPage {
    l: Layout,
    error: Option<String>,
    enrolment: Option<Enrolment>,
    next: String,
}

fn second_factor_page(ctx: &Ctx, error: Option<String>, next: String) -> Result<SecondFactorPage, PageError> {
    let me = ctx.me()?;
    let enrolment = if me.totp_secret.is_none() { Some(new_enrolment(ctx, me)?) } else { None };
    Ok(SecondFactorPage { l: ctx.layout(ctx.tr.t("totp-title")), error, enrolment, next })
}

fn session_pending(ctx: &Ctx) -> bool {
    ctx.second_factor_pending()
}

pub async fn second_factor_form(ctx: Ctx, PageQuery(q): PageQuery<NextQuery>) -> Result<Response, PageError> {
    ctx.require(Action::CompleteSignIn, Resource::OwnAccount)?;
    if !session_pending(&ctx) {
        return Ok(Redirect::to(&safe_next(&q.next)).into_response());
    }
    Ok(render(second_factor_page(&ctx, None, safe_next(&q.next))?)?.into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    sealed: String,
    #[serde(default)]
    next: String,
}

pub async fn second_factor_submit(ctx: Ctx, PageForm(f): PageForm<CodeForm>) -> Result<Response, PageError> {
    ctx.require(Action::CompleteSignIn, Resource::OwnAccount)?;
    let next = safe_next(&f.next);
    if !session_pending(&ctx) {
        return Ok(Redirect::to(&next).into_response());
    }
    let me = ctx.me()?.clone();
    let state = &ctx.state;
    let store = &state.store;
    let now = now_micros();
    let cfg = &state.config;
    // Wrong codes count with wrong passwords; only a completed sign-in clears them.
    let claimed = store.claim_login_attempt(me.id, now, cfg.lockout_threshold, cfg.lockout.as_micros() as i64).await?;
    if claimed.is_none() || state.ip_throttled(ctx.ip) {
        let page = second_factor_page(&ctx, Some(ctx.tr.t("login-locked")), next)?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, render(page)?).into_response());
    }
    let (secret, enrolling) = match stored_secret(&ctx, &me) {
        Some(s) => (Some(s), false),
        None if me.totp_secret.is_none() => (open_sealed(&ctx, &me, &f.sealed), true),
        None => (None, false),
    };
    let step = secret.as_ref().and_then(|s| totp::matching_step(s, &f.code, unix_now()));
    let accepted = match step {
        Some(step) => store.use_totp_step(me.id, step as i64).await?,
        None => false,
    };
    if !accepted {
        state.ip_failed(ctx.ip);
        store.append_audit(&ctx.audit("auth.second_factor_failed").record("user", me.id)).await?;
        let page = second_factor_page(&ctx, Some(ctx.tr.t("totp-wrong-code")), next)?;
        return Ok((StatusCode::UNAUTHORIZED, render(page)?).into_response());
    }
    if enrolling {
        let secret = secret.unwrap_or_default();
        let sealed = state.keys.encrypt(totp_ref(me.id), &secret);
        store.set_totp_secret(me.id, Some(&sealed), &ctx.audit("user.totp_enable").record("user", me.id)).await?;
        // Tokens made before the second factor did not pass it (decision 0011).
        store.revoke_api_tokens(Some(me.id), &ctx.audit("token.revoke_all").record("user", me.id)).await?;
    }
    let session = ctx.session_hash.as_deref().ok_or(ErrorCode::Forbidden)?;
    store
        .complete_second_factor(
            session,
            me.id,
            now,
            &ctx.audit("auth.second_factor").record("user", me.id).summary("signed in"),
        )
        .await?;
    Ok(Redirect::to(&next).into_response())
}

/// Checks a code against a secret and uses up its time step.
async fn code_accepted(ctx: &Ctx, user_id: i64, secret: Option<&[u8]>, code: &str) -> Result<bool, PageError> {
    match secret.and_then(|s| totp::matching_step(s, code, unix_now())) {
        Some(step) => Ok(ctx.state.store.use_totp_step(user_id, step as i64).await?),
        None => Ok(false),
    }
}

pub async fn logout(ctx: Ctx, PageForm(_): PageForm<serde::de::IgnoredAny>) -> Result<Response, PageError> {
    ctx.require(Action::ViewPublic, Resource::Public)?;
    if let (Some(hash), Some(u)) = (&ctx.session_hash, &ctx.user) {
        ctx.state.store.delete_session(hash).await?;
        ctx.state.store.append_audit(&ctx.audit("auth.logout").record("user", u.id)).await?;
    }
    let mut resp = Redirect::to("/login").into_response();
    if let Ok(v) = clear_cookie(&ctx.state, SESSION_COOKIE).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// The visible language toggle: remembers the choice in a cookie.
pub async fn switch_language(
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<NextQuery>,
) -> Result<Response, PageError> {
    ctx.require(Action::ViewPublic, Resource::Public)?;
    let locale: Locale = code.parse().map_err(|_| ErrorCode::UnknownLocale)?;
    let mut resp = Redirect::to(&safe_next(&q.next)).into_response();
    if let Ok(v) = set_cookie(&ctx.state, LANG_COOKIE, locale.as_str(), Some(365 * 24 * 3600)).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

pub struct TokenRow {
    pub id: i64,
    pub label: String,
    pub created: String,
    pub last_used: String,
    pub status: String,
    pub live: bool,
}

#[derive(Template)]
#[template(path = "platform/profile.html")]
struct ProfilePage {
    l: Layout,
    name: String,
    email: String,
    role: String,
    office: String,
    locale: &'static str,
    khmer_digits: bool,
    password_error: Option<String>,
    totp_enabled: bool,
    totp_error: Option<String>,
    enrolment: Option<Enrolment>,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
}

#[derive(Default)]
struct ProfileExtras {
    flash: Option<String>,
    password_error: Option<String>,
    totp_error: Option<String>,
    new_token: Option<String>,
}

async fn profile_page(ctx: &Ctx, extras: ProfileExtras) -> Result<Html<String>, PageError> {
    // Read afresh: the handler may just have changed the account.
    let me = &ctx.state.store.user_by_id(ctx.me()?.id).await?.ok_or(ErrorCode::NotFound)?;
    let tr = &ctx.tr;
    let tokens = ctx
        .state
        .store
        .list_api_tokens(me.id)
        .await?
        .into_iter()
        .rev()
        .map(|t| TokenRow {
            id: t.id,
            label: t.label,
            created: tr.datetime(t.created_at),
            last_used: tr.opt_datetime(&t.last_used_at),
            status: if t.revoked_at.is_some() { tr.t("token-revoked") } else { tr.t("token-active") },
            live: t.revoked_at.is_none(),
        })
        .collect();
    let totp_enabled = me.totp_secret.is_some();
    let mut l = ctx.layout(tr.t("profile-title"));
    l.flash = extras.flash;
    let page = ProfilePage {
        l,
        name: me.name.clone(),
        email: me.email.clone(),
        role: role_label(tr, me.role),
        office: me.office_code.clone(),
        locale: me.locale.as_str(),
        khmer_digits: me.khmer_digits,
        password_error: extras.password_error,
        totp_enabled,
        totp_error: extras.totp_error,
        enrolment: if totp_enabled { None } else { Some(new_enrolment(ctx, me)?) },
        tokens,
        new_token: extras.new_token,
    };
    render(page)
}

pub async fn profile(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::OwnAccount)?;
    let flash = ctx.here.ends_with("?changed=password").then(|| ctx.tr.t("password-changed"));
    profile_page(&ctx, ProfileExtras { flash, ..Default::default() }).await
}

#[derive(Deserialize)]
pub struct PreferencesForm {
    #[serde(default)]
    locale: String,
    #[serde(default)]
    khmer_digits: Option<String>,
}

pub async fn save_preferences(ctx: Ctx, PageForm(f): PageForm<PreferencesForm>) -> Result<Response, PageError> {
    ctx.require(Action::Update, Resource::OwnAccount)?;
    let me = ctx.me()?;
    let locale: Locale = f.locale.parse().map_err(|_| ErrorCode::UnknownLocale)?;
    let digits = f.khmer_digits.as_deref() == Some("on");
    ctx.state
        .store
        .set_preferences(
            me.id,
            locale,
            digits,
            &ctx.audit("user.preferences").record("user", me.id).summary(format!("locale={}", locale.as_str())),
        )
        .await?;
    // The explicit preference wins over an earlier toggle.
    let mut resp = Redirect::to("/profile").into_response();
    if let Ok(v) = clear_cookie(&ctx.state, LANG_COOKIE).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(ctx: Ctx, PageForm(f): PageForm<PasswordForm>) -> Result<Response, PageError> {
    ctx.require(Action::Update, Resource::OwnAccount)?;
    let me = ctx.me()?.clone();
    let tr = &ctx.tr;
    let error = if !password::verify_password(&f.current, &me.password_hash) {
        Some(tr.t("password-current-wrong"))
    } else if let Err(e) = check_password("new_password", &f.new_password) {
        Some(crate::kit::field_message(tr, &e))
    } else if f.new_password != f.confirm {
        Some(tr.t("password-mismatch"))
    } else {
        None
    };
    if let Some(e) = error {
        let page = profile_page(&ctx, ProfileExtras { password_error: Some(e), ..Default::default() }).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hash = password::hash_password(&f.new_password).map_err(|_| ErrorCode::Internal)?;
    let store = &ctx.state.store;
    store.set_password_hash(me.id, &hash, &ctx.audit("user.password_change").record("user", me.id)).await?;
    // Every other session ends, and API tokens too (a password is often
    // changed because something was compromised); this browser gets a fresh session.
    store.delete_user_sessions(me.id).await?;
    store.revoke_api_tokens(Some(me.id), &ctx.audit("token.revoke_all").record("user", me.id)).await?;
    // The calendar feed's secret address is a credential like a token.
    if store.has_calendar_feed(me.id).await? {
        store.revoke_calendar_feeds(me.id, &ctx.audit("calendar.feed_revoke")).await?;
    }
    let now = now_micros();
    let (token, id_hash) = new_token("rds_");
    store
        .create_session(&NewSession {
            id_hash,
            user_id: me.id,
            now,
            expires_at: now + ctx.state.config.session_absolute.as_micros() as i64,
            second_factor_pending: false,
        })
        .await?;
    let mut resp = Redirect::to("/profile?changed=password").into_response();
    if let Ok(v) = session_cookie(&ctx, &token).parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

pub async fn enable_totp(ctx: Ctx, PageForm(f): PageForm<CodeForm>) -> Result<Response, PageError> {
    ctx.require(Action::Update, Resource::OwnAccount)?;
    let me = ctx.me()?.clone();
    if me.totp_secret.is_some() {
        return Ok(Redirect::to("/profile").into_response());
    }
    let secret = open_sealed(&ctx, &me, &f.sealed);
    if !code_accepted(&ctx, me.id, secret.as_deref(), &f.code).await? {
        let page =
            profile_page(&ctx, ProfileExtras { totp_error: Some(ctx.tr.t("totp-wrong-code")), ..Default::default() })
                .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let sealed = ctx.state.keys.encrypt(totp_ref(me.id), &secret.unwrap_or_default());
    let store = &ctx.state.store;
    store.set_totp_secret(me.id, Some(&sealed), &ctx.audit("user.totp_enable").record("user", me.id)).await?;
    // Tokens made before the second factor did not pass it: they stop working
    // (decision 0011); new ones are made from this session, which has.
    store.revoke_api_tokens(Some(me.id), &ctx.audit("token.revoke_all").record("user", me.id)).await?;
    Ok(profile_page(&ctx, ProfileExtras { flash: Some(ctx.tr.t("totp-enabled")), ..Default::default() })
        .await?
        .into_response())
}

pub async fn disable_totp(ctx: Ctx, PageForm(f): PageForm<CodeForm>) -> Result<Response, PageError> {
    ctx.require(Action::Update, Resource::OwnAccount)?;
    let me = ctx.me()?.clone();
    if !code_accepted(&ctx, me.id, stored_secret(&ctx, &me).as_deref(), &f.code).await? {
        let page =
            profile_page(&ctx, ProfileExtras { totp_error: Some(ctx.tr.t("totp-wrong-code")), ..Default::default() })
                .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    ctx.state.store.set_totp_secret(me.id, None, &ctx.audit("user.totp_disable").record("user", me.id)).await?;
    Ok(Redirect::to("/profile").into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
    /// A token outlives the session, so creating one asks for the password again.
    #[serde(default)]
    password: String,
}

pub async fn create_token(ctx: Ctx, PageForm(f): PageForm<TokenForm>) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::OwnAccount)?;
    let me = ctx.me()?;
    if !password::verify_password(&f.password, &me.password_hash) {
        let msg = ctx.tr.t("password-current-wrong");
        let page = profile_page(&ctx, ProfileExtras { flash: Some(msg), ..Default::default() }).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let label = match rightsdesk_domain::platform::required_text("label", &f.label, 80) {
        Ok(l) => l,
        Err(e) => {
            let msg = crate::kit::field_message(&ctx.tr, &e);
            let page = profile_page(&ctx, ProfileExtras { flash: Some(msg), ..Default::default() }).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let (token, hash) = new_token("rdk_");
    ctx.state
        .store
        .create_api_token(
            me.id,
            &label,
            &hash,
            &ctx.audit("token.create").record("api_token", "").summary(format!("for user {}", me.id)),
        )
        .await?;
    Ok(profile_page(&ctx, ProfileExtras { new_token: Some(token), ..Default::default() }).await?.into_response())
}

pub async fn revoke_token(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    ctx.require(Action::Delete, Resource::OwnAccount)?;
    let me = ctx.me()?;
    let revoked =
        ctx.state.store.revoke_api_token(me.id, id, &ctx.audit("token.revoke").record("api_token", id)).await?;
    if !revoked {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(Redirect::to("/profile").into_response())
}
