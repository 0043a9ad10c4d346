//! Monitoring pages: the case list, opening and editing cases, the case page
//! with its workflow, team and history.

use super::{render, FormErrors, Layout};
use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::i18n::Tr;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::monitoring::{
    names_in_text, person_choices, replace_names, ActFields, CaseFields, CaseInput, CaseStatus, FuzzyDate,
    PersonFields, PersonRole, Sensitivity,
};
use rightsdesk_domain::vocabulary::HURIDOCS_ACTS;
use rightsdesk_domain::{case_scope, Action, CaseRef, Module, Resource, Role, ValidationError};
use rightsdesk_store::{Case, CaseCursor, CaseFilter, CaseSort, NewCase, PersonRecord, Store};
use serde::Deserialize;

pub fn status_label(tr: &Tr, s: CaseStatus) -> String {
    tr.t(&format!("case-status-{}", s.as_str().replace('_', "-")))
}

pub fn sensitivity_label(tr: &Tr, s: Sensitivity) -> String {
    tr.t(&format!("sensitivity-{}", s.as_str()))
}

pub fn date_label(tr: &Tr, d: &Option<FuzzyDate>) -> String {
    match d {
        None => "—".into(),
        Some(d) => {
            let text = tr.iso_date(&Some(d.value.clone()));
            if d.precision == rightsdesk_domain::monitoring::DatePrecision::Approximate {
                tr.t1("date-approximate", "date", &text)
            } else {
                text
            }
        }
    }
}

/// The policy's view of one case for the current user.
pub fn case_ref(ctx_user_id: Option<i64>, c: &Case) -> CaseRef {
    CaseRef {
        office_id: c.office_id,
        restricted: c.sensitivity == Sensitivity::Restricted,
        assigned: ctx_user_id.is_some_and(|u| c.assigned.contains(&u)),
    }
}

/// Loads a case the user may act on; a case they may not see answers 404
/// exactly like one that does not exist. Reading a restricted case is audited.
pub async fn load_case(ctx: &Ctx, id: i64, action: Action) -> Result<Case, PageError> {
    let case = ctx.state.store.case(id).await?.ok_or(ErrorCode::NotFound)?;
    ctx.require(action, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &case)))?;
    if action == Action::View {
        audit_restricted_read(ctx, &case, "restricted case read").await?;
    }
    Ok(case)
}

/// Every read of a restricted case is in the audit log: its page, and the
/// forms that show its content (edit, add a person, an act, ...).
pub async fn audit_restricted_read(ctx: &Ctx, case: &Case, what: &str) -> Result<(), PageError> {
    if case.sensitivity == Sensitivity::Restricted {
        ctx.state.store.append_audit(&ctx.audit("case.view").record("case", case.id).summary(what)).await?;
    }
    Ok(())
}

/// Loads a case for a form that shows its content (a GET): as `load_case`
/// with `action` (`Update`, or `WriteNarrative` for forms of free text), and
/// the read of a restricted case is audited.
async fn load_case_for_form(ctx: &Ctx, id: i64, action: Action) -> Result<Case, PageError> {
    let case = load_case(ctx, id, action).await?;
    audit_restricted_read(ctx, &case, "restricted case read (form)").await?;
    Ok(case)
}

pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub restricted: bool,
    pub province: String,
    pub start: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "monitoring_list.html")]
struct ListPage {
    l: Layout,
    q: ListQuery,
    total: String,
    rows: Vec<CaseRow>,
    next_href: Option<String>,
    can_create: bool,
    offices: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    act_types: Vec<(String, String)>,
    perpetrator_types: Vec<(String, String)>,
    sorts: Vec<(String, String)>,
    /// The list's filters, carried by the export form.
    export_fields: Vec<(String, String)>,
    can_export: bool,
    can_export_names: bool,
    error: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub sensitivity: String,
    #[serde(default)]
    pub mine: String,
    #[serde(default)]
    pub act_type: String,
    /// An article such as `ICCPR 9`.
    #[serde(default)]
    pub right: String,
    #[serde(default)]
    pub perpetrator_type: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// newest (default), oldest, updated, incident.
    #[serde(default)]
    pub sort: String,
    /// Where the previous page ended (see `CaseCursor`).
    #[serde(default)]
    pub after: String,
}

fn iso_day(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| FuzzyDate::parse("from", s, false).ok().flatten().map(|d| d.sort_key())).flatten()
}

/// Builds the store filter from a query; unknown values are errors, not ignored.
pub async fn case_filter(
    store: &dyn Store,
    scope: rightsdesk_domain::CaseScope,
    me: i64,
    q: &ListQuery,
) -> Result<CaseFilter, ValidationError> {
    let mut f = CaseFilter::new(scope);
    if !q.office.is_empty() {
        let o = store.office_by_code(&q.office).await.ok().flatten();
        f.office_id = Some(o.ok_or(ValidationError::new("office", "unknown-office"))?.id);
    }
    if !q.status.is_empty() {
        f.status = Some(CaseStatus::parse(&q.status).ok_or(ValidationError::new("status", "invalid-choice"))?);
    }
    if !q.province.is_empty() {
        f.province_code = Some(q.province.clone());
    }
    if !q.sensitivity.is_empty() {
        f.sensitivity =
            Some(Sensitivity::parse(&q.sensitivity).ok_or(ValidationError::new("sensitivity", "invalid-choice"))?);
    }
    if q.mine == "1" || q.mine == "on" {
        f.assigned_to = Some(me);
    }
    if !q.act_type.is_empty() {
        if !rightsdesk_domain::monitoring::ACT_TYPES.contains(&q.act_type.as_str()) {
            return Err(ValidationError::new("act_type", "invalid-choice"));
        }
        f.act_type = Some(q.act_type.clone());
    }
    if !q.right.trim().is_empty() {
        f.right = Some(
            rightsdesk_domain::monitoring::ArticleRef::parse(&q.right)
                .ok_or(ValidationError::new("right", "invalid-article"))?,
        );
    }
    if !q.perpetrator_type.is_empty() {
        if !person_choices::PERPETRATOR_TYPE.contains(&q.perpetrator_type.as_str()) {
            return Err(ValidationError::new("perpetrator_type", "invalid-choice"));
        }
        f.perpetrator_type = Some(q.perpetrator_type.clone());
    }
    if !q.from.trim().is_empty() {
        f.from = Some(iso_day(&q.from).ok_or(ValidationError::new("from", "invalid-fuzzy-date"))?);
    }
    if !q.to.trim().is_empty() {
        f.to = Some(iso_day(&q.to).ok_or(ValidationError::new("to", "invalid-fuzzy-date"))?);
    }
    if !q.sort.is_empty() {
        f.sort = CaseSort::parse(&q.sort).ok_or(ValidationError::new("sort", "invalid-choice"))?;
    }
    if !q.after.is_empty() {
        f.after = Some(CaseCursor::parse(f.sort, &q.after).ok_or(ValidationError::new("after", "invalid-choice"))?);
    }
    Ok(f)
}

async fn province_names(ctx: &Ctx) -> Result<Vec<(String, String)>, PageError> {
    Ok(ctx
        .state
        .store
        .provinces()
        .await?
        .into_iter()
        .map(|p| (p.code.clone(), ctx.tr.pick(&p.name_en, &p.name_km).to_string()))
        .collect())
}

pub const PAGE_SIZE: i64 = 50;
/// The list counts up to this many cases, then says "more than".
pub const COUNT_CAP: i64 = 10_000;

pub async fn list(ctx: Ctx, PageQuery(q): PageQuery<ListQuery>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Module(Module::Monitoring))?;
    let scope = case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let me = ctx.me()?.id;
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let provinces = province_names(&ctx).await?;
    let (rows, total, next_href, error) = match case_filter(store, scope, me, &q).await {
        Ok(mut f) => {
            f.limit = PAGE_SIZE;
            f.count_cap = Some(COUNT_CAP);
            let total = store.count_cases(&f).await?;
            let list = store.list_cases(&f).await?;
            let next = list.last().filter(|_| list.len() as i64 == PAGE_SIZE).map(|last| {
                let mut next = q.clone();
                next.after = f.sort.cursor_of(last).encode();
                format!("/monitoring?{}", list_query_string(&next))
            });
            let rows = list
                .into_iter()
                .map(|c| CaseRow {
                    id: c.id,
                    reference: c.reference,
                    title: c.title,
                    status: status_label(tr, c.status),
                    restricted: c.sensitivity == Sensitivity::Restricted,
                    province: c
                        .province_code
                        .as_ref()
                        .and_then(|code| provinces.iter().find(|p| &p.0 == code).map(|p| p.1.clone()))
                        .unwrap_or_default(),
                    start: date_label(tr, &c.start),
                    updated: tr.date(c.updated_at),
                })
                .collect();
            (rows, total, next, None)
        }
        Err(e) => (vec![], 0, None, Some(tr.t(&format!("field-error-{}", e.code)))),
    };
    let offices = store.list_offices().await?.into_iter().map(|o| (o.code.clone(), o.code)).collect();
    let statuses = CaseStatus::ALL.into_iter().map(|s| (s.as_str().to_string(), status_label(tr, s))).collect();
    let export_fields = {
        let mut plain = q.clone();
        plain.after = String::new();
        list_query_pairs(&plain).into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    };
    render(ListPage {
        export_fields,
        can_export: ctx.allows(Action::Export, Resource::Module(Module::Monitoring)),
        can_export_names: ctx.allows(Action::ExportIdentifying, Resource::Module(Module::Monitoring)),
        l: ctx.layout(tr.t("cases-title")),
        total: if total > COUNT_CAP {
            tr.tn("cases-count-more", "count", COUNT_CAP)
        } else {
            tr.tn("cases-count", "count", total)
        },
        sorts: CaseSort::ALL
            .into_iter()
            .map(|s| (s.as_str().to_string(), tr.t(&format!("sort-{}", s.as_str()))))
            .collect(),
        q,
        rows,
        next_href,
        can_create: ctx.allows(Action::Create, Resource::Module(Module::Monitoring)),
        offices,
        provinces,
        statuses,
        act_types: act_type_options(tr),
        perpetrator_types: options(tr, "perpetrator-type", &person_choices::PERPETRATOR_TYPE[1..]),
        error,
    })
}

