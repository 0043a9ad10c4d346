//! A contact: added on an organisation's page, their own page (who they
//! are only for whom may see it, and every such view audited), changed,
//! and merged into the record of the same person.

use super::organisations::{all_organisations, contact_row, organisation_page, ContactRow};
use super::service::{self, MODULE};
use crate::auth::Ctx;
use crate::error::PageError;
use crate::extract::PageForm;
use crate::kit::{render, FormErrors, Layout};
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::engagement::{ContactFields, RelationFields};
use rightsdesk_domain::Action;
use rightsdesk_store::engagement::MeetingFilter;
use serde::Deserialize;

pub async fn add(ctx: Ctx, PageForm(f): PageForm<ContactFields>) -> Result<Response, PageError> {
    match service::add_contact(&ctx, &f).await? {
        Ok(c) => Ok(Redirect::to(&format!("/engagement/organisations/{}#contacts", c.organisation_id)).into_response()),
        Err(errors) => {
            let Ok(org) = f.organisation_id.trim().parse::<i64>() else {
                return Err(PageError::from(crate::error::ErrorCode::NotFound));
            };
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let page = organisation_page(&ctx, org, f, RelationFields::default(), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "engagement/contact.html")]
struct ContactPage {
    l: Layout,
    c: ContactRow,
    organisation_id: i64,
    organisation: String,
    notes: String,
    /// (id, date, title)
    meetings: Vec<(i64, String, String)>,
    duplicates: Vec<ContactRow>,
    can_edit: bool,
    form: ContactFields,
    organisations: Vec<(String, String)>,
    into: String,
    errors: FormErrors,
}

async fn contact_page(
    ctx: &Ctx,
    id: i64,
    form: Option<ContactFields>,
    into: String,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, MODULE)?;
    let shown = service::open_contact(ctx, id).await?;
    let tr = &ctx.tr;
    let can_edit = ctx.allows(Action::Update, service::contact_ref(&shown.record));
    let duplicates = if can_edit { service::possible_duplicates(ctx, &shown).await? } else { vec![] };
    let meetings = ctx
        .state
        .store
        .list_meetings(&MeetingFilter { contact_id: Some(id), limit: 100, ..Default::default() })
        .await?
        .into_iter()
        .map(|m| (m.id, tr.iso_date(&Some(m.held_on.clone())), m.title))
        .collect();
    // The edit form holds the name only for whom may change it.
    let form = match (form, &shown.identity, can_edit) {
        (Some(f), _, _) => f,
        (None, Some(who), true) => ContactFields {
            organisation_id: shown.record.organisation_id.to_string(),
            name: who.name.clone(),
            position: shown.record.position.clone(),
            phone: who.phone.clone(),
            email: who.email.clone(),
            notes: shown.record.notes.clone(),
        },
        _ => ContactFields::default(),
    };
    let r = &shown.record;
    render(ContactPage {
        l: ctx.layout(shown.label()),
        c: contact_row(&shown),
        organisation_id: r.organisation_id,
        organisation: super::name(tr, &r.organisation_en, &r.organisation_km),
        notes: if shown.identity.is_some() { r.notes.clone() } else { String::new() },
        meetings,
        duplicates: duplicates.iter().map(contact_row).collect(),
        can_edit,
        form,
        organisations: all_organisations(ctx).await?,
        into,
        errors,
    })
}

pub async fn view(ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, PageError> {
    contact_page(&ctx, id, None, String::new(), FormErrors::default()).await
}

pub async fn update(
    ctx: Ctx,
    Path(id): Path<i64>,
    PageForm(f): PageForm<ContactFields>,
) -> Result<Response, PageError> {
    match service::update_contact(&ctx, id, &f).await? {
        Ok(_) => Ok(Redirect::to(&format!("/engagement/contacts/{id}")).into_response()),
        Err(errors) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let page = contact_page(&ctx, id, Some(f), String::new(), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    into: String,
}

pub async fn merge(ctx: Ctx, Path(id): Path<i64>, PageForm(f): PageForm<MergeForm>) -> Result<Response, PageError> {
    match service::merge_contact(&ctx, id, &f.into).await? {
        Ok(()) => Ok(Redirect::to(&format!("/engagement/contacts/{}", f.into.trim())).into_response()),
        Err(errors) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errors);
            let page = contact_page(&ctx, id, None, f.into, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
