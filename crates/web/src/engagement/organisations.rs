//! The stakeholder directory, an organisation's form, and its page with
//! everything linked to it.

use super::service::{self, ShownContact, MODULE};
use crate::auth::Ctx;
use crate::error::PageError;
use crate::extract::{PageForm, PageQuery};
use crate::kit::{render, FormErrors, Layout};
use crate::{choice_label, choice_options};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::engagement::{ContactFields, OrganisationFields, RelationFields, RelationKind, StakeholderKind};
use rightsdesk_domain::{Action, Module, Resource};
use rightsdesk_store::engagement::{MeetingFilter, Stakeholder, StakeholderFilter};
use serde::Deserialize;

pub const PAGE_SIZE: i64 = 50;

/// The directory's filter as the page's query gives it.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct DirectoryQuery {
    pub kind: String,
    pub province: String,
    pub q: String,
    pub page: String,
}

pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub other_name: String,
    pub acronym: String,
    pub kind: String,
    pub parent: String,
    pub province: String,
    pub contacts: String,
    pub meetings: String,
}

#[derive(Template)]
#[template(path = "engagement/directory.html")]
struct DirectoryPage {
    l: Layout,
    rows: Vec<OrganisationRow>,
    total: String,
    /// (kind code, label, count, selected)
    per_kind: Vec<(String, String, String, bool)>,
    q: DirectoryQuery,
    error: Option<String>,
    kinds: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
    can_create: bool,
    next_page: Option<String>,
}

/// The gazetteer's provinces, named in the reader's language.
pub(super) async fn provinces(ctx: &Ctx) -> Result<Vec<(String, String)>, PageError> {
    let tr = &ctx.tr;
    Ok(ctx
        .state
        .store
        .provinces()
        .await?
        .into_iter()
        .map(|p| (p.code, tr.pick(&p.name_en, &p.name_km).to_string()))
        .collect())
}

/// Every organisation, for the parent, relation and meeting fields.
pub(super) async fn all_organisations(ctx: &Ctx) -> Result<Vec<(String, String)>, PageError> {
    let tr = &ctx.tr;
    let mut all: Vec<(String, String)> = ctx
        .state
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), tr.pick(&o.name_en, &o.name_km).to_string()))
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(all)
}

fn row(tr: &crate::i18n::Tr, o: &Stakeholder) -> OrganisationRow {
    let name = super::name(tr, &o.name_en, &o.name_km);
    OrganisationRow {
        id: o.id,
        other_name: if name == o.name_en { o.name_km.clone() } else { o.name_en.clone() },
        name,
        acronym: o.acronym.clone(),
        kind: choice_label!(tr, o.kind),
        parent: match (&o.parent_en, &o.parent_km) {
            (Some(en), Some(km)) => super::name(tr, en, km),
            _ => String::new(),
        },
        province: match (&o.province_en, &o.province_km) {
            (Some(en), Some(km)) => super::name(tr, en, km),
            _ => String::new(),
        },
        contacts: tr.num(o.contacts),
        meetings: tr.num(o.meetings),
    }
}

pub async fn directory(ctx: Ctx, PageQuery(q): PageQuery<DirectoryQuery>) -> Result<Response, PageError> {
    ctx.require(Action::View, MODULE)?;
    let tr = &ctx.tr;
    let store = ctx.state.store.as_ref();
    let mut error = None;
    let kind = match q.kind.trim() {
        "" => None,
        k => StakeholderKind::parse(k).or_else(|| {
            error = Some(tr.t("field-error-invalid-choice"));
            None
        }),
    };
    let page = q.page.trim().parse::<i64>().ok().filter(|p| (1..=10_000).contains(p)).unwrap_or(1);
    let filter = StakeholderFilter {
        kind,
        province_code: Some(q.province.trim().to_string()).filter(|p| !p.is_empty()),
        text: Some(q.q.trim().to_string()).filter(|t| !t.is_empty()),
        parent_id: None,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let found = store.list_stakeholders(&filter).await?;
    let total = store.count_stakeholders(&filter).await?;
    let per_kind = store
        .count_stakeholders_by_kind(&filter)
        .await?
        .into_iter()
        .map(|(k, n)| (k.as_str().to_string(), choice_label!(tr, k), tr.num(n), filter.kind == Some(k)))
        .collect();
    let next_page = (filter.offset + (found.len() as i64) < total).then(|| {
        let params = serde_urlencoded::to_string(DirectoryQuery { page: (page + 1).to_string(), ..q.clone() })
            .unwrap_or_default();
        format!("/engagement?{params}")
    });
    let view = DirectoryPage {
        l: ctx.layout(tr.t("engagement-directory-title")),
        rows: found.iter().map(|o| row(tr, o)).collect(),
        total: tr.tn("organisations-count", "count", total),
        per_kind,
        error,
        kinds: choice_options!(tr, StakeholderKind),
        provinces: provinces(&ctx).await?,
        can_create: ctx.allows(Action::Create, MODULE),
        next_page,
        q,
    };
    let status = if view.error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok((status, render(view)?).into_response())
}

#[derive(Template)]
#[template(path = "engagement/organisation_form.html")]
struct OrganisationFormPage {
    l: Layout,
    form: OrganisationFields,
    errors: FormErrors,
    kinds: Vec<(String, String)>,
    provinces: Vec<(String, String)>,
    parents: Vec<(String, String)>,
    action: String,
}

async fn form_page(
    ctx: &Ctx,
    title: String,
    form: OrganisationFields,
    errors: FormErrors,
    action: String,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    render(OrganisationFormPage {
        l: ctx.layout(title),
        form,
        errors,
        kinds: choice_options!(tr, StakeholderKind),
        provinces: provinces(ctx).await?,
        parents: all_organisations(ctx).await?,
        action,
    })
}

pub async fn new_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, MODULE)?;
    let title = ctx.tr.t("organisation-new-title");
    form_page(&ctx, title, OrganisationFields::default(), FormErrors::default(), "/engagement/organisations".into())
        .await
}