fn act_type_options(tr: &Tr) -> Vec<(String, String)> {
    rightsdesk_domain::monitoring::ACT_TYPES.iter().map(|a| (a.to_string(), choice_label(tr, "act-type", a))).collect()
}

fn list_query_string(q: &ListQuery) -> String {
    serde_urlencoded::to_string(list_query_pairs(q)).unwrap_or_default()
}

/// The filters that are set, as query or form pairs.
fn list_query_pairs(q: &ListQuery) -> Vec<(&'static str, String)> {
    let pairs = [
        ("office", q.office.clone()),
        ("status", q.status.clone()),
        ("province", q.province.clone()),
        ("sensitivity", q.sensitivity.clone()),
        ("mine", q.mine.clone()),
        ("act_type", q.act_type.clone()),
        ("right", q.right.clone()),
        ("perpetrator_type", q.perpetrator_type.clone()),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
        ("sort", q.sort.clone()),
        ("after", q.after.clone()),
    ];
    pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

#[derive(Template)]
#[template(path = "case_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    f: CaseFields,
    start_approximate: bool,
    end_approximate: bool,
    provinces: Vec<(String, String)>,
    districts: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    errors: FormErrors,
}

async fn form_page(
    ctx: &Ctx,
    title: String,
    action: String,
    f: CaseFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let districts = if f.province.len() == 2 {
        store
            .districts(&f.province)
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), tr.pick(&d.name_en, &d.name_km).to_string()))
            .collect()
    } else {
        vec![]
    };
    let communes = if f.district.len() == 4 {
        store
            .communes(&f.district)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), tr.pick(&c.name_en, &c.name_km).to_string()))
            .collect()
    } else {
        vec![]
    };
    render(FormPage {
        l: ctx.layout(title),
        action,
        start_approximate: f.start_approximate.is_some(),
        end_approximate: f.end_approximate.is_some(),
        f,
        provinces: province_names(ctx).await?,
        districts,
        communes,
        errors,
    })
}

pub async fn new_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    form_page(&ctx, ctx.tr.t("case-new"), "/monitoring/cases".into(), CaseFields::default(), FormErrors::default())
        .await
}

/// Validates a case form, including that the places exist.
async fn validate(ctx: &Ctx, f: &CaseFields) -> Result<CaseInput, Vec<ValidationError>> {
    validate_fields(ctx.state.store.as_ref(), f).await
}

/// Validates case fields (pages and API), including that the places exist.
pub async fn validate_fields(store: &dyn Store, f: &CaseFields) -> Result<CaseInput, Vec<ValidationError>> {
    let input = CaseInput::parse(f)?;
    let mut errors = vec![];
    if let Some(p) = &input.province_code {
        if store.province(p).await.ok().flatten().is_none() {
            errors.push(ValidationError::new("province", "unknown-place"));
        }
    }
    if let Some(d) = &input.district_code {
        if store.district(d).await.ok().flatten().is_none() {
            errors.push(ValidationError::new("district", "unknown-place"));
        }
    }
    if let Some(c) = &input.commune_code {
        let known = match &input.district_code {
            Some(d) => store.communes(d).await.map(|cs| cs.iter().any(|x| &x.code == c)).unwrap_or(false),
            None => false,
        };
        if !known {
            errors.push(ValidationError::new("commune", "unknown-place"));
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

pub async fn create(ctx: Ctx, PageForm(f): PageForm<CaseFields>) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    let me = ctx.me()?;
    let input = match validate(&ctx, &f).await {
        Ok(i) => i,
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            let page = form_page(&ctx, ctx.tr.t("case-new"), "/monitoring/cases".into(), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let year = (time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC)))
    .year();
    let new = NewCase { input, office_id: me.office_id, year, created_by: me.id, assigned: vec![me.id] };
    let case = ctx.state.store.create_case(&new, &ctx.audit("case.create")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{}", case.id)).into_response())
}

pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub change: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "case_view.html")]
struct CasePage {
    l: Layout,
    c: Case,
    status: String,
    restricted: bool,
    sensitivity: String,
    place: String,
    start: String,
    end: String,
    team: Vec<String>,
    next: Vec<(String, String)>,
    reopen: bool,
    can_edit: bool,
    can_write: bool,
    history: Vec<HistoryRow>,
    members: Vec<(i64, String, bool)>,
    persons: Vec<PersonRow>,
    acts: Vec<ActRow>,
    interventions: Vec<InterventionRow>,
    sources: Vec<SourceRow>,
    evidence: Vec<EvidenceRow>,
    custody_actions: Vec<(String, String)>,
    show_names: bool,
    named_in_narrative: Vec<String>,
    /// UN recommendations this case bears on (id, mechanism and session, text).
    recommendations: Vec<(i64, String, String)>,
    /// Recommendations its interventions raise: (intervention date and addressee, recommendation id, heading, text).
    raised: Vec<(String, i64, String, String)>,
    /// Interventions to choose from when linking one to a recommendation: (id, date and addressee).
    intervention_choices: Vec<(i64, String)>,
    can_link_recommendations: bool,
    error: Option<String>,
}

pub struct InterventionRow {
    pub id: i64,
    pub date: String,
    pub organisation: String,
    pub kind: String,
    pub request: String,
    pub status: String,
    pub response: String,
    pub next_follow_up: String,
    pub overdue: bool,
}

/// Today in Cambodia (UTC+7), `YYYY-MM-DD`.
pub fn today() -> String {
    let now =
        time::OffsetDateTime::now_utc().to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
    format!("{:04}-{:02}-{:02}", now.year(), now.month() as u8, now.day())
}

pub fn intervention_row(tr: &Tr, i: &rightsdesk_store::Intervention, today: &str) -> InterventionRow {
    let open = rightsdesk_domain::monitoring::intervention::OPEN_STATUSES.contains(&i.status.as_str());
    InterventionRow {
        id: i.id,
        date: tr.iso_date(&i.date),
        organisation: tr.pick(&i.organisation_en, &i.organisation_km).to_string(),
        kind: choice_label(tr, "intervention-kind", &i.kind),
        request: i.request.clone(),
        status: choice_label(tr, "intervention-status", &i.status),
        response: i.response.clone(),
        next_follow_up: tr.iso_date(&i.next_follow_up),
        overdue: open && i.next_follow_up.as_deref().is_some_and(|d| d < today),
    }
}

pub struct ActRow {
    pub act_type: String,
    /// Labels of imported vocabulary terms (HURIDOCS).
    pub terms: Vec<String>,
    pub date: String,
    pub place: String,
    pub description: String,
    pub victims: String,
    pub perpetrators: String,
    pub rights: Vec<(String, String)>,
}

pub struct PersonRow {
    pub code: String,
    pub role: String,
    pub kind: String,
    pub name: String,
    pub aliases: String,
    pub contact: String,
    pub sex: String,
    pub age: String,
    pub occupation: String,
}

/// The field message for names found in a text. The codes tell whose name it
/// is, so only those who may see the case's names get them; the others learn
/// only that a name of the case's people is there.
fn names_found_message(ctx: &Ctx, c: &Case, key: &str, found: &[String]) -> String {
    if sees_names(ctx, c) {
        ctx.tr.t1(key, "codes", &found.join(", "))
    } else {
        ctx.tr.t("case-names-found-hidden")
    }
}

fn sees_names(ctx: &Ctx, c: &Case) -> bool {
    ctx.allows(Action::ViewIdentifying, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), c)))
}

/// `(code, name)` for every name and alias of the case's people (pages and API).
pub(crate) fn case_names(
    keys: &rightsdesk_crypto::Keyring,
    persons: &[PersonRecord],
) -> Result<Vec<(String, String)>, ErrorCode> {
    let mut names = vec![];
    for p in persons {
        names.extend(p.names_to_look_for(keys).map_err(|e| {
            tracing::error!(person = p.id, error = %e, "identifying fields do not open");
            ErrorCode::Internal
        })?);
    }
    Ok(names)
}

fn names_of(ctx: &Ctx, persons: &[PersonRecord]) -> Result<Vec<(String, String)>, PageError> {
    Ok(case_names(&ctx.state.keys, persons)?)
}

/// What the name check of one case's free text looks for: its people's
/// names, loaded and opened once per request.
async fn case_matcher(ctx: &Ctx, case_id: i64) -> Result<rightsdesk_domain::names::NameMatcher, PageError> {
    Ok(rightsdesk_domain::names::NameMatcher::new(&names_of(ctx, &ctx.state.store.persons(case_id).await?)?))
}

