//! Administration: staff accounts, offices and the audit log.

use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::kit::{render, role_label, FormErrors, Layout};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_crypto::password;
use rightsdesk_domain::platform::required_text;
use rightsdesk_domain::{check_password, Action, NewUserInput, OfficeCode, Resource, Role, ValidationError};
use rightsdesk_store::{AuditFilter, NewOffice, NewUser, StoreError};
use serde::Deserialize;

pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub office: String,
    pub totp: String,
    pub last_login: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "platform/admin_users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<UserRow>,
    can_edit: bool,
    /// Whether protection alerts go out by e-mail, and from whom.
    alert_email: String,
}

/// `/admin`: the first page of administration, the accounts.
pub async fn index(ctx: Ctx) -> Result<axum::response::Redirect, PageError> {
    ctx.require(Action::View, Resource::Users)?;
    Ok(axum::response::Redirect::to("/admin/users"))
}

pub async fn users(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Users)?;
    let tr = &ctx.tr;
    let users = ctx
        .state
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            name: u.name,
            email: u.email,
            role: role_label(tr, u.role),
            office: u.office_code,
            totp: if u.totp_secret.is_some() { tr.t("yes") } else { tr.t("no") },
            last_login: tr.opt_datetime(&u.last_login_at),
            status: if u.disabled { tr.t("user-disabled") } else { tr.t("user-active") },
        })
        .collect();
    let alert_email = match &ctx.state.config.alert_email {
        Some(sender) => tr.t1("admin-alert-email-on", "sender", sender),
        None => tr.t("admin-alert-email-off"),
    };
    render(UsersPage {
        l: ctx.layout(tr.t("admin-users")),
        users,
        can_edit: ctx.allows(Action::Update, Resource::Users),
        alert_email,
    })
}

#[derive(Template)]
#[template(path = "platform/admin_user_form.html")]
struct UserFormPage {
    l: Layout,
    action: String,
    is_new: bool,
    name: String,
    email: String,
    role: String,
    office: String,
    disabled: bool,
    roles: Vec<(String, String)>,
    offices: Vec<(String, String)>,
    /// Organisations a focal point can belong to, and the one chosen.
    institutions: Vec<(String, String)>,
    institution: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct UserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    password: String,
    /// Organisation id, for a focal point.
    #[serde(default)]
    institution: String,
}

/// The institution of an account: required (an existing organisation) for a
/// government focal point, and none for any other role.
async fn institution_of(ctx: &Ctx, role: Option<Role>, raw: &str) -> Result<Option<i64>, PageError> {
    if role != Some(Role::FocalPoint) {
        return Ok(None);
    }
    let Ok(id) = raw.trim().parse::<i64>() else {
        return Ok(None);
    };
    Ok(ctx.state.store.organisations().await?.iter().any(|o| o.id == id).then_some(id))
}

async fn user_form_page(
    ctx: &Ctx,
    id: Option<i64>,
    f: UserForm,
    disabled: bool,
    errors: FormErrors,
) -> Result<UserFormPage, PageError> {
    let tr = &ctx.tr;
    let offices = ctx
        .state
        .store
        .list_offices()
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), format!("{} — {}", o.code, tr.pick(&o.name_en, &o.name_km))))
        .collect();
    let roles = Role::ALL.into_iter().map(|r| (r.as_str().to_string(), role_label(tr, r))).collect();
    let institutions = ctx
        .state
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), tr.pick(&o.name_en, &o.name_km).to_string()))
        .collect();
    let title = if id.is_some() { tr.t("admin-user-edit") } else { tr.t("admin-user-add") };
    Ok(UserFormPage {
        l: ctx.layout(title),
        action: id.map(|i| format!("/admin/users/{i}")).unwrap_or_else(|| "/admin/users".into()),
        is_new: id.is_none(),
        name: f.name,
        email: f.email,
        role: if f.role.is_empty() { "officer".into() } else { f.role },
        office: f.office,
        disabled,
        roles,
        offices,
        institutions,
        institution: f.institution,
        errors,
    })
}