pub async fn create(ctx: Ctx, PageForm(f): PageForm<OrganisationFields>) -> Result<Response, PageError> {
    match service::create_organisation(&ctx, &f).await? {
        Ok(o) => Ok(Redirect::to(&format!("/engagement/organisations/{}", o.id)).into_response()),
        Err(errors) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let title = ctx.tr.t("organisation-new-title");
            let page = form_page(&ctx, title, f, errors, "/engagement/organisations".into()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

fn fields_of(o: &Stakeholder) -> OrganisationFields {
    OrganisationFields {
        name_en: o.name_en.clone(),
        name_km: o.name_km.clone(),
        acronym: o.acronym.clone(),
        kind: o.kind.as_str().into(),
        parent_id: o.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        province_code: o.province_code.clone().unwrap_or_default(),
        notes: o.notes.clone(),
    }
}

pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, PageError> {
    let o = service::open_organisation(&ctx, id).await?;
    ctx.require(Action::Update, MODULE)?;
    let title = ctx.tr.t1("organisation-edit-title", "name", &super::name(&ctx.tr, &o.name_en, &o.name_km));
    form_page(&ctx, title, fields_of(&o), FormErrors::default(), format!("/engagement/organisations/{id}")).await
}

pub async fn update(
    ctx: Ctx,
    Path(id): Path<i64>,
    PageForm(f): PageForm<OrganisationFields>,
) -> Result<Response, PageError> {
    match service::update_organisation(&ctx, id, &f).await? {
        Ok(_) => Ok(Redirect::to(&format!("/engagement/organisations/{id}")).into_response()),
        Err(errors) => {
            let o = service::open_organisation(&ctx, id).await?;
            let title = ctx.tr.t1("organisation-edit-title", "name", &super::name(&ctx.tr, &o.name_en, &o.name_km));
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let page = form_page(&ctx, title, f, errors, format!("/engagement/organisations/{id}")).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub struct ContactRow {
    pub id: i64,
    pub label: String,
    pub position: String,
    pub phone: String,
    pub email: String,
    pub sealed: bool,
}

pub(super) fn contact_row(c: &ShownContact) -> ContactRow {
    ContactRow {
        id: c.record.id,
        label: c.label(),
        position: c.record.position.clone(),
        phone: c.identity.as_ref().map(|w| w.phone.clone()).unwrap_or_default(),
        email: c.identity.as_ref().map(|w| w.email.clone()).unwrap_or_default(),
        sealed: c.record.identifying,
    }
}

#[derive(Template)]
#[template(path = "engagement/organisation.html")]
struct OrganisationPage {
    l: Layout,
    o: OrganisationRow,
    notes: String,
    parent_id: Option<i64>,
    children: Vec<(i64, String)>,
    /// (kind code, label as read from here, other id, other name)
    relations: Vec<(String, String, i64, String, bool)>,
    contacts: Vec<ContactRow>,
    contacts_sealed: bool,
    /// (case id, case reference, kind, date, status)
    interventions: Vec<(i64, String, String, String, String)>,
    /// (id, symbol, text, status)
    recommendations: Vec<(i64, String, String, String)>,
    /// (id, date, title, kind)
    meetings: Vec<(i64, String, String, String)>,
    can_edit: bool,
    relation_kinds: Vec<(String, String)>,
    others: Vec<(String, String)>,
    contact: ContactFields,
    relation: RelationFields,
    errors: FormErrors,
}

pub(super) async fn organisation_page(
    ctx: &Ctx,
    id: i64,
    contact: ContactFields,
    relation: RelationFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let o = service::open_organisation(ctx, id).await?;
    let tr = &ctx.tr;
    let store = ctx.state.store.as_ref();
    let links = store.organisation_links(id).await?;
    let mut interventions = vec![];
    let mut visible = std::collections::HashMap::new();
    for a in &links.interventions {
        let case_id = a.intervention.case_id;
        if let std::collections::hash_map::Entry::Vacant(slot) = visible.entry(case_id) {
            let seen = match store.case(case_id).await? {
                Some(case) => ctx.allows(
                    Action::View,
                    Resource::Case(crate::monitoring::service::case_ref(ctx.user.as_ref().map(|u| u.id), &case)),
                ),
                None => false,
            };
            slot.insert(seen);
        }
        if visible.get(&case_id) == Some(&true) {
            let kind = rightsdesk_domain::monitoring::intervention::InterventionKind::parse(&a.intervention.kind)
                .map(|k| choice_label!(tr, k))
                .unwrap_or_default();
            let status = rightsdesk_domain::monitoring::intervention::InterventionStatus::parse(&a.status)
                .map(|s| choice_label!(tr, s))
                .unwrap_or_default();
            interventions.push((
                case_id,
                a.intervention.case_reference.clone(),
                kind,
                tr.iso_date(&a.intervention.date),
                status,
            ));
        }
    }
    let recommendations = if ctx.allows(Action::View, Resource::Module(Module::Mechanisms)) {
        links
            .recommendations
            .iter()
            .map(|r| {
                let status = rightsdesk_domain::mechanisms::ImplementationStatus::parse(&r.status)
                    .map(|s| crate::mechanisms::implementation_label(tr, s))
                    .unwrap_or_default();
                (r.recommendation.id, r.recommendation.symbol.clone(), r.recommendation.text.clone(), status)
            })
            .collect()
    } else {
        vec![]
    };
    let records = store.contacts_of(id).await?;
    let visible_contacts: Vec<_> =
        records.into_iter().filter(|k| ctx.allows(Action::View, service::contact_ref(k))).collect();
    let contacts = service::show_contacts(ctx, visible_contacts, &format!("organisation {id}")).await?;
    let meetings = store
        .list_meetings(&MeetingFilter { organisation_id: Some(id), limit: 100, ..Default::default() })
        .await?
        .into_iter()
        .map(|m| (m.id, tr.iso_date(&Some(m.held_on.clone())), m.title, choice_label!(tr, m.kind)))
        .collect();
    let relations = links
        .relations
        .iter()
        .map(|r| {
            let key = if r.outgoing { r.kind.fluent_key() } else { format!("{}-inverse", r.kind.fluent_key()) };
            (r.kind.as_str().to_string(), tr.t(&key), r.other_id, super::name(tr, &r.other_en, &r.other_km), r.outgoing)
        })
        .collect();
    let others = all_organisations(ctx).await?.into_iter().filter(|(oid, _)| *oid != id.to_string()).collect();
    render(OrganisationPage {
        l: ctx.layout(super::name(tr, &o.name_en, &o.name_km)),
        o: row(tr, &o),
        notes: o.notes.clone(),
        parent_id: o.parent_id,
        children: links.children.iter().map(|c| (c.id, super::name(tr, &c.name_en, &c.name_km))).collect(),
        relations,
        contacts: contacts.iter().map(contact_row).collect(),
        contacts_sealed: o.kind.contacts_are_identifying(),
        interventions,
        recommendations,
        meetings,
        can_edit: ctx.allows(Action::Update, MODULE),
        relation_kinds: choice_options!(tr, RelationKind),
        others,
        contact,
        relation,
        errors,
    })
}

pub async fn view(ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, PageError> {
    let contact = ContactFields { organisation_id: id.to_string(), ..Default::default() };
    organisation_page(&ctx, id, contact, RelationFields::default(), FormErrors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RelationForm {
    kind: String,
    to_id: String,
    remove: String,
}

pub async fn relate(ctx: Ctx, Path(id): Path<i64>, PageForm(f): PageForm<RelationForm>) -> Result<Response, PageError> {
    let fields = RelationFields { kind: f.kind, to_id: f.to_id };
    match service::relate(&ctx, id, &fields, !f.remove.is_empty()).await? {
        Ok(()) => Ok(Redirect::to(&format!("/engagement/organisations/{id}#relations")).into_response()),
        Err(errors) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let contact = ContactFields { organisation_id: id.to_string(), ..Default::default() };
            let page = organisation_page(&ctx, id, contact, fields, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