/// Adds a field message for each of `texts` that names one of the case's
/// people (the writer sees names: `WriteNarrative` was required).
fn names_in_fields(
    ctx: &Ctx,
    c: &Case,
    matcher: &rightsdesk_domain::names::NameMatcher,
    texts: &[(&'static str, &str)],
    errors: &mut FormErrors,
) {
    for (field, text) in texts {
        let codes = matcher.codes_in(text);
        if !codes.is_empty() {
            errors.add(field, names_found_message(ctx, c, "case-names-found", &codes));
        }
    }
}

pub fn choice_label(tr: &Tr, group: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    tr.t(&format!("{group}-{}", value.replace('_', "-")))
}

async fn place_label(ctx: &Ctx, c: &Case) -> Result<String, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let mut parts = vec![];
    if let Some(code) = &c.commune_code {
        if let Some(d) = &c.district_code {
            if let Some(x) = store.communes(d).await?.into_iter().find(|x| &x.code == code) {
                parts.push(tr.pick(&x.name_en, &x.name_km).to_string());
            }
        }
    }
    if let Some(code) = &c.district_code {
        if let Some(d) = store.district(code).await? {
            parts.push(tr.pick(&d.name_en, &d.name_km).to_string());
        }
    }
    if let Some(code) = &c.province_code {
        if let Some(p) = store.province(code).await? {
            parts.push(tr.pick(&p.name_en, &p.name_km).to_string());
        }
    }
    if !c.location_text.is_empty() {
        parts.insert(0, c.location_text.clone());
    }
    Ok(if parts.is_empty() { "—".into() } else { parts.join(", ") })
}

async fn case_page(ctx: &Ctx, c: Case, error: Option<String>) -> Result<Html<String>, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let users = store.list_users().await?;
    let name_of =
        |id: i64| users.iter().find(|u| u.id == id).map(|u| u.name.clone()).unwrap_or_else(|| format!("#{id}"));
    let history = store
        .case_history(c.id)
        .await?
        .into_iter()
        .map(|h| HistoryRow {
            when: tr.datetime(h.changed_at),
            who: h.changed_by_name,
            change: match h.from_status {
                Some(from) => format!("{} → {}", status_label(tr, from), status_label(tr, h.to_status)),
                None => status_label(tr, h.to_status),
            },
            reason: h.reason,
        })
        .collect();
    let cref = case_ref(ctx.user.as_ref().map(|u| u.id), &c);
    let can_edit = ctx.allows(Action::Update, Resource::Case(cref));
    // Free text is written by those who see the names (decision 0011).
    let can_write = ctx.allows(Action::WriteNarrative, Resource::Case(cref));
    let show_names = ctx.allows(Action::ViewIdentifying, Resource::Case(cref));
    let records = store.persons(c.id).await?;
    let mut persons = vec![];
    for p in &records {
        let who = if show_names {
            Some(p.identity(&ctx.state.keys).map_err(|e| {
                tracing::error!(person = p.id, error = %e, "identifying fields do not open");
                ErrorCode::Internal
            })?)
        } else {
            None
        };
        persons.push(PersonRow {
            code: p.code.clone(),
            role: choice_label(tr, "person-role", p.profile.role.as_str()),
            kind: choice_label(tr, "person-kind", &p.profile.kind),
            name: who.as_ref().map(|w| w.name.clone()).unwrap_or_default(),
            aliases: who.as_ref().map(|w| w.aliases.join("; ")).unwrap_or_default(),
            contact: who.as_ref().map(|w| w.contact.clone()).unwrap_or_default(),
            sex: choice_label(tr, "sex", &p.profile.sex),
            age: p
                .profile
                .age
                .map(|a| tr.num(a))
                .unwrap_or_else(|| choice_label(tr, "age-group", &p.profile.age_group)),
            occupation: choice_label(tr, "occupation", &p.profile.occupation),
        });
    }
    let acts = store
        .acts(c.id)
        .await?
        .into_iter()
        .map(|a| ActRow {
            act_type: choice_label(tr, "act-type", &a.act_type),
            terms: a.terms.iter().map(|t| tr.pick(&t.label_en, &t.label_km).to_string()).collect(),
            date: date_label(tr, &a.date),
            place: a.location_text,
            description: a.description,
            victims: a.victims.join(", "),
            perpetrators: a
                .perpetrators
                .iter()
                .map(|(code, how)| format!("{code} ({})", choice_label(tr, "involvement", how)))
                .collect::<Vec<_>>()
                .join(", "),
            rights: a
                .rights
                .iter()
                .map(|r| (format!("/reference/instruments/{}#art-{}", r.instrument_code, r.number), r.label()))
                .collect(),
        })
        .collect();
    let day = today();
    let interventions = store.interventions(c.id).await?.iter().map(|i| intervention_row(tr, i, &day)).collect();
    let sources = store.sources(c.id).await?.iter().map(|x| source_row(tr, x)).collect();
    let evidence = if show_names { evidence_rows(ctx, c.id).await? } else { vec![] };
    if show_names && !records.is_empty() {
        store
            .append_audit(
                &ctx.audit("case.identifying_view")
                    .record("case", c.id)
                    .summary(format!("names of {} people shown", records.len())),
            )
            .await?;
    }
    // Names left in the narrative are flagged for the people who can edit it.
    let mut named_in_narrative: Vec<String> = if can_edit && show_names {
        names_in_text(&c.summary, &names_of(ctx, &records)?).into_iter().map(|(code, _)| code).collect()
    } else {
        vec![]
    };
    named_in_narrative.dedup();
    let next = c.status.next().iter().map(|s| (s.as_str().to_string(), status_label(tr, *s))).collect();
    // Officers of the case's office who could join its team.
    let members = users
        .iter()
        .filter(|u| u.office_id == c.office_id && !u.disabled && !matches!(u.role, Role::Analyst | Role::Viewer))
        .map(|u| (u.id, u.name.clone(), c.assigned.contains(&u.id)))
        .collect();
    let recommendations = if ctx.allows(Action::View, Resource::Module(Module::Mechanisms)) {
        ctx.state
            .store
            .case_recommendations(c.id)
            .await?
            .into_iter()
            .map(|r| (r.id, format!("{} {}", r.mechanism_code, tr.digits(&r.session)), r.text))
            .collect()
    } else {
        vec![]
    };
    let can_link_recommendations = can_edit && ctx.allows(Action::View, Resource::Module(Module::Mechanisms));
    let ivs = store.interventions(c.id).await?;
    let label_of = |iid: i64| {
        ivs.iter()
            .find(|i| i.id == iid)
            .map(|i| format!("{} {}", tr.iso_date(&i.date), tr.pick(&i.organisation_en, &i.organisation_km)))
            .unwrap_or_default()
    };
    let raised = if ctx.allows(Action::View, Resource::Module(Module::Mechanisms)) {
        store
            .case_intervention_recommendations(c.id)
            .await?
            .into_iter()
            .map(|(iid, r)| (label_of(iid), r.id, tr.t1("recommendation-title", "id", &tr.num(r.id)), r.text))
            .collect()
    } else {
        vec![]
    };
    let intervention_choices = ivs.iter().map(|i| (i.id, label_of(i.id))).collect();
    render(CasePage {
        raised,
        intervention_choices,
        can_link_recommendations,
        recommendations,
        l: ctx.layout(c.reference.clone()),
        status: status_label(tr, c.status),
        restricted: c.sensitivity == Sensitivity::Restricted,
        sensitivity: sensitivity_label(tr, c.sensitivity),
        place: place_label(ctx, &c).await?,
        start: date_label(tr, &c.start),
        end: date_label(tr, &c.end),
        team: c.assigned.iter().map(|id| name_of(*id)).collect(),
        reopen: c.status == CaseStatus::Closed,
        next,
        can_edit,
        can_write,
        history,
        members,
        persons,
        acts,
        interventions,
        sources,
        evidence,
        custody_actions: CUSTODY_MANUAL.iter().map(|a| (a.to_string(), choice_label(tr, "custody", a))).collect(),
        show_names,
        named_in_narrative,
        error,
        c,
    })
}

pub async fn view(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case(&ctx, id, Action::View).await?;
    case_page(&ctx, c, None).await
}

fn fields_of(c: &Case) -> CaseFields {
    let approx = |d: &Option<FuzzyDate>| {
        d.as_ref()
            .filter(|d| d.precision == rightsdesk_domain::monitoring::DatePrecision::Approximate)
            .map(|_| "on".to_string())
    };
    CaseFields {
        title: c.title.clone(),
        summary: c.summary.clone(),
        sensitivity: c.sensitivity.as_str().into(),
        province: c.province_code.clone().unwrap_or_default(),
        district: c.district_code.clone().unwrap_or_default(),
        commune: c.commune_code.clone().unwrap_or_default(),
        location_text: c.location_text.clone(),
        start_date: c.start.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
        start_approximate: approx(&c.start),
        end_date: c.end.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
        end_approximate: approx(&c.end),
        themes: c.themes.join(", "),
    }
}