pub async fn new_user_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, Resource::Users)?;
    render(user_form_page(&ctx, None, UserForm::default(), false, FormErrors::default()).await?)
}

pub async fn create_user(ctx: Ctx, PageForm(f): PageForm<UserForm>) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::Users)?;
    let store = &ctx.state.store;
    let mut errors: Vec<ValidationError> = match NewUserInput::parse(&f.email, &f.name, &f.role, &f.office) {
        Ok(_) => vec![],
        Err(e) => e,
    };
    if let Err(e) = check_password("password", &f.password) {
        errors.push(e);
    }
    let office = match OfficeCode::parse(&f.office) {
        Ok(c) => store.office_by_code(c.as_str()).await?,
        Err(_) => None,
    };
    if office.is_none() && !errors.iter().any(|e| e.field == "office") {
        errors.push(ValidationError::new("office", "unknown-office"));
    }
    let role = f.role.parse::<Role>().ok();
    let institution = institution_of(&ctx, role, &f.institution).await?;
    if role == Some(Role::FocalPoint) && institution.is_none() {
        errors.push(ValidationError::new("institution", "required"));
    }
    let input = NewUserInput::parse(&f.email, &f.name, &f.role, &f.office);
    let (Ok(input), Some(office), true) = (input, office, errors.is_empty()) else {
        let errs = FormErrors::from_validation(&ctx.tr, &errors);
        let page = user_form_page(&ctx, None, f, false, errs).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
    };
    let hash = password::hash_password(&f.password).map_err(|_| ErrorCode::Internal)?;
    let new = NewUser {
        email: input.email.as_str().into(),
        name: input.name,
        role: input.role,
        office_id: office.id,
        organisation_id: institution,
        locale: Default::default(),
        password_hash: hash,
    };
    let audit =
        ctx.audit("user.create").record("user", "").summary(format!("role={} office={}", input.role, office.code));
    match store.create_user(&new, &audit).await {
        Ok(u) => Ok(Redirect::to(&format!("/admin/users/{}", u.id)).into_response()),
        Err(StoreError::Conflict(_)) => {
            let mut errs = FormErrors::default();
            errs.add("email", ctx.tr.t("field-error-email-taken"));
            let page = user_form_page(&ctx, None, f, false, errs).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_user_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    ctx.require(Action::Update, Resource::Users)?;
    let u = ctx.state.store.user_by_id(id).await?.ok_or(ErrorCode::NotFound)?;
    let f = UserForm {
        name: u.name,
        email: u.email,
        role: u.role.as_str().into(),
        office: u.office_code,
        password: String::new(),
        institution: u.organisation_id.map(|o| o.to_string()).unwrap_or_default(),
    };
    render(user_form_page(&ctx, Some(id), f, u.disabled, FormErrors::default()).await?)
}

pub async fn update_user(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(mut f): PageForm<UserForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, Resource::Users)?;
    let store = &ctx.state.store;
    let existing = store.user_by_id(id).await?.ok_or(ErrorCode::NotFound)?;
    f.email = existing.email.clone();
    let mut errors = vec![];
    let name = required_text("name", &f.name, 120).map_err(|e| errors.push(e)).ok();
    let role = f.role.parse::<Role>().map_err(|e| errors.push(e)).ok();
    let office = match OfficeCode::parse(&f.office) {
        Ok(c) => store.office_by_code(c.as_str()).await?,
        Err(_) => None,
    };
    if office.is_none() {
        errors.push(ValidationError::new("office", "unknown-office"));
    }
    let me = ctx.me()?;
    if id == me.id && role.is_some_and(|r| r != Role::Admin) {
        errors.push(ValidationError::new("role", "cannot-demote-self"));
    }
    let institution = institution_of(&ctx, role, &f.institution).await?;
    if role == Some(Role::FocalPoint) && institution.is_none() {
        errors.push(ValidationError::new("institution", "required"));
    }
    let (Some(name), Some(role), Some(office), true) = (name, role, office, errors.is_empty()) else {
        let errs = FormErrors::from_validation(&ctx.tr, &errors);
        let page = user_form_page(&ctx, Some(id), f, existing.disabled, errs).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response());
    };
    let audit = ctx.audit("user.update").record("user", id).summary(format!("role={role} office={}", office.code));
    store.update_user(id, &name, role, office.id, institution, &audit).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