pub async fn edit_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::WriteNarrative).await?;
    form_page(
        &ctx,
        ctx.tr.t1("case-edit", "reference", &c.reference),
        format!("/monitoring/cases/{id}"),
        fields_of(&c),
        FormErrors::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct CaseEditForm {
    #[serde(flatten)]
    fields: CaseFields,
    /// Replace names of the case's people in the narrative by their codes.
    #[serde(default)]
    replace_names: Option<String>,
}

pub async fn update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CaseEditForm>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let mut f = form.fields;
    // Names must not sit in the narrative in clear (nor, later, in the search index).
    let names = names_of(&ctx, &ctx.state.store.persons(id).await?)?;
    // Replacing shows which name is whose, so it is for those who see names.
    let replace = form.replace_names.is_some() && sees_names(&ctx, &c);
    if replace {
        f.summary = replace_names(&f.summary, &names);
    }
    let matcher = rightsdesk_domain::names::NameMatcher::new(&names);
    let found = matcher.codes_in(&f.summary);
    let mut errors = FormErrors::default();
    if !found.is_empty() {
        let key = if replace { "case-names-left" } else { "case-names-found" };
        errors.add("summary", names_found_message(&ctx, &c, key, &found));
    }
    // The title and the place, too.
    names_in_fields(&ctx, &c, &matcher, &[("title", &f.title), ("location_text", &f.location_text)], &mut errors);
    if !errors.is_empty() {
        let title = ctx.tr.t1("case-edit", "reference", &c.reference);
        let page = form_page(&ctx, title, format!("/monitoring/cases/{id}"), f, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let input = match validate(&ctx, &f).await {
        Ok(i) => i,
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            let title = ctx.tr.t1("case-edit", "reference", &c.reference);
            let page = form_page(&ctx, title, format!("/monitoring/cases/{id}"), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    ctx.state.store.update_case(id, &input, &ctx.audit("case.update")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

pub async fn change_status(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let me = ctx.me()?;
    let to = CaseStatus::parse(&f.to).ok_or(ErrorCode::BadRequest)?;
    // The form names the status it was shown at: a stale page cannot move the case.
    let from = CaseStatus::parse(&f.from).unwrap_or(c.status);
    if from != c.status {
        let msg = ctx.tr.t("case-status-changed-meanwhile");
        return Ok((StatusCode::CONFLICT, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    if let Err(e) = c.status.can_move_to(to, &f.reason) {
        let msg = ctx.tr.t(&format!("field-error-{}", e.code));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    let reason = f.reason.trim();
    let codes = case_matcher(&ctx, id).await?.codes_in(reason);
    if !codes.is_empty() {
        let msg = names_found_message(&ctx, &c, "case-names-found", &codes);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    if reason.chars().count() > 2000 {
        let msg = ctx.tr.t("field-error-too-long");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    let moved = ctx.state.store.transition_case(id, from, to, reason, me.id, &ctx.audit("case.status")).await?;
    if !moved {
        let msg = ctx.tr.t("case-status-changed-meanwhile");
        return Ok((StatusCode::CONFLICT, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    Ok(Redirect::to(&format!("/monitoring/cases/{id}")).into_response())
}

pub async fn set_team(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    // Joining a team grants the names of the case's people, so only those who
    // already see them (the team and the head of office) change the team.
    ctx.require(Action::ViewIdentifying, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &c)))?;
    let users = ctx.state.store.list_users().await?;
    let mut team = vec![];
    for (k, v) in pairs {
        if k == "member" {
            let uid: i64 = v.parse().map_err(|_| ErrorCode::BadRequest)?;
            // Only active officers of the case's office can join its team.
            let ok = users.iter().any(|u| {
                u.id == uid
                    && u.office_id == c.office_id
                    && !u.disabled
                    && !matches!(u.role, Role::Analyst | Role::Viewer)
            });
            if !ok {
                return Err(ErrorCode::BadRequest.into());
            }
            team.push(uid);
        }
    }
    if team.is_empty() {
        let msg = ctx.tr.t("case-team-empty");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    team.sort_unstable();
    team.dedup();
    ctx.state.store.set_case_team(id, &team, &ctx.audit("case.team")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct PlaceQuery {
    #[serde(default)]
    province: String,
    #[serde(default)]
    district: String,
}

#[derive(Template)]
#[template(path = "place_options.html")]
struct PlaceOptions {
    empty_label: String,
    options: Vec<(String, String)>,
}

/// `<option>`s of the districts of a province, or the communes of a district
/// (htmx fills the next picker when one changes).
pub async fn place_options(ctx: Ctx, PageQuery(q): PageQuery<PlaceQuery>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let options = if !q.district.is_empty() {
        store
            .communes(&q.district)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), tr.pick(&c.name_en, &c.name_km).to_string()))
            .collect()
    } else if !q.province.is_empty() {
        store
            .districts(&q.province)
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), tr.pick(&d.name_en, &d.name_km).to_string()))
            .collect()
    } else {
        vec![]
    };
    render(PlaceOptions { empty_label: tr.t("choose"), options })
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    l: Layout,
    c: Case,
    f: PersonFields,
    roles: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    sexes: Vec<(String, String)>,
    age_groups: Vec<(String, String)>,
    occupations: Vec<(String, String)>,
    disabilities: Vec<(String, String)>,
    perpetrator_types: Vec<(String, String)>,
    matches: Vec<(i64, String, String)>,
    errors: FormErrors,
}

fn options(tr: &Tr, group: &str, values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (v.to_string(), if v.is_empty() { "—".to_string() } else { choice_label(tr, group, v) }))
        .collect()
}

fn person_form(
    ctx: &Ctx,
    c: Case,
    f: PersonFields,
    matches: Vec<(i64, String, String)>,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let roles =
        PersonRole::ALL.iter().map(|r| (r.as_str().to_string(), choice_label(tr, "person-role", r.as_str()))).collect();
    render(PersonFormPage {
        l: ctx.layout(tr.t1("person-add-title", "reference", &c.reference)),
        c,
        f,
        roles,
        kinds: options(tr, "person-kind", person_choices::KIND),
        sexes: options(tr, "sex", person_choices::SEX),
        age_groups: options(tr, "age-group", person_choices::AGE_GROUP),
        occupations: options(tr, "occupation", person_choices::OCCUPATION),
        disabilities: options(tr, "disability", person_choices::DISABILITY),
        perpetrator_types: options(tr, "perpetrator-type", person_choices::PERPETRATOR_TYPE),
        matches,
        errors,
    })
}

pub async fn new_person_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::Update).await?;
    person_form(&ctx, c, PersonFields { role: "victim".into(), ..Default::default() }, vec![], FormErrors::default())
}

#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(flatten)]
    fields: PersonFields,
    /// The user saw the possible duplicates and adds the person anyway.
    #[serde(default)]
    confirm_duplicate: Option<String>,
}

pub async fn add_person(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<PersonForm>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    let (profile, identity) = match form.fields.parse() {
        Ok(v) => v,
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            return Ok(
                (StatusCode::UNPROCESSABLE_ENTITY, person_form(&ctx, c, form.fields, vec![], errors)?).into_response()
            );
        }
    };
    let store = &ctx.state.store;
    if form.confirm_duplicate.is_none() {
        let scope = case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
        let bidx = rightsdesk_store::monitoring::person_name_bidx(&ctx.state.keys, &identity.name);
        let mut matches: Vec<(i64, String, String)> = store
            .person_matches(&bidx, &scope, id)
            .await?
            .into_iter()
            .map(|m| (m.case_id, m.reference, m.code))
            .collect();
        // People of this case with the same name count too (for those who see names).
        let here = if sees_names(&ctx, &c) { store.persons(id).await? } else { vec![] };
        for p in here {
            if rightsdesk_store::monitoring::person_name_bidx(
                &ctx.state.keys,
                &p.identity(&ctx.state.keys).unwrap_or_default().name,
            ) == bidx
            {
                matches.push((id, c.reference.clone(), p.code.clone()));
            }
        }
        if !matches.is_empty() {
            return Ok((StatusCode::CONFLICT, person_form(&ctx, c, form.fields, matches, FormErrors::default())?)
                .into_response());
        }
    }
    let person = store.add_person(id, &profile, &identity, &ctx.state.keys, &ctx.audit("person.add")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}#person-{}", person.code)).into_response())
}

#[derive(Template)]
#[template(path = "act_form.html")]
struct ActFormPage {
    l: Layout,
    c: Case,
    f: ActFields,
    act_types: Vec<(String, String)>,
    involvements: Vec<(String, String)>,
    victims: Vec<(i64, String, bool)>,
    perpetrators: Vec<(i64, String, bool)>,
    /// HURIDOCS types of acts, when the office has imported them: value
    /// (`vocabulary/term`) and label indented by level.
    huridocs_acts: Vec<(String, String)>,
    errors: FormErrors,
}

async fn act_form(
    ctx: &Ctx,
    c: Case,
    f: ActFields,
    chosen: &[i64],
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let persons = ctx.state.store.persons(c.id).await?;
    let pick = |role: PersonRole| -> Vec<(i64, String, bool)> {
        persons
            .iter()
            .filter(|p| p.profile.role == role)
            .map(|p| {
                let what = choice_label(
                    tr,
                    if role == PersonRole::Perpetrator { "perpetrator-type" } else { "person-kind" },
                    if role == PersonRole::Perpetrator { &p.profile.perpetrator_type } else { &p.profile.kind },
                );
                (p.id, format!("{} {}", p.code, what).trim().to_string(), chosen.contains(&p.id))
            })
            .collect()
    };
    render(ActFormPage {
        l: ctx.layout(tr.t1("act-add-title", "reference", &c.reference)),
        act_types: act_type_options(tr),
        involvements: rightsdesk_domain::monitoring::INVOLVEMENT
            .iter()
            .map(|v| (v.to_string(), choice_label(tr, "involvement", v)))
            .collect(),
        victims: pick(PersonRole::Victim),
        perpetrators: pick(PersonRole::Perpetrator),
        huridocs_acts: ctx
            .state
            .store
            .vocabulary_terms(HURIDOCS_ACTS)
            .await?
            .into_iter()
            .filter(|t| t.visible)
            .map(|t| {
                let indent = "\u{a0}\u{a0}".repeat(t.level.clamp(0, 8) as usize);
                (format!("{HURIDOCS_ACTS}/{}", t.code), format!("{indent}{}", tr.pick(&t.label_en, &t.label_km)))
            })
            .collect(),
        c,
        f,
        errors,
    })
}

pub async fn new_act_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::WriteNarrative).await?;
    act_form(&ctx, c, ActFields::default(), &[], FormErrors::default()).await
}

pub async fn add_act(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let me = ctx.me()?.id;
    // Repeated fields (victim, perpetrator) and the rest of the form.
    let mut victims = vec![];
    let mut perpetrators = vec![];
    let mut rest = vec![];
    for (k, v) in pairs {
        match k.as_str() {
            "victim" => victims.push(v.parse::<i64>().map_err(|_| ErrorCode::BadRequest)?),
            "perpetrator" => perpetrators.push(v.parse::<i64>().map_err(|_| ErrorCode::BadRequest)?),
            _ => rest.push((k, v)),
        }
    }
    let f: ActFields = serde_urlencoded::from_str(&serde_urlencoded::to_string(&rest).unwrap_or_default())
        .map_err(|_| ErrorCode::BadRequest)?;
    let chosen: Vec<i64> = victims.iter().chain(perpetrators.iter()).copied().collect();
    let mut errs = match f.parse() {
        Ok(_) => vec![],
        Err(e) => e,
    };
    // Names must not enter act descriptions either.
    let mut errors = FormErrors::from_validation(&ctx.tr, &errs);
    let texts = [("description", f.description.as_str()), ("location_text", f.location_text.as_str())];
    names_in_fields(&ctx, &c, &case_matcher(&ctx, id).await?, &texts, &mut errors);
    let input = match f.parse() {
        Ok(i) if errors.is_empty() => i,
        _ => {
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, act_form(&ctx, c, f, &chosen, errors).await?).into_response())
        }
    };
    let new = rightsdesk_store::NewAct { case_id: id, input, victims, perpetrators, created_by: me };
    match ctx.state.store.add_act(&new, &ctx.audit("act.add")).await {
        Ok(_) => Ok(Redirect::to(&format!("/monitoring/cases/{id}#acts")).into_response()),
        Err(rightsdesk_store::StoreError::Constraint(what)) => {
            // An article that is not in the reference texts, or a person not of this case.
            errs.push(if what.contains("person") {
                ValidationError::new("victims", "invalid-choice")
            } else if what.contains("act_terms") {
                ValidationError::new("extra_term", "invalid-choice")
            } else {
                ValidationError::new("rights", "unknown-article")
            });
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, act_form(&ctx, c, f, &chosen, errors).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "intervention_form.html")]
struct InterventionFormPage {
    l: Layout,
    c: Case,
    action: String,
    f: rightsdesk_domain::monitoring::intervention::InterventionFields,
    organisations: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    errors: FormErrors,
}

async fn intervention_form(
    ctx: &Ctx,
    c: Case,
    action: String,
    f: rightsdesk_domain::monitoring::intervention::InterventionFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    use rightsdesk_domain::monitoring::intervention as iv;
    let tr = &ctx.tr;
    let organisations = ctx
        .state
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), tr.pick(&o.name_en, &o.name_km).to_string()))
        .collect();
    render(InterventionFormPage {
        l: ctx.layout(tr.t1("intervention-title", "reference", &c.reference)),
        c,
        action,
        f,
        organisations,
        kinds: options(tr, "intervention-kind", iv::TYPES),
        statuses: options(tr, "intervention-status", iv::STATUSES),
        errors,
    })
}

pub async fn new_intervention_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::WriteNarrative).await?;
    let f = rightsdesk_domain::monitoring::intervention::InterventionFields { date: today(), ..Default::default() };
    intervention_form(&ctx, c, format!("/monitoring/cases/{id}/interventions"), f, FormErrors::default()).await
}

pub async fn add_intervention(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<rightsdesk_domain::monitoring::intervention::InterventionFields>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let mut errors = match f.parse() {
        Ok(_) => FormErrors::default(),
        Err(errs) => FormErrors::from_validation(&ctx.tr, &errs),
    };
    let matcher = case_matcher(&ctx, c.id).await?;
    names_in_fields(&ctx, &c, &matcher, &[("request", &f.request), ("response", &f.response)], &mut errors);
    let input = match f.parse() {
        Ok(i) if errors.is_empty() => i,
        _ => {
            let page = intervention_form(&ctx, c, format!("/monitoring/cases/{id}/interventions"), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match ctx.state.store.add_intervention(id, &input, ctx.me()?.id, &ctx.audit("intervention.add")).await {
        Ok(_) => Ok(Redirect::to(&format!("/monitoring/cases/{id}#interventions")).into_response()),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            let errors =
                FormErrors::from_validation(&ctx.tr, &[ValidationError::new("organisation_id", "invalid-choice")]);
            let page = intervention_form(&ctx, c, format!("/monitoring/cases/{id}/interventions"), f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RaiseForm {
    pub intervention_id: String,
    pub recommendation_id: String,
}

/// Records that an intervention of this case raises a UN recommendation
/// (shown on the case and on the recommendation).
pub async fn raise_recommendation(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<RaiseForm>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    ctx.require(Action::View, Resource::Module(Module::Mechanisms))?;
    let store = ctx.state.store.as_ref();
    let iid: i64 = f.intervention_id.trim().parse().map_err(|_| ErrorCode::BadRequest)?;
    if !store.interventions(c.id).await?.iter().any(|i| i.id == iid) {
        return Err(ErrorCode::NotFound.into());
    }
    let rec = match f.recommendation_id.trim().parse::<i64>() {
        Ok(rid) => store.recommendation(rid).await?,
        Err(_) => None,
    };
    let Some(rec) = rec else {
        let page = case_page(&ctx, c, Some(ctx.tr.t("actions-no-such-recommendation"))).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    store.link_intervention(rec.id, iid, &ctx.audit("intervention.raise")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}#interventions")).into_response())
}

/// The intervention and its case, if the user may act on the case.
async fn load_intervention(
    ctx: &Ctx,
    iid: i64,
    action: Action,
) -> Result<(rightsdesk_store::Intervention, Case), PageError> {
    let i = ctx.state.store.intervention(iid).await?.ok_or(ErrorCode::NotFound)?;
    let c = load_case(ctx, i.case_id, action).await?;
    Ok((i, c))
}

pub async fn edit_intervention_form(ctx: Ctx, PagePath(iid): PagePath<i64>) -> Result<Html<String>, PageError> {
    let (i, c) = load_intervention(&ctx, iid, Action::WriteNarrative).await?;
    audit_restricted_read(&ctx, &c, "restricted case read (form)").await?;
    let f = rightsdesk_domain::monitoring::intervention::InterventionFields {
        organisation_id: i.organisation_id.to_string(),
        kind: i.kind,
        date: i.date.unwrap_or_default(),
        request: i.request,
        status: i.status,
        response_date: i.response_date.unwrap_or_default(),
        response: i.response,
        next_follow_up: i.next_follow_up.unwrap_or_default(),
    };
    intervention_form(&ctx, c, format!("/monitoring/interventions/{iid}"), f, FormErrors::default()).await
}

pub async fn update_intervention(
    ctx: Ctx,
    PagePath(iid): PagePath<i64>,
    PageForm(f): PageForm<rightsdesk_domain::monitoring::intervention::InterventionFields>,
) -> Result<Response, PageError> {
    let (_, c) = load_intervention(&ctx, iid, Action::WriteNarrative).await?;
    let case_id = c.id;
    let mut errors = match f.parse() {
        Ok(_) => FormErrors::default(),
        Err(errs) => FormErrors::from_validation(&ctx.tr, &errs),
    };
    let matcher = case_matcher(&ctx, c.id).await?;
    names_in_fields(&ctx, &c, &matcher, &[("request", &f.request), ("response", &f.response)], &mut errors);
    let input = match f.parse() {
        Ok(i) if errors.is_empty() => i,
        _ => {
            let page = intervention_form(&ctx, c, format!("/monitoring/interventions/{iid}"), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match ctx.state.store.update_intervention(iid, &input, &ctx.audit("intervention.update")).await {
        Ok(_) => Ok(Redirect::to(&format!("/monitoring/cases/{case_id}#interventions")).into_response()),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            let errors =
                FormErrors::from_validation(&ctx.tr, &[ValidationError::new("organisation_id", "invalid-choice")]);
            let page = intervention_form(&ctx, c, format!("/monitoring/interventions/{iid}"), f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct OrganisationsPage {
    l: Layout,
    rows: Vec<(String, String, String, i64)>,
    can_create: bool,
    f: OrganisationForm,
    kinds: Vec<(String, String)>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct OrganisationForm {
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub name_km: String,
    #[serde(default)]
    pub kind: String,
}

async fn organisations_page(ctx: &Ctx, f: OrganisationForm, errors: FormErrors) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let rows = ctx
        .state
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.name_en, o.name_km, choice_label(tr, "organisation-kind", &o.kind), o.id))
        .collect();
    render(OrganisationsPage {
        l: ctx.layout(tr.t("organisations-title")),
        rows,
        can_create: ctx.allows(Action::Create, Resource::Module(Module::Monitoring)),
        f,
        kinds: options(tr, "organisation-kind", rightsdesk_domain::monitoring::intervention::ORGANISATION_KINDS),
        errors,
    })
}

pub async fn organisations(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Module(Module::Monitoring))?;
    organisations_page(&ctx, OrganisationForm::default(), FormErrors::default()).await
}

pub async fn create_organisation(ctx: Ctx, PageForm(f): PageForm<OrganisationForm>) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    let mut errs = vec![];
    let name_en = rightsdesk_domain::platform::required_text("name_en", &f.name_en, 200).map_err(|e| errs.push(e)).ok();
    let name_km = rightsdesk_domain::platform::required_text("name_km", &f.name_km, 200).map_err(|e| errs.push(e)).ok();
    if !rightsdesk_domain::monitoring::intervention::ORGANISATION_KINDS.contains(&f.kind.as_str()) {
        errs.push(ValidationError::new("kind", "invalid-choice"));
    }
    let (Some(name_en), Some(name_km), true) = (name_en, name_km, errs.is_empty()) else {
        let errors = FormErrors::from_validation(&ctx.tr, &errs);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, organisations_page(&ctx, f, errors).await?).into_response());
    };
    let new = rightsdesk_store::NewOrganisation { name_en, name_km, kind: f.kind.clone() };
    match ctx.state.store.create_organisation(&new, &ctx.audit("organisation.create")).await {
        Ok(_) => Ok(Redirect::to("/monitoring/organisations").into_response()),
        Err(rightsdesk_store::StoreError::Conflict(_)) => {
            let mut errors = FormErrors::default();
            errors.add("name_en", ctx.tr.t("field-error-organisation-taken"));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, organisations_page(&ctx, f, errors).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct FollowUpRow {
    pub case_id: i64,
    pub reference: String,
    pub title: String,
    pub row: InterventionRow,
}

#[derive(Template)]
#[template(path = "follow_ups.html")]
struct FollowUpsPage {
    l: Layout,
    rows: Vec<FollowUpRow>,
}

/// Follow-ups due within a week, on the user's own cases.
pub async fn due_follow_ups(ctx: &Ctx, days_ahead: i64, limit: i64) -> Result<Vec<FollowUpRow>, PageError> {
    let Some(scope) = case_scope(&ctx.actor) else { return Ok(vec![]) };
    let me = ctx.me()?.id;
    let today = today();
    let until = time::Date::parse(&today, time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .and_then(|d| d.checked_add(time::Duration::days(days_ahead)))
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day()))
        .unwrap_or(today.clone());
    let due = ctx.state.store.follow_ups_due(&scope, Some(me), &until, limit).await?;
    Ok(due
        .into_iter()
        .map(|f| FollowUpRow {
            case_id: f.intervention.case_id,
            reference: f.case_reference,
            title: f.case_title,
            row: intervention_row(&ctx.tr, &f.intervention, &today),
        })
        .collect())
}

pub async fn follow_ups(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Module(Module::Monitoring))?;
    let rows = due_follow_ups(&ctx, 7, 200).await?;
    render(FollowUpsPage { l: ctx.layout(ctx.tr.t("follow-ups-title")), rows })
}

pub struct SourceRow {
    pub id: i64,
    pub code: String,
    pub received: String,
    pub method: String,
    pub reliability: String,
    pub validity: String,
    pub consent: String,
    pub withdrawn: String,
    pub information: String,
}

pub fn source_row(tr: &Tr, s: &rightsdesk_store::Source) -> SourceRow {
    SourceRow {
        id: s.id,
        code: s.person_code.clone().unwrap_or_else(|| "—".into()),
        received: tr.iso_date(&s.received),
        method: choice_label(tr, "source-method", &s.method),
        reliability: choice_label(tr, "source-reliability", &s.reliability),
        validity: choice_label(tr, "source-validity", &s.validity),
        consent: choice_label(tr, "consent", &s.consent),
        withdrawn: s.consent_withdrawn_on.as_ref().map(|d| tr.iso_date(&Some(d.clone()))).unwrap_or_default(),
        information: s.information.clone(),
    }
}

#[derive(Template)]
#[template(path = "source_form.html")]
struct SourceFormPage {
    l: Layout,
    c: Case,
    f: rightsdesk_domain::monitoring::source::SourceFields,
    codes: Vec<String>,
    methods: Vec<(String, String)>,
    reliabilities: Vec<(String, String)>,
    validities: Vec<(String, String)>,
    consents: Vec<(String, String)>,
    errors: FormErrors,
}

async fn source_form(
    ctx: &Ctx,
    c: Case,
    f: rightsdesk_domain::monitoring::source::SourceFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    use rightsdesk_domain::monitoring::source as src;
    let tr = &ctx.tr;
    let codes = ctx
        .state
        .store
        .persons(c.id)
        .await?
        .into_iter()
        .filter(|p| p.profile.role == PersonRole::Source)
        .map(|p| p.code)
        .collect();
    render(SourceFormPage {
        l: ctx.layout(tr.t1("source-add-title", "reference", &c.reference)),
        c,
        f,
        codes,
        methods: options(tr, "source-method", src::METHODS),
        reliabilities: options(tr, "source-reliability", src::RELIABILITY),
        validities: options(tr, "source-validity", src::VALIDITY),
        consents: options(tr, "consent", src::CONSENT),
        errors,
    })
}

pub async fn new_source_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::WriteNarrative).await?;
    let f = rightsdesk_domain::monitoring::source::SourceFields { received: today(), ..Default::default() };
    source_form(&ctx, c, f, FormErrors::default()).await
}

pub async fn add_source(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<rightsdesk_domain::monitoring::source::SourceFields>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let mut errs = match f.parse() {
        Ok(_) => vec![],
        Err(e) => e,
    };
    let mut errors = FormErrors::from_validation(&ctx.tr, &errs);
    names_in_fields(&ctx, &c, &case_matcher(&ctx, id).await?, &[("information", &f.information)], &mut errors);
    let input = match f.parse() {
        Ok(i) if errors.is_empty() => i,
        _ => return Ok((StatusCode::UNPROCESSABLE_ENTITY, source_form(&ctx, c, f, errors).await?).into_response()),
    };
    match ctx.state.store.add_source(id, &input, ctx.me()?.id, &ctx.audit("source.add")).await {
        Ok(_) => Ok(Redirect::to(&format!("/monitoring/cases/{id}#sources")).into_response()),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            errs.push(ValidationError::new("person_code", "invalid-choice"));
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, source_form(&ctx, c, f, errors).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub note: String,
}

/// Consent withdrawn: from that day the information leaves every export,
/// report and letter.
pub async fn withdraw_consent(
    ctx: Ctx,
    PagePath(sid): PagePath<i64>,
    PageForm(f): PageForm<WithdrawForm>,
) -> Result<Response, PageError> {
    let source = ctx.state.store.source(sid).await?.ok_or(ErrorCode::NotFound)?;
    let c = load_case(&ctx, source.case_id, Action::Update).await?;
    let day = if f.date.trim().is_empty() {
        Some(today())
    } else {
        rightsdesk_domain::monitoring::intervention::day("date", &f.date).ok().flatten()
    };
    let Some(day) = day else {
        let msg = ctx.tr.t("field-error-invalid-day");
        audit_restricted_read(&ctx, &c, "restricted case read (form)").await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    };
    let note: String = f.note.trim().chars().take(2000).collect();
    // Anyone who may change the case records a withdrawal at once; a note
    // is free text, for those who see the names and checked for them
    // (decision 0011).
    if !note.is_empty() {
        ctx.require(Action::WriteNarrative, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &c)))?;
        let mut errors = FormErrors::default();
        names_in_fields(&ctx, &c, &case_matcher(&ctx, c.id).await?, &[("note", &note)], &mut errors);
        if !errors.is_empty() {
            let msg = errors.get("note");
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
        }
    }
    ctx.state.store.withdraw_consent(sid, &day, &note, &ctx.audit("source.consent_withdrawn")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{}#sources", c.id)).into_response())
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(flatten)]
    pub list: ListQuery,
    /// `csv` or `xlsx`.
    #[serde(default)]
    pub format: String,
    /// Include names and contacts (heads of office, for their own cases).
    #[serde(default)]
    pub names: String,
}

/// Most rows one export may hold; narrow the filters for more.
pub const EXPORT_LIMIT: i64 = 50_000;

/// The filtered case list as CSV or XLSX. Restricted cases the user may not
/// see are never in it; information whose source withdrew consent is left
/// out; names only with the permission and only for cases the user may see
/// names of. Every export is audited. A POST with the form's anti-forgery
/// token, so that no link from elsewhere can make a browser export (and
/// write an audit event) behind its user's back.
pub async fn export(ctx: Ctx, PageForm(q): PageForm<ExportQuery>) -> Result<Response, PageError> {
    use axum::http::header;
    ctx.require(Action::Export, Resource::Module(Module::Monitoring))?;
    let with_names = q.names == "1" || q.names == "on";
    if with_names {
        ctx.require(Action::ExportIdentifying, Resource::Module(Module::Monitoring))?;
    }
    let xlsx = match q.format.as_str() {
        "csv" | "" => false,
        "xlsx" => true,
        _ => return Err(ErrorCode::BadRequest.into()),
    };
    let scope = case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let me = ctx.me()?.id;
    let store = ctx.state.store.as_ref();
    let mut filter = case_filter(store, scope, me, &q.list).await.map_err(|_| ErrorCode::BadRequest)?;
    filter.after = None;
    let (table, skipped) = export_table(&ctx, &mut filter, with_names).await?;
    let rows = table.rows.len();
    store
        .append_audit(&ctx.audit("case.export").record("export", "cases").summary(format!(
            "{rows} cases ({skipped} listed but not exportable by this user), {}, names {}, filters: {}",
            if xlsx { "xlsx" } else { "csv" },
            if with_names { "included" } else { "excluded" },
            list_query_string(&q.list)
        )))
        .await?;
    let stamp = today();
    let (body, mime, ext) = if xlsx {
        let bytes = rightsdesk_export::to_xlsx(&table, "Cases").map_err(|e| {
            tracing::error!(error = %e, "xlsx export failed");
            ErrorCode::Internal
        })?;
        (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
    } else {
        (rightsdesk_export::to_csv(&table), "text/csv; charset=utf-8", "csv")
    };
    let disposition = format!("attachment; filename=\"rightsdesk-cases-{stamp}.{ext}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}

async fn export_table(
    ctx: &Ctx,
    filter: &mut CaseFilter,
    with_names: bool,
) -> Result<(rightsdesk_export::Table, usize), PageError> {
    let store = ctx.state.store.as_ref();
    let me = ctx.me()?.id;
    let mut skipped = 0;
    let mut headers: Vec<String> = [
        "reference",
        "office",
        "title",
        "status",
        "sensitivity",
        "province",
        "district",
        "commune",
        "place",
        "start_date",
        "end_date",
        "themes",
        "act_types",
        "rights",
        "victims",
        "victims_female",
        "victims_male",
        "perpetrator_types",
        "interventions",
        "open_follow_ups",
        "sources_usable",
        "summary",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if with_names {
        headers.push("victim_names".into());
    }
    let mut rows = vec![];
    filter.limit = 500;
    'pages: loop {
        let page = store.list_cases(filter).await?;
        let Some(last) = page.last() else { break };
        filter.after = Some(filter.sort.cursor_of(last));
        for summary in &page {
            if rows.len() as i64 >= EXPORT_LIMIT {
                break 'pages;
            }
            let Some(c) = store.case(summary.id).await? else { continue };
            // Seeing a case is not leave to export it (other offices' cases).
            if !ctx.allows(Action::Export, Resource::Case(case_ref(Some(me), &c))) {
                skipped += 1;
                continue;
            }
            let persons = store.persons(c.id).await?;
            let acts = store.acts(c.id).await?;
            let interventions = store.interventions(c.id).await?;
            // Information whose source withdrew consent leaves every export.
            let sources = store.sources(c.id).await?;
            let victims: Vec<&PersonRecord> = persons.iter().filter(|p| p.profile.role == PersonRole::Victim).collect();
            let mut act_types: Vec<String> = acts.iter().map(|a| a.act_type.clone()).collect();
            act_types.dedup();
            let mut rights: Vec<String> = acts.iter().flat_map(|a| a.rights.iter().map(|r| r.label())).collect();
            rights.sort();
            rights.dedup();
            let mut perpetrator_types: Vec<String> = persons
                .iter()
                .filter(|p| p.profile.role == PersonRole::Perpetrator && !p.profile.perpetrator_type.is_empty())
                .map(|p| p.profile.perpetrator_type.clone())
                .collect();
            perpetrator_types.sort();
            perpetrator_types.dedup();
            let open = interventions
                .iter()
                .filter(|i| rightsdesk_domain::monitoring::intervention::OPEN_STATUSES.contains(&i.status.as_str()))
                .count();
            let usable = sources.iter().filter(|s| !s.withdrawn()).count();
            let mut row = vec![
                c.reference.clone(),
                c.office_code.clone(),
                c.title.clone(),
                c.status.as_str().to_string(),
                c.sensitivity.as_str().to_string(),
                c.province_code.clone().unwrap_or_default(),
                c.district_code.clone().unwrap_or_default(),
                c.commune_code.clone().unwrap_or_default(),
                c.location_text.clone(),
                c.start.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
                c.end.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
                c.themes.join(", "),
                act_types.join(", "),
                rights.join(", "),
                victims.len().to_string(),
                victims.iter().filter(|v| v.profile.sex == "female").count().to_string(),
                victims.iter().filter(|v| v.profile.sex == "male").count().to_string(),
                perpetrator_types.join(", "),
                interventions.len().to_string(),
                open.to_string(),
                usable.to_string(),
                c.summary.clone(),
            ];
            if with_names {
                let cref = case_ref(Some(me), &c);
                let allowed = ctx.allows(Action::ViewIdentifying, Resource::Case(cref));
                let names = if allowed {
                    let mut list = vec![];
                    for v in &victims {
                        let who = v.identity(&ctx.state.keys).map_err(|_| ErrorCode::Internal)?;
                        list.push(format!("{}: {}", v.code, who.name));
                    }
                    list.join("; ")
                } else {
                    String::new()
                };
                row.push(names);
            }
            rows.push(row);
        }
    }
    Ok((rightsdesk_export::Table { headers, rows }, skipped))
}

// ---- Evidence --------------------------------------------------------------

pub struct EvidenceRow {
    pub id: i64,
    pub description: String,
    pub content_type: String,
    pub size: String,
    pub sha256: String,
    pub uploaded: String,
    pub custody: Vec<(String, String, String, String)>,
}

async fn evidence_rows(ctx: &Ctx, case_id: i64) -> Result<Vec<EvidenceRow>, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let mut rows = vec![];
    for e in store.case_evidence(case_id).await? {
        let custody = store
            .custody(e.id)
            .await?
            .into_iter()
            .map(|c| (tr.datetime(c.at_micros), c.user_name, choice_label(tr, "custody", &c.action), c.note))
            .collect();
        rows.push(EvidenceRow {
            id: e.id,
            description: e.description,
            content_type: e.content_type,
            size: tr.num(e.size_bytes),
            sha256: e.sha256,
            uploaded: tr.datetime(e.uploaded_at),
            custody,
        });
    }
    Ok(rows)
}

/// Where a file with this hash lives: `files/ab/cd/abcd…`.
pub fn evidence_path(files_dir: &std::path::Path, sha256: &str) -> std::path::PathBuf {
    // Hashes come from our own records, but a short one must not panic.
    let part = |r: std::ops::Range<usize>| sha256.get(r).unwrap_or("_");
    files_dir.join(part(0..2)).join(part(2..4)).join(sha256)
}

pub(crate) struct Stored {
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
    /// False when the same content was already stored (for another record).
    pub new_file: bool,
}

/// Streams an uploaded file to a temporary file while hashing it, stops at
/// the size limit (deleting what was written), then files it under its hash.
/// Its type is read from its first bytes, never taken from the client.
/// Removes a file an upload brought when its record could not be written,
/// unless some evidence record (another upload of the same content, made
/// meanwhile) refers to it.
pub(crate) async fn remove_unused_upload(state: &crate::AppState, file: &Stored) {
    if file.new_file && !state.store.evidence_hash_in_use(&file.sha256).await.unwrap_or(true) {
        let _ = tokio::fs::remove_file(evidence_path(&state.config.files_dir, &file.sha256)).await;
    }
}

pub(crate) async fn store_upload(
    state: &crate::AppState,
    mut field: axum::extract::multipart::Field<'_>,
) -> Result<Stored, PageError> {
    use sha2::Digest;
    use tokio::io::AsyncWriteExt;
    let dir = &state.config.files_dir;
    let tmp_dir = dir.join("tmp");
    let internal = |e: std::io::Error| {
        tracing::error!(error = %e, "cannot store an upload");
        PageError::Code(ErrorCode::Internal)
    };
    tokio::fs::create_dir_all(&tmp_dir).await.map_err(internal)?;
    let tmp = tmp_dir.join(rightsdesk_crypto::new_token("upload-").0);
    let mut file = tokio::fs::File::create(&tmp).await.map_err(internal)?;
    // Sealed as it is written: the plaintext never reaches the disk (issue 14).
    let mut sealer = state.keys.file_sealer();
    let mut hasher = sha2::Sha256::new();
    let mut size: u64 = 0;
    let mut head: Vec<u8> = Vec::new();
    let result: Result<(), PageError> = async {
        file.write_all(sealer.header()).await.map_err(internal)?;
        while let Some(chunk) = field.chunk().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                PageError::Code(ErrorCode::PayloadTooLarge)
            } else {
                PageError::Code(ErrorCode::BadRequest)
            }
        })? {
            size += chunk.len() as u64;
            if size > state.config.max_upload_bytes {
                return Err(ErrorCode::PayloadTooLarge.into());
            }
            if head.len() < 8192 {
                head.extend_from_slice(&chunk[..chunk.len().min(8192 - head.len())]);
            }
            hasher.update(&chunk);
            file.write_all(&sealer.update(&chunk)).await.map_err(internal)?;
        }
        file.write_all(&sealer.finish()).await.map_err(internal)?;
        file.flush().await.map_err(internal)?;
        file.sync_all().await.map_err(internal)?;
        Ok(())
    }
    .await;
    drop(file);
    if let Err(e) = result {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(e);
    }
    if size == 0 {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(ErrorCode::BadRequest.into());
    }
    let sha256 = hex::encode(hasher.finalize());
    let target = evidence_path(dir, &sha256);
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await.map_err(internal)?;
    }
    let new_file = !tokio::fs::try_exists(&target).await.unwrap_or(false);
    if new_file {
        tokio::fs::rename(&tmp, &target).await.map_err(internal)?;
    } else {
        // Content-addressed: the same file is kept once.
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    let content_type = infer::get(&head).map(|t| t.mime_type().to_string()).unwrap_or_else(|| {
        if std::str::from_utf8(&head).is_ok() {
            "text/plain".to_string()
        } else {
            "application/octet-stream".to_string()
        }
    });
    Ok(Stored { sha256, size, content_type, new_file })
}

pub async fn upload_evidence(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let mut multipart = multipart.map_err(|_| ErrorCode::BadRequest)?;
    let mut csrf = String::new();
    let mut description = String::new();
    let mut stored = None;
    let mut filename = String::new();
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            PageError::Code(ErrorCode::PayloadTooLarge)
        } else {
            PageError::Code(ErrorCode::BadRequest)
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        match field.name().unwrap_or_default() {
            "_csrf" => csrf = field.text().await.map_err(too_large)?,
            "description" => description = field.text().await.map_err(too_large)?.chars().take(2000).collect(),
            "file" if stored.is_none() => {
                // The form token comes first: nothing is written for a forged request.
                ctx.check_csrf(&csrf)?;
                filename = field.file_name().unwrap_or("file").chars().filter(|c| !c.is_control()).take(255).collect();
                stored = Some(store_upload(&ctx.state, field).await?);
            }
            _ => {}
        }
    }
    ctx.check_csrf(&csrf)?;
    let codes = case_matcher(&ctx, id).await?.codes_in(&description);
    if !codes.is_empty() {
        if let Some(file) = &stored {
            remove_unused_upload(&ctx.state, file).await;
        }
        let msg = names_found_message(&ctx, &c, "case-names-found", &codes);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    let Some(file) = stored else {
        let msg = ctx.tr.t("evidence-no-file");
        audit_restricted_read(&ctx, &c, "restricted case read (form)").await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    };
    let new = rightsdesk_store::NewEvidence {
        case_id: id,
        sha256: file.sha256.clone(),
        size_bytes: file.size as i64,
        content_type: file.content_type.clone(),
        filename,
        description: description.trim().to_string(),
        uploaded_by: ctx.me()?.id,
    };
    if let Err(e) = ctx.state.store.add_evidence(&new, &ctx.state.keys, &ctx.audit("evidence.upload")).await {
        // No record, no file: a file this upload brought is not left behind
        // (one already there belongs to another record).
        remove_unused_upload(&ctx.state, &file).await;
        return Err(e.into());
    }
    Ok(Redirect::to(&format!("/monitoring/cases/{id}#evidence")).into_response())
}

/// Evidence can show who people are: only for those who may see names.
async fn load_evidence(ctx: &Ctx, eid: i64) -> Result<(rightsdesk_store::Evidence, Case), PageError> {
    let e = ctx.state.store.evidence(eid).await?.ok_or(ErrorCode::NotFound)?;
    let c = load_case(ctx, e.case_id, Action::View).await?;
    ctx.require(Action::ViewIdentifying, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &c)))?;
    Ok((e, c))
}

/// A file name safe for a download header: no path, no quotes, no control
/// characters; the original name is also given UTF-8 encoded.
pub fn download_disposition(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("file");
    let ascii: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') { c } else { '_' })
        .collect();
    let ascii = ascii.trim_start_matches('.').trim();
    let ascii = if ascii.is_empty() { "file" } else { ascii };
    let utf8 = percent_encoding::utf8_percent_encode(base, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{utf8}")
}

/// A POST with the form's token: a download writes the chain of custody and
/// the audit log, so no link from elsewhere may cause one.
pub async fn download_evidence(
    ctx: Ctx,
    PagePath(eid): PagePath<i64>,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let (e, _) = load_evidence(&ctx, eid).await?;
    let me = ctx.me()?.id;
    Ok(evidence_download(&ctx.state, &e, me, "", &ctx.audit("evidence.download")).await?)
}

/// An evidence file as a download (pages and API; the caller has applied the
/// policy), recorded in the chain of custody. Always an attachment, never
/// shown inline: an uploaded page cannot run here.
pub(crate) async fn evidence_download(
    state: &crate::AppState,
    e: &rightsdesk_store::Evidence,
    user_id: i64,
    note: &str,
    audit: &rightsdesk_store::AuditEntry,
) -> Result<Response, ErrorCode> {
    use axum::http::header;
    let name = match &e.filename_enc {
        Some(sealed) => state
            .keys
            .decrypt_string(rightsdesk_store::monitoring::evidence_filename_ref(e.id), sealed)
            .unwrap_or_else(|_| "file".into()),
        None => "file".into(),
    };
    let path = evidence_path(&state.config.files_dir, &e.sha256);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        tracing::error!(evidence = e.id, "evidence file missing");
        return Err(ErrorCode::NotFound);
    }
    state
        .store
        .add_custody(e.id, user_id, "downloaded", note, audit)
        .await
        .map_err(|err| crate::error::store_code(&err))?;
    // Opened as it is sent, and checked against its hash on the way: a file
    // that does not open or is another content ends the download short.
    let body = crate::files::plaintext_body(state.keys.clone(), path, e.sha256.clone());
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, download_disposition(&name)),
            (header::CONTENT_LENGTH, e.size_bytes.to_string()),
            (header::HeaderName::from_static("x-content-sha256"), e.sha256.clone()),
        ],
        body,
    )
        .into_response())
}