async fn set_disabled(ctx: Ctx, id: i64, disabled: bool) -> Result<Response, PageError> {
    ctx.require(Action::Update, Resource::Users)?;
    let me = ctx.me()?;
    if id == me.id && disabled {
        return Err(ErrorCode::Conflict.into());
    }
    let action = if disabled { "user.disable" } else { "user.enable" };
    ctx.state.store.set_user_disabled(id, disabled, &ctx.audit(action).record("user", id)).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

pub async fn disable_user(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    set_disabled(ctx, id, true).await
}

pub async fn enable_user(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    set_disabled(ctx, id, false).await
}

#[derive(Template)]
#[template(path = "platform/admin_offices.html")]
struct OfficesPage {
    l: Layout,
    offices: Vec<rightsdesk_store::Office>,
    can_edit: bool,
    code: String,
    name_en: String,
    name_km: String,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct OfficeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    name_km: String,
}

async fn offices_page(ctx: &Ctx, f: OfficeForm, errors: FormErrors) -> Result<Html<String>, PageError> {
    let offices = ctx.state.store.list_offices().await?;
    render(OfficesPage {
        l: ctx.layout(ctx.tr.t("admin-offices")),
        offices,
        can_edit: ctx.allows(Action::Create, Resource::Offices),
        code: f.code,
        name_en: f.name_en,
        name_km: f.name_km,
        errors,
    })
}

pub async fn offices(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Offices)?;
    offices_page(&ctx, OfficeForm::default(), FormErrors::default()).await
}

pub async fn create_office(ctx: Ctx, PageForm(f): PageForm<OfficeForm>) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::Offices)?;
    let mut errors = vec![];
    let code = OfficeCode::parse(&f.code).map_err(|e| errors.push(e)).ok();
    let name_en = required_text("name_en", &f.name_en, 120).map_err(|e| errors.push(e)).ok();
    let name_km = required_text("name_km", &f.name_km, 120).map_err(|e| errors.push(e)).ok();
    let (Some(code), Some(name_en), Some(name_km)) = (code, name_en, name_km) else {
        let errs = FormErrors::from_validation(&ctx.tr, &errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, offices_page(&ctx, f, errs).await?).into_response());
    };
    let new = NewOffice { code: code.as_str().into(), name_en, name_km };
    match ctx
        .state
        .store
        .create_office(&new, &ctx.audit("office.create").record("office", "").summary(format!("code={code}")))
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/offices").into_response()),
        Err(StoreError::Conflict(_)) => {
            let mut errs = FormErrors::default();
            errs.add("code", ctx.tr.t("field-error-office-taken"));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, offices_page(&ctx, f, errs).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct AuditRow {
    pub seq: i64,
    pub time: String,
    pub actor: String,
    pub action: String,
    pub record: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "platform/admin_audit.html")]
struct AuditPage {
    l: Layout,
    actors: Vec<(String, String)>,
    actor: String,
    action: String,
    record_type: String,
    from: String,
    to: String,
    error: Option<String>,
    events: Vec<AuditRow>,
    next_href: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    record_type: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: Option<i64>,
}

/// `YYYY-MM-DD` at 00:00 in Cambodia (UTC+7), in microseconds.
pub fn day_start_micros(day: &str) -> Option<i64> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(day.trim(), &fmt).ok()?;
    let t = d.with_hms(0, 0, 0).ok()?.assume_offset(time::UtcOffset::from_hms(7, 0, 0).ok()?);
    Some((t.unix_timestamp_nanos() / 1000) as i64)
}