/// Recomputes the file's SHA-256 and records the result in the chain of custody.
pub async fn verify_evidence(
    ctx: Ctx,
    PagePath(eid): PagePath<i64>,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let (e, c) = load_evidence(&ctx, eid).await?;
    let path = evidence_path(&ctx.state.config.files_dir, &e.sha256);
    // The plaintext's hash: the file must open with the key (every chunk
    // authentic, none missing) and be the content its record names.
    let exists = tokio::fs::try_exists(&path).await.unwrap_or(false);
    let actual = crate::files::plaintext_sha256(&ctx.state.keys, &path).await.unwrap_or_default();
    let ok = actual == e.sha256;
    let (action, note) = if ok {
        ("verified", format!("sha256 {actual}"))
    } else {
        let found = match (exists, actual.is_empty()) {
            (false, _) => "no file",
            (true, true) => "a file that does not open with the key",
            (true, false) => &actual,
        };
        ("verification_failed", format!("expected {}, found {found}", e.sha256))
    };
    ctx.state.store.add_custody(e.id, ctx.me()?.id, action, &note, &ctx.audit("evidence.verify")).await?;
    let msg = ctx.tr.t(if ok { "evidence-verified" } else { "evidence-verify-failed" });
    let status = if ok { StatusCode::OK } else { StatusCode::CONFLICT };
    Ok((status, case_page(&ctx, c, Some(msg)).await?).into_response())
}

// ---- Import ----------------------------------------------------------------

/// Columns a case import understands (the header row names them).
pub const IMPORT_COLUMNS: &[&str] = &[
    "title",
    "summary",
    "sensitivity",
    "province",
    "district",
    "commune",
    "location_text",
    "start_date",
    "end_date",
    "themes",
];

pub struct ImportProblem {
    pub line: usize,
    pub column: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    l: Layout,
    columns: Vec<&'static str>,
    problems: Vec<ImportProblem>,
    outcome: Option<String>,
}

#[derive(Deserialize)]
pub struct CustodyForm {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub note: String,
}

/// Custody entries a person records by hand; the others (uploaded,
/// downloaded, verified) are written by the system.
pub const CUSTODY_MANUAL: [&str; 4] = ["transferred", "examined", "stored", "returned"];

/// Checks a custody entry made by hand (pages and API): a known action, a
/// note for a hand-over, no longer than 2,000 characters, and no name of the
/// case's people in it (the codes of those found come with the error).
pub(crate) fn check_custody_entry(
    action: &str,
    note: &str,
    names: &[(String, String)],
) -> Result<(), (ValidationError, Vec<String>)> {
    let error = |field, code| Err((ValidationError::new(field, code), vec![]));
    if !CUSTODY_MANUAL.contains(&action) {
        return error("action", "invalid-choice");
    }
    if action == "transferred" && note.is_empty() {
        return error("note", "required");
    }
    if note.chars().count() > 2000 {
        return error("note", "too-long");
    }
    let found: Vec<String> = names_in_text(note, names).into_iter().map(|(code, _)| code).collect();
    if !found.is_empty() {
        return Err((ValidationError::new("note", "contains-name"), found));
    }
    Ok(())
}