pub const AUDIT_PAGE: i64 = 50;

/// The ids of the cases named by `events` that `actor` may not see: events
/// about them keep who, when and what was done, and lose the case's number
/// and summary (decision 0011), on the page and in the API alike.
pub(crate) async fn hidden_case_ids(
    state: &crate::AppState,
    actor: &rightsdesk_domain::Actor,
    user_id: Option<i64>,
    events: &[rightsdesk_store::AuditEvent],
) -> Result<std::collections::HashSet<String>, rightsdesk_store::StoreError> {
    let mut hidden = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    for e in events.iter().filter(|e| e.record_type == "case") {
        if !seen.insert(e.record_id.clone()) {
            continue;
        }
        let visible = match e.record_id.parse::<i64>() {
            Ok(id) => match state.store.case(id).await? {
                Some(c) => rightsdesk_domain::can(
                    actor,
                    Action::View,
                    &Resource::Case(crate::monitoring::case_ref(user_id, &c)),
                )
                .is_allowed(),
                None => false,
            },
            Err(_) => false,
        };
        if !visible {
            hidden.insert(e.record_id.clone());
        }
    }
    Ok(hidden)
}

/// Whether an event is about a case in `hidden`.
pub(crate) fn hides(hidden: &std::collections::HashSet<String>, e: &rightsdesk_store::AuditEvent) -> bool {
    e.record_type == "case" && hidden.contains(&e.record_id)
}

pub async fn audit(ctx: Ctx, PageQuery(q): PageQuery<AuditQuery>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::AuditLog)?;
    let tr = &ctx.tr;
    let mut error = None;
    let mut day = |s: &str, end: bool| -> Option<i64> {
        if s.trim().is_empty() {
            return None;
        }
        match day_start_micros(s) {
            Some(m) => Some(if end { m + 86_400_000_000 - 1 } else { m }),
            None => {
                error = Some(tr.t("field-error-invalid-date"));
                None
            }
        }
    };
    let filter = AuditFilter {
        actor_id: q.actor.trim().parse().ok(),
        action_prefix: Some(q.action.trim().to_string()).filter(|s| !s.is_empty()),
        record_type: Some(q.record_type.trim().to_string()).filter(|s| !s.is_empty()),
        from_micros: day(&q.from, false),
        to_micros: day(&q.to, true),
        before_seq: q.before,
        limit: AUDIT_PAGE,
    };
    let store = &ctx.state.store;
    let list = store.list_audit(&filter).await?;
    let next_href = (list.len() as i64 == AUDIT_PAGE).then(|| {
        let mut query = q.clone();
        query.before = list.last().map(|e| e.seq);
        let pairs = [
            ("actor", query.actor),
            ("action", query.action),
            ("record_type", query.record_type),
            ("from", query.from),
            ("to", query.to),
            ("before", query.before.map(|b| b.to_string()).unwrap_or_default()),
        ];
        format!("/admin/audit?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
    });
    let hidden_cases = hidden_case_ids(&ctx.state, &ctx.actor, ctx.user.as_ref().map(|u| u.id), &list).await?;
    let events = list
        .into_iter()
        .map(|e| {
            let hidden = hides(&hidden_cases, &e);
            AuditRow {
                seq: e.seq,
                time: tr.datetime(e.at_micros),
                actor: e.actor_label,
                action: e.action,
                record: if hidden {
                    tr.t("audit-hidden-case")
                } else if e.record_type.is_empty() {
                    String::new()
                } else {
                    format!("{} {}", e.record_type, e.record_id)
                },
                summary: if hidden { String::new() } else { e.summary },
            }
        })
        .collect();
    let actors = store.list_users().await?.into_iter().map(|u| (u.id.to_string(), u.email)).collect();
    render(AuditPage {
        l: ctx.layout(tr.t("admin-audit")),
        actors,
        actor: q.actor,
        action: q.action,
        record_type: q.record_type,
        from: q.from,
        to: q.to,
        error,
        events,
        next_href,
    })
}