/// Records a hand-over, an examination, where the original is kept, or its
/// return, with a note (required for a hand-over: to whom, how).
pub async fn add_custody(
    ctx: Ctx,
    PagePath(eid): PagePath<i64>,
    PageForm(f): PageForm<CustodyForm>,
) -> Result<Response, PageError> {
    let (e, c) = load_evidence(&ctx, eid).await?;
    ctx.require(Action::WriteNarrative, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &c)))?;
    let note = f.note.trim();
    let names = names_of(&ctx, &ctx.state.store.persons(c.id).await?)?;
    if let Err((e, found)) = check_custody_entry(&f.action, note, &names) {
        let msg = match e.code {
            "contains-name" => names_found_message(&ctx, &c, "case-names-found", &found),
            "required" => ctx.tr.t("custody-note-required"),
            code => ctx.tr.t(&format!("field-error-{code}")),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    ctx.state.store.add_custody(e.id, ctx.me()?.id, &f.action, note, &ctx.audit("evidence.custody")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{}#evidence", c.id)).into_response())
}

pub async fn import_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    render(ImportPage {
        l: ctx.layout(ctx.tr.t("import-title")),
        columns: IMPORT_COLUMNS.to_vec(),
        problems: vec![],
        outcome: None,
    })
}

/// Checks every row; returns the cases to open or every problem with its
/// line and column.
pub async fn check_import(
    ctx: &Ctx,
    table: &rightsdesk_export::ReadTable,
    office_id: i64,
    year: i32,
    by: i64,
) -> Result<Vec<NewCase>, Vec<ImportProblem>> {
    let mut problems = vec![];
    let column = |i: usize, name: &str| format!("{} ({name})", rightsdesk_export::column_name(i));
    for (i, h) in table.headers.iter().enumerate() {
        if !IMPORT_COLUMNS.contains(&h.as_str()) {
            problems.push(ImportProblem { line: 1, column: column(i, h), message: ctx.tr.t("import-unknown-column") });
        }
    }
    if !table.headers.iter().any(|h| h == "title") {
        problems.push(ImportProblem { line: 1, column: "title".into(), message: ctx.tr.t("import-missing-title") });
    }
    if table.rows.is_empty() {
        problems.push(ImportProblem { line: 2, column: String::new(), message: ctx.tr.t("import-empty") });
    }
    let mut cases = vec![];
    for (line, cells) in &table.rows {
        let get = |name: &str| {
            table
                .headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| cells.get(i))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        if cells.len() > table.headers.len() {
            problems.push(ImportProblem {
                line: *line,
                column: column(table.headers.len(), "?"),
                message: ctx.tr.t("import-extra-cells"),
            });
            continue;
        }
        let f = CaseFields {
            title: get("title"),
            summary: get("summary"),
            sensitivity: get("sensitivity"),
            province: get("province"),
            district: get("district"),
            commune: get("commune"),
            location_text: get("location_text"),
            start_date: get("start_date"),
            end_date: get("end_date"),
            themes: get("themes"),
            ..Default::default()
        };
        match validate_fields(ctx.state.store.as_ref(), &f).await {
            Ok(input) => cases.push(NewCase { input, office_id, year, created_by: by, assigned: vec![by] }),
            Err(errs) => {
                for e in errs {
                    let name = e.field;
                    let idx = table.headers.iter().position(|h| h == name).unwrap_or(0);
                    problems.push(ImportProblem {
                        line: *line,
                        column: column(idx, name),
                        message: ctx.tr.t(&format!("field-error-{}", e.code)),
                    });
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems)
    }
}

pub async fn import(
    ctx: Ctx,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    let me = ctx.me()?.clone();
    let upload = super::read_import_upload(&ctx, multipart).await?;
    let (dry_run, bytes) = (upload.dry_run(), upload.file);
    let tr = &ctx.tr;
    let page = |problems: Vec<ImportProblem>, outcome: Option<String>| ImportPage {
        l: ctx.layout(tr.t("import-title")),
        columns: IMPORT_COLUMNS.to_vec(),
        problems,
        outcome,
    };
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        let p = vec![ImportProblem { line: 0, column: String::new(), message: tr.t("evidence-no-file") }];
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page(p, None))?).into_response());
    };
    let table = if bytes.starts_with(b"PK") {
        rightsdesk_export::read_xlsx(&bytes)
    } else {
        rightsdesk_export::read_csv(&bytes)
    };
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            let p = vec![ImportProblem {
                line: 0,
                column: String::new(),
                message: format!("{}: {e}", tr.t("import-unreadable")),
            }];
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page(p, None))?).into_response());
        }
    };
    let year = time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .year();
    match check_import(&ctx, &table, me.office_id, year, me.id).await {
        Err(problems) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page(problems, Some(tr.t("import-nothing-written"))))?)
                .into_response())
        }
        Ok(cases) if dry_run => {
            Ok(render(page(vec![], Some(tr.tn("import-dry-run-ok", "count", cases.len() as i64))))?.into_response())
        }
        Ok(cases) => {
            let refs = ctx
                .state
                .store
                .import_cases(&cases, &ctx.audit("case.import").summary(format!("{} rows", cases.len())))
                .await?;
            let first = refs.first().cloned().unwrap_or_default();
            let last = refs.last().cloned().unwrap_or_default();
            let msg = format!("{} {first} … {last}", tr.tn("import-done", "count", refs.len() as i64));
            Ok(render(page(vec![], Some(msg)))?.into_response())
        }
    }
}
